"""机构排名: a fair comparison of organisations at one level, the funnel plot, and one organisation's profile.

Thin: the numbers come from queries/rankings_*.sql (and kpis_by_month, recurring_issues) through
ui.context.query, the scores and limits from dashboard.analysis.rankings / funnel, the figures from
dashboard.charts.rankings. The level and the open profile live in the URL (?level=支行&profile=010101).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.analysis import cards, funnel, rank_noise, repeats
from dashboard.analysis import rankings as rk
from dashboard.charts import rankings as charts
from dashboard.charts.style import unplain
from dashboard.config import RECURRING_WINDOW_MONTHS, REPEAT_WINDOW_DAYS
from dashboard.filters import add_months, month_label, period_label
from dashboard.text.masking import mask_customer_ids, mask_series
from dashboard.ui import context, figures, lens, look, rankings_lens, url_state
from dashboard.ui.download import audited_download

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_CONFIG = {"displaylogo": False}

ctx = context.require()
filters = ctx.filters
period = period_label(filters.month_from, filters.month_to)
branches = context.query("branch_options")
names = dict(zip(branches["branch_code"], branches["branch_name"]))
levels_of = dict(zip(branches["branch_code"], branches["level"]))
ss = st.session_state


def url_value(name: str) -> str | None:
    """A page parameter from the link that opened the page (the sidebar leaves non-filter keys alone)."""
    return st.query_params.get(name) or None


written = ss.get("_rk_written", {})
root = filters.org or filters.scope  # the subtree being compared (a signed-in user's scope)
org_level = levels_of.get(root) if root else None
default_level = rk.default_level(org_level)
bank = "全行" if filters.scope is None else f"{names.get(filters.scope, filters.scope)}全辖"

# --- State from the link, or the defaults -----------------------------------------------------------
linked_level = url_value("level")
if linked_level in rk.LEVELS and linked_level != written.get("level"):
    ss["rk_level"] = linked_level
elif "_rk_org" in ss and ss["_rk_org"] != filters.org:
    ss["rk_level"] = default_level  # another organisation chosen in the sidebar
ss["_rk_org"] = filters.org
if ss.get("rk_level") not in rk.LEVELS:
    ss["rk_level"] = default_level
linked_profile = url_value("profile")
if linked_profile in names and linked_profile != written.get("profile"):
    ss["rk_profile"] = linked_profile

# the ranking's period: the sidebar's, or the 3 months ending at its last month (?window=3m)
WINDOWS = {"period": "侧边栏期间", "3m": "最近 3 个月"}
if url_value("window") in WINDOWS and url_value("window") != written.get("window"):
    ss["rk_window"] = url_value("window")
if ss.get("rk_window") not in WINDOWS:
    ss["rk_window"] = "period"
rank_from, rank_to = (
    (add_months(filters.month_to, -2), filters.month_to)
    if ss["rk_window"] == "3m"
    else (filters.month_from, filters.month_to)
)
period = period_label(rank_from, rank_to)

scope_name = fmt.literal(bank if filters.org is None else f"{names.get(filters.org, filters.org)}（含下辖机构）")
st.title(f"机构排名 · {period}")
lens.counting_caption(ctx.filters)
st.caption(
    f"统计范围：{scope_name} · 期间为侧边栏的起止月份 · 按客户数折算的比率比较机构，投诉量只作参考："
    "大机构客户多、投诉件数自然多，并不因此更差。默认层级：全行视图为一级分行（总行领导关注的层级），"
    "选定某机构时为其下辖支行。"
)

# --- Settings --------------------------------------------------------------------------------------
# thresholds and weights from the link (ui/url_state.py), else the defaults
URL_SPEC = {
    "rk_min_complaints": (url_state.number(int, 0, 1_000_000), rk.MIN_COMPLAINTS),
    "rk_min_customers": (url_state.number(int, 0, 1_000_000_000), rk.MIN_CUSTOMERS),
    **{
        f"rk_w_{key}": (url_state.number(float, 0.0, 100.0), float(weight))
        for key, weight in rk.DEFAULT_WEIGHTS.items()
    },
}
url_state.widgets("rk_", URL_SPEC)
left, middle, right = st.columns([3, 2, 2])
level = left.radio(
    "排名层级",
    rk.LEVELS,
    key="rk_level",
    horizontal=True,
    help="每个机构按其本身及全部下辖机构统计（投诉量与客户数都含下辖机构）。"
    "侧边栏选择机构时，只比较其下辖的该层级机构。",
)
st.query_params["level"] = level
min_complaints = middle.number_input(
    "参与排名的最低投诉量",
    min_value=0,
    step=1,
    key="rk_min_complaints",
    help=f"期间投诉量低于此数的机构标为“不参与排名”（仍列出）：几件投诉算出的办结率、满意率等比率偶然性太大。默认 {rk.MIN_COMPLAINTS} 件。",
)
min_customers = right.number_input(
    "参与排名的最低月均客户数",
    min_value=0,
    step=500,
    key="rk_min_customers",
    help=f"月均客户数低于此数（或未加载客户数）的机构标为“不参与排名”（仍列出）。默认 {rk.MIN_CUSTOMERS:,}。",
)


def reset_weights() -> None:
    for key, weight in rk.DEFAULT_WEIGHTS.items():
        ss[f"rk_w_{key}"] = weight


with st.expander("关注度得分：计算公式与权重（可调整）", icon=":material/functions:"):
    st.markdown(
        "**关注度得分**（0–100，**越高越需关注**，排名第 1 为最需关注）：对每个参与排名的机构，"
        "先把每项指标换算成它在参与排名机构中的**百分位**（最好 = 0，最差 = 100；并列取平均名次），"
        "再按权重加权平均："
    )
    st.latex(
        r"\text{得分} = \frac{\sum_i w_i \, P_i}{\sum_i w_i},\qquad "
        r"P_i = \frac{\text{由好到差的名次}_i - 1}{N_i - 1} \times 100"
    )
    st.caption(
        "Nᵢ 为该指标有数值的参与排名机构数（只有一家时 Pᵢ = 50）；某机构缺少某项指标（如无回访记录时的满意率）时，"
        "该项不计入其分子和分母。投诉量不计分（规模不同，件数不可比），监管转办按万人折算后计分。"
        "名次变化与上一个等长期间比较（同样的权重与门槛）：↑ 名次上升（更需关注），↓ 名次下降，新 = 上期未参与排名。"
    )
    weight_columns = st.columns(len(rk.SCORE_METRICS))
    weights = {}
    for key, weight in rk.DEFAULT_WEIGHTS.items():
        ss.setdefault(f"rk_w_{key}", weight)
    for column, metric in zip(weight_columns, rk.SCORE_METRICS):
        direction = "越高越差" if metric.higher_is_worse else "越低越差"
        weights[metric.key] = column.number_input(
            metric.label,
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            key=f"rk_w_{metric.key}",
            help=f"{metric.help}（{direction}）默认权重 {rk.DEFAULT_WEIGHTS[metric.key]:g}。",
        )
    st.button("恢复默认权重", on_click=reset_weights, icon=":material/restart_alt:")

window = (
    st.segmented_control(
        "排名期间",
        list(WINDOWS),
        format_func=WINDOWS.get,
        key="rk_window",
        help="单月的投诉件数少、名次容易随偶然波动大起大落；“最近 3 个月”按截至侧边栏截止月份的 3 个月合计排名"
        "（名次变化与此前 3 个月比较），更稳定。万人投诉率为 3 个月合计投诉量 ÷ 月均客户数 × 10,000，约为单月的 3 倍。",
    )
    or "period"
)
st.query_params["window"] = window

url_state.write_widgets("rk_", URL_SPEC)
settings = rk.Settings(weights=weights, min_complaints=int(min_complaints), min_customers=float(min_customers))
if settings.total_weight() <= 0:
    st.warning("所有权重都为 0，无法计算得分：已按默认权重计算。")
    settings = rk.Settings(min_complaints=int(min_complaints), min_customers=float(min_customers))

with st.spinner("正在计算各机构指标与排名…"):
    # the ranking's period (the sidebar's, or the 3 months ending at its last month): the loaders' filters
    rank_filters = filters.with_period(rank_from, rank_to)
    data = context.loaded(rk.load, rank_filters, rk.RankingsState(level=level, settings=settings))
ranking = data.ranking
table = ranking.table
if data.partial_note:  # the period's last month looks like a partial extract (H212)
    st.warning(data.partial_note, icon=":material/rule:")
if data.provisional_note:  # the period's last month is young: its handling figures still move (H24)
    st.warning(data.provisional_note, icon=":material/hourglass_top:")
previous = period_label(ranking.previous_from, ranking.previous_to)

if table.empty:
    inside = "" if root is None else f"{fmt.literal(names.get(root, root))}（{org_level}）下"
    st.info(f"{inside}没有“{level}”层级的机构。请换一个排名层级，或在侧边栏选择更上级的机构。")
    st.stop()
if int(table["complaints"].sum()) == 0:
    st.warning(f"{period}在当前筛选条件下，这些机构都没有投诉。可调整侧边栏的期间或筛选条件。")

# --- Headline --------------------------------------------------------------------------------------
ranked = table[table["ranked"]]
target = ranking.target
counts = table["status"].value_counts()
cols = st.columns([1.2, 1.5, 1.2, 1.1, 1])  # widths by content: "7.48 件/万户" was cut at 1440
cols[0].metric(
    "参与排名机构",
    f"{len(ranked):,} / {len(table):,} 个",
    border=True,
    help=f"投诉量 ≥ {settings.min_complaints:,} 件且月均客户数 ≥ {settings.min_customers:,.0f} 的{level}数 / 列出的{level}总数。",
)
cols[1].metric(
    "平均万人投诉率",
    fmt.DASH if target is None else f"{fmt.per10k(target * funnel.PER)} 件/万户",
    border=True,
    help="所列机构（有客户数者）的投诉量合计 ÷ 月均客户数合计 × 10,000，单位：件/万户；漏斗图的中线。"
    "上级机构本部直接受理的投诉（如总行本部）不在所列机构中，故可略低于“月度趋势”的全行万人投诉率。",
)
cols[2].metric(
    "高于 99.8% 控制限",
    fmt.count(counts.get(funnel.ABOVE_998, 0)) + " 个",
    border=True,
    help="按平均万人投诉率和机构客户数，投诉量高到纯属偶然的概率不足 0.1% 的机构数（泊松分布精确控制限）。",
)
cols[3].metric(
    # the count excludes those above 99.8 % (hostile H231); short enough for the card at 1440 px (F2)
    "介于 95%–99.8%",
    fmt.count(counts.get(funnel.ABOVE_95, 0)) + " 个",
    border=True,
    help="投诉量高于 95% 控制限、但未超过 99.8% 控制限的机构数（偶然概率不足 2.5%）；"
    "高于 99.8% 控制限的机构只计入左侧一格。",
)
incomplete = counts.get(funnel.BASE_INCOMPLETE, 0)  # a gap is not "no customers": said apart (F, item 2)
cols[4].metric(
    "无客户数机构",
    fmt.count(counts.get(funnel.NO_BASE, 0)) + " 个",
    delta=f"另 {fmt.count(incomplete)} 个客户数不全" if incomplete else None,
    delta_color="off",
    delta_arrow="off",
    border=True,
    help="期间内没有任何月份加载了客户数的机构：无法计算万人投诉率，不参与排名，也不在漏斗图中。"
    "“客户数不全”为下辖机构在有投诉的月份缺少客户数（客户数文件漏报）的机构：同样不计算万人投诉率、不参与排名，"
    "但不是没有客户，请补导完整的客户数文件。",
)

# --- Ranking table ---------------------------------------------------------------------------------
st.subheader(f"{level}排名（最需关注的在前）· {period}")
st.caption(
    f"先按关注结论分档（万人投诉率是否显著高于平均，见下方漏斗图），档内按关注度得分：控制限内的机构不会仅凭得分或投诉量"
    f"排在显著偏高的机构之前。名次变化对比期间：{previous}；标“{rank_noise.NOISE_MARK}”的变化落在本期名次的 90% 区间内，"
    "仅凭偶然波动就可能出现。点击表头可按任一列排序；点击一行查看该机构画像。"
)
if rank_from != rank_to:  # H24: a span's rate is its total over the mean base, not a monthly rate
    st.caption(
        f"万人投诉率为 {rk.months_in(rank_from, rank_to)} 个月合计投诉量 ÷ 月均客户数 × 10,000"
        f"（约为单月水平的 {rk.months_in(rank_from, rank_to)} 倍），不可与单月数字直接比较。"
    )
shown = rk.display_table(table)
for column in ("按时办结率", "满意率", "重复投诉率", "解决率", "老年客户占比"):
    shown[column] = shown[column] * 100.0  # shown in percent, still numeric so that it sorts
shown["月均客户数"] = shown["月均客户数"].round(0)
help_of = {m.label: m.help for m in rk.SCORE_METRICS}
notes_of = dict(rk.formula_notes(ranking))
outcome_columns = {  # issue 19: outcomes and elderly customers, shown, not scored
    "解决率": st.column_config.NumberColumn(format="%.1f%%", help=notes_of["解决率"]),
    "涉及金额（万元）": st.column_config.NumberColumn(format="%.2f", help=notes_of["涉及金额（万元）"]),
    "补偿金额（万元）": st.column_config.NumberColumn(format="%.2f", help=notes_of["补偿金额（万元）"]),
    "老年客户投诉": st.column_config.NumberColumn(format="localized", help="客户年龄 60 岁及以上的投诉数（件）。"),
    "老年客户占比": st.column_config.NumberColumn(format="%.1f%%", help=notes_of["老年客户占比"]),
    "老年客户万人投诉率": st.column_config.NumberColumn(format="%.2f", help=notes_of["老年客户万人投诉率"]),
}
column_config = {
    "排名": st.column_config.NumberColumn(
        help="先按关注结论分档，档内按关注度得分由高到低；相同者名次相同。不参与排名的机构为空。", format="%d"
    ),
    "名次变化": st.column_config.TextColumn(
        help=f"与上一个等长期间（{previous}）相比：↑ 名次上升（更需关注），↓ 名次下降，新 = 上期未参与排名。"
        f"“{rank_noise.NOISE_MARK}”：上期名次落在本期名次的 90% 区间内，这一变化仅凭偶然波动就可能出现。"
    ),
    "关注结论": st.column_config.TextColumn(help=rank_noise.ATTENTION_HELP),
    "名次区间（90%）": st.column_config.TextColumn(
        help=f"按本期投诉量的偶然波动重抽样 {rank_noise.SIMULATIONS} 次（投诉量、监管转办按泊松分布，按时办结率、满意率、"
        "重复投诉率按二项分布），每次同样计分排名，90% 的名次落在此区间内。区间越宽，名次越不稳定。"
    ),
    "机构名称": st.column_config.TextColumn(pinned=True),
    "关注度得分": st.column_config.ProgressColumn(
        min_value=0,
        max_value=100,
        format="%.1f",
        help="0–100，越高越需关注：各指标百分位按权重的加权平均（公式见上方）。",
    ),
    "投诉量": st.column_config.NumberColumn(format="localized", help="期间内受理的投诉数（含下辖机构），不计入得分。"),
    "月均客户数": st.column_config.NumberColumn(
        format="localized", help="期间内各月（含下辖机构）客户数之和的月平均；只计已加载客户数的月份。"
    ),
    "万人投诉率": st.column_config.NumberColumn(format="%.2f", help=help_of["万人投诉率"]),
    "按时办结率": st.column_config.NumberColumn(format="%.1f%%", help=help_of["按时办结率"]),
    "平均办结天数": st.column_config.NumberColumn(format="%.1f", help=help_of["平均办结天数"]),
    "满意率": st.column_config.NumberColumn(format="%.1f%%", help=help_of["满意率"]),
    "监管转办": st.column_config.NumberColumn(
        format="localized", help="监管转办（12378、12363 或地方监管局转来）的投诉数。"
    ),
    "万人监管转办": st.column_config.NumberColumn(format="%.2f", help=help_of["万人监管转办"]),
    **outcome_columns,
    "重复投诉率": st.column_config.NumberColumn(format="%.1f%%", help=help_of["重复投诉率"]),
    "漏斗图位置": st.column_config.TextColumn(help="按平均万人投诉率与该机构客户数计算的泊松控制限，见下方漏斗图。"),
    "排名状态": st.column_config.TextColumn(
        help=f"不参与排名：投诉量少于 {settings.min_complaints:,} 件，"
        f"或月均客户数少于 {settings.min_customers:,.0f}，或无客户数。"
    ),
}
view_key = "rk_" + str(
    abs(hash((level, filters, tuple(sorted(weights.items())), settings.min_complaints, settings.min_customers)))
)


# --- Which profile: a click on the table or the funnel (their selections are in the session state at
# the start of the run, so the funnel can mark the chosen point), the link, or the selector below -------
def clicked(key: str, code: str | None) -> None:
    """Open `code` when the widget's selection changed to it (a kept selection does not reopen it)."""
    seen = ss.setdefault("_rk_seen", {})
    if code is not None and seen.get(key) != code:
        ss["rk_profile"] = code
        ss["_rk_scroll"] = ss.get("_rk_scroll_n", 0) + 1  # the profile is far below: go there
    seen[key] = code


