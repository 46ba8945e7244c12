"""Monthly trends for the leadership group: the headline's changes, the 24-month trend with control
limits, breakdowns, and the month-over-month decomposition ("what moved"). Pure pandas, no Streamlit.

Everything the page, the briefing files and the report command show comes from `load`, which asks the
query layer through a `run(name, **overrides)` callable: the page passes its cached `context.query`,
the command line `runner(con, filters)`. So the three show the same numbers by construction.

Control limits (documented on the page and in the briefing): seasonal, from the same month last year
carried forward by the recent year-on-year growth (analysis/seasonal.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Callable

import duckdb
import pandas as pd

from dashboard.analysis import annual, completeness, deadlines, leadership, outcomes, repeats, seasonal, text_status
from dashboard.analysis import maturity as maturity_
from dashboard.analysis.source import Source, memoised
from dashboard.config import REPEAT_WINDOW_DAYS
from dashboard.filters import Filters, add_months, month_label, month_start
from dashboard.fmt import json_scalar
from dashboard.metrics import KPIS, pct_change, seen_earlier_note

Runner = Callable[..., pd.DataFrame]

TREND_MONTHS = 24  # the trend shows this many months ending at the report month ...
COMPARE_MONTHS = 12  # ... each beside the same month this many months earlier
FIRST_DAY_GRACE = 3  # a first month whose first complaint comes after this day of it is part of a month ...
FIRST_DAYS_MISSING_MIN = 10  # ... when its missing days would have held this many complaints
CONTROL_WINDOW = seasonal.GROWTH_WINDOW  # seasonal control limits (analysis/seasonal.py) read the
CONTROL_MIN_HISTORY = seasonal.MIN_GROWTHS  # growth of the previous 12 months, at least 6 of them
CONTROL_SIGMAS = seasonal.SIGMAS

CONTROL_RULE = seasonal.RULE

DIMENSIONS = {
    "business_category": "业务类别",
    "reason": "投诉原因",
    "tier1_branch": "一级分行",
    "channel": "投诉渠道",
    "root_cause": "根因分类",
}
MOVER_DIMENSIONS = ("business_category", "reason", "tier1_branch", "channel", "root_cause")
UNASSIGNED = "总行本部（不属任何一级分行）"
NO_ROOT_CAUSE = "尚未认定根因"
ROOT_CAUSE_YOUNG = (
    "暂估（数据未成熟）：根因分类在调查后认定，本月不少投诉尚未认定，"
    f"“{NO_ROOT_CAUSE}”的增加和各项根因的减少主要反映认定进度，不代表根因本身的变化；根因的变化请以成熟月份比较。"
)

# The headline on the page and in the briefing: the contract's metrics without the plain open count
# (a month's open count mostly reflects how recent it is, not how well it was handled).
HEADLINE_KEYS = (
    "complaints",
    "mom_pct",
    "yoy_pct",
    "per_10k",
    "on_time_rate",
    "avg_handling_days",
    "open_overdue",
    "regulator_referred",
    "repeat_rate",
)
HEADLINE = tuple(m for m in KPIS if m.key in HEADLINE_KEYS)
REPEAT_LOOKBACK_SHORT = f"数据起始月：此前 {REPEAT_WINDOW_DAYS} 天没有数据，部分重复投诉无法认定，偏低，仅供参考"
# Fewer complaints than this in either month compared: no headline change is coloured or called good or
# bad (every headline figure is of the month's complaints: a count, a rate over them, an average of them),
# the briefing marks it SMALL_NOTE, and the prose gives 环比/同比 as counts without a percentage (hostile
# H157: 1 against 2 read 环比 -50.0 % in green, to be copied into a branch's monthly report). The one
# threshold: the page's cards, the briefing and the report (report_kpis) all read it here.
SMALL_BASE = 10
SMALL_NOTE = "件数较少，仅供参考"
UNENDED_BASIS = "本月不完整"  # a Comparison's basis in a month that has not ended: nothing compared
UNENDED_TEXT = "月未结束，不比较"  # what a card shows in the change's place
# the bases under which nothing is compared, and what a card or a table shows in the change's place
NOT_COMPARED = {UNENDED_BASIS: UNENDED_TEXT, completeness.PARTIAL_BASIS: completeness.PARTIAL_TEXT}
# a young month's handling metrics against the previous month at the same data interval; never called
# 口径, the word of the counting basis (统计口径) on the same page (hostile H169)
LIKE_FOR_LIKE_BASIS = "较上月同期"


# --- Coverage ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    """The loaded months in the user's scope: months outside have no data (not zero complaints)."""

    first_month: date | None
    last_month: date | None
    months: int
    starts_on: date | None = None  # the first complaint's day in the user's scope (trends_data_start)
    next_month_complaints: int = 0  # the scope's complaints in the month after the first

    @property
    def span(self) -> int:
        """Calendar months from the first to the last loaded month (gaps included)."""
        if self.first_month is None:
            return 0
        return (self.last_month.year - self.first_month.year) * 12 + self.last_month.month - self.first_month.month + 1

    def has(self, month: date) -> bool:
        return self.first_month is not None and self.first_month <= month <= self.last_month

    @property
    def partial_first(self) -> bool:
        """The data's first month starts days into it (after FIRST_DAY_GRACE) that would have held complaints:
        at the month after's daily rate, at least FIRST_DAYS_MISSING_MIN of them (a small bank's quiet first
        days are no missing data)."""
        if self.starts_on is None or self.first_month is None or month_start(self.starts_on) != self.first_month:
            return False
        missing_days = self.starts_on.day - 1
        expected = self.next_month_complaints / 30 * missing_days
        return self.starts_on.day > FIRST_DAY_GRACE and expected >= FIRST_DAYS_MISSING_MIN

    def comparable(self, month: date) -> bool:
        """Loaded, and a whole month: a month is compared (环比, 同比) only with such a month (hostile H211: a
        bank whose data starts on 09-20 read October as 环比 +200.0 %, red)."""
        return self.has(month) and not (self.partial_first and month == self.first_month)

    @classmethod
    def from_rows(cls, rows: pd.DataFrame, start: pd.DataFrame | None = None) -> "Coverage":
        row = rows.iloc[0]
        if pd.isna(row["first_month"]):
            return cls(None, None, 0)
        first = None if start is None or pd.isna(start["first_received"].iloc[0]) else start["first_received"].iloc[0]
        return cls(
            month_start(pd.Timestamp(row["first_month"]).date()),
            month_start(pd.Timestamp(row["last_month"]).date()),
            int(row["months"]),
            None if first is None else pd.Timestamp(first).date(),
            0 if start is None or first is None else int(start["next_month_complaints"].iloc[0]),
        )


