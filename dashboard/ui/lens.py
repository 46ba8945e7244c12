"""The counting basis and customer group named on every page (issue 19): one caption line under a page's
title, the same words as the briefing and exports (Filters.counting_label)."""

from __future__ import annotations

import streamlit as st

from dashboard.filters import Filters


def counting_caption(filters: Filters) -> None:
    st.caption(
        f"{filters.counting_label}（侧边栏选择，应用于本页全部数字、下载和简报）",
        help="全部受理：每一件受理的投诉；监管转送：只计监管转办的投诉；合并重复后：不计重复投诉"
        "（同一客户 30 天内同一业务类别再次投诉）。客户群体：老年客户为 60 岁及以上；"
        "非老年客户为年龄已知且不满 60 岁；未填写年龄的投诉只计入“全部”。",
    )