def selected(key: str, part: str) -> list:
    try:
        return list(ss[key]["selection"][part])
    except (KeyError, TypeError):
        return []


rows = [i for i in selected(f"{view_key}_table", "rows") if 0 <= i < len(table)]
clicked(f"{view_key}_table", str(table["branch_code"].iloc[rows[0]]) if rows else None)
picked = [p for p in selected(f"{view_key}_funnel", "points") if p.get("customdata")]
clicked(f"{view_key}_funnel", unplain(str(picked[0]["customdata"][0])) if picked else None)  # escaped for plotly

st.dataframe(
    shown,
    hide_index=True,
    column_config=column_config,
    placeholder=fmt.DASH,
    height=420 if len(shown) > 10 else "auto",
    on_select="rerun",
    selection_mode="single-row",
    key=f"{view_key}_table",
)
notes = data.export_notes(names, ctx.snapshot.meta.get("as_of"))
audited_download(
    "导出 Excel",
    lambda: rk.to_excel(table, notes),
    file_name=f"机构排名_{level}_{month_label(filters.month_from)}_{month_label(filters.month_to)}"
    f"_{filters.basis_label}_{filters.age_group_label}{'_暂估' if data.provisional_note else ''}.xlsx",
    what="机构排名",
    mime=XLSX,
    key=f"{view_key}_xlsx",
    icon=":material/download:",
)

