"""整改台账: rectification items (overdue first), editing with optimistic locking, history, effect."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard import clock, fmt, schema
from dashboard.analysis import effect as fx
from dashboard.analysis import ledger as data
from dashboard.auth.roles import can_reveal
from dashboard.charts import repeats as charts
from dashboard.config import data_dir
from dashboard.filters import month_label, month_start, selection_notes
from dashboard.ledger import export
from dashboard.ledger.store import (
    DONE_STATUSES,
    SOURCES,
    STATUSES,
    ConflictError,
    Ledger,
    LedgerError,
)
from dashboard.ledger.verdict import REOPEN, VERDICT_HELP, VERDICTS, effect_verdict, needs_reopen, shown_status
from dashboard.text.masking import mask
from dashboard.ui import context, figures, identity, ledger_form
from dashboard.ui.download import audited_download
from dashboard.ui.identity import current_scope, current_user, principal
from dashboard.ui.pages import page

st.title("整改台账")
st.caption(
    "溯源整改事项：可由反复出现的问题、相似投诉组、投诉激增、热点切片、单笔投诉、“本月新情况”中的事件建立，或在本页手工建立。"
    "列表按整改状态、整改期限、责任部门、来源和整改成效排列，已逾期的在最前，成效“未见下降”的已整改事项标为“待重开”。"
    "侧边栏的机构、业务类别和投诉原因筛选对台账同样有效。台账单独保存在数据目录的 ledger 文件夹中，重新导入数据不影响台账。"
)

ledger = Ledger(data_dir(), principal())  # the store shows and lets change only what this user may
today = clock.today()
all_items = ledger.items(today)
flash = st.session_state.pop("lg_flash", None)
if flash:
    st.success(flash)
flash_warning = st.session_state.pop("lg_flash_warning", None)
if flash_warning:  # ledger_form.duplicate_warning: it names item titles
    st.warning(fmt.literal(flash_warning))
ctx = context.get()
# the user's organisations by code (empty before any import): the form's choices, the export's notes, the scope line
_orgs = None if ctx is None else context.query("branch_options")
org_names: dict = {} if _orgs is None else dict(zip(_orgs["branch_code"], _orgs["branch_name"]))


def _create_by_hand() -> None:
    """手工建立: an item about an organisation (subtree), category and reason, or one complaint."""
    if not ledger.may_write(current_scope()):
        return
    with st.expander("手工建立整改事项", icon=":material/add:"):
        names = org_names
        codes = list(names) if current_scope() is None else [c for c in names if c]
        with st.form("lg_new", border=False):
            title = st.text_input("事项名称", max_chars=120, key="lg_new_title")
            a, b, c = st.columns(3)
            org = a.selectbox(
                "机构（含下辖机构）",
                codes,
                index=None,
                format_func=lambda x: f"{names.get(x, x)}（{x}）",
                placeholder="全行" if current_scope() is None else "请选择机构",
                key="lg_new_org",
            )
            category = b.selectbox(
                "业务类别", schema.BUSINESS_CATEGORIES, index=None, placeholder="不限", key="lg_new_cat"
            )
            reason = c.selectbox("投诉原因", schema.REASONS, index=None, placeholder="不限", key="lg_new_reason")
            d, e, f = st.columns(3)
            complaint = d.text_input("投诉编号（可选，针对单笔投诉时填写）", key="lg_new_complaint")
            owner = e.text_input("责任部门", key="lg_new_owner")
            due = f.date_input("整改期限", value=today + timedelta(days=30), format="YYYY-MM-DD", key="lg_new_due")
            action = st.text_area("整改措施", height=68, key="lg_new_action")
            done_on = st.date_input(
                "整改完成日期（补录已完成的整改时填写）",
                value=None,
                max_value=today,
                format="YYYY-MM-DD",
                key="lg_new_fixed",
                help="填写后事项状态为“已整改”。可早于今天建立事项的日期，但不能早于该问题最早一件投诉的受理日期，也不能晚于今天。",
            )
            root_cause = st.selectbox(
                "根因分类", schema.ROOT_CAUSES, index=None, placeholder="请选择根因", key="lg_new_root"
            )
            submitted = st.form_submit_button("建立整改事项", type="primary")
        if submitted:
            try:
                item_id = ledger.create(
                    source="complaint" if complaint.strip() else "manual",
                    title=title,
                    user=current_user(),
                    branch_code=org or current_scope(),
                    business_category=category,
                    reason=reason,
                    complaint_ids=[complaint.strip()] if complaint.strip() else [],
                    owner_dept=owner,
                    action=action,
                    due_date=due,
                    root_cause=root_cause,
                    source_note="在整改台账页手工建立",
                    status="已整改" if done_on else "待整改",
                    fixed_at=done_on,
                    today=today,
                )
            except LedgerError as error:
                st.error(fmt.literal(error))
            else:
                shown = f"已整改，完成于 {done_on:%Y-%m-%d}" if done_on else "待整改"
                st.session_state["lg_flash"] = f"已建立整改事项 #{item_id}（状态：{shown}）。"
                st.session_state["lg_flash_warning"] = ledger_form.duplicate_warning(ledger, item_id)
                st.rerun()


def _withdrawn_items() -> None:
    """已撤销的事项: items withdrawn by 消保部 (opened in error or twice), counted nowhere; 消保部 may restore one."""
    gone = ledger.withdrawn()
    if gone.empty:
        return
    with st.expander(f"已撤销的事项（{len(gone)} 个，不计入任何统计）", icon=":material/block:"):
        st.dataframe(export.withdrawn_table(gone), hide_index=True, width="stretch")
        if not ledger.may_withdraw():
            return
        pick = st.selectbox(
            "恢复事项",
            gone["id"].tolist(),
            format_func=lambda i: f"#{i} {mask(gone.set_index('id').at[i, 'title'])}",
            index=None,
            placeholder="选择要恢复的事项",
            key="lg_restore_pick",
        )
        if pick is not None and st.button("恢复到台账", key="lg_restore"):
            row = gone.set_index("id").loc[pick]
            try:
                ledger.restore(int(pick), int(row["version"]), current_user())
            except LedgerError as error:
                st.error(fmt.literal(error))
            else:
                st.session_state["lg_flash"] = f"已恢复事项 #{pick}，恢复前的状态和记录不变。"
                st.rerun()


_create_by_hand()
if all_items.empty:
    _withdrawn_items()
    st.info(
        "台账中还没有整改事项。可在“重复与溯源”“本月新情况”“热点分析”页从问题、事件或投诉建立，也可在上方手工建立。"
    )
    st.page_link(page("events"), label="前往本月新情况", icon=":material/notifications:")
    st.stop()

# --- The sidebar's filters, the effect of every fixed item ------------------------------------------
span = data.data_span(ctx.snapshot.meta) if ctx is not None else None
with st.spinner("正在评估整改成效…"):
    listed = data.load(
        context.source() if ctx is not None else None,
        ctx.filters if ctx is not None else None,
        data.LedgerState(all_items, span),
    )
items, verdicts, shown_status_ = listed.items, listed.verdicts, listed.status
if listed.filtered:
    st.caption(f"侧边栏筛选后显示 {len(items)} / {len(all_items)} 个事项（按事项的机构、业务类别和投诉原因）。")

# --- Headline -------------------------------------------------------------------------------------
open_items = ~shown_status_.isin(DONE_STATUSES)
cols = st.columns(5)
cols[0].metric("整改事项", f"{fmt.count(len(items))} 项", border=True, help="台账中符合侧边栏筛选的事项，单位：项。")
cols[1].metric(
    "未完成",
    f"{fmt.count(int(open_items.sum()))} 项",
    border=True,
    help="状态为“待整改”“整改中”，或已整改但成效“未见下降”（待重开）的事项，单位：项。",
)
cols[2].metric(
    "已逾期",
    f"{fmt.count(int(items['overdue'].sum()))} 项",
    border=True,
    help=f"整改期限早于今天（{today:%Y-%m-%d}）且状态不是“已整改”或“已验证”的事项，单位：项。",
)
cols[3].metric(
    "待重开",
    f"{fmt.count(int((shown_status_ == REOPEN).sum()))} 项",
    border=True,
    help="已标记整改完成，但整改后月均投诉未见下降的事项，单位：项；建议重新整改。",
)
cols[4].metric(
    "已整改/已验证",
    f"{fmt.count(int((~open_items).sum()))} 项",
    border=True,
    help="状态为“已整改”或“已验证”且成效不是“未见下降”的事项，单位：项。",
)

# --- Filters, list, export ------------------------------------------------------------------------
left, mid, right, verdict_col, last = st.columns([2, 1, 2, 1, 1])
statuses = left.multiselect("整改状态", [*STATUSES, REOPEN], key="lg_status", placeholder="全部状态")
source = mid.selectbox(
    "来源", [None, *SOURCES], key="lg_source", format_func=lambda s: "全部来源" if s is None else SOURCES[s]
)
owners = sorted(o for o in items["owner_dept"].dropna().unique())
# 责任部门 is free text (a name or a phone can be typed in it): its options are shown as the table shows them
# (hostile H176); the browser gets the labels only, the filter keeps the stored values
may_reveal = can_reveal(identity.principal())
owner = right.multiselect(
    "责任部门",
    owners,
    key="lg_owner",
    placeholder="全部责任部门",
    format_func=(lambda o: o) if may_reveal else mask,
)
verdict_pick = verdict_col.multiselect("整改成效", VERDICTS, key="lg_verdict", placeholder="全部")
overdue_only = last.toggle("只看逾期", key="lg_overdue")
keep = pd.Series(True, index=items.index)
if statuses:
    keep &= shown_status_.isin(statuses)
if source:
    keep &= items["source"] == source
if owner:
    keep &= items["owner_dept"].isin(owner)
if verdict_pick:
    keep &= items["id"].map(lambda i: verdicts.get(int(i), "待观察")).isin(verdict_pick)
if overdue_only:
    keep &= items["overdue"]
shown = items[keep]

if shown.empty:
    st.info("没有符合筛选条件的整改事项。")
else:
    st.dataframe(
        export.items_table(shown, verdicts),
        hide_index=True,
        width="stretch",
        column_config={
            "编号": st.column_config.NumberColumn(format="#%d"),
            "整改成效": st.column_config.TextColumn(help=VERDICT_HELP),
            "提示": st.column_config.TextColumn(
                help="已逾期：已过整改期限且尚未整改完成；成效未见下降：建议重新整改（状态显示为待重开）。"
            ),
        },
    )
    if ctx is not None:
        notes = selection_notes(ctx.filters, org_names, ctx.snapshot.meta.get("as_of"))
        notes.append(
            ("事项", f"侧边栏筛选后的 {len(shown)} / {len(all_items)} 个事项（按事项的机构、业务类别和投诉原因）")
        )
    else:
        notes = []
    audited_download(
        "导出台账（Excel）",
        lambda: export.to_excel(shown, ledger.history_of(shown["id"].tolist()), verdicts, notes, ledger.withdrawn()),
        f"整改台账_{today:%Y%m%d}.xlsx",
        what="整改台账",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )

_withdrawn_items()

# --- One item: edit, history, effect --------------------------------------------------------------
st.subheader("事项详情")
if items.empty:
    st.stop()
labels = {
    int(r.id): f"#{r.id} {mask(r.title)}（{shown_status(r.status, verdicts.get(int(r.id), '待观察'))}"
    f"{'，已逾期' if r.overdue else ''}）"
    for r in items.itertuples()
}
item_id = st.selectbox("选择事项", list(labels), format_func=labels.get, key="lg_item")
item = ledger.get(item_id)
if item is None:
    st.warning("该事项已不存在。")
    st.stop()

loaded_key = f"lg_loaded_{item_id}"
if loaded_key not in st.session_state:
    st.session_state[loaded_key] = int(item["version"])
loaded = st.session_state[loaded_key]

item = {**item, "branch_name": org_names.get(item.get("branch_code"))}  # the scope by name and code (H223)
st.caption(
    f"来源：{SOURCES[item['source']]} · 整改范围：{export.slice_text(item)}"
    + (f" · {item['source_note']}" if item.get("source_note") else "")
    + f" · 由 {item['created_by']} 于 {item['created_at']} 建立"
)
if int(item["version"]) != loaded:
    st.warning(
        f"该事项已被 {item['updated_by']} 于 {item['updated_at']} 修改为第 {item['version']} 版，"
        f"您正在编辑的是第 {loaded} 版。为避免覆盖他人的修改，保存将被拒绝；请先重新载入。"
    )
if st.button("重新载入最新内容", key=f"lg_reload_{item_id}", icon=":material/refresh:"):
    st.session_state[loaded_key] = int(item["version"])
    st.rerun()


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


# Free text is shown masked to a user who may not reveal personal data; saved unchanged, it keeps the
# stored text (the mask is not written back).
shown_title = item["title"] if may_reveal else mask(item["title"])
shown_owner = (item["owner_dept"] or "") if may_reveal else mask(item["owner_dept"] or "")
shown_action = (item["action"] or "") if may_reveal else mask(item["action"] or "")
form_key = f"lg_form_{item_id}_{loaded}"
with st.form(form_key, border=True):
    st.markdown(f"**编辑事项 #{item_id}**（第 {loaded} 版）")
    title = st.text_input("事项名称", value=shown_title, max_chars=120, key=f"{form_key}_title")
    a, b, c = st.columns(3)
    root_cause = a.selectbox(
        "根因分类",
        schema.ROOT_CAUSES,
        placeholder="请选择根因",
        index=schema.ROOT_CAUSES.index(item["root_cause"]) if item["root_cause"] in schema.ROOT_CAUSES else None,
        key=f"{form_key}_root",
    )
    owner_dept = b.text_input("责任部门", value=shown_owner, key=f"{form_key}_owner")
    status = c.selectbox(
        "整改状态",
        STATUSES,
        index=STATUSES.index(item["status"]),
        key=f"{form_key}_status",
        help="标记为“已整改”时记录整改完成日期（默认当天，可在右侧修改），整改成效以此日期所在月份为界。"
        "“已验证”须在“已整改”之后、整改后第一个完整月份结束后，由消保部评估成效后标记；"
        "整改成效为“未见下降”或尚无法评估时不能标记为“已验证”。",
    )
    action = st.text_area("整改措施", value=shown_action, height=80, key=f"{form_key}_action")
    d, e = st.columns(2)
    due_date = d.date_input(
        "整改期限",
        value=_date(item["due_date"]),
        format="YYYY-MM-DD",
        key=f"{form_key}_due",
        help="格式：年-月-日（如 2026-10-31），可点击输入框从日历中选择。",
    )
    fixed_at = e.date_input(
        "整改完成日期",
        value=_date(item["fixed_at"]),
        format="YYYY-MM-DD",
        key=f"{form_key}_fixed",
        help="格式：年-月-日（如 2026-10-31）。状态为“已整改”或“已验证”时有效；留空则取标记为“已整改”的当天。",
    )
    changes = {
        "title": item["title"] if title == shown_title else title,
        "root_cause": root_cause,
        "owner_dept": (item["owner_dept"] or "") if owner_dept == shown_owner else owner_dept,
        "action": (item["action"] or "") if action == shown_action else action,
        "due_date": due_date,
        "status": status,
        "fixed_at": fixed_at,
    }
    if item["source"] == "similar":
        # a term can be personal data (hostile H146): masked unless the user may reveal, as the title
        shown_terms = "，".join(t if may_reveal else mask(t) or t for t in item["key_terms"])
        terms = st.text_input(
            "关键词（以逗号分隔）",
            value=shown_terms,
            key=f"{form_key}_terms",
            help="整改成效按同一业务类别中同时包含全部关键词的投诉逐月统计。无查看个人信息权限的用户不能以手机号、"
            "证件号、姓名等个人信息作关键词。",
        )
        if terms != shown_terms:  # unchanged: the stored terms stay, not their masked form
            changes["key_terms"] = [t.strip() for t in terms.replace(",", "，").split("，") if t.strip()]
    writable = ledger.may_write(item["branch_code"])
    saved = st.form_submit_button(
        "保存", type="primary", disabled=not writable, help=None if writable else "您的角色只能查看该事项，不能修改。"
    )
if saved:
    try:
        if status in DONE_STATUSES and item["status"] not in DONE_STATUSES and fixed_at == _date(item["fixed_at"]):
            changes.pop("fixed_at")  # newly fixed without a date given: the store stamps today
        # through the service layer: 已验证 is refused while the effect reads 未见下降 (hostile H158)
        version = data.save(
            ledger, context.source() if ctx is not None else None, item, loaded, changes, span, current_user(), today
        )
    except ConflictError as error:
        st.error(fmt.literal(error), icon=":material/sync_problem:")
    except LedgerError as error:
        st.error(fmt.literal(error))
    else:
        st.session_state[loaded_key] = version
        st.session_state["lg_flash"] = (
            f"已保存事项 #{item_id}（第 {version} 版）。" if version != loaded else "内容没有变化，未保存新版本。"
        )
        st.rerun()

with st.expander("变更记录", expanded=False):
    history = ledger.history(item_id)
    st.dataframe(export.history_table(history), hide_index=True, width="stretch")

if ledger.may_withdraw():
    with st.expander("撤销事项", icon=":material/block:"):
        st.caption(
            "误建或与其他事项重复的事项可以撤销：撤销后不再出现在台账列表、统计、月度简报和导出中，"
            "变更记录保留，可在“已撤销的事项”中恢复。撤销人、时间和原因记入变更记录。"
        )
        why = st.text_input("撤销原因（至少 4 个字）", key=f"lg_withdraw_reason_{item_id}", max_chars=200)
        if st.button("撤销该事项", key=f"lg_withdraw_{item_id}"):
            try:
                ledger.withdraw(item_id, loaded, why, current_user())
            except LedgerError as error:
                st.error(fmt.literal(error))
            else:
                st.session_state["lg_flash"] = f"已撤销事项 #{item_id}。"
                st.session_state.pop("lg_item", None)
                st.rerun()

# --- Effect ---------------------------------------------------------------------------------------
st.subheader("整改成效")
if ctx is None or span is None:
    st.info("尚未导入投诉数据，无法评估整改成效。")
    st.stop()
opened = data.load_effect(context.source(), item, span)
if opened is None:
    st.info(
        "该事项没有可跟踪的范围（机构、业务类别、投诉原因或关键词），无法评估整改成效。请在上方补充关键词后保存，"
        "或手工建立时选择机构和业务类别。"
    )
    st.stop()
what = opened.what

if opened.fixed is None or opened.result is None:
    st.info(
        "该事项尚未标记为“已整改”，成效：待观察。标记后，这里将比较整改前后的月均投诉量。下图为最近 12 个完整月份的投诉量。"
    )
    st.plotly_chart(figures.figure(charts.effect_chart, opened.frame, None, None), width="stretch")
    st.caption(f"统计口径：{what}；不受侧边栏筛选条件影响。")
    st.stop()

fixed, result = opened.fixed, opened.result
fixed_month = month_start(fixed)
test_help = (
    "检验方法：把投诉数看作泊松计数。若整改前后月均投诉率相同，则在总数 n = 整改前件数 + 整改后件数 已知时，"
    "整改后件数服从二项分布 Bin(n, 整改后月数 ÷ 整改前后总月数)。p 值为单侧概率 P(X ≤ 整改后件数)，"
    f"即“若整改无效，出现至少如此大的下降”的概率；p < {fx.ALPHA} 视为下降超出随机波动。整改当月不计入前后任何一段。"
)
cols = st.columns(4)
cols[0].metric(
    "整改前月均",
    "—" if result.rate_before is None else f"{result.rate_before:.1f} 件",
    border=True,
    help=f"整改完成月份之前最多 {fx.BEFORE_MONTHS} 个完整月份（{len(result.before)} 个月，共 {result.n_before} 件）的月均投诉量。",
)
cols[1].metric(
    "整改后月均",
    "—" if result.rate_after is None else f"{result.rate_after:.1f} 件",
    border=True,
    help=f"整改完成月份之后至数据中最近一个完整月份，最多 {fx.AFTER_MONTHS} 个月（{len(result.after)} 个月，共 {result.n_after} 件）的月均投诉量。",
)
cols[2].metric(
    "变化",
    fmt.pct(result.change_pct),
    border=True,
    help="（整改后月均 − 整改前月均）÷ 整改前月均 × 100%；整改前为 0 时显示 —。",
)
cols[3].metric("p 值（单侧）", "—" if result.p_value is None else f"{result.p_value:.4f}", border=True, help=test_help)
verdict = result.status
(st.success if result.significant else st.warning if effect_verdict(result) == "未见下降" else st.info)(
    f"整改成效：{effect_verdict(result)}（{verdict}）"
    + ("，建议重新整改" if needs_reopen(item["status"], effect_verdict(result)) else "")
    + f"。整改完成日期 {fixed:%Y-%m-%d}（{month_label(fixed_month)} 不计入比较）；"
    f"整改前 {len(result.before)} 个月共 {result.n_before} 件，整改后 {len(result.after)} 个月共 {result.n_after} 件。"
)
st.plotly_chart(
    figures.figure(charts.effect_chart, opened.frame, result.rate_before, result.rate_after), width="stretch"
)
st.caption(
    f"统计口径：{what}；不受侧边栏筛选条件影响。检验只说明下降是否超出随机波动，不说明下降的原因"
    "（季节因素、分类口径调整等也可能使投诉减少）。"
)
with st.expander("检验方法说明"):
    st.markdown(test_help)
