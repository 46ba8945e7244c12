"""A complaint list for any page: searchable, sortable and paginated in SQL, exported as CSV or Excel.

    options = complaint_list.options(overrides, key="hs_list")      # before the page's loader runs
    complaint_id = complaint_list.render(data.listing, key="hs_list")   # data.listing: analysis.listing.load_list

`overrides` are the parameters of the selection on top of the global filters (as for
context.query), e.g. the hotspots page's drill-down and term. The list query (default
complaints_list) must take them plus $search, $sort_key, $sort_desc, $limit and $offset; the count
query (default complaints_count) the same minus the order and the page. Narratives are masked
(dashboard.text.masking.mask_series) on the page and in every export: the export is the list as shown,
in the same order, up to EXPORT_CAP rows, through ui.download.audited_download (CSV with a BOM so
that Excel reads the Chinese; every export is written to the audit log).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import clock, db, fmt
from dashboard.analysis.listing import EXPORT_CAP, PAGE_SIZES, SORT_KEYS, ListOptions, ListPage
from dashboard.auth.roles import LEADER, Principal, can_reveal
from dashboard.text import search_guard
from dashboard.text.export_cells import XLSX_OPTIONS, excel_sheet
from dashboard.text.masking import mask_customer_ids, mask_series
from dashboard.ui import context, download

COLUMNS = {  # query column -> label shown and exported, in display order
    "complaint_id": "投诉编号",
    "received_at": "受理时间",
    "branch_name": "被投诉机构",
    "business_category": "业务类别",
    "reason": "投诉原因",
    "content": "投诉内容（已脱敏）",
    "status": "处理状态",
    "handling_days": "处理天数",
    "closed_at": "办结时间",
    "channel": "投诉渠道",
    "product": "产品名称",
    "amount": "涉及金额（元）",
    "regulator_referred": "监管转办",
    "branch_code": "机构代码",
}


def shown_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The list as users see and export it: Chinese headers, masked narratives, 是/否."""
    frame = rows[[c for c in COLUMNS if c in rows.columns]].copy()
    frame["content"] = mask_series(frame["content"])
    if "product" in frame:  # free text too (H60: a phone typed into 产品名称 was exported in full)
        frame["product"] = mask_series(frame["product"])
    if "customer_id" in frame:  # H99: a 客户号 that is an ID or mobile number
        frame["customer_id"] = mask_customer_ids(frame["customer_id"])
    if "regulator_referred" in frame:
        frame["regulator_referred"] = frame["regulator_referred"].map({True: "是", False: "否"})
    if "handling_days" in frame:
        frame["handling_days"] = frame["handling_days"].round(1)
    return frame.rename(columns=COLUMNS)


def search_refusal(search: str | None, principal, hits=None) -> str | None:
    """Why this search is refused to this user (dashboard.text.search_guard), or None. A user who may
    reveal personal data searches the narratives as stored; anyone else may not search for what the
    mask hides. hits: a no-argument callable giving the narratives the search matches (checked too)."""
    if not search or can_reveal(principal):
        return None
    return search_guard.refusal(search) or (search_guard.refusal_by_hits(search, hits()) if hits else None)


def export_rows(con, list_query: str, params: dict) -> pd.DataFrame:
    """The first EXPORT_CAP rows of the selection in the list's order, as shown."""
    return shown_frame(db.run(con, list_query, **{**params, "limit": EXPORT_CAP, "offset": 0}))


