"""The month's summary paragraph in formal Chinese, written from the numbers (no Streamlit).

Every number comes from the same TrendData the headline shows and is formatted with dashboard.fmt, so
the paragraph and the headline cannot disagree. Changes that cannot be computed are said so in words
("因缺少上年同期数据，暂无法计算同比"), never left blank.
"""

from __future__ import annotations

import pandas as pd

from dashboard import fmt
from dashboard.analysis.trends import (
    COMPARE_MONTHS,
    REPEAT_LOOKBACK_SHORT,
    SMALL_NOTE,
    TrendData,
    month_composition,
    small_counts,
)
from dashboard.filters import add_months
from dashboard.metrics import YOUNG_ZH


def month_text(month) -> str:
    return f"{month.year}年{month.month}月"


def _n(value) -> str:
    return f"{fmt.count(value)}件"


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def _count_change(diff: int) -> str:
    return "与上月持平" if diff == 0 else f"较上月{'增加' if diff > 0 else '减少'}{_n(abs(diff))}"


def _complaints(data: TrendData, month) -> int:
    rows = data.kpis.copy()
    rows["month"] = rows["month"].map(lambda m: m.date() if hasattr(m, "date") else m)
    match = rows.loc[rows["month"] == month, "complaints"]
    return int(match.iloc[0]) if len(match) else 0


def counted(filters) -> str:
    """What the month's count counts, in the words of a sentence that may be pasted on its own (hostile
    H164: under 监管转送 the 综述 said 全行共受理客户投诉95件 for a bank that received 981)."""
    who = {"elderly": "老年客户", "non_elderly": "非老年客户"}.get(filters.age_group, "客户")
    if filters.basis == "referred":
        return f"监管转送的{who}投诉"
    if filters.basis == "merged":
        return f"{who}投诉（合并重复投诉后）"
    return f"{who}投诉"


def volume_sentence(data: TrendData) -> str:
    h = data.headline
    n = h["complaints"]
    scope = data.scope_label
    if data.filter_label:
        scope += f"（{data.filter_label}）"
    text = f"{month_text(data.month)}，{scope}共受理{counted(data.filters)}{_n(n)}"
    if _incomplete(data):  # part of a month against whole months would read as a fall (hostile H40)
        return text + f"（本月尚未结束，数据截至{data.as_of:%m月%d日}，暂不计算增减幅度）。"
    if h.get("partial"):  # part of the bank's extracts would read as a fall (hostile H192)
        return text + f"（{h['partial']}）。"
    if data.previous_partial:  # the month before looked like a partial extract: no rise against it
        text += "，上月数据疑似不完整（上月有投诉的机构远少于前一个月），不计算环比"
    elif not data.has_previous and data.coverage.has(data.previous_month):  # loaded, but part of a month (H211)
        text += f"，上月数据自{data.coverage.starts_on:%m月%d日}起、不是整月，不计算环比"
    elif not data.has_previous:
        text += "，因缺少上月数据，暂无法计算环比"
    else:
        previous = _complaints(data, data.previous_month)
        if previous == 0:
            text += "，上月无投诉，环比不适用"
        elif n == previous:
            text += "，与上月持平，环比为0.0%"
        elif small_counts(n, previous):  # the counts, not ±50 % on one complaint (hostile H157)
            more = n > previous
            text += f"，较上月{'增加' if more else '减少'}{_n(abs(n - previous))}（上月{_n(previous)}，件数较少，不计算环比）"
        else:
            more = n > previous
            text += (
                f"，较上月{'增加' if more else '减少'}{_n(abs(n - previous))}，"
                f"环比{'增长' if more else '下降'}{fmt.pct(abs(h['mom_pct']), signed=False)}"
            )
    year_ago = add_months(data.month, -COMPARE_MONTHS)
    if not data.has_year_ago and data.coverage.has(year_ago):
        text += f"；上年同期数据自{data.coverage.starts_on:%m月%d日}起、不是整月，不计算同比"
    elif not data.has_year_ago:
        text += "；因缺少上年同期数据，暂无法计算同比"
    else:
        before = _complaints(data, year_ago)
        if before == 0:
            text += "；上年同期无投诉，同比不适用"
        elif n == before:
            text += "；与上年同期持平，同比为0.0%"
        elif small_counts(n, before):
            more = n > before
            text += f"；较上年同期{'增加' if more else '减少'}{_n(abs(n - before))}（上年同期{_n(before)}，件数较少，不计算同比）"
        else:
            more = n > before
            text += (
                f"；较上年同期{'增加' if more else '减少'}{_n(abs(n - before))}，"
                f"同比{'增长' if more else '下降'}{fmt.pct(abs(h['yoy_pct']), signed=False)}"
            )
    text += "。"
    group = data.filters.age_group
    if group == "elderly":  # the rate's base is the elderly customers, never all customers (hostile H19)
        row = data.outcomes.month_row() if data.outcomes is not None else {}
        rate = row.get("elderly_per_10k")
        if rate is None or pd.isna(rate):
            return text + "因未提供该月老年客户数，暂无法计算老年客户万人投诉率。"
        return text + f"老年客户万人投诉率（以老年客户数为分母）为{fmt.per10k(rate)}件/万户。"
    if group == "non_elderly":  # no base of customers under 60 in the extract
        return text + "客户数未区分年龄，非老年客户群体不计算万人投诉率。"
    per_10k = h["per_10k"]
    if per_10k is None and h.get("customers_incomplete"):
        text += (
            f"因本月客户数不全（{h['customers_incomplete']} 家机构本月有投诉、以往有客户数，但本月客户数文件中没有），"
            "暂不计算万人投诉率。"
        )
    elif per_10k is None:
        text += "因未加载该月客户数，暂无法计算万人投诉率。"
    else:
        # every rate with its unit (hostile H93) and, off the default basis, its basis (H164)
        basis = f"（{data.filters.basis_label}口径）" if data.filters.basis else ""
        text += f"万人投诉率{basis}为{fmt.per10k(per_10k)}件/万户"
        change = data.changes.get("per_10k")
        if change is not None:
            shown = round(change, 2)
            text += (
                "，与上月持平" if shown == 0 else f"，较上月{'上升' if shown > 0 else '下降'}{abs(shown):.2f}件/万户"
            )
            if data.comparisons["per_10k"].small:  # a few complaints more or less (trends.SMALL_BASE)
                text += f"（{SMALL_NOTE}）"
        text += "。"
    return text


