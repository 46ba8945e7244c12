"""The month's numbers as one JSON-ready dict, from the same loaders the pages draw.

Each page adds its section to SECTIONS: a function (con, filters, month, **options) -> JSON-ready value,
serialising its page's loader result (dashboard/analysis/<page>.py) where the page has one; `options` are
the report command's section options (e.g. level for branch_ranking), ignored by the rest, and `memo`,
where a loader's result is kept for the other sections of the same report.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

import duckdb

from dashboard import db, metrics
from dashboard.analysis import events, outcomes, recurring, repeats, similar_groups, surges, trends
from dashboard.analysis.rankings import branch_ranking
from dashboard.analysis.trends import report_kpis, report_movers, report_trend
from dashboard.filters import Filters, month_label
from dashboard.ledger import report as ledger_report


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> dict:
    """The report's headline (trends.load's, as on the 月度趋势 page) with issue 19's figures: elderly
    complaints and share, and the regulator's ratios (analysis/outcomes.report_kpis)."""
    options.setdefault("memo", {})  # report_kpis and the rows below read the same trends.load
    result = report_kpis(con, filters, month, **options)
    rows = trends.loaded(con, filters, month, options).kpis
    result.update(outcomes.report_kpis(lambda name, **p: db.run(con, name, **filters.params(**p)), rows, month))
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
    "events": events.report_section,
}


def build(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> dict:
    report = {
        "month": month_label(month),
        "filters": filters.to_query(),
        "counting_basis": filters.basis_label,
        "customer_group": filters.age_group_label,
        **metrics.data_age(db.run(con, "snapshot_as_of")["as_of"].iloc[0]),  # stale data says so (H137)
        # open complaints in scope whose organisations' data stop more than a day earlier (H201); "" when none
        "seen_earlier_note": trends.seen_earlier(lambda name, **p: db.run(con, name, **filters.params(**p))),
    }
    options.setdefault("memo", {})  # a page's loader runs once for all of its sections
    for name, section in SECTIONS.items():
        report[name] = section(con, filters, month, **options)
    return report
