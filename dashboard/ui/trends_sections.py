"""月度趋势's leadership sections (drawing only; the data comes from analysis.trends.load and
analysis.annual.load): why the month moved, root causes and rectification progress, the annual disclosure."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.analysis import annual, trends
from dashboard.analysis.leadership import TERMS_MISSING
from dashboard.briefing import annual as annual_files
from dashboard.briefing.build import rise_text
from dashboard.charts import trends as charts
from dashboard.ui import context, figures
from dashboard.ui.download import audited_download
from dashboard.ui.pages import page

HOTSPOTS = page("hotspots")


def drivers(data: trends.TrendData) -> None:
    st.subheader("变动原因：增加最多的项目及其驱动")
    if not data.has_previous:
        st.info("因缺少上月数据，暂无法分析变动原因。")
        return
    unended = bool(data.headline.get("incomplete"))
    if not data.drivers:
        st.info(
            "本月尚未结束：没有本月已过去的日子就已超过上月全月的项目；减少不作分析（月未结束，不比较）。"
            if unended
            else "本月各业务类别、投诉原因和一级分行的投诉均未较上月增加。"
        )
        return
    if unended:  # a fall may be only the unfinished month; a rise already past last month's whole month stands
        st.caption("本月尚未结束：只列本月已过去的日子就已超过上月全月的项目，减少不作分析。")
    st.caption(
        "每项列出：较上月增加的件数；该项中本月最显著的投诉激增（激增规则见热点分析页）、激增中上升的热词、"
        "一件典型投诉（个人信息已脱敏）；针对它的整改事项。点击“查看热点”在本页打开热点分析，定位到该激增。"
    )
    if data.terms_note:  # the rising terms below were cut by older masking rules, until rebuild
        st.info(data.terms_note)
    columns = st.columns(min(len(data.drivers), 2))
    for i, d in enumerate(data.drivers):
        with columns[i % len(columns)].container(border=True):
            st.markdown(
                f"**{trends.DIMENSIONS[d.dimension]}：{fmt.literal(d.label)}　{rise_text(data, d.contribution)}**"
            )
            if d.surge:
                st.markdown(f"最强激增：{fmt.literal(d.surge_text)}")
                st.markdown("上升热词：" + fmt.literal(d.terms_text(context.text_note() or TERMS_MISSING)))
                if d.case:
                    st.caption(f"典型投诉 {fmt.literal(d.case_id)}：{fmt.literal(d.case)}")
            else:
                st.markdown("本月该项中没有达到激增标准的切片。")
            st.markdown(f"整改：{fmt.literal(d.items_text())}")
            if d.link:
                st.page_link(HOTSPOTS, label="查看热点", icon=":material/local_fire_department:", query_params=d.link)


def root_causes_and_rectification(data: trends.TrendData) -> None:
    left, right = st.columns([1, 1])
    with left:
        st.subheader("根因分类")
        comp = trends.month_composition(data.breakdown, "root_cause", data.month)
        if comp.empty:
            st.info("本月没有投诉。")
        else:
            st.plotly_chart(
                figures.figure(
                    charts.composition_chart, comp, "根因分类", f"{data.month.year}年{data.month.month}月", height=320
                ),
                width="stretch",
                config={"displaylogo": False},
                key="root_cause_chart",
            )
            if data.headline.get("provisional"):
                st.warning(trends.ROOT_CAUSE_YOUNG, icon=":material/hourglass_top:")
            st.caption(
                f"根因分类为调查后认定（投诉数据的“根因分类”列）；“{trends.NO_ROOT_CAUSE}”为尚未认定的投诉。"
                "较上月的变动见下方“环比变动分解”的“根因分类”页签。"
            )
    with right:
        st.subheader("整改进展（整改台账）")
        r = data.rectification
        if r is None or r.empty:
            st.info("整改台账中还没有事项。可在“重复与溯源”页对反复出现的问题或相似投诉组建立整改事项。")
            return
        cols = [*st.columns(2), *st.columns(2)]  # two rows of two: four in the half-width column cut 本月… (H138)
        cols[0].metric("本月新立", f"{r.opened:,d} 项", border=True, help="本月建立的整改事项数。")
        cols[1].metric("本月到期", f"{r.due:,d} 项", border=True, help="整改期限在本月的事项数。")
        cols[2].metric(
            "已逾期",
            f"{r.overdue:,d} 项",
            border=True,
            help="截至本月末（本月尚未结束时截至今天）整改期限已过、尚未整改完成的事项数；今天的逾期事项见整改台账。",
        )
        cols[3].metric(
            "本月完成整改",
            f"{r.closed:,d} 项",
            border=True,
            help="本月标记为“已整改”或“已验证”的事项数；其中投诉未见下降的计为“待重开”，不计为已整改（与整改台账同一规则）。",
        )
        if r.closed:
            st.caption(
                f"本月完成的 {r.closed} 项中：计为已整改 {r.closed_effective} 项，"
                f"投诉未见下降 {r.closed_no_effect} 项（计为“待重开”，不计为已整改），尚无法评估 {r.closed_pending} 项。"
            )
            st.dataframe(
                pd.DataFrame(
                    {
                        "事项": [f"#{x['id']} {x['title']}" for x in r.rows],
                        "状态": [x["status"] for x in r.rows],
                        "整改成效": [x["effect"] for x in r.rows],
                        "计为": [x["counted_as"] for x in r.rows],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        st.page_link(page("ledger"), label="打开整改台账", icon=":material/assignment:")


ANNUAL_OPEN = "trends_annual_open"  # the section's switch; the page asks the loader for the year when it is on
ANNUAL_YEAR = "trends_annual_year"


def annual_wanted() -> tuple[bool, int | None]:
    """(with_annual, annual_year) for trends.load: the section computes only when opened (a whole year read
    twice, a fifth of a cold first view at 1M), the year only then, so that a closed section shares the cache."""
    opened = bool(st.session_state.get(ANNUAL_OPEN))
    return opened, st.session_state.get(ANNUAL_YEAR) if opened else None


def annual_section(data: trends.TrendData) -> None:
    st.subheader("年度投诉情况（对外披露口径）")
    a, coverage = data.annual, data.coverage
    if coverage.first_month is None:
        st.info("尚无数据。")
        return
    opened = st.toggle(
        "显示年度投诉情况",
        key=ANNUAL_OPEN,
        help="按需汇总：打开后按所选年份汇总全年投诉（含与上年同期的比较），约需数秒；关闭时本页不计算。",
    )
    if not opened:
        st.caption(
            "全年投诉总量、监管转办、老年客户投诉及按业务类别、投诉原因、一级分行的构成；打开上方开关后计算并显示。"
        )
        return
    if a is None:  # opened in this very run: the loader ran before the switch was drawn
        st.rerun()
    years = list(range(coverage.last_month.year, coverage.first_month.year - 1, -1))
    pick, basis_col, _ = st.columns([1, 2, 3])
    year = pick.selectbox("年份", years, index=years.index(a.year), key=ANNUAL_YEAR)
    basis = a.basis  # the sidebar's counting basis, as on every page: one control, never two that disagree
    basis_col.caption(f"统计口径：**{basis}**（在侧边栏“统计口径”切换）。{annual.BASIS_HELP.get(basis, '')}")
    if year != a.year:  # the loader read the widget's previous value: load again
        st.rerun()
    if not a.year_complete:
        st.caption(f"{year}年数据尚不完整：截至已加载的最后月份（{coverage.last_month:%Y-%m}）。")
    cols = st.columns(4)
    for col, (label, value, note) in zip(cols, annual_files.headline_rows(a)):
        col.metric(label, value, border=True, help=note)
    st.caption(
        "每个数字都可追溯：点击表中的“查看投诉”在热点分析页打开该年、该项的投诉明细（同一统计口径）；"
        "下载的 Excel 和 HTML 逐项附投诉编号（Excel 的“明细-”工作表、HTML 中点击数字展开），离线也能核对。"
    )
    tables = st.columns(3)
    for col, (dimension, label) in zip(tables, annual.DIMENSIONS.items()):
        frame = a.by[dimension]
        col.markdown(f"**按{label}**")
        col.dataframe(
            pd.DataFrame(
                {
                    label: frame["label"],
                    "投诉量（件）": frame["complaints"],
                    "占比": frame["share"].map(fmt.rate),
                    "明细": frame["link"],
                }
            ),
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(frame), 390),
            column_config={"明细": st.column_config.LinkColumn("明细", display_text="查看投诉")},
            key=f"annual_{dimension}",
        )
    scope = data.scope_label
    stem = f"年度投诉情况_{year}_{basis}"
    ctx = context.get()

    def members() -> pd.DataFrame | None:
        """The complaints behind each figure, read when a file is asked for (not on every page run)."""
        if ctx is None:
            return None
        return annual.members(trends.runner(ctx.con, ctx.filters), a.year)

    left, right, _ = st.columns([1, 1, 3])
    with left:
        audited_download(
            "下载 Excel（年度）",
            lambda: annual_files.workbook(a, scope, members(), data.as_of),
            f"{stem}.xlsx",
            "年度投诉情况（Excel）",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table_view:",
            on_click="ignore",
        )
    with right:
        audited_download(
            "下载 HTML（年度）",
            lambda: annual_files.document(a, scope, members(), data.as_of),
            f"{stem}.html",
            "年度投诉情况（HTML）",
            mime="text/html",
            icon=":material/description:",
            on_click="ignore",
        )
    with st.expander("命令行生成（供数据人员）", icon=":material/terminal:"):  # not English on the page's face
        st.caption(f"命令行：`python -m dashboard report --year {year} --basis {basis} --json`")
