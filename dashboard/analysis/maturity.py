"""Is the report month mature? Its handling figures compared like for like with an older month.

A month is *provisional* (暂估，数据未成熟) when some of its complaints were received less than their granted
deadline (granted_days: DEADLINE_DAYS, or 30 / 60 when extended) before the data's as-of time: their outcome (on time or not) is not known yet, and a
month measured a few days after its end looks better handled than one measured a month later. So the
comparison month's handling figures are computed as they stood at the same age: its complaints closed by
its month-end + the as-of lag (lag = as-of time - the report month's end; queries/handling_at_cutoff.sql).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from dashboard.filters import add_months
from dashboard.fmt import json_scalar
from dashboard.metrics import YOUNG_ZH
from dashboard.schema import DEADLINE_OPTIONS

# The handling figures that depend on the month's age, compared at the same lag when it is provisional.
HANDLING_KEYS = ("on_time_rate", "avg_handling_days", "open_overdue")


def month_end(month: date) -> datetime:
    """The end of a month: the first instant of the next one."""
    nxt = add_months(month, 1)
    return datetime(nxt.year, nxt.month, 1)


def unended(month: date, as_of: datetime | None) -> bool:
    """The as-of time lies inside the month (before its last day): its figures are a part of a month, never
    compared with whole months (hostile H40, H70). As filters.latest_complete_month: an as-of on the month's
    last day counts the month as complete."""
    return as_of is not None and as_of - month_end(month) < timedelta(days=-1)


@dataclass(frozen=True)
class Maturity:
    provisional: bool  # some complaints of the month are younger than the deadline at the as-of time
    young: int  # how many
    open: int  # complaints of the month still open at the as-of time
    lag: timedelta  # as-of time - month-end (negative when the as-of lies inside the month)
    compared_cutoff: datetime | None  # the comparison month's cut-off (its month-end + lag)
    compared: dict | None  # the comparison month's handling figures at that cut-off

    @property
    def lag_days(self) -> float:
        return self.lag.total_seconds() / 86400.0

    @property
    def lag_text(self) -> str:
        """Where the as-of time lies against the month's end, in words (a negative zero read oddly: hostile H67)."""
        if self.lag < timedelta(0):
            return "数据时点在该月最后一天、月末之前"
        if self.lag < timedelta(days=1):
            return "数据时点距月末不足 1 天"
        return f"数据时点距月末仅 {self.lag_days:.0f} 天"

    @property
    def incomplete(self) -> bool:
        """The as-of time lies inside the month (an extract pulled on the 4th holds that month's first days):
        the month has not ended, its figures are a part of a month and are not compared with whole months.
        As filters.latest_complete_month: an as-of on the month's last day counts the month as complete."""
        return self.lag < timedelta(days=-1)

    def note(self) -> str:
        """What the page and the briefing say about a provisional month (empty when mature)."""
        if not self.provisional:
            return ""
        if self.incomplete:
            return (
                f"不完整：数据时点在本月结束前约 {round(-self.lag_days):d} 天，投诉量与各项指标只含本月已过去的日子，"
                "不与上月、去年同月比较（变化不着色）；完整月份请选上一个月。"
            )
        text = (
            f"暂估（数据未成熟）：{self.lag_text}，本月有 {self.young:,d} 件投诉{YOUNG_ZH}，"
            f"{self.open:,d} 件尚未办结，按时办结率和平均办结天数仍会变化。"
        )
        if self.compared_cutoff is not None:
            text += (
                f"办理类指标的“较上月”与上月同期比较：上月取截至 {self.compared_cutoff:%Y-%m-%d %H:%M}"
                "（上月末 + 同样的间隔）的办理情况。"
            )
        return text


# The deadline and outcome figures an immature month cannot have yet (hostile H34): a complaint extended to 30
# or 60 days cannot be overdue days after month-end, results and follow-ups of open complaints are not in.
PROVISIONAL_FIGURES = ("延期按时办结率", "延期后仍超期", "解决率", "满意率")
PROVISIONAL_MARK = "（暂估）"
OUTCOMES_NOTE = (
    "暂估（数据未成熟）：本月不少投诉尚未到办理时限（延期投诉为 30 或 60 天）或尚未办结、回访，"
    "延期按时办结率、延期后仍超期、解决率和满意率只计已有结果的投诉，仍会变化，不宜与已成熟的月份直接比较。"
)


def marked(label: str, provisional: bool) -> str:
    """A figure's label with 暂估 when the month is provisional and the figure depends on its age."""
    return label + PROVISIONAL_MARK if provisional and label in PROVISIONAL_FIGURES else label


def provisional(run, month: date, as_of: datetime | None) -> bool:
    """Is the month provisional at `as_of` (some complaint younger than its granted deadline), as assess()
    says for the report month? A month that ended the longest deadline (60 days) before the as-of time is
    mature without a query."""
    if as_of is None or as_of - month_end(month) >= timedelta(days=max(DEADLINE_OPTIONS)):
        return False
    return int(_row(run("handling_at_cutoff", month_from=month, month_to=month, cutoff=as_of))["young"] or 0) > 0


def _row(frame: pd.DataFrame) -> dict:
    row = frame.iloc[0]
    return {key: json_scalar(row[key]) for key in frame.columns}


def assess(run, month: date, as_of: datetime | None, compare_with: date | None = None) -> Maturity:
    """The month's maturity at `as_of` and, when provisional, `compare_with`'s handling figures (default:
    the previous month) at the same lag. `run(name, **overrides)` runs a query under the filters."""
    if as_of is None:
        return Maturity(False, 0, 0, timedelta(0), None, None)
    this = _row(run("handling_at_cutoff", month_from=month, month_to=month, cutoff=as_of))
    lag = as_of - month_end(month)
    provisional = int(this["young"] or 0) > 0
    compared_cutoff, compared = None, None
    if provisional:
        other = compare_with or add_months(month, -1)
        compared_cutoff = month_end(other) + lag
        compared = _row(run("handling_at_cutoff", month_from=other, month_to=other, cutoff=compared_cutoff))
    return Maturity(provisional, int(this["young"] or 0), int(this["open"] or 0), lag, compared_cutoff, compared)
