"""The rankings page's 老年客户占比突出的机构 (issue 19): which organisations' elderly share stands out against the
listed organisations' pooled share (analysis.rankings.elderly_outliers; no queries here)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.analysis import rankings as rk


def _p(value) -> str:
    if value is None or pd.isna(value):
        return fmt.DASH
    return "< 0.0001" if value < 0.0001 else f"{value:.4f}"


def elderly_outliers(frame: pd.DataFrame, level: str) -> None:
    st.caption(rk.ELDERLY_RULE_ZH)
    pooled = frame.attrs.get("pooled_share")
    if frame.empty or pooled is None:
        st.info("所列机构的投诉都未填写客户年龄，无法比较老年客户占比。")
        return
    high = frame[frame["status"].isin((rk.ELDERLY_HIGH_998, rk.ELDERLY_HIGH_95))]
    cols = st.columns(3)
    cols[0].metric("基准老年客户占比", fmt.rate(pooled), help="所列机构合计：老年客户投诉 ÷ 年龄已知的投诉。")
    cols[1].metric(
        "显著偏高的机构",
        f"{fmt.count(int((frame['status'] == rk.ELDERLY_HIGH_998).sum()))} 个",
        help="P < 0.1%：老年客户投诉多到纯属偶然的概率不足 0.1%。",
    )
    cols[2].metric(
        "偏高的机构",
        f"{fmt.count(int((frame['status'] == rk.ELDERLY_HIGH_95).sum()))} 个",
        help="0.1% ≤ P < 2.5%。",
    )
    if high.empty:
        st.success(f"没有{level}的老年客户占比显著高于基准。")
    shown = pd.DataFrame(
        {
            "机构名称": frame["branch_name"],
            "机构代码": frame["branch_code"],
            "检验结论": frame["status"],
            "年龄已知的投诉（件）": frame["age_known"].astype(int),
            "老年客户投诉（件）": frame["elderly"].astype(int),
            "老年客户占比（年龄已知）": frame["known_share"] * 100.0,
            "按基准预期（件）": frame["expected"],
            "P 值（单侧）": frame["p_value"].map(_p),
            "老年客户万人投诉率": frame["elderly_per_10k"],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        placeholder=fmt.DASH,
        height=360 if len(shown) > 10 else "auto",
        column_config={
            "老年客户占比（年龄已知）": st.column_config.NumberColumn(format="%.1f%%"),
            "按基准预期（件）": st.column_config.NumberColumn(format="%.1f", help="年龄已知的投诉 × 基准占比。"),
            "P 值（单侧）": st.column_config.TextColumn(
                help="按基准占比，老年客户投诉不少于实际件数的概率（精确二项分布）。"
            ),
            "老年客户万人投诉率": st.column_config.NumberColumn(
                format="%.2f", help="老年客户投诉 ÷ 月均老年客户数 × 10,000；未提供老年客户数时为空。"
            ),
        },
    )