# --- Elderly customers' share (issue 19) ---------------------------------------------------------------
with st.expander("老年客户占比突出的机构", icon=":material/elderly:"):
    rankings_lens.elderly_outliers(data.elderly, level)

# --- Funnel plot -----------------------------------------------------------------------------------
st.subheader("漏斗图：谁真正偏离了平均水平")
points = table[table["customers"].notna() & (table["customers"] > 0)]
if target is None or points.empty:
    st.info("这些机构在所选期间都没有客户数数据，无法计算万人投诉率，也无法绘制漏斗图。")
elif ranked.empty:  # a limit on a handful of complaints flags whoever had one (hostile H151)
    st.info(
        f"没有{level}达到参与排名的条件（投诉量 ≥ {settings.min_complaints:,} 件且月均客户数 ≥ "
        f"{settings.min_customers:,.0f}）：投诉太少，平均万人投诉率和控制限没有意义，故不绘制漏斗图，"
        "也不判断哪些机构高于或低于控制限。可扩大期间或放宽筛选条件。"
    )
else:
    curve = funnel.curve(target, points["customers"].min(), points["customers"].max())
    figure = figures.figure(charts.funnel_chart, points, curve, target, selected=ss.get("rk_profile"))
    st.plotly_chart(
        figure,
        width="stretch",
        config=CHART_CONFIG,
        on_select="rerun",
        selection_mode=("points",),
        key=f"{view_key}_funnel",
    )
    high = points[points["status"] == funnel.ABOVE_998]
    listed = "、".join(high["branch_name"].head(10).map(fmt.literal)) + ("等" if len(high) > 10 else "")
    st.caption(
        "客户越少，偶然波动越大，控制限越宽（漏斗形）。控制限外的点才是真正偏离平均水平的机构（图中标出名称）；"
        "控制限内的差异可视为正常波动。点击一个点查看该机构画像。"
        + (f"高于 99.8% 控制限：{listed}。" if len(high) else "没有机构高于 99.8% 控制限。")
    )
    with st.expander("方法说明：控制限如何计算", icon=":material/info:"):
        st.markdown(
            "以平均万人投诉率 p 为基准，客户数为 n 的机构预期投诉量 E = p × n，实际投诉量服从泊松分布 Poisson(E)。"
            "95% 控制限为该分布的 2.5% 与 97.5% 分位数，99.8% 控制限为 0.1% 与 99.9% 分位数，再除以 n、乘以 10,000 换算为万人投诉率。"
            "分位数用精确泊松分布（scipy.stats.poisson），并按 Spiegelhalter（2005）的方法在相邻整数之间线性插值，使控制限成为平滑曲线。"
            "跨多月时 n 为月均客户数，投诉量为期间合计。"
        )

