"""The briefing's section for issue 19: the deadline clock, outcomes and redress, elderly customers, from the
trends loader's result (TrendData.deadline / .outcomes). Plain rows (label, value, how it is computed) that
the HTML and Excel writers lay out."""

from __future__ import annotations

import pandas as pd

from dashboard import fmt
from dashboard.analysis import deadlines as dl
from dashboard.analysis import maturity, trends
from dashboard.analysis import outcomes as oc

HEADING = "办理时限、办理结果与老年客户"


def _yuan(value) -> str:
    return fmt.DASH if value is None or pd.isna(value) else f"{float(value):,.2f} 元"


def rows(data: trends.TrendData) -> list[tuple[str, str, str]]:
    """(指标, 本月, 口径) for the report month; empty when the loader did not compute them."""
    d, o = data.deadline, data.outcomes
    if d is None or o is None:
        return []
    m = o.month_row()
    rate = m.get("elderly_per_10k")
    young = bool(data.headline.get("provisional"))  # H34: the figures an immature month cannot have yet
    rows_ = [
        ("延长办理时限的投诉", fmt.count(d.extended), dl.EXTENSION_RULE_ZH),
        ("延期按时办结率", fmt.rate(d.extension_on_time_rate), dl.EXTENSION_RULE_ZH),
        ("临期预警（截至数据时点）", fmt.count(len(d.warnings)), dl.WARN_RULE_ZH),
        ("解决率", fmt.rate(m.get("resolution_rate")), oc.RESOLUTION_RULE_ZH),
        ("满意率", fmt.rate(m.get("satisfaction_rate")), oc.SATISFACTION_RULE_ZH),
        ("涉及金额", _yuan(m.get("amount_total")), oc.MONEY_RULE_ZH),
        ("补偿金额", _yuan(m.get("redress_total")) if o.has_redress else "未提供", oc.MONEY_RULE_ZH),
        ("老年客户投诉", fmt.count(m.get("elderly")), "客户年龄 60 岁及以上的投诉（件）。"),
        ("老年客户投诉占比", fmt.rate(m.get("elderly_share")), oc.ELDERLY_SHARE_RULE_ZH),
        ("未填写年龄的投诉", fmt.count(m.get("age_unknown")), "计入老年客户投诉占比的分母。"),
        (
            "老年客户万人投诉率",
            fmt.per10k(rate) if rate is not None and not pd.isna(rate) else "无老年客户数",
            oc.ELDERLY_RATE_RULE_ZH,
        ),
    ]
    return [(maturity.marked(label, young), value, rule) for label, value, rule in rows_]


def html(data: trends.TrendData, escape) -> str:
    items = rows(data)
    if not items:
        return ""
    body = "".join(
        f"<tr><td>{escape(a)}</td><td class='num'>{escape(b)}</td><td>{escape(c)}</td></tr>" for a, b, c in items
    )
    note = f"<p class='note'>{escape(maturity.OUTCOMES_NOTE)}</p>" if data.headline.get("provisional") else ""
    return f"{note}<table><thead><tr><th>指标</th><th>本月</th><th>口径</th></tr></thead><tbody>{body}</tbody></table>"