def composition_sentence(data: TrendData) -> str:
    comp = month_composition(data.breakdown, "business_category", data.month)
    if comp.empty:
        return ""
    if len(comp) == 1:
        return f"从业务类别看，当月投诉均为{comp['label'].iloc[0]}类投诉。"
    top = comp.head(3)
    parts = [
        f"{label}（{_n(c)}，占{fmt.rate(s)}）" for label, c, s in zip(top["label"], top["complaints"], top["share"])
    ]
    text = f"从业务类别看，投诉主要集中在{_listing(parts)}"
    if len(comp) > len(top):
        text += f"，{'三' if len(top) == 3 else '两'}类合计占当月投诉的{fmt.rate(top['share'].sum())}"
    return text + "。"


def _slice_clause(movers, limit: int) -> str:
    """'增加较多的是A（增加n件）、B（…），减少较多的是C（减少n件）' for one dimension's decomposition."""
    up = movers[movers["contribution"] > 0].head(limit)
    down = movers[movers["contribution"] < 0].head(limit)
    parts = []
    if not up.empty:
        parts.append(
            f"{'增加较多' if limit > 1 else '增加最多'}的是"
            + "、".join(f"{label}（增加{_n(c)}）" for label, c in zip(up["label"], up["contribution"]))
        )
    if not down.empty:
        parts.append(
            f"{'减少较多' if limit > 1 else '减少最多'}的是"
            + "、".join(f"{label}（减少{_n(-c)}）" for label, c in zip(down["label"], down["contribution"]))
        )
    return "，".join(parts)


def movers_sentence(data: TrendData) -> str:
    """The biggest movers of the month-over-month change (dimensions with a single slice are skipped:
    their one slice is the total)."""
    if not data.has_previous or not data.movers:
        return ""
    clauses = []
    for dimension, lead, limit in (("business_category", "业务类别中", 2), ("tier1_branch", "一级分行中", 1)):
        movers = data.movers[dimension]
        clause = _slice_clause(movers, limit) if len(movers) > 1 else ""
        if clause:
            clauses.append(lead + clause)
    reasons = data.movers["reason"]
    moved = reasons[reasons["contribution"] != 0]
    if len(reasons) > 1 and not moved.empty:
        row = moved.iloc[0]
        clauses.append(
            f"投诉原因中变动最大的是“{row['label']}”"
            f"（{'增加' if row['contribution'] > 0 else '减少'}{_n(abs(row['contribution']))}）"
        )
    if not clauses:
        return ""
    return "从环比变动看，" + "；".join(clauses) + "。"