st.divider()
st.subheader("机构画像", anchor="profile")
if ss.get("_rk_scroll"):
    ss["_rk_scroll_n"] = ss.pop("_rk_scroll")
    look.scroll_to("profile", nonce=ss["_rk_scroll_n"])
options = [None, *table["branch_code"]]
if ss.get("rk_profile") not in options:
    if ss.get("rk_profile") in names:
        options.append(ss["rk_profile"])
    else:
        ss["rk_profile"] = None
code = st.selectbox(
    "选择机构",
    options,
    key="rk_profile",
    format_func=lambda c: "（未选择）" if c is None else f"{names.get(c, c)}（{c}）",
    help="也可点击排名表中的一行或漏斗图中的一个点。画像的链接可从浏览器地址栏复制（含 profile=机构代码）。",
)

ss["_rk_written"] = {"level": level, "profile": code, "window": window}
if code is None:
    st.query_params.pop("profile", None)
    st.info(
        "点击排名表中的一行或漏斗图中的一个点（或在上方选择机构），查看该机构的走势、投诉构成、反复出现的问题、重复投诉客户和下辖机构排名。"
    )
    st.stop()
st.query_params["profile"] = code

# --- Profile ---------------------------------------------------------------------------------------
name = names.get(code, code)
name_md, bank_md = fmt.literal(name), fmt.literal(bank)  # drawn as Markdown: data stays text (H101)
with st.spinner(f"正在加载{name_md}的画像…"):
    profile = rk.load_profile(context.source(), rank_filters, data, code, branches, ss.get(f"rk_sub_level_{code}"))