# --- Windows ----------------------------------------------------------------------------------------
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
        "mom_pct": json_scalar(pct_change(this["complaints"], previous["complaints"])),
        "yoy_pct": json_scalar(pct_change(this["complaints"], year_ago["complaints"])),
        "per_10k": json_scalar(this["per_10k"]),
        # members whose customer row is missing from the month's file (客户数不全: per_10k is then None)
        "customers_incomplete": int(this["branches_without_base"]),
        "on_time_rate": json_scalar(this["on_time_rate"]),
        "avg_handling_days": json_scalar(this["avg_handling_days"]),
        "regulator_referred": int(this["regulator_referred"]),
        "open": int(this["open"]),
        "open_overdue": int(this["open_overdue"]),
        "repeat_rate": json_scalar(this["repeat_rate"]),
        "as_of": as_of.isoformat(sep=" ") if as_of else None,
        "previous_complaints": int(previous["complaints"]),
        "year_ago_complaints": int(year_ago["complaints"]),
    }


def trend_months(month: date) -> list[date]:
    return [add_months(month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]


def history_window(month: date) -> tuple[date, date]:
    """kpis_by_month rows the page needs: the trend, a year before it (for 同比 and control limits)."""
    return add_months(month, -(TREND_MONTHS - 1 + max(COMPARE_MONTHS, seasonal.HISTORY_MONTHS))), month


def trend_window(month: date) -> tuple[date, date]:
    return add_months(month, -(TREND_MONTHS - 1)), month


def _by_month(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.copy()
    rows["month"] = pd.to_datetime(rows["month"]).dt.date
    return rows.set_index("month")


def _num(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


# --- Headline changes -------------------------------------------------------------------------------
_CHANGE_DIGITS = {"count": 0, "rate": 3, "pct": 1, "per10k": 2, "days": 1}


def rounded_change(unit: str, change: float | None) -> float | None:
    """The change at the precision it is shown with (so that a displayed 0 is a zero)."""
    if change is None:
        return None
    value = round(change, _CHANGE_DIGITS[unit])
    return 0.0 if value == 0 else value


def change_text(unit: str, change: float | None) -> str | None:
    """A change as shown: '+3 件', '+2.5 个百分点', '+0.12', '-0.4 天'; None when undefined."""
    change = rounded_change(unit, change)
    if change is None:
        return None
    if change == 0:
        return "持平"
    if unit == "count":
        return f"{change:+,.0f} 件"
    if unit == "rate":
        return f"{change * 100:+.1f} 个百分点"
    if unit == "pct":
        return f"{change:+.1f} 个百分点"
    if unit == "per10k":
        return f"{change:+.2f}"
    return f"{change:+.1f} 天"


@dataclass(frozen=True)
class Comparison:
    """A headline card's change against what a leader compares it with: the count (and 环比/同比) against
    last month and the same month last year, a rate against last month (like for like when the month
    is provisional). Never a change of a change."""

    key: str
    basis: str  # 较上月 / 较去年同月 / 较上月同期 (LIKE_FOR_LIKE_BASIS)
    base: float | None  # the value compared with (in the metric's unit; a count for 环比/同比)
    change: float | None  # this - base, in `unit`
    unit: str
    tone: str | None  # good / bad / flat; None when undefined or on a small base
    small: bool = False  # compared on fewer than SMALL_BASE complaints in a month: never coloured

    @property
    def text(self) -> str | None:
        return change_text(self.unit, self.change)

    @property
    def verdict(self) -> str:
        return {"good": "改善", "bad": "变差", "flat": "持平"}.get(self.tone or "", "—")


def small_counts(*counts) -> bool:
    """Whether a change between these complaint counts is too small a base to colour or put in percent."""
    return any(c is not None and c < SMALL_BASE for c in counts)


def _small_base(shade: str | None, *counts) -> tuple[str | None, bool]:
    """(tone, small) of a change between months of these complaint counts: no tone on a small base; a
    change that reads 持平 stays 持平 (nothing to colour)."""
    if shade is None or shade == "flat" or not small_counts(*counts):
        return shade, False
    return None, True


def tone(unit: str, change: float | None, lower_is_better: bool) -> str | None:
    """good / bad / flat for a change at its shown precision, by which direction is good for the reader."""
    shown = rounded_change(unit, change)
    if shown is None:
        return None
    if shown == 0:
        return "flat"
    return "good" if (shown < 0) == lower_is_better else "bad"


def comparisons(
    this: dict, previous: dict, previous_loaded: bool, year_ago_loaded: bool, like_for_like: dict | None = None
) -> dict[str, Comparison]:
    """Each headline metric's Comparison. 环比 and 同比 compare the month's count with last month's and
    last year's same month (a rise is bad); every other metric compares with last month, the handling
    figures with `like_for_like` (last month as it stood at the same age) when given."""
    out = {}
    for metric in HEADLINE:
        key = metric.key
        if key in ("mom_pct", "yoy_pct"):
            loaded = previous_loaded if key == "mom_pct" else year_ago_loaded
            base = this["previous_complaints" if key == "mom_pct" else "year_ago_complaints"] if loaded else None
            change = None if base is None else float(this["complaints"] - base)
            shade, small = _small_base(tone("count", change, True), this["complaints"], base)
            basis = "较上月" if key == "mom_pct" else "较去年同月"
            out[key] = Comparison(key, basis, base, change, "count", shade, small)
            continue
        basis, source = "较上月", previous
        if like_for_like is not None and key in maturity_.HANDLING_KEYS:
            basis, source = LIKE_FOR_LIKE_BASIS, like_for_like
        a, b = _num(this.get(key)), _num(source.get(key))
        # the difference of the two values as shown, so that the row adds up when read with a pencil
        # (hostile H152: 0.80 against 0.76 read "+0.03", the unrounded 0.798 - 0.765)
        digits = _CHANGE_DIGITS[metric.unit]
        change = None if (not previous_loaded or a is None or b is None) else round(a, digits) - round(b, digits)
        # the month compared is last month (like for like too): its complaints are the other base
        shade, small = _small_base(
            tone(metric.unit, change, metric.lower_is_better), this.get("complaints"), previous.get("complaints")
        )
        out[key] = Comparison(key, basis, b if previous_loaded else None, change, metric.unit, shade, small)
    return out


# --- Trend and control limits -----------------------------------------------------------------------
def trend_table(kpis: pd.DataFrame, month: date, coverage: Coverage) -> pd.DataFrame:
    """One row per loaded month of the 24 ending at `month`: volume, the same month a year before,
    环比/同比, the rate per 10,000 customers and the control limits with the month's signal."""
    by_month = _by_month(kpis)
    complaints = by_month["complaints"]
    rows = []
    for m in trend_months(month):
        if not coverage.has(m):
            continue
        value = int(complaints.get(m, 0))
        year_ago, prev = add_months(m, -COMPARE_MONTHS), add_months(m, -1)
        last_year = int(complaints.get(year_ago, 0)) if coverage.comparable(year_ago) else None
        previous = int(complaints.get(prev, 0)) if coverage.comparable(prev) else None
        limits = seasonal.limits(lambda h: float(complaints.get(h, 0)) if coverage.has(h) else None, m)
        signal = None
        if limits is not None:
            signal = "high" if value > limits[2] else "low" if value < limits[1] else None
        rows.append(
            {
                "month": m,
                "complaints": value,
                "last_year": last_year,
                "mom_pct": pct_change(value, previous),
                "yoy_pct": pct_change(value, last_year),
                "customers": _num(by_month["customers"].get(m)),
                "per_10k": _num(by_month["per_10k"].get(m)),
                "centre": limits[0] if limits else None,
                "lower": limits[1] if limits else None,
                "upper": limits[2] if limits else None,
                "signal": signal,
            }
        )
    columns = [
        "month",
        "complaints",
        "last_year",
        "mom_pct",
        "yoy_pct",
        "customers",
        "per_10k",
        "centre",
        "lower",
        "upper",
        "signal",
    ]
    table = pd.DataFrame(rows, columns=columns)
    for col in ("last_year", "mom_pct", "yoy_pct", "customers", "per_10k", "centre", "lower", "upper"):
        table[col] = table[col].astype("float64")
    return table


# --- Breakdown --------------------------------------------------------------------------------------
def _slices(breakdown: pd.DataFrame, dimension: str) -> pd.DataFrame:
    rows = breakdown[breakdown["dimension"] == dimension].copy()
    rows["month"] = pd.to_datetime(rows["month"]).dt.date
    rows["value"] = rows["value"].astype(object).where(rows["value"].notna(), None)
    missing = NO_ROOT_CAUSE if dimension == "root_cause" else UNASSIGNED
    rows["label"] = [
        missing if v is None else (label if isinstance(label, str) else v)
        for v, label in zip(rows["value"], rows["label"])
    ]
    return rows


def breakdown_rows(run: Runner, month_from: date, month_to: date) -> pd.DataFrame:
    """trends_breakdown's four dimensions and the root causes (trends_root_cause), one frame."""
    return pd.concat(
        [
            run("trends_breakdown", month_from=month_from, month_to=month_to),
            run("trends_root_cause", month_from=month_from, month_to=month_to),
        ],
        ignore_index=True,
    )


def breakdown_table(
    breakdown: pd.DataFrame, dimension: str, months: list[date], top: int | None = None, shares: bool = False
) -> pd.DataFrame:
    """Months x slices of one dimension (index: month, columns: slice labels, largest total first).
    With `top`, the smaller slices are merged into “其余”. With `shares`, each row is divided by the
    month's total (a fraction 0..1; months without complaints stay 0)."""
    rows = _slices(breakdown, dimension)
    table = rows.pivot_table(index="month", columns="label", values="complaints", aggfunc="sum", fill_value=0)
    table = table.reindex(months, fill_value=0)
    table = table[table.sum().sort_values(ascending=False, kind="stable").index]
    if top is not None and table.shape[1] > top + 1:
        kept = table.iloc[:, :top].copy()
        kept["其余"] = table.iloc[:, top:].sum(axis=1)
        table = kept
    table = table.astype("int64")
    if shares:
        totals = table.sum(axis=1)
        table = table.div(totals.where(totals > 0), axis=0).fillna(0.0)
    table.index.name = "month"
    table.columns.name = None
    return table


def month_composition(breakdown: pd.DataFrame, dimension: str, month: date) -> pd.DataFrame:
    """The report month's slices of one dimension: label, complaints, share (0..1), largest first."""
    rows = _slices(breakdown, dimension)
    rows = rows[rows["month"] == month]
    total = rows["complaints"].sum()
    out = rows[["value", "label", "complaints"]].copy()
    out["complaints"] = out["complaints"].astype("int64")
    out["share"] = out["complaints"] / total if total else 0.0
    return out.sort_values(["complaints", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --- What moved: the decomposition of the month-over-month change ------------------------------------
def decompose(breakdown: pd.DataFrame, dimension: str, month: date) -> pd.DataFrame:
    """The change against the previous month split into the slices of one dimension.

    Every complaint lies in exactly one slice of a dimension, so the per-slice differences
    (this month - previous month) sum exactly to the total difference. Columns: value, label, previous,
    current, contribution (current - previous), share_of_change (contribution / total change; None when
    the total did not change), mom_pct (the slice's own 环比). Largest |contribution| first."""
    previous_month = add_months(month, -1)
    rows = _slices(breakdown, dimension)
    rows = rows[rows["month"].isin([previous_month, month])]
    # A few dozen rows: summed in plain Python (pandas' per-call overhead was most of the page's time).
    slices: dict[object, list] = {}  # key -> [value, label, previous, current], in order of appearance
    for value, label, m, n in zip(rows["value"], rows["label"], rows["month"], rows["complaints"]):
        item = slices.setdefault("\0unassigned" if value is None else value, [value, label, 0, 0])
        item[3 if m == month else 2] += int(n)
    values, labels, previous, current = zip(*slices.values()) if slices else ((), (), (), ())
    out = pd.DataFrame(
        {
            "value": pd.Series(values, dtype=object),
            "label": pd.Series(labels, dtype=rows["label"].dtype),
            "previous": pd.Series(previous, dtype="int64"),
            "current": pd.Series(current, dtype="int64"),
        }
    )
    out["contribution"] = out["current"] - out["previous"]
    total_change = int(out["contribution"].sum())
    out["share_of_change"] = [c / total_change if total_change else None for c in out["contribution"]]
    out["mom_pct"] = [pct_change(c, p) for c, p in zip(out["current"], out["previous"])]
    out["order"] = out["contribution"].abs()
    out = out.sort_values(["order", "current", "label"], ascending=[False, False, True], kind="stable")
    return out.drop(columns="order").reset_index(drop=True)


# --- Everything the page needs ----------------------------------------------------------------------
def runner(con: duckdb.DuckDBPyConnection, filters: Filters) -> Source:
    """A `run(name, **overrides)` over a connection, with the filters' parameters (no Streamlit); a Source,
    so that the loader can ask which derived tables the snapshot offers."""
    return Source.of(con, filters)


@dataclass
class TrendData:
    month: date
    filters: Filters
    coverage: Coverage
    kpis: pd.DataFrame  # kpis_by_month over history_window(month)
    breakdown: pd.DataFrame  # trends_breakdown over trend_window(month)
    branches: pd.DataFrame  # branch_options (names, parents)
    as_of: datetime | None
    headline: dict  # headline() of the month
    previous: dict  # headline() of the previous month
    changes: dict  # each Comparison's change (comparisons)
    trend: pd.DataFrame  # trend_table
    movers: dict[str, pd.DataFrame] = field(default_factory=dict)  # decompose per dimension
    no_customer_key: bool = False  # repeats.unknowable: the repeat rate is unknown, not 0
    repeats_removed: bool = False  # repeats.removed_by_basis: 合并重复后 left the repeats out, the rate is 不适用
    deadline: "deadlines.DeadlineData | None" = None  # issue 19: the deadline clock and 临期预警
    outcomes: "outcomes.OutcomesData | None" = None  # issue 19: outcomes, redress, elderly customers
    maturity: maturity_.Maturity | None = None  # provisional? and last month at the same age
    comparisons: dict[str, Comparison] = field(default_factory=dict)  # each card's change and its tone
    drivers: list[leadership.Driver] = field(default_factory=list)  # why the biggest movers moved
    rectification: leadership.Rectification | None = None  # the ledger this month
    annual: annual.Annual | None = None  # the annual disclosure section (load's with_annual; None when closed)
    funnel: leadership.FunnelOutliers | None = None  # organisations above the rankings' funnel limits
    previous_partial: str | None = None  # the previous month looked like a partial extract (its note)
    seen_note: str = ""  # open complaints in scope last seen before as_of (metrics.seen_earlier_note)
    # text_status.stale_note: the drivers' rising terms cut by older masking or segmentation rules than the
    # running code's, until rebuild ("" when fresh, or when no driver shows terms)
    terms_note: str = ""

    @property
    def previous_month(self) -> date:
        return add_months(self.month, -1)

    @property
    def has_previous(self) -> bool:
        return self.coverage.comparable(self.previous_month) and not self.previous_partial

    @property
    def has_year_ago(self) -> bool:
        return self.coverage.comparable(add_months(self.month, -COMPARE_MONTHS))

    @property
    def parents(self) -> dict[str, str | None]:
        return {
            c: (p if isinstance(p, str) and p else None)
            for c, p in zip(self.branches["branch_code"], self.branches["parent_code"])
        }

    @property
    def names(self) -> dict[str, str]:
        return dict(zip(self.branches["branch_code"], self.branches["branch_name"]))

    @property
    def scope_label(self) -> str:
        """全行, or the selected organisation's (else the user's scope's) name."""
        org = self.filters.org or self.filters.scope
        if not org:
            return "全行"
        return self.names.get(org, org)

    @property
    def filter_label(self) -> str:
        """The dimension filters in words (empty when none)."""
        parts = []
        if self.filters.categories:
            parts.append("业务类别：" + "、".join(self.filters.categories))
        if self.filters.reasons:
            parts.append("投诉原因：" + "、".join(self.filters.reasons))
        if self.filters.channels:
            parts.append("投诉渠道：" + "、".join(self.filters.channels))
        if self.filters.referred is not None:
            parts.append("监管转办：" + ("是" if self.filters.referred else "否"))
        return "；".join(parts)


def load(
    run: Runner,
    filters: Filters,
    month: date | None = None,
    ledger_items: pd.DataFrame | None = None,
    with_drivers: bool = True,
    annual_year: int | None = None,
    with_annual: bool = False,
) -> TrendData:
    """All of the page's data for one report month (default: the filters' last month). `ledger_items`
    (Ledger.items(today), the items the user may see) feed the rectification progress and the items
    linked to each driver; `with_drivers` False skips the surge, term and case queries of the drivers.
    With `with_annual` (the page's section opened) the annual disclosure of `annual_year` (default: the
    month's year) on the filters' counting basis; otherwise `annual` is None: it reads a whole year twice
    and was a fifth of a cold first view at 1M (docs/performance.md)."""
    month = month or filters.month_to
    if isinstance(run, Source):
        run = run.once()
    start, end = history_window(month)
    kpis = run("kpis_by_month", month_from=start, month_to=end)
    no_customer_key = repeats.unknowable(run)
    repeats_removed = repeats.removed_by_basis(filters)
    if no_customer_key or repeats_removed:  # the headline, its change, the sparkline, the summary leave it out
        kpis = repeats.without_repeats(kpis)
    t_start, t_end = trend_window(month)
    breakdown = breakdown_rows(run, t_start, t_end)
    coverage = Coverage.from_rows(run("trends_coverage"), run("trends_data_start"))
    branches = run("branch_options")
    as_of_value = run("snapshot_as_of")["as_of"].iloc[0]
    as_of = None if pd.isna(as_of_value) else pd.Timestamp(as_of_value).to_pydatetime()

    this = headline(kpis, month, as_of)
    unended = maturity_.unended(month, as_of)
    this["incomplete"] = unended
    org_names = dict(zip(branches["branch_code"], branches["branch_name"]))
    # the report month and the one before, from one count of reporting organisations per level
    judged = completeness.assess(run, [add_months(month, -1), month], filters.org, org_names.get(filters.org))
    partial = None if unended else judged[month]
    this["partial"] = partial.note if partial else None  # a partial extract is no fall (hostile H192)
    if unended or partial:  # part of a month against whole months reads as a fall (H70: 环比 -95.5 % on the card)
        this["mom_pct"] = this["yoy_pct"] = None
    previous = headline(kpis, add_months(month, -1), as_of)
    previous_loaded = coverage.comparable(add_months(month, -1))
    # the month after a partial extract is no rise against it (hostile H211's second case)
    before = judged[add_months(month, -1)] if previous_loaded else None
    previous_loaded = previous_loaded and before is None
    if not previous_loaded:  # nothing, or part of a month, to compare with (hostile H211)
        this["mom_pct"] = None
    if not coverage.comparable(add_months(month, -COMPARE_MONTHS)):
        this["yoy_pct"] = None
    # the data's first month: a repeat needs an earlier complaint within the window, which no loaded month
    # holds, so its repeat rate reads low (hostile H122: 2.1 % against 4-5 % later)
    this["repeat_lookback_short"] = bool(this["repeat_rate"] is not None and coverage.first_month == month)
    maturity = maturity_.assess(run, month, as_of) if this["complaints"] else None
    this["provisional"] = bool(maturity and maturity.provisional)
    like_for_like = maturity.compared if maturity and previous_loaded else None
    compared = comparisons(
        this, previous, previous_loaded, coverage.comparable(add_months(month, -COMPARE_MONTHS)), like_for_like
    )
    if unended or partial:  # part of a month (or of the bank) against whole months: no change, no colour
        basis = UNENDED_BASIS if unended else completeness.PARTIAL_BASIS
        compared = {k: replace(c, change=None, tone=None, basis=basis) for k, c in compared.items()}
    trend = trend_table(kpis, month, coverage)
    if unended or partial:  # nor in the trend's last row: its 环比/同比 and a "low" signal would be the part month
        last = trend["month"] == month
        trend.loc[last, ["mom_pct", "yoy_pct"]] = float("nan")
        trend["signal"] = trend["signal"].where(~last, None)
    data = TrendData(
        month=month,
        filters=filters,
        coverage=coverage,
        kpis=kpis,
        breakdown=breakdown,
        branches=branches,
        as_of=as_of,
        headline=this,
        previous=previous,
        changes={key: c.change for key, c in compared.items()},
        trend=trend,
        no_customer_key=no_customer_key,
        repeats_removed=repeats_removed,
        maturity=maturity,
        comparisons=compared,
        previous_partial=before.note if before else None,
    )
    movers = {d: decompose(breakdown, d, month) for d in MOVER_DIMENSIONS} if data.has_previous else {}
    # the decomposition of part of a month (or of a partial extract) would attribute falls that are only its
    # missing days (or organisations: hostile H212, 信用卡 -94.4 %)
    if not unended and not partial:
        data.movers = movers
    last_complete = leadership.last_complete_month(as_of, coverage.last_month)
    if data.has_previous and with_drivers:
        # a rise stands even in an unended month (its first days already exceed last month); items with the
        # ledger page's status (H129)
        span = (coverage.first_month, last_complete)
        data.drivers = leadership.drivers(run, filters, month, movers, data.parents, data.names, ledger_items, span)
        if any(d.surge and d.terms_ready for d in data.drivers):  # their terms (or "none rising") are shown
            data.terms_note = text_status.stale_note(run)
    data.rectification = leadership.rectification(run, ledger_items, month, coverage.first_month, last_complete)
    if with_annual and coverage.first_month is not None:
        year = (
            annual_year
            if annual_year and coverage.first_month.year <= annual_year <= coverage.last_month.year
            else month.year
        )
        data.annual = annual.load(run, filters, year, coverage.first_month, coverage.last_month, last_complete)
    data.seen_note = seen_earlier(run)
    data.deadline = deadlines.load(run, filters, month, kpis, as_of)
    data.outcomes = outcomes.load(run, filters, month, kpis)
    if coverage.has(month):
        data.funnel = leadership.funnel_outliers(run, filters, month)
    return data


def seen_earlier(run: Runner) -> str:
    """What the data-time captions add when open complaints in the user's scope were last seen more than a
    day before the data's as-of time (queries/open_seen_earlier.sql, metrics.seen_earlier_note)."""
    row = run("open_seen_earlier").iloc[0]
    return seen_earlier_note(row["complaints"], row["first_seen"], row["last_seen"])


# --- Report command sections: the loader's result, serialised ------------------------------------------
def loaded(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, options: dict) -> TrendData:
    """load() for the report's month (once per report: source.memoised)."""
    return memoised(options, ("trends", filters, month), lambda: load(Source.of(con, filters), filters, month))


def report_kpis(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> dict:
    """`kpis`: the month's headline (headline()); the repeat rate reads repeats.UNKNOWN_ZH when no
    customer key is known in scope. mom_small_base / yoy_small_base: 环比 / 同比 compare fewer than
    SMALL_BASE complaints in a month (the page and the briefing neither colour nor state them in percent)."""
    data = loaded(con, filters, month, options)
    result = dict(data.headline)
    for key in ("mom_pct", "yoy_pct"):
        result[f"{key[:3]}_small_base"] = data.comparisons[key].small
    if data.no_customer_key:
        result["repeat_rate"] = repeats.UNKNOWN_ZH
    elif data.repeats_removed:
        result["repeat_rate"] = repeats.REMOVED_ZH
    return result


def report_trend(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> list[dict]:
    """`trend`: {month, complaints, per_10k, incomplete, provisional, first_days_missing} for each of the 24
    months ending at `month`. Months before the loaded data have complaints and per_10k null (no data, not
    zero); per_10k is null where no customer base is loaded. Each month says what the pages mark, with their
    definitions (hostile H267: a month cut on the 15th read as a collapse): incomplete, the data stop inside
    it (maturity.unended, kpis.incomplete); provisional, some complaint is younger than its deadline at the
    as-of time (maturity.provisional, kpis.provisional); first_days_missing, the data's first month starts
    days into it (Coverage.partial_first: no base for 环比/同比)."""
    data = loaded(con, filters, month, options)
    rows = _by_month(data.kpis)
    run = Source.of(con, filters)
    out = []
    for m in trend_months(month):
        present = data.coverage.has(m)
        young = bool(data.headline.get("provisional")) if m == month else maturity_.provisional(run, m, data.as_of)
        out.append(
            {
                "month": month_label(m),
                "complaints": int(rows["complaints"].get(m, 0)) if present else None,
                "per_10k": _num(rows["per_10k"].get(m)) if present else None,
                "incomplete": present and maturity_.unended(m, data.as_of),
                "provisional": present and young,
                "first_days_missing": present and data.coverage.partial_first and m == data.coverage.first_month,
            }
        )
    return out


def report_movers(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> list[dict]:
    """`movers`: the decomposition of the change against the previous month, one item per slice
    ({dimension, dimension_label, value, label, previous, current, contribution}), grouped by dimension
    (业务类别, 投诉原因, 一级分行, 投诉渠道), largest |contribution| first. Within a dimension the
    contributions sum to the total change. Empty when the previous month is not loaded or the month has not
    ended."""
    data = loaded(con, filters, month, options)
    if not data.movers:
        return []
    items = []
    for dimension in MOVER_DIMENSIONS:
        for row in data.movers[dimension].itertuples():
            items.append(
                {
                    "dimension": dimension,
                    "dimension_label": DIMENSIONS[dimension],
                    "value": row.value,
                    "label": row.label,
                    "previous": int(row.previous),
                    "current": int(row.current),
                    "contribution": int(row.contribution),
                }
            )
    return items
