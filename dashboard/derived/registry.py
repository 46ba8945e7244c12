"""The derived tables every import writes, in the order it writes them, and what each reads.

An import (dashboard/ingest/pipeline.py) builds each entry of TABLES in turn and writes `<name>.parquet`
into the new snapshot, where the read connection exposes it as a view of that name. `build` sees the
import's working connection, on which `complaints`, `branch_tree` and `customers_monthly` already hold the
new snapshot's tables and every derived table listed before it is a view, and the previous snapshot (None
on the first import) so that it can reuse the results of complaints whose narrative did not change instead
of recomputing everything.

The order is this list's, checked at import of this module: a table may read only store tables (STORE) and
tables listed before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.derived import (
    complaint_cube,
    masked_text,
    repeat_months,
    similar_index,
    surge_slices,
    term_postings,
    terms_index,
)
from dashboard.ingest.store import Snapshot

# What an import has written before any derived table (the store's own tables).
STORE = frozenset({"complaints", "branch_tree", "customers_monthly", "branches"})


@dataclass(frozen=True)
class Derived:
    name: str
    build: Callable[[duckdb.DuckDBPyConnection, Snapshot | None], pa.Table | pd.DataFrame]
    reads: tuple[str, ...]  # the tables build reads: store tables or derived tables listed earlier
    # Narrative analysis (minutes per million narratives): an import may leave it to a later
    # `python -m dashboard rebuild` so that a large history load publishes its numbers first.
    deferrable: bool = False


TABLES: tuple[Derived, ...] = (
    # hotspots page: every complaint's narrative terms
    Derived(terms_index.NAME, terms_index.build, reads=("complaints",), deferrable=True),
    # the search guard: every narrative as masked, kept by the pass that cut the terms (right before it)
    Derived(masked_text.NAME, masked_text.build, reads=("complaints", terms_index.NAME), deferrable=True),
    # 重复与溯源 page: near-duplicate narratives, per receipt-month window and then merged
    Derived("similar_windows", similar_index.build_windows, reads=("complaints",), deferrable=True),
    Derived("similar_groups", similar_index.build_groups, reads=("complaints", "similar_windows"), deferrable=True),
    # hot terms: complaint_terms flattened to a row per (complaint, term), and per month
    Derived(term_postings.NAME, term_postings.build, reads=("complaints", terms_index.NAME), deferrable=True),
    Derived(term_postings.MONTH_DOCS, term_postings.build_month_docs, reads=(term_postings.NAME,), deferrable=True),
    # trends page and headline metrics over long periods
    Derived(complaint_cube.NAME, complaint_cube.build, reads=("complaints",)),
    # surges of the whole bank: slices roll the cube up the organisation tree
    Derived(surge_slices.NAME, surge_slices.build, reads=("complaints", complaint_cube.NAME, "branch_tree")),
    # the repeats page's trend (the shared macros bind the cube and the slices)
    Derived(repeat_months.NAME, repeat_months.build, reads=("complaints", complaint_cube.NAME, surge_slices.NAME)),
)


def check_order(tables: tuple[Derived, ...]) -> None:
    """Raise unless every table reads only store tables and tables listed before it."""
    written = set(STORE)
    for table in tables:
        missing = set(table.reads) - written
        if missing:
            raise RuntimeError(f"derived table {table.name} reads {sorted(missing)}, not written before it")
        written.add(table.name)


check_order(TABLES)


def load_all() -> tuple[Derived, ...]:
    """The derived tables in build order (the import's entry point)."""
    return TABLES
