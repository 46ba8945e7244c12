"""Recurring issues (反复出现的问题, contract 6): a (branch_code, business_category, reason) with complaints
in at least 3 of the last 6 months, the last month being the report month (the sidebar's 截止月份).

The rule is queries/recurring_issues.sql; this module turns its parameters (window length, months
needed) into the query's period and shapes its result for the page, the ledger and the report.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from dashboard import db
from dashboard.config import RECURRING_MIN_MONTHS, RECURRING_WINDOW_MONTHS
from dashboard.filters import Filters, add_months, month_label

PAGE_LIMIT = 200           # issues listed on the page
REPORT_LIMIT = 500         # issues in the report's list


def window(month_to: date, window_months: int = RECURRING_WINDOW_MONTHS) -> tuple[date, date]:
    """The months the rule looks at: window_months months ending at month_to, both included."""
    return add_months(month_to, -(int(window_months) - 1)), month_to


def window_months_list(month_to: date, window_months: int = RECURRING_WINDOW_MONTHS) -> list[date]:
    start, _ = window(month_to, window_months)
    return [add_months(start, i) for i in range(int(window_months))]


def overrides(month_to: date, window_months: int = RECURRING_WINDOW_MONTHS,
              min_months: int = RECURRING_MIN_MONTHS, limit: int = PAGE_LIMIT) -> dict:
    """What recurring_issues.sql needs on top of the global filters: the rule's window as the period,
    the months needed and the list's length."""
    if not 1 <= int(min_months) <= int(window_months):
        raise ValueError("min_months must be between 1 and window_months")
    month_from, month_to = window(month_to, window_months)
    return {"month_from": month_from, "month_to": month_to, "min_months": int(min_months), "limit": int(limit)}


def params(filters: Filters, month_to: date, window_months: int = RECURRING_WINDOW_MONTHS,
           min_months: int = RECURRING_MIN_MONTHS, limit: int = PAGE_LIMIT) -> dict:
    """Parameters of recurring_issues.sql: the global filters with overrides(...)."""
    return filters.params(**overrides(month_to, window_months, min_months, limit))


def rule_text(window_months: int = RECURRING_WINDOW_MONTHS, min_months: int = RECURRING_MIN_MONTHS) -> str:
    default = (window_months == RECURRING_WINDOW_MONTHS and min_months == RECURRING_MIN_MONTHS)
    return (f"同一被投诉机构（按机构代码本身，不含下辖机构）、同一业务类别、同一投诉原因，在截止月份及之前共 "
            f"{window_months} 个月中至少 {min_months} 个月有投诉" + ("（合同默认口径）。" if default else "（已调整，非默认口径）。"))


def issue_label(row) -> str:
    name = row["branch_name"] if isinstance(row.get("branch_name"), str) else row["branch_code"]
    return f"{name}（{row['branch_code']}）· {row['business_category']} · {row['reason']}"


def history_long(issues: pd.DataFrame, months: list[date]) -> pd.DataFrame:
    """The issues' monthly histories as rows (label, month, complaints), for the heat map."""
    rows = []
    for _, issue in issues.iterrows():
        label = issue_label(issue)
        for month, count in zip(months, list(issue["history"])):
            rows.append({"label": label, "month": month_label(month), "complaints": int(count)})
    return pd.DataFrame(rows, columns=["label", "month", "complaints"])


def source_note(issue, months: list[date]) -> str:
    """What the issue looked like when a ledger item was opened from it."""
    return (f"{month_label(months[0])} 至 {month_label(months[-1])} 共 {len(months)} 个月中有 "
            f"{int(issue['months_present'])} 个月出现投诉，合计 {int(issue['complaints'])} 件；"
            f"各月：{'、'.join(str(int(c)) for c in issue['history'])}")


def report_section(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **_options) -> list[dict]:
    """`recurring_issues` in the report: the issues of the 6 months ending at the report month, ranked by
    months present and volume (at most REPORT_LIMIT)."""
    rows = db.run(con, "recurring_issues", **params(filters, month, limit=REPORT_LIMIT))
    return [{"branch_code": str(r.branch_code), "business_category": str(r.business_category),
             "reason": str(r.reason), "months_present": int(r.months_present), "complaints": int(r.complaints)}
            for r in rows.itertuples()]
