"""The deadline clock as the regulation has it (contract 7, issue 19): each complaint's granted deadline
(15 days, 30 after an extension for a complex case, 60 after a second one; 15 when the extract does not
say), how many were extended and how often an extension ended on time, and the 临期预警 list (open, not yet
overdue, at least WARN_SHARE of the deadline used at the data's as-of time). No Streamlit.

The on-time counts themselves are the headline's (kpis_by_month, from complaint_cube): this module reads
the extension counts of the same rows and the warning list (queries/deadline_warnings.sql).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from dashboard.analysis.source import Runner
from dashboard.filters import Filters, add_months, month_start

EXTENDED_LATE_RULE_ZH = (
    "延期后仍超期：报告月份受理的延期投诉中，在延长后的时限内仍未办结（超期办结或超期未办结）的件数。"
)
WARN_SHARE = 0.8  # 临期预警: at least this share of the granted deadline used
LONGEST_DEADLINE = 60  # days: a complaint received earlier than this before the as-of time is overdue
WARNING_LIMIT = 500  # rows of the warning list read (the page shows how many there are in all)

WARN_RULE_ZH = (
    f"临期预警：截至数据时点尚未办结、尚未超过办理时限，且已用时间达到办理时限的 {WARN_SHARE:.0%} 及以上的投诉"
    "（办理时限按投诉各自的“办理时限（天）”，未填写为 15 天），按剩余时间由少到多排列。"
)
EXTENSION_RULE_ZH = (
    "延长办理时限：办理时限（天）为 30 或 60 的投诉（复杂情况延长至 30 天，经上级机构批准再延长至 60 天）。"
    "延期按时办结率 = 延期投诉中在延长后的时限内办结的 ÷（已办结的延期投诉 + 已超过延长后时限仍未办结的延期投诉）。"
)


def warning_months(as_of: datetime | date, earliest_seen=None) -> tuple[date, date]:
    """The receipt months that can hold a complaint still within even the longest deadline. An open complaint
    is judged at the time it was last seen (hostile H201): `earliest_seen`, the earliest such time before
    as_of (queries/open_seen_earlier.sql), reaches the window back to its organisation's data."""
    end = month_start(as_of)
    judged = (
        as_of
        if earliest_seen is None or pd.isna(earliest_seen)
        else min(pd.Timestamp(as_of), pd.Timestamp(earliest_seen))
    )
    start = month_start(pd.Timestamp(judged) - pd.Timedelta(days=LONGEST_DEADLINE))
    return min(start, add_months(end, -2)), end


@dataclass
class DeadlineData:
    month: date
    extended: int  # complaints of the month granted more than 15 days
    extended_closed: int
    extended_on_time: int
    extended_open_overdue: int
    extension_on_time_rate: float | None
    warnings: pd.DataFrame  # deadline_warnings rows (at most WARNING_LIMIT)
    as_of: datetime | None

    @property
    def extended_late(self) -> int:
        """延期后仍超期: extended complaints not closed within the extended deadline (closed late, or open and
        past it); the page's card and the briefing's row (hostile H194: the briefing had no such row)."""
        return self.extended_open_overdue + self.extended_closed - self.extended_on_time

    @property
    def warnings_by_branch(self) -> pd.DataFrame:
        return by_branch(self.warnings)


def by_branch(warnings: pd.DataFrame) -> pd.DataFrame:
    """The warning list per organisation: how many, and the least time left; most urgent first."""
    if warnings.empty:
        return pd.DataFrame(columns=["branch_code", "branch_name", "tier1_name", "warnings", "min_days_left"])
    out = (
        warnings.groupby(["branch_code", "branch_name"], dropna=False)
        .agg(tier1_name=("tier1_name", "first"), warnings=("complaint_id", "size"), min_days_left=("days_left", "min"))
        .reset_index()
    )
    return out.sort_values(["min_days_left", "branch_code"]).reset_index(drop=True)


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def load(run: Runner, filters: Filters, month: date, kpis: pd.DataFrame, as_of: datetime | None) -> DeadlineData:
    """The month's extension figures from kpis (kpis_by_month rows the caller already has) and the
    warning list at the as-of time, through the global filters (their period replaced by the months
    that can still hold an open complaint within its deadline)."""
    rows = kpis.assign(month=pd.to_datetime(kpis["month"]).dt.date)
    row = rows[rows["month"] == month]
    get = (lambda key: int(row[key].iloc[0])) if not row.empty else (lambda key: 0)
    rate = _number(row["extension_on_time_rate"].iloc[0]) if not row.empty else None
    if as_of is None:
        warnings = pd.DataFrame()
    else:
        start, end = warning_months(as_of, run("open_seen_earlier")["first_seen"].iloc[0])
        warnings = run("deadline_warnings", month_from=start, month_to=end, warn_share=WARN_SHARE, limit=WARNING_LIMIT)
    return DeadlineData(
        month=month,
        extended=get("extended"),
        extended_closed=get("extended_closed"),
        extended_on_time=get("extended_on_time"),
        extended_open_overdue=get("extended_open_overdue"),
        extension_on_time_rate=rate,
        warnings=warnings,
        as_of=as_of,
    )
