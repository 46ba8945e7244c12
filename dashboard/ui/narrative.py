"""One complaint's narrative on screen: masked, unless a user allowed to reveal it gives a reason.

Pages call `show_narrative(complaint_id, text)` and nothing else. The text passed in is the stored
narrative (from a query bounded by the user's scope); what is drawn is `mask(text)`, except for the one
complaint a 消保部 user has revealed: the reveal asks for a reason, writes an audit line (who, when, which
complaint, why) and only then shows the text. If the audit line cannot be written, nothing is revealed.
A reveal covers one complaint at a time and lapses after REVEAL_MINUTES.
"""

from __future__ import annotations

import html
import time
import unicodedata
from typing import Sequence

import streamlit as st

from dashboard import fmt
from dashboard.auth import audit
from dashboard.auth.roles import Principal, can_reveal
from dashboard.text.masking import mask
from dashboard.text.search_query import highlight_spans
from dashboard.ui import identity

REVEAL_MINUTES = 15
MIN_REASON_CHARS = 4
_REVEALED = "_revealed_complaint"  # (complaint_id, user, monotonic time of the reveal)
_ERROR = "_reveal_error"


def revealed_id() -> str | None:
    """The complaint whose personal data this session may currently see, if any."""
    held = st.session_state.get(_REVEALED)
    decided = identity.principal()
    if not held or not can_reveal(decided) or held[1] != decided.user:
        return None
    if time.monotonic() - held[2] > REVEAL_MINUTES * 60:
        st.session_state.pop(_REVEALED, None)
        return None
    return held[0]


def reason_problem(reason: str) -> str | None:
    """Why a reveal's reason is refused, or None. It must say something: MIN_REASON_CHARS characters of
    words (Han or Latin letters; punctuation, digits, spaces and invisible characters do not count), not
    one character repeated (hostile H135: "....", "aaaa" and four zero-width spaces passed)."""
    letters = [c for c in reason if unicodedata.category(c)[0] == "L"]
    if len(letters) < MIN_REASON_CHARS or len(set(letters)) < 2:
        return f"请填写查看理由（至少 {MIN_REASON_CHARS} 个汉字或字母，如“回访前核实客户身份”），该理由将记入审计日志。"
    return None


def _reveal(decided: Principal, complaint_id: str, reason_key: str) -> None:
    reason = (st.session_state.get(reason_key) or "").strip()
    problem = reason_problem(reason)
    if problem:
        st.session_state[_ERROR] = (complaint_id, problem)
        return
    try:
        # the reason as typed may name the customer (回访张三): the log is an exit, masked (hostile H257)
        audit.record("reveal", decided, {"complaint_id": complaint_id, "reason": mask(reason)})
    except audit.AuditError as error:  # its message already says the log could not be written
        st.session_state[_ERROR] = (complaint_id, f"{str(error).rstrip('。')}，未显示个人信息。")
        return
    except OSError as error:
        st.session_state[_ERROR] = (complaint_id, f"审计日志无法写入（{error.strerror or error}），未显示个人信息。")
        return
    st.session_state.pop(_ERROR, None)
    st.session_state[reason_key] = ""
    st.session_state[_REVEALED] = (complaint_id, decided.user, time.monotonic())


def _hide() -> None:
    st.session_state.pop(_REVEALED, None)


def marked_html(shown: str, highlight: Sequence[str]) -> str:
    """The text as HTML (escaped) with the search's matches in <mark>; matched on the text as shown, so
    on the masked text what the mask hid never matches."""
    out, at = [], 0
    for start, end in highlight_spans(shown, tuple(highlight)):
        out += [html.escape(shown[at:start]), "<mark>", html.escape(shown[start:end]), "</mark>"]
        at = end
    out.append(html.escape(shown[at:]))
    return '<div style="white-space: pre-wrap; line-height: 1.7; font-size: 0.95rem">' + "".join(out) + "</div>"


def show_narrative(
    complaint_id: str, text: str | None, *, key: str | None = None, highlight: Sequence[str] = ()
) -> None:
    """Draw the narrative of one complaint (masked unless revealed) and, for 消保部, the reveal form.
    highlight: texts to mark where they occur in what is shown (the page's search, lower case)."""
    key = key or f"narr_{complaint_id}"
    if not isinstance(text, str) or not text.strip():
        st.caption("（无投诉内容）")
        return
    decided = identity.principal()
    masked = mask(text)
    shown = revealed_id() == complaint_id
    with st.container(border=True):
        if highlight:
            st.html(marked_html(text if shown else masked, highlight))
        else:
            st.text(text if shown else masked)
    if shown:
        st.caption(
            ":material/lock_open: 正在显示个人信息：本次查看已记入审计日志，"
            f"{REVEAL_MINUTES} 分钟后或查看其他投诉时自动恢复脱敏。"
        )
        st.button("恢复脱敏显示", key=f"{key}_hide", on_click=_hide, icon=":material/lock:")
        return
    if masked == text:
        return  # nothing was masked: nothing to reveal
    if not can_reveal(decided):
        st.caption("个人信息已脱敏显示。")
        return
    with st.expander("查看个人信息（需填写理由，记入审计日志）", icon=":material/lock:"):
        reason_key = f"{key}_reason"
        with st.form(f"{key}_form", border=False):
            st.text_input("查看理由", key=reason_key, max_chars=200, placeholder="例如：回访客户前核实联系方式")
            st.form_submit_button(
                "确认查看", type="primary", on_click=_reveal, args=(decided, complaint_id, reason_key)
            )
        error = st.session_state.get(_ERROR)
        if error and error[0] == complaint_id:
            st.error(fmt.literal(error[1]))
