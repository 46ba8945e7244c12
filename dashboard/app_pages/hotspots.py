"""热点分析: where complaints concentrate, what is surging, hot topics, and the complaints behind them.

Clicking a bar or point adds a page-local drill-down (st.session_state["hs_drill"], shown as removable
chips) that narrows every chart and the list; the sidebar's global filters stay as they are. The search
box (AND / OR / NOT, "phrases": dashboard/text/search_query.py) filters the whole page the same way,
surges included, and its matches are marked in the complaint's narrative (masked text only). The
drill-down, the selected term, the search and the surge thresholds are in the URL (ui/url_state.py).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt, schema
from dashboard.analysis import events, surges
from dashboard.analysis import hotspots as hs
from dashboard.auth import audit
from dashboard.charts import hotspots as charts
from dashboard.charts.style import unplain
from dashboard.config import SURGE_BASELINE_MONTHS, SURGE_MAX_P, SURGE_MIN_EXTRA, SURGE_MIN_RATIO
from dashboard.derived import masked_text
from dashboard.filters import add_months, month_label, selection_notes
from dashboard.text import search_guard, search_query
from dashboard.text.masking import mask, mask_series
from dashboard.ui import (
    complaint_detail,
    complaint_list,
    context,
    elderly_profile,
    figures,
    identity,
    ledger_form,
    lens,
    look,
    url_state,
)

ctx = context.require()
filters = ctx.filters
state = st.session_state
state.setdefault("hs_drill", {})
state.setdefault("hs_gen", 0)  # bumped after a click: charts get fresh keys, old selections vanish
state.setdefault("hs_term", None)
# A link's view (url_state): drill-down, term, search, thresholds, ordering; on a session's first run.
_seeded = url_state.seed(
    "hs_",
    {
        **{key: (lambda v: v) for key in hs.DRILL_URL_KEYS.values()},
        "hs_term": str,
        "hs_q": str,
        "hs_rule_ratio": url_state.number(float, 1.0, 10.0),
        "hs_rule_extra": url_state.number(int, 1, 1000),
        "hs_rule_p": url_state.choice((0.05, 0.01, 0.001, 0.0001)),
        "hs_sort_rate": url_state.flag,
    },
)
if any(key in _seeded for key in hs.DRILL_URL_KEYS.values()):
    # a product travels as its key (H60): mapped back among the products of the user's own selection
    _linked = {k: str(v) for k, v in _seeded.items()}
    state["hs_drill"] = hs.drill_from_query(_linked, products=lambda: context.query("hotspots_products")["product"])
    state["hs_drill_dropped"] = hs.dropped_drill(_linked, state["hs_drill"])
for _key in ("hs_term", "hs_q", "hs_rule_ratio", "hs_rule_extra", "hs_sort_rate"):
    if _key in _seeded:
        state[_key] = _seeded[_key]
if "hs_rule_p" in _seeded:
    state["hs_rule_p"] = _seeded["hs_rule_p"]
# defaults in session state (a link may have set them), so the widgets take no value= of their own
state["hs_rule_ratio"] = min(max(float(state.get("hs_rule_ratio", SURGE_MIN_RATIO)), 1.0), 10.0)
state["hs_rule_extra"] = min(max(int(state.get("hs_rule_extra", SURGE_MIN_EXTRA)), 1), 1000)
state.setdefault("hs_rule_p", SURGE_MAX_P)
drill: dict = state["hs_drill"]
for _warning in state.pop("hs_drill_dropped", ()):  # once, when the link is read
    st.warning(fmt.literal(_warning), icon="⚠️")


def write_url(with_search: bool = True) -> None:
    """The page's state into the URL (defaults left out; a search that was refused or unreadable, not)."""
    rule_values = {
        "hs_rule_ratio": state.get("hs_rule_ratio"),
        "hs_rule_extra": state.get("hs_rule_extra"),
        "hs_rule_p": state.get("hs_rule_p"),
    }
    defaults = {
        "hs_rule_ratio": float(SURGE_MIN_RATIO),
        "hs_rule_extra": int(SURGE_MIN_EXTRA),
        "hs_rule_p": SURGE_MAX_P,
    }
    url_state.write(
        "hs_",
        {
            **hs.drill_to_query(drill),
            # a term that reads as a person (a planted link) is not carried on (hostile H257)
            "hs_term": None if search_guard.refusal(state.get("hs_term")) else state.get("hs_term"),
            # a search for a person stays out of the URL (history, shared links, proxy logs: H114)
            "hs_q": None
            if not with_search or search_guard.refusal(state.get("hs_q")) or state.get("_hs_q_hidden")
            else state["hs_q"].strip(),
            **{k: (None if v is None or v == defaults[k] else f"{v:g}") for k, v in rule_values.items()},
            "hs_sort_rate": "1" if state.get("hs_sort_rate") else None,
        },
    )


