"""What a page loader reads from: one snapshot's queries with the filters' parameters.

Every page's data is one loader in dashboard/analysis/<page>.py, `load(source, filters, state)`, returning
a frozen result the page draws (no further queries of its own), the report command serialises and bench/
times. The page passes `ui.context.source()` (cached aggregates), the command line and the benchmark
`Source.of(con, filters)`; the loader cannot tell them apart, so the three see the same queries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Callable

import duckdb
import pandas as pd

from dashboard import db
from dashboard.filters import Filters

Runner = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Source:
    """run(name, **overrides): queries/<name>.sql with the filters' parameters (a page caches these: small
    aggregates only); rows: the same for raw complaint rows (never cached); tables: what the snapshot
    offers, asked when a loader needs it (a derived table an import deferred is missing until
    `python -m dashboard rebuild`)."""

    run: Runner
    rows: Runner
    offers: Callable[[], frozenset[str]]

    def tables(self) -> frozenset[str]:
        return self.offers()

    def __call__(self, name: str, **overrides) -> pd.DataFrame:
        return self.run(name, **overrides)

    def once(self) -> "Source":
        """This source with each distinct query asked once: a loader whose parts ask the same query
        (the trends page's annual section and its headline both read trends_coverage) runs it once per
        load. Each caller gets its own copy, so that one part's changes never reach another."""
        seen: dict[tuple, pd.DataFrame] = {}

        def run(name: str, **overrides) -> pd.DataFrame:
            key = (name, tuple(sorted(overrides.items())))
            try:
                hash(key)
            except TypeError:  # an unhashable parameter (a list): asked each time
                return self.run(name, **overrides)
            if key not in seen:
                seen[key] = self.run(name, **overrides)
            return seen[key].copy()

        return replace(self, run=run)

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection, filters: Filters) -> "Source":
        def run(name: str, **overrides) -> pd.DataFrame:
            return db.run(con, name, **filters.params(**overrides))

        return cls(run=run, rows=run, offers=cache(lambda: db.tables(con)))  # a snapshot never changes


def memoised(options: dict, key: tuple, load: Callable[[], object]):
    """load(), kept in options["memo"] (report.build passes one dict per report) so that a page's loader
    runs once for all of the page's report sections."""
    memo = options.get("memo")
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]