row = table[table["branch_code"] == code]
in_table = not row.empty
if not in_table:  # an organisation of another level (from a link): its own numbers, no rank
    row = profile.own if not profile.own.empty else row
    rank_text, score_text = "—", "—"
    st.caption(f"{name_md}（{levels_of.get(code, '')}）不在当前排名层级（{level}）中，只显示其指标，不显示名次。")
else:
    r = row.iloc[0]
    rank_text = f"{int(r['rank'])} / {len(ranked)}" if r["ranked"] else "不参与"
    score_text = f"{r['score']:.1f}" if r["ranked"] else "—"
    if not r["ranked"]:
        st.caption(f"{name_md}不参与排名：{r['unranked_reason']}。")
if row.empty:
    st.info(f"没有找到{name_md}的数据。")
    st.stop()
r = row.iloc[0]
st.markdown(
    f"#### {name_md}（{fmt.literal(code)}） · {levels_of.get(code, '')}"
    + (f" · 上级：{fmt.literal(r['parent_name'])}" if isinstance(r.get("parent_name"), str) else "")
)
cells = [*st.columns(4), *st.columns(4)]
cells[0].metric(
    "排名",
    rank_text,
    border=True,
    help="名次 / 参与排名机构数：按关注度得分在当前层级参与排名机构中的名次（1 = 最需关注）。",
)
cells[1].metric("关注度得分", score_text, border=True, help="0–100，越高越需关注；构成见下方“关注度得分构成”。")
cells[2].metric("投诉量", fmt.count(r["complaints"]) + " 件", border=True, help="期间内受理的投诉数（含下辖机构）。")
few = bool(pd.notna(r["complaints"]) and r["complaints"] < cards.SMALL_BASE)  # grey, as every card (H157)
gap_text, gap_colour, gap_arrow = cards.gap_to_average(
    r["per_10k"], None if target is None else target * funnel.PER, r["complaints"]
)
cells[3].metric(
    "万人投诉率",
    fmt.per10k(r["per_10k"]) + ("" if pd.isna(r["per_10k"]) else " 件/万户"),
    border=True,
    delta=gap_text,
    delta_color=gap_colour,
    delta_arrow=gap_arrow,
    help=help_of["万人投诉率"]
    + " 下方为与平均万人投诉率之差（件/万户），高于平均为红色、低于平均为绿色；"
    + f"期间投诉少于 {cards.SMALL_BASE} 件时不着色、不作好坏判断（几件投诉的差异不代表问题）。",
)
cells[4].metric("按时办结率", fmt.rate(r["on_time_rate"]), border=True, help=help_of["按时办结率"])
cells[5].metric("满意率", fmt.rate(r["satisfaction_rate"]), border=True, help=help_of["满意率"])
no_customer_key = data.no_customer_key
instead = repeats.card_instead(no_customer_key, data.repeats_removed)
if instead:
    cells[6].metric(
        "重复投诉率",
        instead[0],
        delta=instead[1],
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=(f"{repeats.UNKNOWN_ZH}。" if no_customer_key else f"{repeats.REMOVED_ZH}，不计入综合评分。")
        + help_of["重复投诉率"],
    )
