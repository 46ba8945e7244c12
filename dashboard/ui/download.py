"""Every download in the app goes through `audited_download`: st.download_button plus an audit line.

    audited_download("下载明细（CSV）", frame, "complaints.csv", what="投诉明细")

`data` is bytes, a str, a DataFrame (written as UTF-8 CSV with BOM, so Excel opens it; a narrative
column `content` / 投诉内容 is masked once more on the way out, masking being idempotent, and no text cell
can start a formula: dashboard.text.export_cells) or a no-argument
callable returning one of those. The file is produced when the user clicks (Streamlit's deferred
download), and the audit line (who, when, what, file, rows, the filters and the user's scope) is written
first: if it cannot be written, the download fails rather than leaving no trace, and the page says so:
the producer runs outside the script run, so it leaves the refusal for the page and asks for a rerun.
"""

from __future__ import annotations

import threading
import uuid
from typing import Callable, Union

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import fmt
from dashboard.auth import audit
from dashboard.text import search_guard
from dashboard.text.export_cells import neutralise_frame
from dashboard.text.masking import mask, mask_customer_ids, mask_series
from dashboard.ui import context, identity

Payload = Union[bytes, str, pd.DataFrame]
# Free text a source system lets staff type (the contract's content and product): masked like narratives.
NARRATIVE_COLUMNS = ("content", "投诉内容", "product", "产品名称")
# A 客户号 can be an ID or mobile number (H99): its identifier shapes are masked, ordinary keys stay.
CUSTOMER_ID_COLUMNS = ("customer_id", "客户号")
# A CSV has no cell types: Excel, opening one by double-click, reads a digits-only code as a number
# (040007 -> 40007, a 20-digit 投诉编号 -> 2.02611E+19; hostile H147). The CSV keeps the codes exactly as
# written, for systems and for an import as text; a ="040007" cell would be a formula again (exports are
# neutralised, dashboard.text.export_cells), so the page says so next to the button and offers an .xlsx,
# whose codes are text cells.
CSV_CODES_NOTE = (
    "CSV 中的机构代码、投诉编号、客户号按原样保存（如 040007）；但用 Excel 双击打开 CSV 时，Excel 会把纯数字的代码"
    "当作数字，去掉前导 0（040007 显示为 40007）、把长编号显示为科学计数法。在 Excel 中查看请用 Excel 格式导出"
    "（代码保存为文本）；如须用 CSV，请在 Excel 中经“数据 → 从文本/CSV”导入，并把这些列设为“文本”。"
)
CSV_CODES_SHORT = "在 Excel 中查看请选 Excel 格式：CSV 用 Excel 双击打开会去掉代码的前导 0（040007 → 40007）。"
_TOKEN = "_export_token"  # per browser session: names its producers' refusals
_refusals: dict[str, str] = {}  # token -> the Chinese reason an export was refused at the click
_lock = threading.Lock()


def masked(data: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table to export with its narratives and customer ids masked (as every CSV is)."""
    frame = data.copy()
    for column in NARRATIVE_COLUMNS:
        if column in frame.columns:
            frame[column] = mask_series(frame[column])
    for column in CUSTOMER_ID_COLUMNS:
        if column in frame.columns:
            frame[column] = mask_customer_ids(frame[column])
    return frame


def to_bytes(data: Payload) -> tuple[bytes, int | None]:
    """The file's bytes and, for a table, its row count."""
    if isinstance(data, pd.DataFrame):
        frame = masked(data)
        return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig"), len(frame)
    if isinstance(data, str):
        return data.encode("utf-8"), None
    return bytes(data), None


def export_callable(
    data: Payload | Callable[[], Payload],
    file_name: str,
    what: str,
    who,
    detail: dict | None = None,
    *,
    token: str | None = None,
    session_id: str | None = None,
) -> Callable[[], bytes]:
    """The no-argument producer handed to st.download_button: audit first, then the bytes. With a
    `token`, a refusal is left for the page to show (`take_refusal`), and the session rerun to show it."""

    def produce() -> bytes:
        try:
            payload, rows = to_bytes(data() if callable(data) else data)
            entry = {"what": what, "file": file_name, **(detail or {})}
            if rows is not None:
                entry["rows"] = rows
            audit.record("export", who, entry)
        except audit.AuditError as error:
            _hand_over(token, str(error), session_id)
            raise
        return payload

    return produce


def _hand_over(token: str | None, refused: str | None, session_id: str | None = None) -> None:
    """Leave a refusal for the page's next run of `audited_download`, and ask for that run."""
    if token is None or refused is None:
        return
    with _lock:
        _refusals[token] = refused
    if session_id:
        _rerun(session_id)


def _rerun(session_id: str) -> None:
    """Rerun the browser session whose click failed, so it shows why (a button with on_click="ignore"
    would otherwise say nothing until the next interaction). Streamlit has no public call for this from
    outside a script run: its runtime's app session, on the event loop thread."""
    try:
        from streamlit import runtime

        instance = runtime.get_instance()
        session = instance.get_app_session(session_id)
        if session is not None:
            instance._get_async_objs().eventloop.call_soon_threadsafe(session.request_rerun, None)
    except Exception:  # no runtime (bare mode, tests) or its internals changed: shown on the next run
        pass


def take_refusal(token: str) -> str | None:
    """Why the last export under `token` was refused, once; None when it was not."""
    with _lock:
        return _refusals.pop(token, None)


def audited_download(
    label: str,
    data: Payload | Callable[[], Payload],
    file_name: str,
    what: str,
    *,
    mime: str | None = None,
    key: str | None = None,
    **kwargs,
) -> bool:
    """st.download_button whose every use is written to the audit log (see the module docstring); when
    the log cannot be written, a message instead of the button."""
    blocked = audit.problem()
    if blocked:
        st.error(f"{label}：暂不能导出，{blocked}", icon=":material/block:")
        return False
    detail = {}
    ctx = context.get()
    # what leaves in the audit line is masked: a filter, drill-down value or term from a link may be a name
    # (hostile H257); codes, months and thresholds are unchanged by the masking
    if ctx is not None:
        detail["filters"] = {k: mask(str(v)) for k, v in ctx.filters.to_query().items()}
    from dashboard.ui import url_state

    # the page's own state: drill-down, term, search, thresholds
    view = {k: mask(str(v)) for k, v in url_state.read(url_state.PREFIXES).items()}
    searched = search_guard.written(st.session_state.get("hs_q"), st.session_state.get("_hs_q_hidden", ()))
    if searched:  # a search for a person is kept out of the URL (H114), not out of the audit: masked
        view["hs_q"] = searched
    if view:
        detail["view"] = view
    who = identity.principal() or identity.current_user()
    if mime is None and (isinstance(data, pd.DataFrame) or file_name.endswith(".csv")):
        mime = "text/csv"
    key = key or f"dl_{what}_{file_name}"
    token = f"{st.session_state.setdefault(_TOKEN, uuid.uuid4().hex)}:{key}"
    refused = take_refusal(token)
    if refused:
        st.error(f"{label}：导出未完成，未生成文件。{fmt.literal(refused)}", icon=":material/block:")
    run = get_script_run_ctx()
    produce = export_callable(
        data, file_name, what, who, detail, token=token, session_id=run.session_id if run else None
    )
    return st.download_button(label, produce, file_name=file_name, mime=mime, key=key, **kwargs)
