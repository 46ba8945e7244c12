"""A tripwire for H101/H102: a value known to come from a file, the store or a user drawn into Streamlit
Markdown without fmt.literal.

What it checks, and what not: every call in dashboard/ of a Streamlit element that renders its text as
Markdown (st.markdown, caption, info, warning, error, success, title, header, subheader, toast, spinner,
expander, and a metric's label or help) whose text argument contains an expression naming a data carrier
(DATA_NAMES: branch and parent names, ledger titles and owners, driver labels and texts, typical cases,
complaint and customer ids, import warnings, failures and errors, refusals, scope labels, surge slices),
directly or inside an f-string or a join, and not inside fmt.literal(...). It cannot see a value under
another name (`x = row["branch_name"]; st.caption(f"{x}")`): the AppTest in test_markdown_injection.py
plants strings on the pages for that. Constants and numbers are not checked (they are the code's own)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

MARKDOWN_CALLS = {
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "title",
    "header",
    "subheader",
    "toast",
    "spinner",
    "expander",
    "metric",
}
DATA_NAMES = re.compile(
    r"\bnames\b|branch_name|parent_name|\.title\b|\[.title.\]|surge_text|items_text|terms_text|\bd\.label\b"
    r"|\bd\.case\b|complaint_id|customer_id|representative_id|scope_label|filter_label|切片|\bf\.file\b"
    r"|\bwarning\b|\bfailure\b|\berror\b|\bexc\b|\brefused\b|owner_dept|\bscope\b"
)
ROOT = Path(__file__).resolve().parent.parent / "dashboard"


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "literal"


def _number(node: ast.AST) -> bool:
    """len(...), int(...) and fmt's number formats draw digits, whatever they are given."""
    name = getattr(node.func, "attr", getattr(node.func, "id", "")) if isinstance(node, ast.Call) else ""
    return name in {"len", "int", "count", "rate", "pct", "days", "per10k"}


def _unescaped(node: ast.AST, source: str) -> list[str]:
    """Source segments of data-carrying expressions under `node` that no fmt.literal call wraps."""
    if _literal(node) or _number(node):
        return []
    if isinstance(node, (ast.Constant, ast.Compare)):
        return []
    if isinstance(node, ast.IfExp):  # its test is not drawn
        return _unescaped(node.body, source) + _unescaped(node.orelse, source)
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        text = ast.get_source_segment(source, node) or ""
        return [text] if DATA_NAMES.search(text) else []
    found = []
    for child in ast.iter_child_nodes(node):
        found += _unescaped(child, source)
    return found


def unescaped_sites(source: str, where: str = "") -> list[str]:
    sites = []
    for call in ast.walk(ast.parse(source)):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        if call.func.attr not in MARKDOWN_CALLS:
            continue
        texts = list(call.args[:1]) + [k.value for k in call.keywords if k.arg in ("label", "help", "body")]
        if call.func.attr == "metric":  # its value is drawn as text, not Markdown
            texts = list(call.args[:1]) + [k.value for k in call.keywords if k.arg in ("label", "help")]
        for text in texts:
            for seg in _unescaped(text, source):
                sites.append(f"{where}:{call.lineno}: {seg}")
    return sites


def test_the_guard_catches_a_data_value_drawn_raw_and_passes_an_escaped_one():
    assert unescaped_sites('st.caption(f"{f.file}：{warning}")')
    assert unescaped_sites('st.markdown("整改：" + d.items_text())')
    assert unescaped_sites("st.error(str(error))")
    assert unescaped_sites('col.metric(f"{names[c]}", 1)')
    assert not unescaped_sites('st.caption(fmt.literal(f"{f.file}：{warning}"))')
    assert not unescaped_sites('st.markdown(f"整改：{fmt.literal(d.items_text())}")')
    assert not unescaped_sites('st.info(f"共 {len(rows):,} 件，{level}")')


def test_no_data_value_reaches_streamlit_markdown_unescaped():
    sites = []
    for path in sorted(ROOT.rglob("*.py")):
        sites += unescaped_sites(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not sites, "wrap these in fmt.literal (hostile H101/H102):\n" + "\n".join(sites)
