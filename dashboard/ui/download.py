"""Every download in the app goes through `audited_download`: st.download_button plus an audit line.

    audited_download("下载明细（CSV）", frame, "complaints.csv", what="投诉明细")

`data` is bytes, a str, a DataFrame (written as UTF-8 CSV with BOM, so Excel opens it; a narrative
column `content` / 投诉内容 is masked once more on the way out, masking being idempotent) or a no-argument
callable returning one of those. The file is produced when the user clicks (Streamlit's deferred
download), and the audit line (who, when, what, file, rows, the filters and the user's scope) is written
first: if it cannot be written, the download fails rather than leaving no trace, and the rerun the click
triggers says so (the deferred producer runs outside the script, so it hands its outcome over: `_settle`).
"""
from __future__ import annotations

import threading
import uuid
from typing import Callable, Union

import pandas as pd
import streamlit as st

from dashboard.auth import audit
from dashboard.text.masking import mask_series
from dashboard.ui import context, identity

Payload = Union[bytes, str, pd.DataFrame]
NARRATIVE_COLUMNS = ("content", "投诉内容")
OUTCOME_WAIT_SECONDS = 10       # how long the click's rerun waits for the producer to say how it went
_TOKEN = "_export_token"        # per browser session: names its producers' outcomes
_outcomes: dict[str, str | None] = {}     # token -> None (exported) or the Chinese reason it was refused
_settled = threading.Condition()


def to_bytes(data: Payload) -> tuple[bytes, int | None]:
    """The file's bytes and, for a table, its row count."""
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
        for column in NARRATIVE_COLUMNS:
            if column in frame.columns:
                frame[column] = mask_series(frame[column])
        return frame.to_csv(index=False).encode("utf-8-sig"), len(frame)
    if isinstance(data, str):
        return data.encode("utf-8"), None
    return bytes(data), None


def export_callable(data: Payload | Callable[[], Payload], file_name: str, what: str,
                    who, detail: dict | None = None, *, token: str | None = None) -> Callable[[], bytes]:
    """The no-argument producer handed to st.download_button: audit first, then the bytes. With a
    `token`, its outcome is left for `_settle` (the click's rerun) to show."""
    def produce() -> bytes:
        try:
            payload, rows = to_bytes(data() if callable(data) else data)
            entry = {"what": what, "file": file_name, **(detail or {})}
            if rows is not None:
                entry["rows"] = rows
            audit.record("export", who, entry)
        except audit.AuditError as error:
            _hand_over(token, str(error))
            raise
        _hand_over(token, None)
        return payload
    return produce


def _hand_over(token: str | None, refused: str | None) -> None:
    if token is None:
        return
    with _settled:
        _outcomes[token] = refused
        _settled.notify_all()


def wait_outcome(token: str, timeout: float = OUTCOME_WAIT_SECONDS) -> tuple[bool, str | None]:
    """(whether the producer reported, why it refused or None); consumes the outcome."""
    with _settled:
        _settled.wait_for(lambda: token in _outcomes, timeout=timeout)
        if token not in _outcomes:
            return False, None
        return True, _outcomes.pop(token)


def _settle(token: str, message_key: str) -> None:
    """on_click of an export: runs at the start of the click's rerun, while the browser fetches the file."""
    reported, refused = wait_outcome(token)
    if reported and refused:
        st.session_state[message_key] = refused


def audited_download(label: str, data: Payload | Callable[[], Payload], file_name: str, what: str, *,
                     mime: str | None = None, key: str | None = None, **kwargs) -> bool:
    """st.download_button whose every use is written to the audit log (see the module docstring); when
    the log cannot be written, a message instead of the button."""
    blocked = audit.problem()
    if blocked:
        st.error(f"{label}：暂不能导出，{blocked}", icon=":material/block:")
        return False
    detail = {}
    ctx = context.get()
    if ctx is not None:
        detail["filters"] = ctx.filters.to_query()
    who = identity.principal() or identity.current_user()
    if mime is None and (isinstance(data, pd.DataFrame) or file_name.endswith(".csv")):
        mime = "text/csv"
    key = key or f"dl_{what}_{file_name}"
    token = f"{st.session_state.setdefault(_TOKEN, uuid.uuid4().hex)}:{key}"
    message_key = f"_export_refused_{key}"
    refused = st.session_state.pop(message_key, None)
    if refused:
        st.error(f"{label}：导出未完成，未生成文件。{refused}", icon=":material/block:")
    return st.download_button(label, export_callable(data, file_name, what, who, detail, token=token),
                              file_name=file_name, mime=mime, key=key, on_click=_settle,
                              args=(token, message_key), **kwargs)
