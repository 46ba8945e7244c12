"""监管视角: the regulator's ratios for the bank and each tier-1 branch against the published medians the
user types in, and where regulator-referred complaints came from (issue 19)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.analysis import regulator as rg
from dashboard.config import data_dir
from dashboard.filters import month_label
from dashboard.ledger import medians
from dashboard.ledger.store import Ledger
from dashboard.ui import context, lens
from dashboard.ui.identity import current_user, principal

ctx = context.require()
month = ctx.filters.month_to
st.title(f"监管视角 · {month.year}年{month.month}月")
lens.counting_caption(ctx.filters)
data = rg.load(context.source(), ctx.filters, month)
st.caption(rg.RATIO_RULE_ZH)


def ratio_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "机构": rows["branch_name"],
            "监管转办投诉": rows["referred"].map(fmt.count),
            "月均个人客户数": rows["customers"].map(fmt.count),
            "营业网点": rows["outlets"].map(fmt.count),
            "每千万个人客户投诉量": rows["per_10m"].map(lambda v: fmt.DASH if pd.isna(v) else f"{v:,.1f}"),
            "每千营业网点投诉量": rows["per_1k_outlets"].map(lambda v: fmt.DASH if pd.isna(v) else f"{v:,.2f}"),
        }
    )


total = data.quarter_ratios[data.quarter_ratios["unit"] == "total"]
cols = st.columns(4)
q_note = "" if data.quarter_complete else "（季度未结束，至报告月份）"
if not total.empty:
    t = total.iloc[0]
    cols[0].metric(
        f"{data.quarter} 每千万户投诉（件）",  # short value, unit in a label that fits at 1440 px (H49)
        fmt.DASH if pd.isna(t["per_10m"]) else f"{t['per_10m']:,.1f}",
        border=True,
        help=rg.RATIO_RULE_ZH + q_note,
    )
    cols[1].metric(
        f"{data.quarter} 每千网点投诉（件）",
        fmt.DASH if pd.isna(t["per_1k_outlets"]) else f"{t['per_1k_outlets']:,.2f}",
        border=True,
        help=rg.RATIO_RULE_ZH + q_note,
    )
    cols[2].metric(
        f"{data.quarter} 监管转办投诉",
        f"{fmt.count(t['referred'])} 件",
        border=True,
        help="季度内（至报告月份）受理的监管转办投诉数（件）。" + q_note,
    )
    cols[3].metric(
        "营业网点",
        f"{fmt.count(t['outlets'])} 个",
        border=True,
        help="所选机构及下辖机构中的营业网点数：机构表“是否营业网点”为是，未填写时支行算营业网点。",
    )
if not data.quarter_complete:
    st.info(f"{data.quarter} 尚未结束：季度数字只含至 {month_label(month)} 的月份，与监管通报的整季数字不可直接比较。")
elif data.quarter_to != month:
    st.caption(
        f"截止月份 {month_label(month)} 在 {data.quarter} 中间；该季度的数据已完整，"
        f"季度数字按整季（至 {month_label(data.quarter_to)}）计算。"
    )

# --- Against the published medians -----------------------------------------------------------------
st.subheader("与监管通报中位数对比")
stored = medians.load(data_dir())
editable = Ledger(data_dir(), principal()).may_write(None)
table = (
    stored[list(medians.COLUMNS)].copy()
    if not stored.empty
    else pd.DataFrame(
        {c: pd.Series(dtype="object" if c in ("quarter", "peer_group") else "float64") for c in medians.COLUMNS}
    )
)
left, right = st.columns([3, 2])
with left:
    st.markdown("**通报中位数（手工录入）**")
    edited = st.data_editor(
        table,
        num_rows="dynamic" if editable else "fixed",
        disabled=not editable,
        hide_index=True,
        width="stretch",
        key="rg_medians",
        column_config={
            "quarter": st.column_config.TextColumn("季度", help="YYYY-Qn，如 2026-Q3", required=True),
            "peer_group": st.column_config.TextColumn("同业组别", help="如 全国性股份制商业银行", required=True),
            "median_per_10m": st.column_config.NumberColumn("每千万个人客户中位数", min_value=0.0, format="%.1f"),
            "median_per_1k_outlets": st.column_config.NumberColumn("每千营业网点中位数", min_value=0.0, format="%.2f"),
        },
    )
    if editable and st.button("保存中位数", key="rg_save"):
        try:
            n = medians.save(data_dir(), edited, current_user())
            st.success(f"已保存 {n} 行。")
        except medians.MediansError as exc:
            st.error(fmt.literal(exc))
    st.caption(
        "数字来自监管部门的季度投诉情况通报，由消保部录入，保存在整改台账旁（data/ledger/regulator_medians.sqlite）。"
        + ("" if editable else "您的角色只能查看。")
    )
with right:
    # a 分行 (the sidebar's organisation or the user's scope) is not the bank the 通报 medians describe (H120)
    whole_bank = not (ctx.filters.org or ctx.filters.scope)
    ours = "本行" if whole_bank else "本机构"
    st.markdown(f"**{data.quarter} {ours}与中位数**")
    peers = stored[stored["quarter"] == data.quarter] if not stored.empty else stored
    if total.empty or peers.empty:
        st.info(f"尚未录入 {data.quarter} 的通报中位数。")
    elif not data.quarter_complete:  # part of a quarter against a whole quarter's median reads as "below"
        st.info(f"{data.quarter} 尚未结束，暂不与整季的通报中位数比较。")
    else:
        t = total.iloc[0]
        st.dataframe(
            pd.DataFrame(
                {
                    "同业组别": peers["peer_group"],
                    f"{ours}每千万客户": f"{t['per_10m']:,.1f}" if not pd.isna(t["per_10m"]) else fmt.DASH,
                    "中位数": peers["median_per_10m"].map(lambda v: fmt.DASH if pd.isna(v) else f"{v:,.1f}"),
                    f"{ours}每千网点": f"{t['per_1k_outlets']:,.2f}" if not pd.isna(t["per_1k_outlets"]) else fmt.DASH,
                    "中位数 ": peers["median_per_1k_outlets"].map(lambda v: fmt.DASH if pd.isna(v) else f"{v:,.2f}"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(
            "比率越低越好；高于中位数表示监管转办投诉相对客户数或网点数偏多。"
            + ("" if whole_bank else "通报中位数是全行（法人）口径，所选机构的数字仅供参考，不宜直接比较。")
            + q_note
        )

# --- By tier-1 branch, month and quarter --------------------------------------------------------------
st.subheader("按一级分行")
tab_q, tab_m = st.tabs([f"{data.quarter}{q_note}", month_label(month)])
with tab_q:
    st.dataframe(ratio_table(data.quarter_ratios), hide_index=True, width="stretch")
with tab_m:
    st.dataframe(ratio_table(data.month_ratios), hide_index=True, width="stretch")

left, right = st.columns([3, 2])
with left:
    st.markdown("**近 12 个月（所选机构合计）**")
    trend = data.trend
    st.dataframe(
        pd.DataFrame(
            {
                "月份": trend["month"].map(month_label),
                "监管转办投诉": trend["referred"].map(fmt.count),
                "每千万个人客户投诉量": trend["per_10m"].map(lambda v: fmt.DASH if pd.isna(v) else f"{v:,.1f}"),
                "每千营业网点投诉量": trend["per_1k_outlets"].map(lambda v: fmt.DASH if pd.isna(v) else f"{v:,.2f}"),
            }
        ),
        hide_index=True,
        width="stretch",
    )
with right:
    st.markdown(f"**监管转办来源（{data.quarter}）**")
    if data.sources.empty:
        st.info("所选期间没有监管转办投诉。")
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    "来源": data.sources["source"],
                    "件数": data.sources["complaints"],
                    "占比": data.sources["share"].map(fmt.rate),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        if "未注明" in set(data.sources["source"]):
            st.caption("未注明：提取文件没有“转送来源”列或该项为空。")
