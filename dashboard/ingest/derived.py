"""Tables derived from the complaints at import time: work too slow for a page (text analysis).

A module registers a Derived entry; every import then writes `<name>.parquet` into the new snapshot,
where the read connection exposes it as a view of that name. `build` sees the import's working
connection, on which the view `complaints` already holds the new snapshot's complaints (with `month` and
`is_repeat`) and every derived table registered before this one, and the previous snapshot (None on the
first import) so that it can reuse the results of complaints whose narrative did not change instead of
recomputing everything.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.ingest.store import Snapshot


@dataclass(frozen=True)
class Derived:
    name: str
    build: Callable[[duckdb.DuckDBPyConnection, Snapshot | None], pa.Table | pd.DataFrame]
    # Narrative analysis (minutes per million narratives): an import may leave it to a later
    # `python -m dashboard rebuild` so that a large history load publishes its numbers first.
    deferrable: bool = False


REGISTRY: list[Derived] = []


def register(name: str, deferrable: bool = False):
    """Decorator: @register("complaint_terms") def build(con, previous) -> table."""
    def wrap(build):
        REGISTRY.append(Derived(name, build, deferrable))
        return build
    return wrap


def load_all() -> list[Derived]:
    """Import the modules that register derived tables (kept explicit so the list is readable)."""
    # Modules that register derived tables are listed here, e.g.:
    #   import dashboard.analysis.terms_index  # noqa: F401
    import dashboard.analysis.terms_index  # noqa: F401  (complaint_terms, hotspots page)
    import dashboard.analysis.similar_index  # noqa: F401  (similar_windows, similar_groups: 重复与溯源 page)
    import dashboard.analysis.term_postings  # noqa: F401  (term_postings, term_month_docs: hot terms)
    import dashboard.analysis.complaint_cube  # noqa: F401  (complaint_cube: long periods, trends page)
    import dashboard.analysis.surge_slices  # noqa: F401  (surge_slice_months: surges of the whole bank)
    import dashboard.analysis.repeat_months  # noqa: F401  (repeat_months: the repeats page's trend)
    return REGISTRY