def period_text(month_from, month_to) -> str:
    if month_from == month_to:
        return f"{month_from.year}年{month_from.month}月"
    return f"{month_from.year}年{month_from.month}月—{month_to.year}年{month_to.month}月"


def apply_click(event, keys: tuple[str, ...], decode: dict | None = None) -> None:
    """A click on a chart point: put its customdata into the drill-down under `keys`, then rerun."""
    points = event.selection.points if event is not None else []
    if not points:
        return
    values = points[0].get("customdata")
    if values is None:
        return
    # the figure holds data escaped for plotly (charts.style.plain): back to the value before it filters
    values = [unplain(v) for v in (values if isinstance(values, list) else [values])]
    for name, value in zip(keys, values):
        if value is not None and value == value:
            drill[name] = (decode or {}).get(value, value)
    state["hs_gen"] += 1
    st.rerun()


def chart(fig, name: str, keys: tuple[str, ...], decode: dict | None = None) -> None:
    """decode: customdata -> drill-down value, for a key the browser must not see (H60: a raw product name)."""
    event = st.plotly_chart(
        fig,
        on_select="rerun",
        selection_mode=("points",),
        key=f"hs_{name}_{state['hs_gen']}",
        config={"displayModeBar": False},
    )
    apply_click(event, keys, decode)


# --- Search: a filter of the whole page (checked before anything is counted) --------------------------------
st.text_input(
    "在投诉内容中搜索（筛选整页）",
    key="hs_q",
    placeholder='如：年费 OR 手续费；"提前还款" NOT 违约金；(花呗 OR 借呗) 催收',
    help="筛选整页：投诉量、各图表、激增、热点词和投诉明细都只统计内容含搜索词的投诉。空格或 AND 表示同时包含，"
    "OR（或 |）表示任一包含，NOT（或词前加 -）表示不包含，英文双引号内为完整短语，可用括号组合；不区分英文大小写。"
    "为保护个人信息，无查看权限的用户不能按手机号、证件号、卡号、姓名等搜索。",
)
try:
    search = search_query.parse(state.get("hs_q"))
except search_query.SearchError as error:
    write_url(with_search=False)
    st.error(f"搜索条件无法识别：{fmt.literal(error)}")
    st.stop()
SURGES_TOO_MANY = (  # formatted by guarded_search with the word and the cap
    f"“{{}}”在激增的统计范围（近 {surges.SERIES_MONTHS} 个月，不受页面下钻影响）内出现于 {{:,}} 件以上投诉，"
    "无法逐件核对它是否只出现在已脱敏的个人信息中。为保护个人信息，本次不显示激增；可增加侧边栏筛选条件后再看。"
)


def hits_in(selection: dict):
    """A word's hits in this selection, each with whether the stored masked text hides it (the hits it has no
    masked text for, the guard masks, or refuses above the cap)."""
    return lambda text: context.query(
        "complaints_search_hidden",
        **selection,
        search=text,
        tokenizer=masked_text.current_tokenizer(),
        limit=search_guard.HITS_CHECKED + 1,
    ).itertuples(index=False)


# every word's hidden hits in the page's drilled selection
refused, search = complaint_list.guarded_search(
    search, identity.principal(), hits_in(hs.selection_overrides(filters, drill))
)
if refused:
    write_url(with_search=False)
    st.warning(fmt.literal(refused))
    st.stop()
