"""Headline metrics: what each is called, how it is computed (the help text users see), which way is
good, and the one definition of 环比/同比. The numbers themselves come from queries/kpis_by_month.sql."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from dashboard import clock
from dashboard.config import DATA_STALE_DAYS, DEADLINE_DAYS, REPEAT_WINDOW_DAYS


def pct_change(current: float | None, previous: float | None) -> float | None:
    """(this - previous) / previous x 100; None (shown as —) when previous is 0 or unknown."""
    if current is None or previous is None or _missing(current) or _missing(previous) or previous == 0:
        return None
    return (current - previous) / previous * 100.0


def _as_of(value) -> datetime | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def data_age(as_of, today: date | None = None) -> dict:
    """{"data_age_days", "stale"}: whole days from the snapshot's as-of (ISO text or datetime, Asia/Shanghai)
    to today (clock.today()); stale when more than DATA_STALE_DAYS (hostile H137: a failed nightly extract
    looked like a quiet month). No as-of: age unknown, not stale."""
    moment = _as_of(as_of)
    if moment is None:
        return {"data_age_days": None, "stale": False}
    days = ((today or clock.today()) - moment.date()).days
    return {"data_age_days": days, "stale": days > DATA_STALE_DAYS}


def stale_warning(as_of, today: date | None = None) -> str | None:
    """The one warning of old data (every page, the briefing, the report), None when the data is fresh."""
    age = data_age(as_of, today)
    if not age["stale"]:
        return None
    return (
        f"数据已 {age['data_age_days']} 天未更新（数据截至 {_as_of(as_of):%Y-%m-%d %H:%M}）："
        "超期、临期等办理类数字按数据时点计算，可能已过时"
    )


def seen_earlier_note(complaints, first_seen, last_seen) -> str:
    """The one sentence beside 数据截至 when open complaints in the user's scope were last seen more than a
    day before it (queries/open_seen_earlier.sql's row): their organisations' data stop earlier, and they are
    judged overdue or not at that time (hostile H201). Empty when there are none."""
    if not complaints or first_seen is None or last_seen is None or first_seen != first_seen:
        return ""
    first, last = f"{_as_of(str(first_seen)):%Y-%m-%d}", f"{_as_of(str(last_seen)):%Y-%m-%d}"
    when = first if first == last else f"{first} 至 {last}"
    return f"其中 {int(complaints):,d} 件未办结投诉所在机构的数据截至 {when}，按该时点判断是否超期"


def _missing(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    help: str
    unit: str  # count | rate (fraction 0..1) | per10k | days | pct (percent)
    lower_is_better: bool = True


# The deadline as the regulation has it (contract 7): each complaint's granted deadline.
DEADLINE_RULE_ZH = (
    f"办理时限为受理后 {DEADLINE_DAYS} 天，复杂情况延长至 30 天、经上级机构批准可再延长至 60 天；"
    f"按提取文件的“办理时限（天）”计，未填写时按 {DEADLINE_DAYS} 天；恰好到期算按时。"
    "未办结投诉按最近一次载有它的提取数据的时点判断是否超期。"  # its seen_at (hostile H201)
)

# A young complaint (handling_at_cutoff's `young`): its granted deadline has not yet passed, so its outcome
# is not known. Said so, not as "受理未满 15 天": an extended complaint stays young to 30 or 60 days (H189).
YOUNG_ZH = f"尚未到办理时限（受理未满 {DEADLINE_DAYS} 天；经延期的，未满延长后的时限）"

KPIS = (
    Metric("complaints", "投诉量", "当月受理的投诉工单数（按投诉编号去重，以最新一次导入为准），单位：件。", "count"),
    Metric("mom_pct", "环比", "（本月投诉量 − 上月投诉量）÷ 上月投诉量 × 100%；上月为 0 或无数据时显示 —。", "pct"),
    Metric(
        "yoy_pct",
        "同比",
        "（本月投诉量 − 去年同月投诉量）÷ 去年同月投诉量 × 100%；去年同月为 0 或无数据时显示 —。",
        "pct",
    ),
    Metric(
        "per_10k",
        "万人投诉率",
        "投诉量 ÷ 所选机构及其下辖机构当月客户数之和 × 10,000，单位：件/万户；跨多月时为投诉量之和 ÷ 月均客户数。按客户群体筛选时以该群体的客户数为分母（老年客户：老年客户数；非老年客户：客户数 − 老年客户数），客户数据未提供老年客户数时显示 —。",
        "per10k",
    ),
    Metric(
        "on_time_rate",
        "按时办结率",
        f"在本投诉适用的办理时限内办结的投诉 ÷（已办结投诉 + 截至数据时点已超过办理时限仍未办结的投诉）。{DEADLINE_RULE_ZH}",
        "rate",
        lower_is_better=False,
    ),
    Metric("avg_handling_days", "平均办结天数", "已办结投诉的（办结时间 − 受理时间）平均值，单位：天。", "days"),
    Metric(
        "regulator_referred",
        "监管转办投诉",
        "“是否监管转办”标记为“是”（12378、12363 热线或地方监管局转来）的投诉数，单位：件。"
        "与“投诉渠道 = 监管转办”不同：渠道只记录来件途径，监管转来后经客服热线等其他渠道登记的投诉也带此标记，"
        "故两数可能不一致；本指标以标记为准。",
        "count",
    ),
    Metric("open", "未办结", "截至数据时点尚未办结（处理状态不是“已办结”）的投诉数。", "count"),
    Metric(
        "open_overdue",
        "超期未办结",
        f"未办结且自受理起已超过本投诉适用的办理时限（以数据时点计）的投诉数。{DEADLINE_RULE_ZH}",
        "count",
    ),
    Metric(
        "repeat_rate",
        "重复投诉率",
        f"重复投诉 ÷ 投诉量；重复投诉指同一客户在此前 {REPEAT_WINDOW_DAYS} 天内（含第 {REPEAT_WINDOW_DAYS} 天）已有同一业务类别的投诉。",
        "rate",
    ),
)
KPI_BY_KEY = {m.key: m for m in KPIS}


# --- Rectification: when a ledger item counts as done (the one rule; issue 20, H21) ---------------------
# The ledger page, its export and headline, the trends page and the briefing all count with these. The
# before/after test itself is dashboard/analysis/effect.py; effect_verdict reads its result by attribute
# (after, before, n_before, n_after, significant, rate_before, rate_after): this module sits below both
# dashboard.analysis and dashboard.ledger, which may not import each other.
DONE_STATUSES = ("已整改", "已验证")  # an item marked done (never overdue)
EFFECTIVE, NOT_FALLING, WATCHING = "有效", "未见下降", "待观察"
VERDICTS = (EFFECTIVE, NOT_FALLING, WATCHING)
REOPEN = "待重开"  # a done item whose complaints did not fall: shown and counted under this, not as done


def overdue_when_withdrawn(due_date, withdrawn_at, status: str) -> bool:
    """A withdrawn item was past its deadline and not done when it was withdrawn (hostile H207): the
    briefing counts these and the ledger's Excel marks them, so an overdue item does not vanish unseen."""
    return (
        isinstance(due_date, str)
        and bool(due_date)
        and due_date < str(withdrawn_at)[:10]
        and status not in DONE_STATUSES
    )


def follows_org_itself(source: str) -> bool:
    """An item's complaints are its organisation's own, not its subtree's, for a recurring issue (contract 6
    finds those per organisation itself); every other source follows the subtree. The effect's slice
    (analysis/effect.item_slice) and the item's first complaint (ledger/store.py) both ask this."""
    return source == "recurring"


# 未见下降 sends a branch back to redo its rectification, so it needs evidence like 有效 does (hostile H124:
# one complaint in one month after the fix was enough): this many complete months after the fix, and at
# least this many complaints in them, with complaints per month not lower than before. Less: 待观察.
NOT_FALLING_MIN_MONTHS = 3
NOT_FALLING_MIN_COMPLAINTS = 2
VERDICT_HELP = (
    "有效：整改后月均投诉显著下降（单侧检验 p < 0.05）；"
    f"未见下降：整改后已有至少 {NOT_FALLING_MIN_MONTHS} 个完整月份、至少 {NOT_FALLING_MIN_COMPLAINTS} 件投诉，"
    "且月均投诉不低于整改前（建议重新整改，状态显示为待重开）；"
    "待观察：尚未整改完成、整改后完整月份或投诉件数还不够，或下降尚不能排除随机波动。"
)


def enough_to_call_no_fall(effect) -> bool:
    """Enough months and complaints after the fix for 未见下降 (the thresholds above)."""
    return len(effect.after) >= NOT_FALLING_MIN_MONTHS and effect.n_after >= NOT_FALLING_MIN_COMPLAINTS


def effect_verdict(effect) -> str:
    """有效 / 未见下降 / 待观察 from an analysis.effect.Effect (None: not fixed or not evaluable); the rule
    in words is VERDICT_HELP."""
    if effect is None or not effect.after or not effect.before or effect.n_before + effect.n_after == 0:
        return WATCHING
    if effect.significant:
        return EFFECTIVE
    fell = effect.rate_after is not None and effect.rate_before is not None and effect.rate_after < effect.rate_before
    return NOT_FALLING if not fell and enough_to_call_no_fall(effect) else WATCHING


def needs_reopen(status: str, verdict: str) -> bool:
    """A done item whose complaints did not fall: not 已整改, flagged for reopening."""
    return status in DONE_STATUSES and verdict == NOT_FALLING


def shown_status(status: str, verdict: str) -> str:
    """The status an item is shown and counted under: 待重开 for a done item whose effect is 未见下降."""
    return REOPEN if needs_reopen(status, verdict) else status
