"""月度趋势: the leadership group's monthly headline."""
from __future__ import annotations

import streamlit as st

from dashboard import report
from dashboard.filters import add_months, month_label
from dashboard.metrics import KPIS
from dashboard.ui import context, fmt

ctx = context.require()
month = ctx.filters.month_to
st.title(f"月度趋势 · {month.year}年{month.month}月")
st.caption("所选期间的最后一个月为报告月份；默认是数据中最近一个完整月份。")

as_of = ctx.snapshot.meta.get("as_of")
rows = context.query("kpis_by_month", month_from=add_months(month, -13), month_to=month)
this = report.headline(rows, month, None)
previous = report.headline(rows, add_months(month, -1), None)

if this["complaints"] == 0:
    st.warning(f"{month_label(month)} 在当前筛选条件下没有投诉。可调整侧边栏的期间或筛选条件。")

columns = st.columns(5)
for i, metric in enumerate(k for k in KPIS):
    value, before = this[metric.key], previous[metric.key]
    delta = None
    if metric.key not in ("mom_pct", "yoy_pct") and value is not None and before is not None:
        change = value - before
        delta = fmt.by_unit(change, metric.unit) if metric.unit != "count" else f"{change:+,.0f}"
        if metric.unit == "rate":
            delta = f"{change * 100:+.1f} 个百分点"
    with columns[i % 5]:
        st.metric(metric.label, fmt.by_unit(value, metric.unit), delta=delta,
                  delta_color="inverse" if metric.lower_is_better else "normal",
                  help=metric.help + " 变化为与上月相比。")
        if metric.key in ("mom_pct", "yoy_pct") and value is None:
            st.caption("上月无数据，无法计算环比" if metric.key == "mom_pct" else "去年同月无数据，无法计算同比")