# the words of it that look a person up (a name fragment found only inside masked spans) keep the search out of
# the URL and are masked wherever it is written: the audit log, an export's 说明 (hostile H257)
state["_hs_q_hidden"] = complaint_list.person_words(search, hits_in(hs.selection_overrides(filters, drill)))
write_url()
# the surges count the search on their own window, not drilled: its hidden hits are checked there too (a
# word with more hits there than can be checked leaves the surges out, the rest of the page stands)
surges_refused, surge_search = complaint_list.guarded_search(
    search, identity.principal(), hits_in(hs.surge_selection(filters)), too_many=SURGES_TOO_MANY
)
if complaint_list.looks_up_a_person(search, identity.principal(), hits_in(hs.selection_overrides(filters, drill))):
    # a user who may look a person up does so on the record, once per query and session (hostile H115, H259)
    audited = st.session_state.setdefault("_hs_searches_audited", set())
    if search.text not in audited:
        try:
            audit.record(
                "search",
                identity.principal() or identity.current_user(),
                {"page": "热点分析", "query": search_guard.written(search.text, state["_hs_q_hidden"])},
            )
        except audit.AuditError as error:  # no line in the log, no lookup (fail closed)
            st.error(f"{fmt.literal(str(error).rstrip('。'))}，未执行该搜索。")
            st.stop()
        audited.add(search.text)
if search is not None:
    st.caption(f"当前搜索：{fmt.literal(search.text)}（整页只统计内容符合该搜索的投诉，包括激增和热点词）。")

# The page's state (widget values from the previous run), then all of its data from one loader.
effective_org = drill.get("org") or filters.org
page_state = hs.HotspotsState(
    drill=dict(drill),
    term=state["hs_term"],
    search=search,
    level=state.get(f"hs_level_{effective_org}"),
    rule=surges.SurgeRule(
        min_ratio=state.get("hs_rule_ratio", float(SURGE_MIN_RATIO)),
        min_extra=state.get("hs_rule_extra", int(SURGE_MIN_EXTRA)),
        max_p=state.get("hs_rule_p", SURGE_MAX_P),
        baseline_months=SURGE_BASELINE_MONTHS,
    ),
    listing=complaint_list.options(
        hs.list_overrides(filters, drill, term=state["hs_term"], search=search), key="hs_list"
    ),
    surge_search=surge_search,
    surges_refused=surges_refused,
)
with st.spinner("正在统计投诉分布…"):
    data = context.loaded(hs.load, filters, page_state)
terms_ready = data.terms_ready  # not ready: no hot terms, the list still works
names, levels = data.names, data.levels


def drill_value(name: str, value) -> str:
    if name == "org":
        return f"{names.get(value, value)}（{value}）"
    if name == "month":
        return month_label(value)
    if name == "product":
        return str(mask(str(value)))  # masked as on the bar it came from (H60)
    return str(value)


# --- Header and drill-down chips ----------------------------------------------------------------------
month_from, month_to = data.month_from, data.month_to
st.title(f"热点分析 · {period_text(filters.month_from, filters.month_to)}")
lens.counting_caption(ctx.filters)
st.caption(
    "按侧边栏的期间和筛选条件统计。点击任一图表中的柱或点，可把整页（含下方投诉明细）下钻到该项；"
    "下钻条件显示在下方，可逐个移除，侧边栏的筛选条件不受影响。"
)

if drill:
    chips = st.container(horizontal=True, vertical_alignment="center", key="hs_chips")
    look.sticky("hs_chips")  # in view while the page scrolls: a click far down shows its chip
    chips.markdown("**下钻条件：**", width="content")
    for name, value in list(drill.items()):
        if chips.button(
            f"{hs.DRILL_LABELS[name]}：{fmt.literal(drill_value(name, value))} ✕",
            key=f"hs_chip_{name}",
            help="移除此下钻条件",
        ):
            drill.pop(name)
            state["hs_gen"] += 1
            st.rerun()
    if chips.button("清除全部下钻", key="hs_chip_all", type="tertiary"):
        drill.clear()
        state["hs_gen"] += 1
        st.rerun()

if drill or filters.org or filters.categories or filters.reasons:  # the slice in view -> a ledger item
    one = {k: v[0] for k, v in (("category", filters.categories), ("reason", filters.reasons)) if v and len(v) == 1}
    slice_fields = {
        "branch_code": drill.get("org") or filters.org,
        "business_category": drill.get("category") or one.get("category"),
        "reason": drill.get("reason") or one.get("reason"),
    }
    slice_words = " · ".join(str(v) for v in slice_fields.values() if v) or "当前切片"
    ledger_form.popover(
        "hs_item",
        f"热点切片 {slice_words} 整改",
        source="hotspot",
        label="为当前切片建立整改事项",
        source_note=f"热点分析 {period_text(filters.month_from, filters.month_to)}："
        + "；".join(f"{hs.DRILL_LABELS[k]} {drill_value(k, v)}" for k, v in drill.items()),
        **slice_fields,
    )

