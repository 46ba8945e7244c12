"""The month's numbers as one JSON-ready dict, from the same queries the pages use.

Each page adds its section to SECTIONS: a function (con, filters, month, **options) -> JSON-ready value;
`options` are the report command's section options (e.g. level for branch_ranking), ignored by the rest.
"""
from __future__ import annotations

import math
from datetime import date
from typing import Callable

import duckdb
import pandas as pd

from dashboard import db
from dashboard.analysis.rankings import branch_ranking
from dashboard.analysis.trends import report_movers, report_trend
from dashboard.analysis import recurring, repeats, similar_index
from dashboard.analysis import surges
from dashboard.ledger import report as ledger_report
from dashboard.filters import Filters, add_months, month_label
from dashboard.metrics import pct_change


def _clean(value):
    """JSON-ready scalars: NaN/NA -> None, numpy numbers -> Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def headline_window(month: date) -> tuple[date, date]:
    """The months the headline needs: a year back for 同比."""
    return add_months(month, -12), month


def headline(rows: pd.DataFrame, month: date, as_of) -> dict:
    """The headline of one month from kpis_by_month rows covering headline_window(month): its metrics,
    环比 against the previous month, 同比 against the same month a year before. Rates are fractions
    0..1, changes percent, None where undefined."""
    rows = rows.set_index(pd.to_datetime(rows["month"]).dt.date)
    this, previous, year_ago = (rows.loc[m] for m in (month, add_months(month, -1), add_months(month, -12)))
    return {
        "complaints": int(this["complaints"]),
        "mom_pct": _clean(pct_change(this["complaints"], previous["complaints"])),
        "yoy_pct": _clean(pct_change(this["complaints"], year_ago["complaints"])),
        "per_10k": _clean(this["per_10k"]),
        "on_time_rate": _clean(this["on_time_rate"]),
        "avg_handling_days": _clean(this["avg_handling_days"]),
        "regulator_referred": int(this["regulator_referred"]),
        "open": int(this["open"]),
        "open_overdue": int(this["open_overdue"]),
        "repeat_rate": _clean(this["repeat_rate"]),
        "as_of": as_of.isoformat(sep=" ") if as_of else None,
    }


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> dict:
    month_from, month_to = headline_window(month)
    rows = db.run(con, "kpis_by_month", **filters.params(month_from=month_from, month_to=month_to))
    unknown = repeats.unknowable(lambda name, **p: db.run(con, name, **filters.params(**p)))
    if unknown:
        rows = repeats.without_repeats(rows)
    as_of = db.run(con, "snapshot_as_of")["as_of"].iloc[0]
    result = headline(rows, month, None if pd.isna(as_of) else as_of.to_pydatetime())
    if unknown:
        result["repeat_rate"] = repeats.UNKNOWN_ZH
    return result


SECTIONS: dict[str, Callable[..., object]] = {
    "kpis": kpis,
    "branch_ranking": branch_ranking,
    "trend": report_trend,
    "movers": report_movers,
    "repeats": repeats.report_section,
    "recurring_issues": recurring.report_section,
    "similar_groups": similar_index.report_section,
    "rectifications": ledger_report.report_section,
    "surges": surges.report_section,
}


def build(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> dict:
    report = {"month": month_label(month), "filters": filters.to_query()}
    for name, section in SECTIONS.items():
        report[name] = section(con, filters, month, **options)
    return report
