"""月度趋势: the leadership group's monthly view: headline, 24-month trend, what moved, summary, briefing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.analysis import cards, repeats, trends
from dashboard.analysis import hotspots as hs
from dashboard.analysis.summary import month_text, summary
from dashboard.briefing import build as briefing
from dashboard.briefing.excel import workbook
from dashboard.briefing.html import document
from dashboard.charts import trends as charts
from dashboard.config import data_dir
from dashboard.filters import add_months, month_label
from dashboard.ui import context, figures, lens, trends_lens, trends_sections
from dashboard.ui.download import audited_download
from dashboard.ui.identity import principal
from dashboard.ui.pages import page

ctx = context.require()
month = ctx.filters.month_to
st.title(f"月度趋势 · {month.year}年{month.month}月")
lens.counting_caption(ctx.filters)

with_annual, annual_year = trends_sections.annual_wanted()
with st.spinner("正在汇总本月指标、近24个月走势、变动原因与整改进展…"):
    data = context.loaded(
        trends.load,
        ctx.filters,
        month,
        ledger_items=briefing.ledger_items(data_dir(), principal()),  # the command's briefing's too
        annual_year=annual_year,
        with_annual=with_annual,
    )

scope = data.scope_label + (f"（{data.filter_label}）" if data.filter_label else "")
as_of = f"{data.as_of:%Y-%m-%d %H:%M}" if data.as_of else "—"
st.caption(
    f"统计范围：{fmt.literal(scope)} · 报告月份为侧边栏“截止月份”（默认最近一个完整月份） · 数据截至 {as_of}"
    + (f"（{data.seen_note}）" if data.seen_note else "")
)

# --- Data coverage: say what cannot be computed ------------------------------------------------------
coverage = data.coverage
if coverage.span and (coverage.span < 13 or not data.has_year_ago or not data.has_previous):
    started = (  # a first month that starts days into it is no base for 环比/同比 (hostile H211)
        f"（首月数据自 {coverage.starts_on:%Y-%m-%d} 起，不是整月，不作为环比、同比的对比月）"
        if coverage.partial_first
        else ""
    )
    st.info(
        f"已加载的数据为 {month_label(coverage.first_month)} 至 {month_label(coverage.last_month)}，"
        f"共 {coverage.span} 个月{started}。环比需要上月数据，同比需要上年同期数据，季节性控制限需要上年同月"
        "及此前约 18 个月的数据；无法计算的指标显示为 —。"
    )
if data.headline["complaints"] == 0:
    st.warning(f"{month_label(month)} 在当前筛选条件下没有投诉。可调整侧边栏的期间或筛选条件。")
if data.headline.get("partial"):  # a partial extract is no fall (hostile H192)
    st.warning(
        f"{month_label(month)}：{data.headline['partial']}。请在“数据管理”核对本月导入的文件是否齐全。",
        icon=":material/rule:",
    )

# --- Headline --------------------------------------------------------------------------------------
MISSING = {  # shown in the card in place of the change when 环比/同比 cannot be computed
    "mom_pct": ("缺少上月数据，无法计算环比", "上月无投诉，无法计算环比"),
    "yoy_pct": ("缺少上年同期数据，无法计算同比", "去年同月无投诉，无法计算同比"),
}
loaded = {"mom_pct": data.has_previous, "yoy_pct": data.has_year_ago}
sparks = data.trend.tail(13)
kpi_rows = data.kpis.assign(month=pd.to_datetime(data.kpis["month"]).dt.date)
kpi_rows = kpi_rows[kpi_rows["month"].isin(set(sparks["month"]))]


YOUNG = ("on_time_rate", "avg_handling_days", "open_overdue")  # measured at the as-of: not yet comparable


def spark(key: str):
    source = sparks if key in ("mom_pct", "yoy_pct") else kpi_rows
    if key in YOUNG and data.headline.get("provisional"):
        # a young month's handling figures are not comparable with grown months (the card compares like for
        # like): the line stops at the last mature month rather than draw a jump that is only immaturity
        source = source[pd.to_datetime(source["month"]).dt.date < month]
    values = pd.to_numeric(source[key], errors="coerce").dropna().tolist()
    return values if len(values) >= 3 else None


def headline_metric(metric) -> None:
    value, compared = data.headline[metric.key], data.comparisons[metric.key]
    instead = repeats.card_instead(data.no_customer_key, data.repeats_removed)
    if metric.key == "repeat_rate" and instead:
        st.metric(
            metric.label,
            instead[0],
            delta=instead[1],
            delta_color="off",
            delta_arrow="off",
            border=True,
            height="stretch",
            help=f"{repeats.UNKNOWN_ZH}：部分投诉的源系统没有客户号（映射文件声明），无法认定重复投诉。"
            if data.no_customer_key
            else f"{repeats.REMOVED_ZH}。切换为“全部受理”口径可查看重复投诉率。" + metric.help,
        )
        return
    label = metric.label
    delta, colour, arrow = cards.delta(compared)
    help_text = metric.help + " " + cards.help_suffix(compared)
    not_compared = data.headline.get("incomplete") or data.headline.get("partial")  # the card says why itself
    if metric.key in MISSING and value is None and not not_compared:
        delta, colour, arrow = MISSING[metric.key][0 if not loaded[metric.key] else 1], "off", "off"
        base_month = add_months(month, -1 if metric.key == "mom_pct" else -12)
        if not loaded[metric.key] and coverage.has(base_month):  # loaded, but part of a month (hostile H211)
            delta = f"{'上月' if metric.key == 'mom_pct' else '去年同月'}不是整月，不计算"
            if metric.key == "mom_pct" and data.previous_partial:
                delta = "上月数据疑似不完整，不计算"
    if metric.key == "repeat_rate" and data.headline.get("repeat_lookback_short"):
        delta, colour, arrow = "数据起始月，偏低", "off", "off"
        help_text = metric.help + " " + trends.REPEAT_LOOKBACK_SHORT + "。"
    if metric.key == "per_10k" and value is None and data.headline.get("customers_incomplete"):
        delta, colour, arrow = "客户数不全，不计算", "off", "off"
        help_text += (
            f" 本月有 {data.headline['customers_incomplete']} 家机构有投诉、以往月份有客户数，但本月客户数文件中没有："
            "以其余机构的客户数为分母会高估万人投诉率，故不计算。请补导本月完整的客户数文件。"
        )
    st.metric(
        label,
        cards.value_text(value, metric.unit),
        delta=delta,
        delta_color=colour,
        delta_arrow=arrow,
        help=help_text,
        chart_data=spark(metric.key),
        chart_type="line",
        border=True,
        height="stretch",
    )


provisional = data.maturity is not None and data.maturity.provisional
if provisional:
    st.warning(data.maturity.note(), icon=":material/hourglass_top:")
# --- The ten-second read: what went up and why, who is out of line, what the bank is doing -----------
points = briefing.key_points(data)
if points and data.headline["complaints"]:
    with st.container(border=True):
        st.markdown("\n".join(f"- **{what}**：{fmt.literal(text)}" for what, text in points))
        if data.terms_note:  # the rising terms above were cut by older masking rules, until rebuild
            st.caption(data.terms_note)
st.caption(
    "卡片下方为变化：投诉量、环比与上月比，同比与去年同月比（均为件数之差），其余与上月比"
    + ("（本月数据未成熟：按时办结率、平均办结天数、超期未办结与上月同期比，曲线不含本月）" if provisional else "")
    + "；红色表示对读者不利，绿色表示有利。曲线为近13个月走势；悬停 ⓘ 查看口径。"
)
if any(c.small for c in data.comparisons.values()):  # grey cards say why (hostile H157)
    st.caption(cards.SMALL_CAPTION)
by_key = {m.key: m for m in trends.HEADLINE}
first_row = ("complaints", "mom_pct", "yoy_pct", "per_10k")
second_row = ("on_time_rate", "avg_handling_days", "open_overdue", "regulator_referred", "repeat_rate")
for keys in (first_row, second_row):
    for column, key in zip(st.columns(len(keys)), keys):
        with column:
            headline_metric(by_key[key])

# --- Summary ---------------------------------------------------------------------------------------
st.subheader("综述")
with st.container(border=True):
    st.markdown(fmt.literal(summary(data)))  # built from branch names, products, reasons: text (H101)
st.caption("综述由程序根据本页指标自动生成，数字与上方指标一致。")

trends_sections.drivers(data)
trends_sections.root_causes_and_rectification(data)

# --- Trend -----------------------------------------------------------------------------------------
st.subheader("近24个月走势")
trend = data.trend
if trend.empty:
    st.info("所选月份之前没有已加载的数据，无法绘制走势。")
else:
    st.plotly_chart(figures.figure(charts.volume_chart, trend), width="stretch", config={"displaylogo": False})
    flagged = trend[trend["signal"].notna()]
    if trend["upper"].isna().all():
        st.caption("数据不足：季节性控制限需要上年同月及此前约 18 个月的数据，暂不标记异常月份。")
    elif flagged.empty:
        st.caption("近24个月中没有超出控制限的月份。")
    else:
        listed = "、".join(
            f"{month_label(m)}（{'异常偏高' if s == 'high' else '异常偏低'}，{fmt.count(c)} 件）"
            for m, s, c in zip(flagged["month"], flagged["signal"], flagged["complaints"])
        )
        st.caption(
            f"超出季节性控制限的月份：{listed}。超出表示该月明显偏离按上年同月和近期趋势推算的水平，"
            "需查明原因（节假日错月、集中性事件、登记口径变化或数据缺失）。"
        )
    with st.expander("季节性控制限如何计算、超出意味着什么"):
        st.markdown(trends.CONTROL_RULE)

    left, right = st.columns([2, 3])
    with left:
        if trend["per_10k"].notna().any():
            st.plotly_chart(
                figures.figure(charts.rate_chart, trend, height=400), width="stretch", config={"displaylogo": False}
            )
        else:
            st.info("未加载这些月份的客户数，无法计算万人投诉率。")
    with right:
        pick, mode = st.columns([3, 1])
        dimension = pick.segmented_control(
            "构成维度",
            list(trends.DIMENSIONS),
            format_func=trends.DIMENSIONS.get,
            default="business_category",
            required=True,
            key="trends_dimension",
        )
        shares = (
            mode.segmented_control("显示方式", ["件数", "占比"], default="件数", required=True, key="trends_shares")
            == "占比"
        )
        table = trends.breakdown_table(data.breakdown, dimension, list(trend["month"]), top=8, shares=shares)
        if table.empty or table.to_numpy().sum() == 0:
            st.info("所选期间没有可分解的投诉。")
        else:
            st.plotly_chart(
                figures.figure(charts.breakdown_chart, table, trends.DIMENSIONS[dimension], shares, height=400),
                width="stretch",
                config={"displaylogo": False},
            )

# --- What moved ------------------------------------------------------------------------------------
st.subheader(f"环比变动分解：{month_text(month)}较{month_text(data.previous_month)}")
if briefing.no_movers(data):
    st.info(briefing.no_movers(data))
else:
    current = data.headline["complaints"]
    previous = data.previous["complaints"]
    total = current - previous
    st.caption(
        f"本月 {fmt.count(current)} 件，上月 {fmt.count(previous)} 件，变动 {total:+,d} 件。"
        "每个维度下，各项的变动（本月 − 上月）之和恰好等于总变动；按变动绝对值从大到小排列。"
        "选择表格中的一行（左侧选择框），即在本页打开热点分析，下钻到该项在本月的投诉。"
    )
    tabs = st.tabs([trends.DIMENSIONS[d] for d in trends.MOVER_DIMENSIONS])
    for tab, dimension in zip(tabs, trends.MOVER_DIMENSIONS):
        movers = data.movers[dimension]
        with tab:
            if movers.empty:
                st.info("这两个月在当前筛选条件下都没有投诉。")
                continue
            if dimension == "root_cause" and provisional:  # H41: root causes are set after investigation
                st.warning(trends.ROOT_CAUSE_YOUNG, icon=":material/hourglass_top:")
            chart, listing = st.columns([5, 6])
            chart.plotly_chart(
                figures.figure(
                    charts.waterfall_chart,
                    movers,
                    previous,
                    current,
                    month_label(data.previous_month),
                    month_label(month),
                    trends.DIMENSIONS[dimension],
                ),
                width="stretch",
                config={"displaylogo": False},
                key=f"waterfall_{dimension}",
            )
            shown = pd.DataFrame(
                {
                    trends.DIMENSIONS[dimension]: movers["label"],
                    "变动": movers["contribution"].map(lambda v: f"{v:+,d}" if v else "0"),
                    "占总变动": movers["share_of_change"].map(fmt.rate),
                    "上月": movers["previous"].map(fmt.count),
                    "本月": movers["current"].map(fmt.count),
                    "环比": movers["mom_pct"].map(fmt.pct),
                }
            )
            picked = listing.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                height=min(38 + 35 * len(shown), 420),
                on_select="rerun",
                selection_mode="single-row",
                key=f"movers_{dimension}",
                column_config={
                    trends.DIMENSIONS[dimension]: st.column_config.TextColumn(width="medium", pinned=True),
                    "变动": st.column_config.TextColumn(width="small", help="本月 − 上月（件）", alignment="right"),
                    "上月": st.column_config.TextColumn(width="small", alignment="right"),
                    "本月": st.column_config.TextColumn(width="small", alignment="right"),
                    "占总变动": st.column_config.TextColumn(
                        alignment="right",
                        help="该项变动 ÷ 总变动；各项合计为 100%，与总变动方向相反的项为负值。总变动为 0 时显示 —。",
                    ),
                    "环比": st.column_config.TextColumn(
                        alignment="right", help="该项本月较上月的变化率；上月为 0 时显示 —。"
                    ),
                },
            )
            rows = picked.selection.rows if picked is not None else []
            if rows:  # 查看热点: the hotspots page in this tab, drilled into the item (the sidebar unchanged)
                new = hs.trend_drill(data.filters, month, dimension, movers["value"].iloc[rows[0]], data.parents)
                if new is None:
                    listing.info("总行本部不是一级分行，无法下钻到热点分析。")
                else:
                    st.session_state.update(hs_drill=new, hs_term=None, hs_gen=st.session_state.get("hs_gen", 0) + 1)
                    st.session_state.pop("hs_surge_pick", None)
                    st.switch_page(page("hotspots"))
            check = int(movers["contribution"].sum())
            listing.caption(
                f"各项变动合计 {check:+,d} 件 = 本月 {fmt.count(current)} 件 − 上月 "
                f"{fmt.count(previous)} 件（{total:+,d} 件）。"
            )

# --- Deadline clock, outcomes, elderly customers (issue 19) ------------------------------------------
trends_lens.draw(data.deadline, data.outcomes, provisional=bool(data.headline.get("provisional")))

trends_sections.annual_section(data)

# --- Briefing --------------------------------------------------------------------------------------
st.subheader("月度简报")
notes = st.text_area(
    "工作建议（已根据本月数据拟定，可直接修改；将写入简报的“工作建议”部分）",
    key="trends_notes",
    value=briefing.suggestions(data),
    height=140,
)
stem = briefing.file_stem(data)
excel_col, html_col, _ = st.columns([1, 1, 3])
with excel_col:
    audited_download(
        "下载 Excel 简报",
        lambda: workbook(data, notes),
        f"{stem}.xlsx",
        "月度简报（Excel）",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click="ignore",
        help="每个部分一个工作表：概览与综述、月度趋势、环比变动分解、构成明细、指标口径。",
    )
with html_col:
    audited_download(
        "下载 HTML 简报",
        lambda: document(data, notes),
        f"{stem}.html",
        "月度简报（HTML）",
        mime="text/html",
        icon=":material/description:",
        on_click="ignore",
        help="单个 HTML 文件：图表可交互、不访问网络，可直接用浏览器打印为 A4。",
    )
with st.expander("命令行生成（供数据人员）", icon=":material/terminal:"):  # not English on the page's face
    st.caption(
        "命令行生成同样的文件：`python -m dashboard briefing --month "
        f"{month_label(month)} --out 输出目录`（可加 --org、--category 等筛选）。"
    )
