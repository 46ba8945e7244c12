"""Source.once: a loader's repeated identical queries run once, and each caller gets its own rows."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.analysis.source import Source


def counting_source() -> tuple[Source, list]:
    calls: list = []

    def run(name: str, **overrides) -> pd.DataFrame:
        calls.append((name, overrides))
        return pd.DataFrame({"name": [name], "n": [len(calls)]})

    return Source(run=run, rows=run, offers=frozenset), calls


def test_each_distinct_query_runs_once_and_callers_get_separate_copies():
    source, calls = counting_source()
    once = source.once()
    first = once("trends_coverage")
    first.loc[0, "n"] = 99  # a caller changing its rows must not change what the next caller gets
    again = once("trends_coverage")
    assert again["n"].tolist() == [1]
    a = once("kpis_by_month", month_from=date(2026, 1, 1), month_to=date(2026, 10, 1))
    b = once("kpis_by_month", month_to=date(2026, 10, 1), month_from=date(2026, 1, 1))  # same, other order
    c = once("kpis_by_month", month_from=date(2026, 2, 1), month_to=date(2026, 10, 1))
    assert a.equals(b) and not a.equals(c)
    assert [name for name, _ in calls] == ["trends_coverage", "kpis_by_month", "kpis_by_month"]


def test_unhashable_parameters_are_asked_each_time():
    source, calls = counting_source()
    once = source.once()
    once("q", values=[1, 2])
    once("q", values=[1, 2])
    assert len(calls) == 2


def test_a_new_once_starts_empty():
    source, calls = counting_source()
    source.once()("q")
    source.once()("q")
    assert len(calls) == 2
