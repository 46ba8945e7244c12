"""建立整改事项 from wherever an analyst stands: a popover with the item's form, shared by the hotspots page
(the current slice), the complaint detail (one complaint) and others. The ledger store checks who may
create what and the dates."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import clock, fmt, schema
from dashboard.config import data_dir
from dashboard.ledger.store import SOURCES, Ledger, LedgerError
from dashboard.text.masking import mask
from dashboard.ui.identity import current_scope, current_user, principal
from dashboard.ui.pages import page


def duplicate_warning(ledger: Ledger, item_id: int) -> str | None:
    """A warning (plain text: callers show it through fmt.literal) naming the other open items about the same issue and scope as `item_id`
    (hostile H133: a second item for one issue was created without a word), None when there are none."""
    item = ledger.get(item_id)
    if item is None:
        return None
    same = ledger.same_issue(
        item["branch_code"], item["business_category"], item["reason"], item["complaint_ids"], exclude=item_id
    )
    if same.empty:
        return None
    listed = "；".join(f"#{int(r.id)} {mask(str(r.title))}（{r.status}）" for r in same.head(5).itertuples())
    more = f"等 {len(same):,} 项" if len(same) > 5 else ""
    return (
        f"注意：台账中已有同一问题和范围（机构、业务类别、投诉原因{'、投诉编号' if item['complaint_ids'] else ''}相同）"
        f"的事项：{listed}{more}。请核对是否重复建立；如重复，可将本事项并入已有事项后标记处理。"
    )


def popover(key: str, title: str, *, source: str, label: str = "建立整改事项", **fields) -> None:
    """A popover button that opens an item of `source` covering `fields` (branch_code, business_category,
    reason, complaint_ids, key_terms, source_note)."""
    ledger = Ledger(data_dir(), principal())
    branch = fields.pop("branch_code", None) or current_scope()
    if not ledger.may_write(branch):
        return
    with st.popover(label, icon=":material/assignment_add:"):
        st.caption(f"来源：{SOURCES[source]}")
        with st.form(key, border=False):
            name = st.text_input("事项名称", value=title[:120], max_chars=120, key=f"{key}_title")
            left, right = st.columns(2)
            root_cause = left.selectbox(
                "根因分类", schema.ROOT_CAUSES, index=None, placeholder="请选择根因", key=f"{key}_root"
            )
            owner = right.text_input("责任部门", key=f"{key}_owner")
            action = st.text_area("整改措施", height=68, key=f"{key}_action")
            due = st.date_input(
                "整改期限", value=clock.today() + timedelta(days=30), format="YYYY-MM-DD", key=f"{key}_due"
            )
            submitted = st.form_submit_button("建立", type="primary")
        if submitted:
            try:
                item_id = ledger.create(
                    source=source,
                    title=name,
                    user=current_user(),
                    branch_code=branch,
                    root_cause=root_cause,
                    owner_dept=owner,
                    action=action,
                    due_date=due,
                    **fields,
                )
            except LedgerError as error:
                st.error(fmt.literal(error))
            else:
                st.success(f"已建立整改事项 #{item_id}（状态：待整改）。")
                warning = duplicate_warning(ledger, item_id)
                if warning:
                    st.warning(fmt.literal(warning))
                st.page_link(page("ledger"), label="前往整改台账", icon=":material/assignment:")