parts = data.parts
total = parts["total"]

# --- 1. Concentration -----------------------------------------------------------------------------------
st.header("投诉集中在哪里")
if total == 0:
    st.warning(
        f"{period_text(month_from, month_to) if month_from <= month_to else '所选期间'}在当前筛选"
        "和下钻条件下没有投诉。可移除部分下钻条件，或调整侧边栏的期间或筛选条件。"
    )
else:
    matrix = parts["category_reason"]
    biggest = matrix.iloc[0]  # rows are ordered by complaints, largest first
    top = st.columns(3)
    top[0].metric(
        "投诉量", f"{fmt.count(total)} 件", help="当前期间、筛选和下钻条件下受理的投诉工单数（按投诉编号去重）。"
    )
    top[1].metric(
        "最集中组合的占比", fmt.rate(biggest["share"]), help="投诉量最多的业务类别 × 投诉原因组合的投诉量 ÷ 投诉量。"
    )
    top[2].metric(
        "前 5 个组合合计占比",
        fmt.rate(matrix["share"].head(5).sum()),
        help="投诉量最多的 5 个业务类别 × 投诉原因组合的投诉量之和 ÷ 投诉量，越高说明投诉越集中。",
    )
    top[1].caption(f"{biggest['business_category']} × {biggest['reason']}：{fmt.count(biggest['complaints'])} 件")

    st.subheader("业务类别 × 投诉原因")
    st.caption("气泡面积与投诉量成正比，数字为投诉量。点击气泡下钻到该业务类别和原因。")
    # Axes in the contract's order; a value outside it (a data-quality finding) is appended, not dropped.
    categories = [c for c in schema.BUSINESS_CATEGORIES if c in set(matrix["business_category"])]
    categories += sorted(set(matrix["business_category"]) - set(categories))
    reasons = [r for r in schema.REASONS if r in set(matrix["reason"])]
    reasons += sorted(set(matrix["reason"]) - set(reasons))
    chart(figures.figure(charts.category_reason_matrix, matrix, categories, reasons), "matrix", ("category", "reason"))

    regions = data.regions
    rate_help = (
        "万人投诉率 = 投诉量 ÷ 期间内月均客户数 × 10,000；客户数为该地区（机构及其下辖机构）自身客户数之和，"
        "业务类别、原因、渠道、产品等条件只筛选投诉、不影响客户数；未导入客户数时显示 —；"
        "下辖机构在有投诉的月份缺少客户数时显示“— 客户数不全”，按万人投诉率排序时不列出。"
    )
    # one tab per dimension (they were five charts, 2,500 px, between the matrix and the complaint list)
    st.subheader("按渠道、产品、地区和机构")
    sort_by_rate = st.toggle("地区和机构按万人投诉率排序", key="hs_sort_rate", help=rate_help)
    value = "per_10k" if sort_by_rate else "complaints"
    tab_channel, tab_product, tab_province, tab_city, tab_org = st.tabs(["投诉渠道", "产品", "省份", "城市", "机构"])
    left, right = tab_channel, tab_product
    with left:
        chart(
            figures.figure(charts.ranked_bars, parts["channel"], "channel", "channel", top=10), "channel", ("channel",)
        )
    with right:
        products = parts["product"]
        no_product = total - int(products["complaints"].sum())
        st.caption(
            f"投诉量最多的 15 个产品；{fmt.count(no_product)} 件投诉未填写产品。"
            if no_product
            else "投诉量最多的 15 个产品。"
        )
        if products.empty:
            st.info("当前投诉均未填写产品名称。")
        else:
            # H60: the label is free text a source system lets staff type: masked on the bar, raw in the key
            # the bar's customdata is its position, decoded to the raw name on the server
            shown = products.assign(label=mask_series(products["product"]), pick=range(len(products)))
            decode = dict(zip(shown["pick"], shown["product"]))
            chart(figures.figure(charts.ranked_bars, shown, "label", "pick", top=15), "product", ("product",), decode)

    left, right = tab_province, tab_city
    head_office = hs.head_office_complaints(regions)
    region_note = (
        f"另有 {fmt.count(head_office)} 件投诉由总行本部受理，不属于任何地区，未计入。" if head_office else ""
    ) + (hs.RATE_ORDER_NOTE if sort_by_rate else "")
    with left:
        provinces, left_out = hs.ranked_rows(regions[regions["level"] == "province"], sort_by_rate)
        st.caption("前 15 个省份。" + region_note + (f"（{left_out} 个省份未达门槛）" if left_out else ""))
        chart(
            figures.figure(charts.ranked_bars, provinces, "province", "province", top=15, value=value, rate="per_10k"),
            "province",
            ("province",),
        )
    with right:
        cities, left_out = hs.ranked_rows(regions[regions["level"] == "city"], sort_by_rate)
        st.caption("前 15 个城市。" + region_note + (f"（{left_out} 个城市未达门槛）" if left_out else ""))
        chart(
            figures.figure(
                charts.ranked_bars, cities, "city", ["province", "city"], top=15, value=value, rate="per_10k"
            ),
            "city",
            ("province", "city"),
        )

    with tab_org:
        below = data.below
        if not below:
            st.info(f"{fmt.literal(names.get(effective_org, effective_org))}是支行，没有下辖机构可供比较。")
        else:
            level = (
                st.segmented_control(
                    "机构层级",
                    below,
                    default=below[0],
                    key=f"hs_level_{effective_org}",
                    help="每个机构的投诉量包含其全部下辖机构。",
                )
                or below[0]
            )
            orgs, left_out = hs.ranked_rows(data.orgs, sort_by_rate)
            if orgs.empty:
                st.info(
                    f"当前条件下没有投诉量不少于 {hs.MIN_COMPLAINTS} 件、可按万人投诉率排序的{level}。"
                    if sort_by_rate and left_out
                    else f"当前条件下没有{level}层级的投诉。"
                )
            else:
                orgs = orgs.assign(label=orgs["branch_name"] + "（" + orgs["branch_code"] + "）")
                st.caption(
                    f"共 {len(orgs) + left_out:,} 个{level}有投诉，按{'万人投诉率' if sort_by_rate else '投诉量'}显示前 20 个。"
                    + (hs.RATE_ORDER_NOTE + f"（{left_out} 个未达门槛）" if sort_by_rate else "")
                    + "点击下钻到该机构，再选下一层级可逐级查看。"
                )
                chart(
                    figures.figure(
                        charts.ranked_bars, orgs, "label", "branch_code", top=20, value=value, rate="per_10k"
                    ),
                    "org",
                    ("org",),
                )

    with st.expander(elderly_profile.TITLE, icon=":material/elderly:"):
        elderly_profile.draw(data.elderly)

