"""本月新情况: the month's events (dashboard/analysis/events.py), each with its complaints, a typical case
(masked) and a button that opens a rectification item from it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.analysis import events as ev
from dashboard.analysis import recurring
from dashboard.config import data_dir
from dashboard.filters import month_label
from dashboard.ledger.store import Ledger
from dashboard.text.masking import mask, mask_series
from dashboard.ui import context, ledger_form
from dashboard.ui.identity import current_scope, principal
from dashboard.ui.pages import page

ctx = context.require()
month = ctx.filters.month_to
st.title("本月新情况")
st.caption(
    f"{month_label(month)}（侧边栏的截止月份）新出现的情况，按事件归并：同一批投诉引起的多个激增切片合为一个事件，"
    "由最能解释它的切片领头；许多客户用不同说法反映同一新问题的“波次”、内容高度雷同的“近似重复”投诉组，"
    "以及反复出现且近期上升的问题。每个事件附投诉明细、典型案例（已脱敏），并可直接建立整改事项。"
)
ledger = Ledger(data_dir(), principal())
with st.spinner("正在归并本月事件…"):
    data = ev.load(
        context.source(), ctx.filters, ev.EventsState(with_item=frozenset(recurring.ledger_keys(ledger.items())))
    )
found = data.events

counts = {kind: sum(1 for e in found if e.kind == kind) for kind in ev.EVENT_KINDS}
cols = st.columns(4)
cols[0].metric("本月事件", fmt.count(len(found)) + " 个", border=True, help="归并后的事件个数，单位：个。")
cols[1].metric(
    "投诉激增事件",
    fmt.count(counts["surge"]) + " 个",
    border=True,
    help="由一个或多个同时激增、投诉相互重叠的切片归并成的事件，单位：个。激增规则：当月投诉量 ≥ 前 6 个月均值 × 1.5，"
    "多出至少 10 件，且按泊松分布显著（p < 0.01）。",
)
cols[2].metric(
    "波次与近似重复",
    fmt.count(
        counts["wave"]
        + counts["similar"]
        + sum(1 for e in found if e.kind == "surge" for g in e.groups if g["type"] in ("波次", "近似重复"))
    )
    + " 组",
    border=True,
    help="本月的新问题波次和近似重复投诉组（含归入激增事件的），单位：组。",
)
cols[3].metric(
    "反复出现且上升",
    fmt.count(counts["recurring"]) + " 个",
    border=True,
    help="近 6 个月反复出现、显著超出预期且后 3 个月多于前 3 个月的问题（已归入激增事件的除外），单位：个。",
)
if context.text_note():  # the waves and similar groups need the narrative analysis: not counted yet
    st.info(context.text_note() + "（波次与近似重复暂未计入）")
elif stale := data.stale_note:  # the waves' terms cut by older rules, until rebuild
    st.info(stale)
if not found:
    st.info(f"{month_label(month)} 在当前筛选条件下没有新的事件。可调整侧边栏的截止月份或筛选条件。")
    st.stop()


def item_popover(key: str, event: ev.Event) -> None:
    """建立整改事项 from an event (the shared ledger form, ui/ledger_form.py)."""
    s = event.slice
    if not ledger.may_write(s.get("branch_code") or current_scope()):
        st.caption("您的角色不能为此建立整改事项。")
        return
    ledger_form.popover(
        key,
        f"{event.title}整改",
        source={"surge": "surge", "recurring": "recurring", "similar": "similar"}.get(event.kind, "event"),
        branch_code=s.get("branch_code"),
        business_category=s.get("business_category"),
        reason=s.get("reason"),
        complaint_ids=ev.listed_ids(event),
        key_terms=event.terms[:3],
        source_note=f"{month_label(month)} {event.kind_label}：{event.summary}"[:440] + ev.cited_note(event),
    )


for n, (event, rows) in enumerate(zip(found, data.complaints)):
    with st.container(border=True):
        head, button = st.columns([5, 1])
        head.markdown(f"**{n + 1}. :blue-badge[{event.kind_label}] {fmt.literal(event.title)}**")
        head.markdown(
            fmt.literal(event.summary)
            + (f"；涉及 {len(event.complaint_ids):,} 笔投诉、{event.customers:,} 位客户" if event.complaint_ids else "")
        )
        with button:
            item_popover(f"ev_item_{n}", event)
        if len(event.parts) > 1:
            st.dataframe(
                pd.DataFrame(
                    {
                        "切片": [p["label"] for p in event.parts],
                        "类型": [p["kind_label"] for p in event.parts],
                        "当月投诉（件）": [p["complaints"] for p in event.parts],
                        "预期（件）": [round(p["baseline"], 1) for p in event.parts],
                        "多出（件）": [round(p["extra"]) for p in event.parts],
                        "显著性": [p["significance"] for p in event.parts],
                    }
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "预期（件）": st.column_config.NumberColumn(help="前 6 个月的月均投诉量，单位：件。"),
                    "显著性": st.column_config.TextColumn(
                        help="极显著：按泊松分布出现这么多投诉的概率 < 0.1%；显著：< 1%。"
                    ),
                },
            )
        for group in event.groups:
            st.markdown(f":violet-badge[{group['type']}] {fmt.literal(group['words'])}")
        if event.terms:
            st.caption("关键词：" + "、".join(fmt.literal(t) for t in event.terms[:10]))
        if event.technical:
            with st.expander("技术指标（供分析人员参考）"):
                st.caption(event.technical)
        if rows is not None:
            typical = ev.typical_id(event)
            pick = rows[rows["complaint_id"] == typical] if typical else rows.head(0)
            in_head = rows[rows["complaint_id"].isin(event.head_ids) & rows["content"].notna()]
            pick = pick if len(pick) else in_head.head(1) if len(in_head) else rows[rows["content"].notna()].head(1)
            if len(pick):
                case = pick.iloc[0]
                st.markdown(
                    f"典型案例（{fmt.literal(case['complaint_id'])}，{case['received_at']:%Y-%m-%d}，"
                    f"{fmt.literal(case['branch_name'] if isinstance(case['branch_name'], str) else case['branch_code'])}，已脱敏）："
                )
                st.markdown("> " + (fmt.literal(mask(case["content"])) or "（无投诉内容）"))
            with st.expander(f"查看投诉（{ev.listed(event, len(rows))}）"):
                st.dataframe(
                    pd.DataFrame(
                        {
                            "受理时间": rows["received_at"].dt.strftime("%Y-%m-%d %H:%M"),
                            "投诉编号": rows["complaint_id"],
                            "被投诉机构": rows["branch_name"].fillna(rows["branch_code"]),
                            "业务类别": rows["business_category"],
                            "投诉原因": rows["reason"],
                            "产品": mask_series(rows["product"]),  # H60: free text
                            "渠道": rows["channel"],
                            "投诉内容（已脱敏）": mask_series(rows["content"]),
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )
        elif event.kind == "recurring":
            st.page_link(page("repeats"), label="在“重复与溯源”查看该问题的各月投诉", icon=":material/repeat:")