else:
    cells[6].metric("重复投诉率", fmt.rate(r["repeat_rate"]), border=True, help=help_of["重复投诉率"])
cells[7].metric("平均办结天数", fmt.days(r["avg_handling_days"]), border=True, help=help_of["平均办结天数"])
if target is not None and pd.notna(r["per_10k"]):
    st.caption(
        f"万人投诉率下方的变化为与平均万人投诉率（{fmt.per10k(target * funnel.PER)} 件/万户）之差；{period}，含下辖机构"
        + (f"；投诉少于 {cards.SMALL_BASE} 件，差值不着色（{cards.SMALL_NOTE}）。" if few else "。")
    )
if in_table and r["ranked"]:
    st.caption(
        f"关注结论：{r['attention']}（漏斗图：{r['status']}）· 名次 90% 区间：{r['rank_interval']}"
        f" · 名次变化：{r['rank_change_label'] or fmt.DASH}（对比{previous}）。"
    )

org_trend, bank_trend, mix = profile.org_trend, profile.bank_trend, profile.mix
recurring_from, recurring_to = rk.recurring_window(filters.month_to)
recurring, repeaters = profile.recurring, profile.repeaters

left, right = st.columns([3, 2])
with left:
    trend = rk.trend_comparison(org_trend, bank_trend)
    if trend["org_per_10k"].notna().any():
        st.plotly_chart(figures.figure(charts.trend_chart, trend, name, bank), width="stretch", config=CHART_CONFIG)
    else:
        st.info(f"{name_md}在这些月份没有客户数数据，无法绘制万人投诉率走势。")