# --- 2. Complaint list and detail: what the drill-downs narrow, right under them ----------------------
st.header("投诉明细")
term = state["hs_term"]
if term:
    if st.button(f"关键词：{fmt.literal(term)} ✕", key="hs_chip_term", help="移除关键词筛选"):
        state["hs_term"] = None
        st.rerun()
    st.caption(f"只显示投诉内容分词后含“{fmt.literal(term)}”的投诉。")
# what the export was cut with, in its 说明 sheet (hostile H56): basis, group, period, organisation, filters,
# the drill-down, the term and the search
export_notes = [
    *selection_notes(filters, names, ctx.snapshot.meta.get("as_of")),
    ("下钻", "；".join(f"{hs.DRILL_LABELS[k]}：{drill_value(k, v)}" for k, v in drill.items()) or "无"),
    ("关键词", term or "无"),
    ("搜索", search_guard.written(state.get("hs_q"), state.get("_hs_q_hidden", ())) or "无"),
]
picked_id = complaint_list.render(data.listing, key="hs_list", file_stem="热点分析_投诉明细", notes=export_notes)
if picked_id:
    complaint_detail.render(picked_id, key="hs_detail", highlight=search.positive_terms if search else ())

# --- 3. Surges --------------------------------------------------------------------------------------------
surge_month = filters.month_to
st.header(f"投诉激增 · {surge_month.year}年{surge_month.month}月")
with st.expander("激增判定阈值（可调整）", expanded=bool(url_state.read("hs_rule"))):
    cols = st.columns(3)
    min_ratio = cols[0].number_input(
        "倍数下限",
        min_value=1.0,
        max_value=10.0,
        step=0.1,
        key="hs_rule_ratio",
        help="当月投诉量 ≥ 前 6 个月均值 × 该倍数。",
    )
    min_extra = cols[1].number_input(
        "增量下限（件）",
        min_value=1,
        max_value=1000,
        step=1,
        key="hs_rule_extra",
        help="当月投诉量 − 前 6 个月均值 ≥ 该件数。",
    )
    max_p = cols[2].select_slider(
        "显著性 p 值上限",
        options=(0.05, 0.01, 0.001, 0.0001),
        key="hs_rule_p",
        help="按泊松分布计算出现当月这么多投诉的概率，须小于该值。",
    )