def handling_sentence(data: TrendData) -> str:
    h = data.headline
    compared = data.comparisons.get("on_time_rate")
    basis = compared.basis if compared else "较上月"
    if h["on_time_rate"] is None:
        text = "当月暂无已办结或已超期的投诉，按时办结率暂无法计算"
    else:
        text = f"当月投诉按时办结率为{fmt.rate(h['on_time_rate'])}"
        change = compared.change if compared else None
        if change is not None:
            pp = round(change * 100, 1)
            text += f"，{basis}持平" if pp == 0 else f"，{basis}{'上升' if pp > 0 else '下降'}{abs(pp):.1f}个百分点"
    if h["avg_handling_days"] is not None:
        text += f"，已办结投诉平均办结{fmt.days(h['avg_handling_days']).replace(' ', '')}"
        days = data.comparisons.get("avg_handling_days")
        if days is not None and days.change is not None and days.basis != "较上月":
            shown = round(days.change, 1)
            text += (
                f"（{days.basis}{'持平' if shown == 0 else ('增加' if shown > 0 else '减少') + f'{abs(shown):.1f}天'}）"
            )
    as_of = f"（{data.as_of.year}年{data.as_of.month}月{data.as_of.day}日）" if data.as_of else ""
    overdue = h["open_overdue"]
    text += f"；截至数据时点{as_of}，" + (f"超期未办结投诉{_n(overdue)}，需督促办理" if overdue else "无超期未办结投诉")
    text += f"（{data.seen_note}）。" if data.seen_note else "。"  # some organisations' data stop earlier (H201)
    if data.maturity is not None and data.maturity.provisional:
        # a month still running is compared with nothing (hostile H180: "已与上月同期比较" under 不与上月比较)
        compared = "" if data.maturity.incomplete else "，已与上月同期（相同数据时点）比较"
        text += (
            f"本月数据未成熟（暂估）：{fmt.count(data.maturity.young)}件投诉{YOUNG_ZH}，"
            f"{fmt.count(data.maturity.open)}件尚未办结，办理类指标仍会变化{compared}。"
        )
    return text


def regulator_sentence(data: TrendData) -> str:
    """Referrals and repeats; the sentence a basis makes a tautology is left out (hostile H164, H163): under
    监管转送 every complaint counted is referred (100.0 %), under 合并重复后 none is a repeat (0.0 %)."""
    h = data.headline
    n, total = h["regulator_referred"], h["complaints"]
    text = ""
    if data.filters.basis != "referred":
        text = "当月无监管转办投诉" if n == 0 else f"监管转办投诉{_n(n)}，占当月投诉的{fmt.rate(n / total)}"
        change = data.changes.get("regulator_referred")
        if change is not None and not (n == 0 and change == 0):
            text += "，" + _count_change(int(change))
        text += "。"
    repeat = h["repeat_rate"]
    if repeat is not None and data.filters.basis != "merged":
        text += f"重复投诉率为{fmt.rate(repeat)}"
        if h.get("repeat_lookback_short"):
            text += f"（{REPEAT_LOOKBACK_SHORT}）"
        change = data.changes.get("repeat_rate")
        if change is not None:
            pp = round(change * 100, 1)
            text += "，与上月持平" if pp == 0 else f"，较上月{'上升' if pp > 0 else '下降'}{abs(pp):.1f}个百分点"
        text += "。"
    return text


def control_sentence(data: TrendData) -> str:
    this = data.trend[data.trend["month"] == data.month]
    rule = "按季节性控制限（上年同月投诉量按近12个月同比增速的中位数推算）"
    if this.empty or this["upper"].isna().iloc[0]:
        return "因缺少上年同月或此前同比增速数据（需约18个月以上数据），暂未对本月投诉量进行季节性控制限检验。"
    row = this.iloc[0]
    expected = f"预期约{fmt.count(row['centre'])}件"
    if row["signal"] == "high":
        return (
            f"{rule}检验，本月投诉量高于上控制限（{expected}，上限{fmt.count(row['upper'])}件），属异常偏高，"
            "建议查明原因。"
        )
    if row["signal"] == "low":
        return (
            f"{rule}检验，本月投诉量低于下控制限（{expected}，下限{fmt.count(row['lower'])}件），属异常偏低，"
            "可能为节假日错月或数据缺失，建议核实。"
        )
    return f"{rule}检验，本月投诉量处于正常波动范围内（{expected}）。"


def _incomplete(data: TrendData) -> bool:
    return bool(data.maturity is not None and data.maturity.incomplete and data.as_of is not None)


def summary(data: TrendData) -> str:
    """One paragraph: volume and changes, main categories, biggest movers, handling, regulator. A month
    that has not ended is not compared: no movers against last month, no control limits."""
    if data.headline["complaints"] == 0:
        scope = data.scope_label + (f"（{data.filter_label}）" if data.filter_label else "")
        return f"{month_text(data.month)}，{scope}未受理客户投诉。"
    whole = not _incomplete(data) and not data.headline.get("partial")
    parts = [
        volume_sentence(data),
        composition_sentence(data),
        movers_sentence(data) if whole else "",
        handling_sentence(data),
        regulator_sentence(data),
        control_sentence(data) if whole else "",
    ]
    return "".join(p for p in parts if p)
