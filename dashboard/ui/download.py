"""Every download in the app goes through `audited_download`: st.download_button plus an audit line.

    audited_download("下载明细（CSV）", frame, "complaints.csv", what="投诉明细")

`data` is bytes, a str, a DataFrame (written as UTF-8 CSV with BOM, so Excel opens it; a narrative
column `content` / 投诉内容 is masked once more on the way out, masking being idempotent, and no text cell
can start a formula: dashboard.text.export_cells) or a no-argument
callable returning one of those. The file is produced when the user clicks (Streamlit's deferred
download), and the audit line (who, when, what, file, rows, the filters and the user's scope) is written
first: if it cannot be written, the download fails rather than leaving no trace.
"""
from __future__ import annotations

from typing import Callable, Union

import pandas as pd
import streamlit as st

from dashboard.auth import audit
from dashboard.text.export_cells import neutralise_frame
from dashboard.text.masking import mask_series
from dashboard.ui import context, identity

Payload = Union[bytes, str, pd.DataFrame]
NARRATIVE_COLUMNS = ("content", "投诉内容")


def to_bytes(data: Payload) -> tuple[bytes, int | None]:
    """The file's bytes and, for a table, its row count."""
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
        for column in NARRATIVE_COLUMNS:
            if column in frame.columns:
                frame[column] = mask_series(frame[column])
        return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig"), len(frame)
    if isinstance(data, str):
        return data.encode("utf-8"), None
    return bytes(data), None


def export_callable(data: Payload | Callable[[], Payload], file_name: str, what: str,
                    who, detail: dict | None = None) -> Callable[[], bytes]:
    """The no-argument producer handed to st.download_button: audit first, then the bytes."""
    def produce() -> bytes:
        payload, rows = to_bytes(data() if callable(data) else data)
        entry = {"what": what, "file": file_name, **(detail or {})}
        if rows is not None:
            entry["rows"] = rows
        audit.record("export", who, entry)
        return payload
    return produce


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
    return st.download_button(label, export_callable(data, file_name, what, who, detail),
                              file_name=file_name, mime=mime, key=key or f"dl_{what}_{file_name}",
                              **kwargs)
