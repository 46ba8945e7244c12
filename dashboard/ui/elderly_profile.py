"""The hotspots page's 老年客户画像 (issue 19): the elderly customers' complaints against everyone's by channel,
business category and reason, and the narrative terms over-represented among them, drawn from the hotspots
loader's result (analysis.hotspots.ElderlyProfile; no queries here)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.analysis import hotspots as hs
from dashboard.ui import context

TITLE = "老年客户画像"


def _pp(value) -> str:
    return fmt.DASH if value is None or pd.isna(value) else f"{value * 100:+.1f} 个百分点"


def _table(rows: pd.DataFrame, label: str) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                label: rows["value"],
                "老年客户投诉（件）": rows["elderly"].map(fmt.count),
                "老年客户占比": rows["elderly_share"] * 100.0,
                "全部客户投诉（件）": rows["everyone"].map(fmt.count),
                "全部客户占比": rows["everyone_share"] * 100.0,
                "差值": rows["excess"].map(_pp),
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "老年客户占比": st.column_config.ProgressColumn(format="%.1f%%", min_value=0.0, max_value=100.0),
            "全部客户占比": st.column_config.ProgressColumn(format="%.1f%%", min_value=0.0, max_value=100.0),
        },
    )


def draw(profile: hs.ElderlyProfile | None) -> None:
    """The expander's content (the page opens the expander)."""
    if profile is None:
        return
    st.caption(hs.ELDERLY_RULE_ZH)
    cols = st.columns(3)
    cols[0].metric(
        "老年客户投诉",
        f"{fmt.count(profile.elderly)} 件",
        help="当前期间、筛选、下钻和搜索条件下，客户年龄 60 岁及以上的投诉数（件）。",
    )
    cols[1].metric(
        "老年客户占比",
        fmt.rate(profile.elderly / profile.everyone)
        if profile.everyone
        else f"{fmt.DASH} 无年龄数据"
        if profile.age_unknown
        else fmt.DASH,
        help="老年客户投诉 ÷ 填写了年龄的投诉（未填写年龄的不计入分母）。",
    )
    cols[2].metric(
        "未填写年龄（不计入比较）",
        f"{fmt.count(profile.age_unknown)} 件",
        help="未填写客户年龄的投诉：既不算老年客户，也不算全部客户，两边都不计入。",
    )
    if not profile.everyone and profile.age_unknown:  # no ages at all: unknown, not "no elderly" (H89)
        st.info("当前条件下的投诉均未填写客户年龄（无年龄数据），无法比较老年客户。")
        return
    if not profile.elderly:
        st.info("当前条件下没有老年客户的投诉，无法比较。")
        return
    tabs = st.tabs([*hs.ELDERLY_DIMENSIONS.values(), "老年客户更常提到的词"])
    for tab, (name, label) in zip(tabs, hs.ELDERLY_DIMENSIONS.items()):
        with tab:
            _table(profile.dimension(name), label)
    with tabs[-1]:
        terms = profile.terms
        if terms is None:
            st.info(
                context.text_note()
                or "当前数据版本尚未生成投诉内容分词表，请运行 python -m dashboard rebuild 后再查看。"
            )
        elif terms.empty:
            st.info(f"没有在至少 {hs.ELDERLY_MIN_TERM_DOCS} 件老年客户投诉中出现、且占比高于全部客户的词。")
        else:
            st.caption(
                f"在至少 {hs.ELDERLY_MIN_TERM_DOCS} 件老年客户投诉中出现的词，按“老年客户中提及该词的投诉占比 − "
                f"全部客户中的占比”从大到小，前 {hs.ELDERLY_TOP_TERMS} 个；倍数 = 两个占比之比。"
            )
            st.dataframe(
                pd.DataFrame(
                    {
                        "词": terms["term"],
                        "老年客户投诉（件）": terms["elderly_docs"].map(fmt.count),
                        "老年客户占比": terms["elderly_share"].map(fmt.rate),
                        "全部客户投诉（件）": terms["docs"].map(fmt.count),
                        "全部客户占比": terms["share"].map(fmt.rate),
                        "差值": terms["excess"].map(_pp),
                        "倍数": terms["ratio"].map(lambda v: f"{v:.1f} 倍"),
                    }
                ),
                hide_index=True,
                width="stretch",
            )
