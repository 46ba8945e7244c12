"""The month's numbers as one JSON-ready dict, from the same queries the pages use.

Each page adds its section to SECTIONS: a function (con, filters, month, **options) -> JSON-ready value;
`options` are the report command's section options (e.g. level for branch_ranking), ignored by the rest.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

import duckdb
import pandas as pd

from dashboard import db
from dashboard.analysis import maturity, recurring, repeats, similar_groups, surges, trends
from dashboard.analysis.rankings import branch_ranking
from dashboard.analysis.trends import report_movers, report_trend
from dashboard.filters import Filters, month_label
from dashboard.ledger import report as ledger_report


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> dict:
    month_from, month_to = trends.headline_window(month)
    rows = db.run(con, "kpis_by_month", **filters.params(month_from=month_from, month_to=month_to))
    unknown = repeats.unknowable(lambda name, **p: db.run(con, name, **filters.params(**p)))
    if unknown:
        rows = repeats.without_repeats(rows)
    as_of = db.run(con, "snapshot_as_of")["as_of"].iloc[0]
    as_of = None if pd.isna(as_of) else as_of.to_pydatetime()
    result = trends.headline(rows, month, as_of)
    # provisional: some complaints of the month are younger than the deadline at the as-of time
    result["provisional"] = maturity.assess(lambda name, **p: db.run(con, name, **filters.params(**p)),
                                            month, as_of).provisional
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
    "similar_groups": similar_groups.report_section,
    "rectifications": ledger_report.report_section,
    "surges": surges.report_section,
}


def build(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> dict:
    report = {"month": month_label(month), "filters": filters.to_query()}
    for name, section in SECTIONS.items():
        report[name] = section(con, filters, month, **options)
    return report