rule = surges.SurgeRule(min_ratio=min_ratio, min_extra=min_extra, max_p=max_p, baseline_months=SURGE_BASELINE_MONTHS)
st.caption(
    f"判定规则：{rule.describe()}。切片包括：业务类别×投诉原因（全行）、机构×业务类别、机构×业务类别×投诉原因"
    "（一级分行、二级分行、支行，均含下辖机构）、产品。受侧边栏筛选条件和搜索影响，不受页面下钻影响。"
)
first_month, found = data.first_month, data.surges

if data.surges_refused:
    st.warning(fmt.literal(data.surges_refused))
elif not surges.history_complete(surge_month, first_month, rule):
    st.info(
        f"判断 {month_label(surge_month)} 是否激增需要此前 {rule.baseline_months} 个月的数据，"
        f"而数据自 {month_label(first_month) if first_month else '—'} 起，不足 {rule.baseline_months} 个月，无法判断。"
    )
elif found.empty:
    st.success(f"{month_label(surge_month)} 在当前筛选条件下没有符合规则的激增。")
else:
    st.metric("激增切片数", f"{len(found):,} 个", help=f"符合规则的切片个数。{rule.describe()}。")
    series_months = [
        month_label(add_months(surge_month, i - surges.SERIES_MONTHS + 1))[2:] for i in range(surges.SERIES_MONTHS)
    ]

    def slice_text(row) -> str:
        parts = []
        if not pd.isna(row["branch_code"]):
            parts.append(f"{row['branch_name']}（{row['branch_code']}，{row['branch_level']}）")
        parts += [str(row[c]) for c in ("business_category", "reason") if not pd.isna(row[c])]
        parts += [str(mask(str(row["product"])))] if not pd.isna(row["product"]) else []  # H60
        return " · ".join(parts)

    table = pd.DataFrame(
        {
            "类型": found["kind"].map(surges.KIND_LABELS),
            "切片": [slice_text(row) for _, row in found.iterrows()],
            "当月投诉量": found["complaints"],
            "预期": found["baseline"].round(1),
            "多出": (found["complaints"] - found["baseline"]).round(0).astype(int),
            "显著性": [events.significance_words(float(p)) for p in found["p_value"]],
            "近12个月": found["series"],
        }
    )
    st.caption("按显著程度排序（越显著越靠前）。选择一行可查看其近 12 个月走势，并把整页下钻到该切片和月份。")
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"hs_surges_{state['hs_gen']}",
        column_config={
            "近12个月": st.column_config.BarChartColumn(
                help=f"{series_months[0]} 至 {series_months[-1]} 每月投诉量", y_min=0
            ),
            "切片": st.column_config.TextColumn(width="large"),
            "当月投诉量": st.column_config.NumberColumn(format="%d 件"),
            "预期": st.column_config.NumberColumn(
                format="%.1f 件", help="按前 6 个月平均水平预期的当月投诉量（无投诉的月份计 0）。"
            ),
            "多出": st.column_config.NumberColumn(format="%d 件", help="当月投诉量 − 预期。"),
            "显著性": st.column_config.TextColumn(
                help="极显著：按预期水平出现如此多投诉的概率不到千分之一；显著：不到百分之一。计算方法见下方“方法说明”。"
            ),
        },
    )
    with st.expander("方法说明：激增的显著性（供分析人员）"):
        st.caption(
            f"p 值：泊松分布下出现不少于当月投诉量的概率（均值取前 6 个月平均，不低于 {rule.mean_floor:g}）；"
            "p < 0.001 为极显著，p < 0.01 为显著。倍数 = 当月投诉量 ÷ 前 6 个月平均（平均为 0 时为“新出现”）。"
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "切片": table["切片"],
                    "倍数": [("新出现" if pd.isna(r) else f"{r:.1f}") for r in found["ratio"]],
                    "p 值": [f"{p:.1e}" for p in found["p_value"]],
                }
            ),
            hide_index=True,
        )
    rows = event.selection.rows if event is not None else []
    if rows:
        pick = found.iloc[rows[0]]
        new = {"month": surge_month}
        for name, column in (
            ("org", "branch_code"),
            ("category", "business_category"),
            ("reason", "reason"),
            ("product", "product"),
        ):
            if not pd.isna(pick[column]):
                new[name] = pick[column]
        drill.clear()
        drill.update(new)
        state["hs_surge_pick"] = {
            "series": list(pick["series"]),
            "baseline": float(pick["baseline"]),
            "label": table.iloc[rows[0]].drop("近12个月").to_dict(),
        }
        state["hs_gen"] += 1
        st.rerun()
    picked = state.get("hs_surge_pick")
    if picked is not None and drill.get("month") == surge_month:
        label = picked["label"]
        st.markdown(
            f"**近 12 个月走势：{label['类型']} · {fmt.literal(label['切片'])}**（当月 {label['当月投诉量']:,} 件，"
            f"按前 6 个月预期约 {label['预期']:.1f} 件，{label['显著性']}）"
        )
        st.plotly_chart(
            figures.figure(
                charts.surge_history,
                [
                    month_label(add_months(surge_month, i - surges.SERIES_MONTHS + 1))
                    for i in range(surges.SERIES_MONTHS)
                ],
                list(picked["series"]),
                float(picked["baseline"]),
                rule.baseline_months,
            ),
            key="hs_surge_chart",
            config={"displayModeBar": False},
        )

