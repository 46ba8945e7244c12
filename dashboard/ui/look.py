"""Small fixes of Streamlit's own look for a Chinese page: the file uploader's English, the empty date
input's placeholder, a bar that stays in view while the page scrolls, a scroll to a section the user just
opened.

Streamlit draws some of its texts in English whatever the page's language ("Upload", "1GB per file •
CSV"); they are replaced with CSS on the widget's key class (st-key-<key>), so each uploader says what it
takes. The limit shown is the server's own (server.maxUploadSize), not a copy of it.
"""

from __future__ import annotations

import json

import streamlit as st


def _css_string(text: str) -> str:
    """A CSS string literal (content: ...) of `text`."""
    return json.dumps(text, ensure_ascii=False)


def upload_limit_text() -> str:
    megabytes = int(st.get_option("server.maxUploadSize") or 200)
    return f"{megabytes / 1024:g} GB" if megabytes >= 1024 else f"{megabytes} MB"


def uploader_css(key: str, kinds: str, limit: str) -> str:
    """CSS giving the uploader of widget key `key` Chinese texts: the button 选择文件 and the line under
    it (what it takes, the size limit)."""
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    line = f"拖放文件到此处或点击“选择文件” · {kinds} · 每个文件不超过 {limit}"
    return (
        f"{scope} button [data-testid='stMarkdownContainer'] p {{font-size: 0;}}"
        f"{scope} button [data-testid='stMarkdownContainer'] p::after "
        f"{{content: {_css_string('选择文件')}; font-size: 0.875rem;}}"
        f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{font-size: 0;}}"
        f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span::after "
        f"{{content: {_css_string(line)}; font-size: 0.8rem;}}"
    )


def chinese_uploader(key: str, kinds: str) -> None:
    """Call before or after st.file_uploader(..., key=key): its English texts in Chinese."""
    st.html(f"<style>{uploader_css(key, kinds, upload_limit_text())}</style>")


def sticky(key: str, top: str = "3.75rem") -> None:
    """Keep the container of key `key` (st.container(key=...)) at the top of the view while the page
    scrolls: a drill-down's chips stay in sight after a click far down the page."""
    # sticky on the wrapper Streamlit puts around the container (the container alone is as tall as its
    # wrapper, so it had nowhere to stick)
    wrapper = f"[data-testid='stLayoutWrapper']:has(> .st-key-{key})"
    st.html(
        f"<style>{wrapper} {{position: sticky; top: {top}; z-index: 99; background: white;"
        "padding: 0.35rem 0; border-bottom: 1px solid #e6e9ef;}</style>"
    )


def scroll_to(anchor: str, nonce: object = None) -> None:
    """Scroll the page to the heading with anchor `anchor` (st.subheader(..., anchor=...)) once, e.g. to a
    profile opened by a click on a row far above it. `nonce` makes each request a new element, so that a
    second click scrolls again."""
    import streamlit.components.v1 as components

    target = json.dumps(anchor)
    components.html(
        "<script>"
        f"const doc = window.parent.document; let tries = 0; const id = {target};"
        "const go = () => { const el = doc.getElementById(id);"
        " if (el) { el.scrollIntoView({behavior: 'smooth', block: 'start'}); }"
        " else if (tries++ < 40) { setTimeout(go, 100); } };"
        f"go(); /* {json.dumps(str(nonce))} */"
        "</script>",
        height=0,
    )


DATE_PLACEHOLDERS = {"year": "年", "month": "月", "day": "日"}


def date_placeholder_css() -> str:
    """CSS giving an empty st.date_input Chinese placeholders: Streamlit (React Aria's segmented date field)
    writes its format's segments as yyyy - mm - dd and has no placeholder= for dates; each empty segment
    (data-placeholder) reads 年 / 月 / 日 instead. Typing still fills the segments as before."""
    rules = []
    for kind, text in DATE_PLACEHOLDERS.items():
        segment = f"[data-testid='stDateInputField'] [data-placeholder='true'][data-type='{kind}']"
        rules.append(f"{segment} {{font-size: 0;}}")
        rules.append(f"{segment}::after {{content: {_css_string(text)}; font-size: 0.875rem;}}")
    return "".join(rules)


def chinese_date_inputs() -> None:
    """Once per run (the router): every empty date input says 年-月-日 instead of yyyy-mm-dd."""
    st.html(f"<style>{date_placeholder_css()}</style>")