with right:
    if in_table and r["ranked"] and pd.notna(r["score"]):
        st.plotly_chart(
            figures.figure(charts.breakdown_chart, rk.score_breakdown(r, settings)),
            width="stretch",
            config=CHART_CONFIG,
        )
        st.caption("每项 = 该指标百分位（100 = 最差）× 权重 ÷ 权重之和；各项之和即关注度得分。")
    else:
        st.info("该机构不参与排名，没有关注度得分构成。")

st.markdown(f"##### 投诉构成与{bank_md}对比")
if int(r["complaints"]) == 0:
    st.info(f"{name_md}在{period}没有投诉，无法比较构成。")
else:
    a, b = st.columns(2)
    for column, dimension, label in ((a, "business_category", "业务类别"), (b, "reason", "投诉原因")):
        comparison = rk.mix_comparison(mix, dimension)
        with column:
            st.plotly_chart(
                figures.figure(charts.mix_chart, comparison, f"{label}：与{bank}占比差异最大的", bank),
                width="stretch",
                config=CHART_CONFIG,
            )
    st.caption(
        f"红色：该机构此类投诉占比高于{bank_md}；蓝色：低于{bank_md}。差异 = 本机构占比 − {bank_md}占比（个百分点）。"
    )

st.markdown("##### 反复出现的问题")
st.caption(rk.RECURRING_RULE + f" 窗口：{period_label(recurring_from, recurring_to)}。")
if recurring.empty:
    st.info(f"{name_md}及下辖机构在最近 {RECURRING_WINDOW_MONTHS} 个月中没有反复出现的问题。")