# --- 4. Hot topics ----------------------------------------------------------------------------------------
st.header("热点词")
if not terms_ready:
    st.info(
        context.text_note()
        or "当前数据版本尚未生成投诉内容分词表（导入时生成；大批量导入可能选择了稍后生成）。"
        "请运行 python -m dashboard rebuild，或重新导入一次投诉数据后再查看热点词。"
    )
elif total == 0:
    st.info("当前条件下没有投诉，无法统计热点词。")
else:
    if stale := data.stale_note:  # cut before a masking or dictionary release, until rebuild
        st.info(stale)
    terms_params, term_table = data.terms_params, data.term_table
    prev_from, prev_to = terms_params["prev_from"], add_months(month_from, -1)
    st.caption(
        f"只列出在本期至少 {hs.MIN_TERM_DOCS} 件投诉中出现的词。“上升最快”与上一个等长期间"
        f"（{period_text(prev_from, prev_to)}）比较，占比明显上升且不是偶然波动的词。点击词语可在投诉明细中只看含该词的投诉。"
    )
    with st.expander("方法说明", icon=":material/info:"):
        st.markdown(
            "投诉内容经脱敏、分词（jieba + 银行业与金融机构词典，同一机构的不同写法合并计数；英文投诉按英文分词）"
            "并去除停用词、虚词和脱敏部分后统计。“上升最快”：提及该词的投诉占比"
            f"较上期的倍数 ≥ {hs.RISING_LIFT:g}，且对数似然比检验 G² ≥ {hs.RISING_G2:g}（显著性 p < 0.01，"
            "即这样的上升由偶然波动造成的概率不足 1%）。"
        )
    if term_table.empty:
        st.info(f"当前条件下没有在至少 {hs.MIN_TERM_DOCS} 件投诉中出现的词。")
    else:
        left, right = st.columns(2)
        with left:
            st.subheader("高频词")
            event = st.plotly_chart(
                figures.figure(charts.term_bars, term_table, "share", selected=state["hs_term"]),
                on_select="rerun",
                selection_mode=("points",),
                key=f"hs_terms_top_{state['hs_gen']}",
                config={"displayModeBar": False},
            )
        with right:
            st.subheader("上升最快")
            st.caption("条形从上期件数画到本期件数，按增加的件数排序。")
            rising = hs.rising_terms(term_table)
            event_rising = None
            if rising.empty:
                st.info("与上一期相比没有显著上升的词（上一期无数据时也无法比较）。")
            else:
                event_rising = st.plotly_chart(
                    figures.figure(charts.rising_bars, rising, selected=state["hs_term"]),
                    on_select="rerun",
                    selection_mode=("points",),
                    key=f"hs_terms_rising_{state['hs_gen']}",
                    config={"displayModeBar": False},
                )
        for ev in (event, event_rising):
            points = ev.selection.points if ev is not None else []
            if points and points[0].get("customdata"):
                value = points[0]["customdata"]
                state["hs_term"] = unplain(value[0] if isinstance(value, list) else value)
                state["hs_gen"] += 1
                st.rerun()
