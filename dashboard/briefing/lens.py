"""The briefing's section for issue 19: the deadline clock, outcomes and redress, elderly customers, from the
trends loader's result (TrendData.deadline / .outcomes). Plain rows (label, value, how it is computed) that
the HTML and Excel writers lay out."""

from __future__ import annotations

import pandas as pd

from dashboard import fmt
from dashboard.analysis import deadlines as dl
from dashboard.analysis import maturity, trends
from dashboard.analysis import outcomes as oc
from dashboard.briefing import build

HEADING = "办理时限、办理结果与老年客户"


def _wan_text(value) -> str:
    """万元 as the page shows it (not yuan to the fen: a leader compares paper and page, hostile H170)."""
    text = fmt.wan(value)
    return text if text == fmt.DASH else f"{text} 万元"


def _count_text(value) -> str:
    text = fmt.count(value)
    return text if text == fmt.DASH else f"{text} 件"


def rows(data: trends.TrendData) -> list[tuple[str, str, str]]:
    """(指标, 本月, 口径) for the report month; empty when the loader did not compute them."""
    d, o = data.deadline, data.outcomes
    if d is None or o is None:
        return []
    m = o.month_row()
    rate = m.get("elderly_per_10k")
    young = bool(data.headline.get("provisional"))  # H34: the figures an immature month cannot have yet
    rows_ = [  # counts carry 件, as on the page (hostile H194)
        ("延长办理时限的投诉", _count_text(d.extended), dl.EXTENSION_RULE_ZH),
        ("延期按时办结率", fmt.rate(d.extension_on_time_rate), dl.EXTENSION_RULE_ZH),
        ("延期后仍超期", _count_text(d.extended_late), dl.EXTENDED_LATE_RULE_ZH),
        ("临期预警（截至数据时点）", _count_text(len(d.warnings)), dl.WARN_RULE_ZH),
        ("解决率", fmt.rate(m.get("resolution_rate")), oc.RESOLUTION_RULE_ZH),
        ("满意率", fmt.rate(m.get("satisfaction_rate")), oc.SATISFACTION_RULE_ZH),
        ("涉及金额", _wan_text(m.get("amount_total")), oc.MONEY_RULE_ZH),
        ("补偿金额", _wan_text(m.get("redress_total")) if o.has_redress else "未提供", oc.MONEY_RULE_ZH),
        ("老年客户投诉", _count_text(m.get("elderly")), "客户年龄 60 岁及以上的投诉（件）。"),
        ("老年客户投诉占比", oc.elderly_share_text(m), oc.ELDERLY_SHARE_RULE_ZH),
        ("未填写年龄的投诉", _count_text(m.get("age_unknown")), "计入老年客户投诉占比的分母。"),
        (
            "老年客户万人投诉率",
            f"{fmt.per10k(rate)} 件/万户" if rate is not None and not pd.isna(rate) else "无老年客户数",
            oc.ELDERLY_RATE_RULE_ZH,
        ),
    ]
    return [(maturity.marked(label, young), value, rule) for label, value, rule in rows_]


def html(data: trends.TrendData, escape) -> str:
    items = rows(data)
    if not items:
        return ""
    # a rule shared by the row above (延期, the two amounts) is said once: "同上" (hostile H169)
    rules = [c if i == 0 or c != items[i - 1][2] else "同上" for i, (_, _, c) in enumerate(items)]
    body = "".join(
        f"<tr><td>{escape(a)}</td><td class='num'>{escape(b)}</td><td>{escape(c)}</td></tr>"
        for (a, b, _), c in zip(items, rules, strict=True)
    )
    note = f"<p class='note'>{escape(maturity.OUTCOMES_NOTE)}</p>" if data.headline.get("provisional") else ""
    return f"{note}<table><thead><tr><th>指标</th><th>本月</th><th>口径</th></tr></thead><tbody>{body}</tbody></table>"