else:
    issues = recurring.rename(
        columns={
            "branch_name": "机构名称",
            "branch_code": "机构代码",
            "business_category": "业务类别",
            "reason": "投诉原因",
            "months_present": "出现月数",
            "complaints": "投诉量",
            "last_month_complaints": "报告月投诉量",
            "history": "各月投诉量",
        }
    )
    st.dataframe(
        issues[["机构名称", "机构代码", "业务类别", "投诉原因", "出现月数", "投诉量", "报告月投诉量", "各月投诉量"]],
        hide_index=True,
        placeholder=fmt.DASH,
        column_config={
            "出现月数": st.column_config.NumberColumn(help=f"最近 {RECURRING_WINDOW_MONTHS} 个月中有投诉的月数。"),
            "各月投诉量": st.column_config.BarChartColumn(help="窗口内各月投诉量，由远及近。", y_min=0),
        },
    )
    total = int(recurring["issues"].iloc[0])
    if total > len(recurring):
        st.caption(f"共 {total:,} 项，显示前 {len(recurring):,} 项。")

st.markdown("##### 重复投诉客户")
st.caption(
    f"重复投诉：同一客户在此前 {REPEAT_WINDOW_DAYS} 天内已有同一业务类别的投诉（导入时按全部数据标记）。投诉内容已脱敏。"
)
if no_customer_key:
    st.info(f"重复投诉客户：{repeats.UNKNOWN_ZH}（部分投诉的源系统没有客户号）。")
elif repeaters.empty:
    st.info(f"{name_md}及下辖机构在{period}没有重复投诉的客户。")
else:
    people = repeaters.assign(
        latest_content=mask_series(repeaters["latest_content"]), customer_id=mask_customer_ids(repeaters["customer_id"])
    ).rename(
        columns={
            "customer_id": "客户号",
            "complaints": "投诉量",
            "repeats": "重复投诉",
            "categories": "业务类别",
            "branches": "涉及机构数",
            "first_received": "首次受理",
            "last_received": "最近受理",
            "latest_content": "最近一次投诉内容（脱敏）",
        }
    )
    st.dataframe(
        people[
            [
                "客户号",
                "投诉量",
                "重复投诉",
                "业务类别",
                "涉及机构数",
                "首次受理",
                "最近受理",
                "最近一次投诉内容（脱敏）",
            ]
        ],
        hide_index=True,
        placeholder=fmt.DASH,
        column_config={
            "首次受理": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "最近受理": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        },
    )
    total = int(repeaters["total_customers"].iloc[0])
    if total > len(repeaters):
        st.caption(f"共 {total:,} 位客户，显示重复投诉最多的 {len(repeaters):,} 位。")

st.markdown("##### 下辖机构排名")
below = profile.sub_levels
if not below:
    st.info(f"{name_md}没有下辖机构。")
else:
    sub_level = st.radio(
        "下辖机构层级",
        below,
        horizontal=True,
        key=f"rk_sub_level_{code}",
        help="与上方排名相同的指标、权重、门槛和得分方法，只在该机构的下辖机构之间比较。",
    )
    sub = profile.sub
    sub_shown = rk.display_table(sub.table)
    for column in ("按时办结率", "满意率", "重复投诉率", "解决率", "老年客户占比"):
        sub_shown[column] = sub_shown[column] * 100.0
    sub_shown["月均客户数"] = sub_shown["月均客户数"].round(0)
    st.dataframe(
        sub_shown.drop(columns=["上级机构"]),
        hide_index=True,
        placeholder=fmt.DASH,
        column_config={k: v for k, v in column_config.items() if k != "机构名称"},
    )