def to_excel(frame: pd.DataFrame, notes: Sequence[tuple[str, str]] = ()) -> bytes:
    """The list as .xlsx: sheet 投诉明细, and with `notes` a sheet 说明 saying what it was cut with (a
    forwarded file must say its counting basis and filters, hostile H56)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer, engine="xlsxwriter", datetime_format="yyyy-mm-dd hh:mm", engine_kwargs={"options": XLSX_OPTIONS}
    ) as writer:
        excel_sheet(writer, frame, "投诉明细")
        sheet = writer.sheets["投诉明细"]
        for i, column in enumerate(frame.columns):
            sheet.set_column(i, i, 60 if column.startswith("投诉内容") else 16)
        if notes:
            excel_sheet(writer, pd.DataFrame(list(notes), columns=["项目", "说明"]), "说明")
            writer.sheets["说明"].set_column(0, 0, 16)
            writer.sheets["说明"].set_column(1, 1, 90)
    return buffer.getvalue()


def file_suffix(notes: Sequence[tuple[str, str]]) -> str:
    """The counting basis and customer group in a file name when they are not the defaults (a CSV has no
    room for a 说明 sheet: its name says what it counts)."""
    said = dict(notes)
    parts = [said.get("统计口径"), said.get("客户群体")]
    return "".join(f"_{p}" for p in parts if p and p not in ("全部受理", "全部"))


def with_row_count(notes: Sequence[tuple[str, str]], total: int) -> list[tuple[str, str]]:
    """`notes` and a line saying how many of the selection's complaints the file holds: a file cut at
    EXPORT_CAP read, on its own, as the period's whole count (hostile H221: 50,000 of 90,892, none of
    January to April, under 期间 2026-01 至 2026-10)."""
    if total > EXPORT_CAP:
        said = f"当前筛选下共 {total:,} 件投诉，本文件只含按页面当前排序的前 {EXPORT_CAP:,} 件，不是全部"
    else:
        said = f"当前筛选下的全部 {total:,} 件投诉"
    return [*notes, ("导出行数", said)]


def cut_suffix(total: int) -> str:
    """A CSV has no 说明 sheet: a cut file says it in its name."""
    return f"_前{EXPORT_CAP}件_共{total}件" if total > EXPORT_CAP else ""


TOO_MANY = (
    "“{}”在当前范围内出现于 {:,} 件以上投诉，无法逐件核对它是否只出现在已脱敏的个人信息中。"
    "为保护个人信息，请先缩小期间、增加筛选条件或下钻，再搜索。"
)


def guarded_search(search, principal, hits, too_many: str = TOO_MANY) -> tuple[str | None, object]:
    """A parsed search (dashboard.text.search_query) as this user may run it: (why it is refused, None), or
    (None, the search). For a user who may not reveal personal data every word and phrase of it is checked
    (dashboard.text.search_guard), negated ones too (NOT 李春花 would reveal by the counts what it excludes),
    and the search returned matches the masked text: a narrative where a word occurs only inside what the
    mask hides counts as not containing it (hostile H237: a refusal there named the hidden characters).
    hits(text): the (complaint_id, narrative) pairs of the selection searched that contain that text;
    too_many: the refusal when they are more than can be checked, formatted with the text and the cap."""
    if search is None or can_reveal(principal):
        return None, search
    hidden = {}
    for literal in search.literals:
        refused, pairs = search_guard.checked_hits(
            literal.text, hits, search_guard.HITS_CHECKED, too_many.format(literal.text, search_guard.HITS_CHECKED)
        )
        if refused:
            return refused, None
        hidden[literal] = () if pairs is None else search_guard.hidden_in(literal.text, pairs)
    return None, dataclasses.replace(
        search, hidden=tuple(tuple(hidden[lit] for lit in clause) for clause in search.clauses)
    )


_WITHOUT_REVEAL = Principal(user="", role=LEADER)  # what guarded_search checks for a user without the right


def person_words(search, hits) -> tuple[str, ...]:
    """The words of a search that look a person up, whoever runs it: all of them when a user without the right
    to reveal would be refused the search, else those such a user would find hidden in some narrative (a name
    fragment: 春花, lichunhua). These stay out of the URL and are masked in the audit log (hostile H257)."""
    if search is None:
        return ()
    words = tuple(literal.text for literal in search.literals)
    if search_guard.refusal(search.text):
        return words
    refused, checked = guarded_search(search, _WITHOUT_REVEAL, hits)
    if refused is not None:
        return words
    texts = [lit.text for clause in getattr(checked, "clauses", ()) for lit in clause]
    hidden = [ids for clause in getattr(checked, "hidden", None) or () for ids in clause]
    return tuple(dict.fromkeys(text for text, ids in zip(texts, hidden) if ids))


def looks_up_a_person(search, principal, hits) -> bool:
    """Is this search, run by this user, a lookup of a person (audited, hostile H115)? Only for a user who
    may reveal (the others search the masked text: hostile H259, a 行领导's two-word search was logged as one);
    and then whenever a user without the right would be refused it, or would find a word of it hidden in some
    narrative: the whole text alone let 春花 李 or lichunhua find a masked name without a line (H259)."""
    if search is None or not can_reveal(principal):
        return False
    return bool(person_words(search, hits))


def signature(selection: dict, sort_key: str, descending: bool, size: int) -> str:
    return hashlib.md5(repr((sorted(selection.items(), key=str), sort_key, descending, size)).encode()).hexdigest()[:12]


def options(overrides: dict, *, key: str = "cl") -> ListOptions:
    """The list's state (its widgets' values, kept in session state under `key`) before the page loads:
    a new selection, order or page size starts on page 1."""
    state = st.session_state
    sort_key = state.get(f"{key}_sort", next(iter(SORT_KEYS)))
    descending = state.get(f"{key}_desc", True)
    size = state.get(f"{key}_size", PAGE_SIZES[1])
    selection = dict(overrides)
    page = (
        state.get(f"{key}_page", 1)
        if state.get(f"{key}_signature") == signature(selection, sort_key, descending, size)
        else 1
    )
    return ListOptions(sort_key=sort_key, sort_desc=descending, size=size, page=page)


def render(
    listing: ListPage,
    *,
    key: str = "cl",
    list_query: str = "complaints_list",
    file_stem: str = "投诉明细",
    notes: Sequence[tuple[str, str]] = (),
) -> str | None:
    """Draw the list's page loaded by analysis.listing.load_list for options(key=key); returns the
    complaint_id picked for its detail, or None."""
    ctx = context.require()
    # the narrative search is the page's (hotspots: a filter of the whole page, in the overrides)
    top = st.columns([2, 1, 1, 3])
    sort_key = top[0].selectbox("排序", list(SORT_KEYS), format_func=SORT_KEYS.get, key=f"{key}_sort")
    descending = top[1].selectbox(
        "顺序", (True, False), format_func=lambda d: "降序" if d else "升序", key=f"{key}_desc"
    )
    size = top[2].selectbox("每页条数", PAGE_SIZES, index=1, key=f"{key}_size")

    selection = listing.selection
    total = listing.total
    if total == 0:
        st.info(
            "当前筛选条件下没有投诉。"
            + ("可换一个搜索词，或" if selection.get("s_terms") else "可")
            + "移除部分下钻条件、调整侧边栏的期间或筛选条件。"
        )
        return None

    pages = listing.pages
    sig = signature(selection, sort_key, descending, size)
    st.session_state[f"{key}_signature"] = sig  # options() started a new selection on page 1
    st.session_state[f"{key}_page"] = listing.page
    bottom = st.columns([1, 3])
    page = bottom[0].number_input(f"页码（共 {pages:,} 页）", min_value=1, max_value=pages, step=1, key=f"{key}_page")
    bottom[1].caption(
        f"共 {fmt.count(total)} 件投诉，当前第 {page:,} 页；点击表格左侧选择一行可查看详情。"
        "投诉内容中的手机号、证件号、银行卡号、姓名等个人信息已脱敏。"
    )

    params = ctx.filters.params(**selection, **listing.order)
    rows = listing.rows
    frame = shown_frame(rows)
    event = st.dataframe(
        frame,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"{key}_table_{sig}_{page}",
        placeholder=fmt.DASH,
        column_config={
            "受理时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "办结时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "处理天数": st.column_config.NumberColumn(format="%.1f"),
            "涉及金额（元）": st.column_config.NumberColumn(format="%,.2f"),
            "投诉内容（已脱敏）": st.column_config.TextColumn(width="large"),
            "投诉编号": st.column_config.TextColumn(pinned=True),
        },
    )
    ids = list(rows["complaint_id"])
    picked_rows = event.selection.rows if event is not None else []
    picked = ids[picked_rows[0]] if picked_rows and picked_rows[0] < len(ids) else None
    if picked is not None and st.session_state.get(f"{key}_last_pick") != picked:
        st.session_state[f"{key}_last_pick"] = picked
        st.session_state[f"{key}_detail"] = picked
    if st.session_state.get(f"{key}_detail") not in ids:
        st.session_state[f"{key}_detail"] = None

    left, middle, right = st.columns([4, 1, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        "查看投诉详情",
        ids,
        key=f"{key}_detail",  # value: session state (None = none)
        placeholder="选择本页的一件投诉（或点击表格左侧的选择框）",
    )
    stamp = clock.local_now().strftime("%Y%m%d")
    export_help = (
        f"按当前排序导出当前筛选下的投诉，最多 {EXPORT_CAP:,} 条；投诉内容与页面一样已脱敏。导出记入审计日志。"
    )
    with middle:
        download.audited_download(
            "导出 CSV",
            lambda: export_rows(ctx.con, list_query, params),
            f"{file_stem}{file_suffix(notes)}{cut_suffix(total)}_{stamp}.csv",
            what=f"{file_stem}（CSV）",
            key=f"{key}_csv",
            on_click="ignore",
            help=export_help + download.CSV_CODES_NOTE,
        )
    with right:
        download.audited_download(
            "导出 Excel",
            lambda: to_excel(export_rows(ctx.con, list_query, params), with_row_count(notes, total)),
            f"{file_stem}{file_suffix(notes)}{cut_suffix(total)}_{stamp}.xlsx",
            what=f"{file_stem}（Excel）",
            key=f"{key}_xlsx",
            on_click="ignore",
            help=export_help,
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    st.caption(download.CSV_CODES_SHORT)  # next to the CSV button: what Excel does to its codes (H147)
    if total > EXPORT_CAP:
        st.caption(
            f"当前筛选下共 {total:,} 件投诉，导出仅包含按当前排序的前 {EXPORT_CAP:,} 件；"
            "如需全部，请缩小期间或增加筛选条件后分批导出。"
        )
    return chosen