# --- The Excel sheet 办理结果与老年客户 (numbers stay numbers; money in 万元) --------------------------------
SHEET = "办理结果与老年客户"
WAN = 10_000.0


def _wan(value):
    return None if value is None or pd.isna(value) else float(value) / WAN


def deadline_frame(data: trends.TrendData) -> pd.DataFrame:
    """The report month's deadline figures for the Excel sheet, numbers as numbers (hostile H194: the Excel had
    none of them): the page's four cards."""
    d = data.deadline
    if d is None:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "延长办理时限的投诉（件）": [d.extended],
            "延期按时办结率": [d.extension_on_time_rate],
            "延期后仍超期（件）": [d.extended_late],
            "临期预警（件，截至数据时点）": [len(d.warnings)],
        }
    )


def trend_frame(data: trends.TrendData) -> pd.DataFrame:
    """The outcomes and elderly figures per month (the trends loader's 24 months), Chinese headers."""
    o = data.outcomes
    if o is None or o.trend.empty:
        return pd.DataFrame()
    t = o.trend
    return pd.DataFrame(
        {
            "月份": [build.month_label(data, m) for m in t["month"]],
            "投诉量（件）": t["complaints"],
            "解决率": t["resolution_rate"],
            "满意率": t["satisfaction_rate"],
            "涉及金额（万元）": t["amount_total"].map(_wan),
            "补偿金额（万元）": t["redress_total"].map(_wan) if o.has_redress else None,
            "老年客户投诉（件）": t["elderly"],
            "老年客户投诉占比": t["elderly_share"],
            "未填写年龄（件）": t["age_unknown"],
            "老年客户万人投诉率": t["elderly_per_10k"],
        }
    )


def breakdown_frame(data: trends.TrendData, dimension: str) -> pd.DataFrame:
    """outcomes_breakdown of the report month for 'business_category' or 'tier1_branch'."""
    o = data.outcomes
    if o is None or o.breakdown.empty:
        return pd.DataFrame()
    b = o.breakdown[o.breakdown["dimension"] == dimension]
    return pd.DataFrame(
        {
            "业务类别" if dimension == "business_category" else "一级分行": b["label"].fillna(
                trends.UNASSIGNED
            ),  # one name everywhere (H185)
            "投诉量（件）": b["complaints"],
            "解决率": b["resolution_rate"],
            "满意率": b["satisfaction_rate"],
            "涉及金额（万元）": b["amount_total"].map(_wan),
            "补偿金额（万元）": b["redress_total"].map(_wan) if o.has_redress else None,
            "老年客户投诉（件）": b["elderly"],
            "老年客户投诉占比": b["elderly_share"],
        }
    ).reset_index(drop=True)


NUMBER_FORMATS = {
    "延长办理时限的投诉（件）": "#,##0",
    "延期按时办结率": "0.0%",
    "延期后仍超期（件）": "#,##0",
    "临期预警（件，截至数据时点）": "#,##0",
    "投诉量（件）": "#,##0",
    "解决率": "0.0%",
    "满意率": "0.0%",
    "涉及金额（万元）": "#,##0.00",
    "补偿金额（万元）": "#,##0.00",
    "老年客户投诉（件）": "#,##0",
    "老年客户投诉占比": "0.0%",
    "未填写年龄（件）": "#,##0",
    "老年客户万人投诉率": "0.00",
}
NOTES = (
    dl.EXTENSION_RULE_ZH,
    dl.EXTENDED_LATE_RULE_ZH,
    dl.WARN_RULE_ZH,
    oc.RESOLUTION_RULE_ZH,
    oc.SATISFACTION_RULE_ZH,
    oc.MONEY_RULE_ZH + "本表金额单位为万元（元 ÷ 10,000）；未提供补偿金额时该列为 —。",
    oc.ELDERLY_SHARE_RULE_ZH,
    oc.ELDERLY_RATE_RULE_ZH,
)
