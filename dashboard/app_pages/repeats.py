"""重复与溯源: repeat complainants, recurring issues, similar complaints; each can open a ledger item."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import clock, fmt, schema
from dashboard.analysis import recurring, repeats, similar_groups
from dashboard.charts import repeats as charts
from dashboard.config import RECURRING_MIN_MONTHS, RECURRING_WINDOW_MONTHS, REPEAT_WINDOW_DAYS, data_dir
from dashboard.derived import similar_index
from dashboard.filters import month_label
from dashboard.ledger.store import SOURCES, Ledger, LedgerError
from dashboard.text.masking import mask, mask_customer_id, mask_customer_ids, mask_series
from dashboard.ui import context, figures, lens, url_state
from dashboard.ui.identity import current_scope, current_user, principal
from dashboard.ui.narrative import show_narrative
from dashboard.ui.pages import page

ctx = context.require()
filters = ctx.filters
month_from, month_to = filters.month_from, filters.month_to
period = month_label(month_from) if month_from == month_to else f"{month_label(month_from)} 至 {month_label(month_to)}"
st.title("重复与溯源")
lens.counting_caption(ctx.filters)
st.caption(
    f"期间：{period}（侧边栏的起止月份） · 反复出现的问题按截止月份向前回看 · "
    "发现的问题可直接建立整改事项，在“整改台账”跟踪整改和成效。"
)
ledger = Ledger(data_dir(), principal())  # a 分行 user sees and opens items of their own subtree only


def item_form(key: str, title: str, **slice_fields) -> None:
    """The form that opens a rectification item for a recurring issue or a similar group."""
    if not ledger.may_write(slice_fields.get("branch_code")):
        st.caption("您的角色不能为此建立整改事项（分行只能为本机构及下辖机构建立；行领导只能查看）。")
        return
    with st.form(key, border=True):
        st.markdown("**建立整改事项**")
        name = st.text_input("事项名称", value=title, max_chars=120, key=f"{key}_title")
        left, right = st.columns(2)
        root_cause = left.selectbox(
            "根因分类",
            schema.ROOT_CAUSES,
            index=None,
            placeholder="请选择根因",
            key=f"{key}_root",
            help="合同规定的根因分类：产品设计、流程缺陷、系统故障、员工行为、第三方合作、外部欺诈、客户误解、其他。",
        )
        owner = right.text_input("责任部门", placeholder="例如：信用卡中心 / 某支行运营部", key=f"{key}_owner")
        action = st.text_area("整改措施", placeholder="针对根因拟采取的整改措施", height=80, key=f"{key}_action")
        due = st.date_input(
            "整改期限",
            value=clock.today() + timedelta(days=30),
            format="YYYY-MM-DD",
            key=f"{key}_due",
            help="格式：年-月-日（如 2026-10-31），可点击输入框从日历中选择。默认为 30 天后。",
        )
        submitted = st.form_submit_button("建立整改事项", type="primary")
    if submitted:
        try:
            item_id = ledger.create(
                title=name,
                user=current_user(),
                root_cause=root_cause,
                owner_dept=owner,
                action=action,
                due_date=due,
                **slice_fields,
            )
        except LedgerError as error:
            st.error(fmt.literal(error))
        else:
            st.success(f"已建立整改事项 #{item_id}（状态：待整改），可在“整改台账”中跟踪。")
            st.page_link(page("ledger"), label="前往整改台账", icon=":material/assignment:")


def existing_items(**match) -> pd.DataFrame:
    items = ledger.items()
    if items.empty:
        return items
    keep = pd.Series(True, index=items.index)
    for field, value in match.items():
        keep &= items[field] == value
    return items[keep]


# The repeat rule and the recurring-issue rule from the link (ui/url_state.py), else the defaults: seeded
# before the loader's state is read, so a link's numbers are its rule's (H139).
URL_SPEC = {
    "rp_window": (url_state.number(int, 1, 365), REPEAT_WINDOW_DAYS),
    "rp_same": (url_state.flag, True),
    "rc_window": (url_state.number(int, 2, 24), RECURRING_WINDOW_MONTHS),
    "rc_min": (url_state.number(int, 1, 24), RECURRING_MIN_MONTHS),
}
url_state.widgets(("rp_", "rc_"), URL_SPEC)
st.session_state["rp_window"] = min(max(int(st.session_state["rp_window"]), 1), 365)
st.session_state["rc_window"] = min(max(int(st.session_state["rc_window"]), 2), 24)
st.session_state["rc_min"] = min(max(int(st.session_state["rc_min"]), 1), st.session_state["rc_window"])
url_state.write_widgets(("rp_", "rc_"), URL_SPEC)  # a changed widget reruns the page with its new value

# The page's state (the link's or the widgets' values), then all of its data from one loader.
state = st.session_state
page_state = repeats.RepeatsState(
    window_days=state.get("rp_window", REPEAT_WINDOW_DAYS),
    same_category=state.get("rp_same", True),
    level=state.get("rp_level"),
    customer=state.get("rp_customer"),
    recurring_window=state.get("rc_window", RECURRING_WINDOW_MONTHS),
    recurring_min=state.get("rc_min"),
    group_id=state.get("sm_group"),
    with_item=frozenset(recurring.ledger_keys(ledger.items())),
)
with st.spinner("正在识别重复投诉、反复出现的问题和相似投诉…"):
    data = context.loaded(repeats.load, filters, page_state)

tab_repeat, tab_recurring, tab_similar = st.tabs(["重复投诉客户", "反复出现的问题", "相似投诉"])

# === 1. Repeat complainants ==========================================================================
with tab_repeat:
    if data.unknowable:  # no figure at all rather than a 0 that reads "no repeats"
        st.info(
            f"重复投诉：{repeats.UNKNOWN_ZH}。当前范围内有投诉来自没有客户号的源系统（映射文件声明 "
            'customer_key = "none"），无法认定同一客户的重复投诉。'
        )
    else:
        if repeats.removed_by_basis(filters):
            st.info(repeats.REMOVED_BASIS_NOTE)
        left, right, _ = st.columns([1, 1, 2])
        window_days = left.number_input(
            "回溯天数",
            min_value=1,
            max_value=365,
            step=1,
            key="rp_window",
            help=f"合同口径为 {REPEAT_WINDOW_DAYS} 天（含第 {REPEAT_WINDOW_DAYS} 天）。",
        )
        same_category = right.toggle(
            "须同一业务类别",
            key="rp_same",
            help="开启（合同口径）：此前的投诉须与本次属于同一业务类别；关闭：任一业务类别均算。",
        )
        rule = repeats.rule_params(window_days, same_category)
        rule_help = repeats.rule_text(window_days, same_category)
        trend, top, total = data.trend, data.top, data.totals
        repeat_customers = data.repeat_customers
        cols = st.columns(4)
        cols[0].metric(
            "投诉量",
            fmt.count(total["complaints"]) + " 件",
            border=True,
            help="期间内、当前筛选条件下受理的投诉工单数。",
        )
        cols[1].metric(
            "重复投诉",
            fmt.count(total["repeats"]) + " 件",
            border=True,
            help="按下述规则认定为重复投诉的工单数。" + rule_help,
        )
        cols[2].metric(
            "重复投诉率", fmt.rate(total["repeat_rate"]), border=True, help="重复投诉 ÷ 投诉量。" + rule_help
        )
        cols[3].metric(
            "有重复投诉的客户",
            fmt.count(repeat_customers) + " 位",
            border=True,
            help="期间内至少有一笔重复投诉的客户号个数。" + rule_help,
        )
        if window_days != REPEAT_WINDOW_DAYS or not same_category:
            st.caption(
                f"当前为调整后的口径（{window_days} 天、{'同一' if same_category else '不限'}业务类别），"
                "与“月度趋势”页按合同口径计算的重复投诉率不同。"
            )

        if total["complaints"] == 0:
            st.warning("期间内在当前筛选条件下没有投诉。可调整侧边栏的期间或筛选条件。")
        else:
            st.plotly_chart(figures.figure(charts.repeat_trend, trend), width="stretch")
            st.caption(f"图为截止月份前 {repeats.TREND_MONTHS} 个月的走势，与侧边栏起始月份无关。")

            st.subheader("各机构重复投诉")
            level_default = repeats.default_level(data.org_level)
            level = (
                st.segmented_control(
                    "按机构层级汇总",
                    repeats.ORG_LEVELS,
                    default=level_default,
                    key="rp_level",
                    help="每笔投诉计入其被投诉机构在该层级上的所属机构（或其本身）。",
                )
                or level_default
            )
            by_org = data.by_org
            if by_org.empty:
                st.info(f"期间内没有可归属到“{level}”层级的投诉（所选机构可能在该层级之下）。请选择其他层级。")
            else:
                st.plotly_chart(figures.figure(charts.repeat_by_org, by_org), width="stretch")
                outside = total["complaints"] - int(by_org["complaints"].sum())
                if outside > 0:
                    st.caption(
                        f"另有 {outside:,} 笔投诉的被投诉机构不在任何{level}之下（如上级机构本级），未计入上图。"
                    )
                with st.expander(f"全部 {len(by_org)} 个{level}的明细"):
                    st.dataframe(
                        by_org.assign(repeat_rate=by_org["repeat_rate"].map(fmt.rate)).rename(
                            columns={
                                "branch_code": "机构代码",
                                "branch_name": "机构名称",
                                "complaints": "投诉量",
                                "repeats": "重复投诉",
                                "repeat_rate": "重复投诉率",
                                "repeat_customers": "重复投诉客户",
                            }
                        ),
                        hide_index=True,
                        width="stretch",
                    )

            st.subheader("重复投诉最多的客户")
            if top.empty:
                st.info("期间内没有重复投诉。")
            else:
                st.caption(f"按重复投诉笔数排序，共 {repeat_customers:,} 位客户有重复投诉，列出前 {len(top)} 位。")
                shown = top.assign(
                    categories=top["categories"].map(lambda c: "、".join(c)),
                    first_received_at=top["first_received_at"].dt.strftime("%Y-%m-%d"),
                    last_received_at=top["last_received_at"].dt.strftime("%Y-%m-%d"),
                )[
                    [
                        "customer_id",
                        "complaints",
                        "repeats",
                        "categories",
                        "branches",
                        "first_received_at",
                        "last_received_at",
                    ]
                ]
                st.dataframe(
                    shown.assign(customer_id=mask_customer_ids(shown["customer_id"])).rename(
                        columns={
                            "customer_id": "客户号",
                            "complaints": "投诉笔数",
                            "repeats": "重复投诉",
                            "categories": "业务类别",
                            "branches": "涉及机构数",
                            "first_received_at": "首次投诉",
                            "last_received_at": "最近投诉",
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )
                customer = st.selectbox(
                    "查看客户的投诉时间线",
                    top["customer_id"],
                    key="rp_customer",
                    format_func=lambda c: (
                        f"{mask_customer_id(c)}（重复 {int(top.set_index('customer_id').loc[c, 'repeats'])} 笔）"
                    ),
                )
                timeline = data.timeline
                st.plotly_chart(figures.figure(charts.customer_timeline, timeline), width="stretch")
                st.dataframe(
                    pd.DataFrame(
                        {
                            "受理时间": timeline["received_at"].dt.strftime("%Y-%m-%d %H:%M"),
                            "投诉编号": timeline["complaint_id"],
                            "重复": timeline["is_repeat"].map({True: "是", False: "否"}),
                            "距上次（天）": timeline["days_since_previous"].map(
                                lambda d: "" if pd.isna(d) else f"{int(d)}"
                            ),
                            "业务类别": timeline["business_category"],
                            "投诉原因": timeline["reason"],
                            "被投诉机构": timeline["branch_name"].fillna(timeline["branch_code"]),
                            "处理状态": timeline["status"],
                            "投诉内容（已脱敏）": mask_series(timeline["content"]),
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )


# === 2. Recurring issues =============================================================================
with tab_recurring:
    left, right, _ = st.columns([1, 1, 2])
    window_months = left.number_input(
        "观察月数",
        min_value=2,
        max_value=24,
        step=1,
        key="rc_window",
        help=f"截止月份及之前的月数；合同口径 {RECURRING_WINDOW_MONTHS} 个月。",
    )
    if st.session_state.get("rc_min", 1) > int(window_months):  # a shorter window: at most every month
        st.session_state["rc_min"] = int(window_months)
    min_months = right.number_input(
        "至少出现月数",
        min_value=1,
        max_value=int(window_months),
        step=1,
        key="rc_min",
        help=f"合同口径：{RECURRING_WINDOW_MONTHS} 个月中至少 {RECURRING_MIN_MONTHS} 个月。",
    )
    months = recurring.window_months_list(month_to, window_months)
    rule_help = recurring.rule_text(int(window_months), int(min_months))
    st.caption(f"观察期：{month_label(months[0])} 至 {month_label(months[-1])}。{rule_help}")
    ranked = data.issues
    n_issues = len(ranked)
    cols = st.columns(3)
    cols[0].metric(
        "反复出现的问题",
        fmt.count(n_issues) + " 个",
        border=True,
        help="满足规则的（被投诉机构、业务类别、投诉原因）组合个数。" + rule_help,
    )
    cols[1].metric(
        "显著超出预期",
        fmt.count(int((ranked["excess_score"] >= 2).sum()) if n_issues else 0) + " 个",
        border=True,
        help="投诉量显著多于按该机构规模和全行业务结构预期的件数（泊松检验 p < 0.01）的问题个数，单位：个。",
    )
    cols[2].metric(
        "近期上升",
        fmt.count(int(ranked["rising"].sum()) if n_issues else 0) + " 个",
        border=True,
        help="观察期后半段投诉量显著多于前半段（单侧二项检验 p < 0.05）的问题个数，单位：个。",
    )
    if ranked.empty:
        st.info("观察期内在当前筛选条件下没有反复出现的问题。可放宽规则参数或调整侧边栏筛选。")
    else:
        st.caption(
            f"按“超出预期的程度”排序：预期件数 = 该机构观察期投诉量 × 全行该业务类别和投诉原因的占比；"
            f"超出越多、越不可能是随机波动的排在越前，近期上升或已有整改事项的再往前。先列前 {recurring.PAGE_FIRST} 个。"
        )
        show_all = st.toggle(
            f"显示其余 {max(n_issues - recurring.PAGE_FIRST, 0):,} 个问题",
            key="rc_all",
            disabled=n_issues <= recurring.PAGE_FIRST,
        )
        issues = ranked if show_all else ranked.head(recurring.PAGE_FIRST)
        issues = issues.head(recurring.PAGE_LIMIT) if show_all else issues
        top_issues = issues.head(25)
        st.plotly_chart(
            figures.figure(
                charts.recurring_heatmap, recurring.history_long(top_issues, months), [month_label(m) for m in months]
            ),
            width="stretch",
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "排名": issues["rank"],
                    "被投诉机构": issues["branch_name"].fillna(issues["branch_code"])
                    + "（"
                    + issues["branch_code"]
                    + "）",
                    "业务类别": issues["business_category"],
                    "投诉原因": issues["reason"],
                    "出现月数": issues["months_present"],
                    "投诉量": issues["complaints"],
                    "预期件数": issues["expected"].round(1),
                    "超出预期": issues["excess_score"].map(recurring.words_for_score),
                    "近期上升": issues["rising"].map({True: "是", False: ""}),
                    "已有整改事项": issues["has_item"].map({True: "是", False: ""}),
                    "各月投诉量": issues["history"].map(list),
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "各月投诉量": st.column_config.BarChartColumn(
                    "各月投诉量", help=f"{month_label(months[0])} 至 {month_label(months[-1])} 各月投诉量", y_min=0
                ),
                "预期件数": st.column_config.NumberColumn(
                    help="按该机构观察期投诉量和全行业务结构预期的件数，单位：件。"
                ),
                "超出预期": st.column_config.TextColumn(
                    help="实际投诉量比预期多的程度（泊松检验）：极显著 p < 0.001，显著 p < 0.01。"
                ),
            },
        )
        if n_issues > len(issues):
            st.caption(f"共 {n_issues:,} 个问题，列出前 {len(issues)} 个。")

        st.subheader("为问题建立整改事项")
        labels = {i: recurring.issue_label(row) for i, row in issues.iterrows()}
        chosen = st.selectbox("选择问题", list(labels), format_func=lambda i: labels[i], key="rc_issue")
        issue = issues.loc[chosen]
        st.caption(recurring.source_note(issue, months))
        open_items = existing_items(
            source="recurring",
            branch_code=issue["branch_code"],
            business_category=issue["business_category"],
            reason=issue["reason"],
        )
        if len(open_items):
            st.info(
                "该问题已有整改事项："
                + fmt.literal("；".join(f"#{r.id} {r.title}（{r.status}）" for r in open_items.itertuples()))
            )
        item_form(
            f"rc_form_{chosen}",
            f"{labels[chosen]} 反复投诉整改",
            source="recurring",
            branch_code=issue["branch_code"],
            business_category=issue["business_category"],
            reason=issue["reason"],
            source_note=recurring.source_note(issue, months),
        )

# === 3. Similar complaints ===========================================================================
with tab_similar:
    st.caption(
        f"不同客户、内容高度雷同的投诉（{SOURCES['similar']}），往往指向同一原因：系统故障、统一的营销话术或诈骗话术。"
        f"每组至少 {similar_index.MIN_SIZE} 笔、来自至少 {similar_index.MIN_CUSTOMERS} 位不同客户。"
    )
    with st.expander("方法说明", icon=":material/info:"):
        st.markdown(
            f"导入时按受理月份（含上月最后 {similar_index.OVERLAP_DAYS} 天）分窗口计算：去掉数字、标点和模板用语后，"
            f"两件投诉的字符三元组集合的 Jaccard 相似度（交集 ÷ 并集）≥ {similar_index.THRESHOLD} 即视为雷同，"
            "雷同的投诉相连成组。"
        )
    if not data.similar_computed:
        st.info(
            context.text_note()
            or "当前数据版本尚未计算相似投诉分组（该数据在此功能上线前导入，或导入时选择了稍后生成）。"
            "运行 python -m dashboard rebuild，或重新导入任一抽数文件后即可生成。"
        )
    else:
        groups = data.groups
        n_groups = int(groups["groups"].iloc[0]) if len(groups) else 0
        cols = st.columns(3)
        cols[0].metric(
            "相似投诉组",
            fmt.count(n_groups) + " 组",
            border=True,
            help=f"期间内、当前筛选条件下至少有 {similar_index.MIN_SIZE} 笔成员的相似投诉组个数。",
        )
        cols[1].metric(
            "涉及投诉",
            fmt.count(int(groups["size"].sum()) if len(groups) else 0) + " 件",
            border=True,
            help="所列各组在期间内、当前筛选条件下的成员投诉数合计。",
        )
        cols[2].metric(
            "最大组",
            fmt.count(int(groups["size"].max()) if len(groups) else 0) + " 件",
            border=True,
            help="成员最多的一组的投诉数。",
        )
        if groups.empty:
            st.info("期间内在当前筛选条件下没有相似投诉组。")
        else:

            def span(g) -> str:
                return f"{g['first_received_at']:%m-%d} 至 {g['last_received_at']:%m-%d}（{int(g['days_spanned'])} 天）"

            st.dataframe(
                pd.DataFrame(
                    {
                        "组号": groups["group_id"],
                        "投诉数": groups["size"],
                        "客户数": groups["customers"],
                        "机构数": groups["branches"],
                        "渠道": groups["channels"].map("、".join),
                        "时间跨度": groups.apply(span, axis=1),
                        "业务类别": groups["business_category"],
                        "投诉原因": groups["reason"],
                        "代表性投诉（已脱敏）": mask_series(groups["representative"]).str.slice(0, 80),
                    }
                ),
                hide_index=True,
                width="stretch",
            )
            by_id = groups.set_index("group_id")
            group_id = st.selectbox(
                "查看组",
                list(by_id.index),
                key="sm_group",
                format_func=lambda g: (
                    f"第 {g} 组 · {int(by_id.loc[g, 'size'])} 笔 · "
                    f"{by_id.loc[g, 'business_category']} · "
                    f"{mask(by_id.loc[g, 'representative'])[:30]}…"
                ),
            )
            group = by_id.loc[group_id]
            members = data.members
            st.markdown(f"**代表性投诉**（{fmt.literal(group['representative_id'])}；组内与其他成员平均最相似的一笔）")
            show_narrative(str(group["representative_id"]), group["representative"], key=f"sm_rep_{group_id}")
            st.caption(
                f"涉及 {int(group['branches'])} 个机构、{len(group['channels'])} 个渠道（{'、'.join(group['channels'])}），"
                f"{span(group)}；全部成员 {int(group['group_size'])} 笔，期间内符合筛选条件 {int(group['size'])} 笔。"
            )
            st.plotly_chart(figures.figure(charts.similar_group_timeline, members), width="stretch")
            with st.expander(f"组内投诉明细（{len(members)} 笔）"):
                st.dataframe(
                    pd.DataFrame(
                        {
                            "受理时间": members["received_at"].dt.strftime("%Y-%m-%d %H:%M"),
                            "投诉编号": members["complaint_id"],
                            "客户号": mask_customer_ids(members["customer_id"]),
                            "被投诉机构": members["branch_name"].fillna(members["branch_code"]),
                            "渠道": members["channel"],
                            "业务类别": members["business_category"],
                            "投诉内容（已脱敏）": mask_series(members["content"]),
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )

            st.subheader("为该组建立整改事项")
            with st.spinner("正在提取关键词…"):
                terms = similar_groups.key_terms(members["content"].tolist())
            terms_text = st.text_input(
                "关键词（用于整改后跟踪同类投诉，可修改，以逗号分隔）",
                value="，".join(terms),
                key=f"sm_terms_{group_id}",
                help=f"整改成效按“{group['business_category']}”类投诉中同时包含全部关键词的投诉逐月统计。"
                f"默认取组内至少 {similar_groups.KEY_TERM_MIN_SHARE:.0%} 的投诉都含有的词。",
            )
            key_terms = [t.strip() for t in terms_text.replace(",", "，").split("，") if t.strip()]
            ids = [str(c) for c in members["complaint_id"]]
            item_form(
                f"sm_form_{group_id}",
                f"相似投诉：{'、'.join(key_terms[:3]) or group['business_category']}",
                source="similar",
                branch_code=current_scope(),  # a branch's item is about its subtree
                business_category=group["business_category"],
                complaint_ids=ids,
                key_terms=key_terms,
                source_note=f"{span(group)}，{len(ids)} 笔投诉、{int(group['customers'])} 位客户、"
                f"{int(group['branches'])} 个机构",
            )
