"""Text from a file, the store or a user shown in the app stays text (hostile H101/H102): a branch named
`[点击查看](http://evil.example)`, a product or a column header `![x](http://evil.example/a.png)` and a ledger
title with `<img …>` were drawn as a live link, image or HTML on 数据管理 and 月度趋势.

The check reads every element Streamlit draws as Markdown (text elements, notices, metric labels and help,
expander and tab labels) and fails when a body holding a planted string still has a live link `](`, image
`![` or tag `<x` once its backslash escapes are removed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.pipeline import import_files
from dashboard.ledger.store import Ledger
from tests.apptest_support import run_app
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, write_small_extracts

EVIL = "evil.example"
LINK_NAME = "[点击查看](http://evil.example/b)"
IMAGE_NAME = "![x](http://evil.example/a.png)"
HEADER = "![h](http://evil.example/h.png)"
PRODUCT = "![p](http://evil.example/p.png)"
TITLE = '<img src="http://evil.example/t.png">[台账](http://evil.example/t)'
BRANCH_NAMES = {"0100": LINK_NAME, "0200": IMAGE_NAME}


def _hostile_extracts(folder: Path) -> list[Path]:
    branches = [(c, BRANCH_NAMES.get(c, n), *rest) for c, n, *rest in BRANCHES]
    complaints = [(*r[:7], PRODUCT if r[7] else "", *r[8:], "x") for r in COMPLAINTS]
    return write_small_extracts(folder, branches, complaints, [*COMPLAINT_HEADERS_ZH, HEADER])


@pytest.fixture
def hostile(tmp_path):
    data = tmp_path / "data"
    result = import_files(_hostile_extracts(tmp_path / "extracts"), data)
    assert any(HEADER in w for f in result.files for w in f.warnings)  # the header reaches an import note
    ledger = Ledger(data)
    for code in ("0101", "0201"):
        ledger.create(
            source="recurring",
            title=TITLE,
            user="张三",
            branch_code=code,
            business_category="信用卡",
            reason="定价收费",
            today=date(2026, 11, 1),
            now="2026-10-02 09:00:00",
            owner_dept=TITLE,
        )
    return data, result


def _bodies(at: AppTest) -> list[str]:
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        texts += [str(m.label), str(m.help or "")]
    texts += [str(e.label) for e in at.expander]
    texts += [str(t.label) for t in at.tabs]
    return texts


def live(body: str) -> bool:
    """Whether `body` (Markdown) holds a planted string as a live link, image or HTML tag."""
    bare = re.sub(r"\\.", "", body)  # what an escape protects is text
    return planted(body) and bool(re.search(r"\]\(|!\[|<[A-Za-z]", bare))


def planted(body: str) -> bool:
    return EVIL in re.sub(r"\\(.)", r"\1", body)


def test_the_check_catches_a_live_link_and_passes_an_escaped_one():
    from dashboard import fmt

    assert live(f"机构：{LINK_NAME}") and live(TITLE) and live(IMAGE_NAME)
    assert not live(f"机构：{fmt.literal(LINK_NAME)}") and not live(fmt.literal(TITLE))


def _assert_escaped(at: AppTest, where: str) -> int:
    bodies = _bodies(at)
    shown = [b for b in bodies if planted(b)]
    bad = [b for b in shown if live(b)]
    assert not bad, f"{where}: live Markdown from data: {bad}"
    return len(shown)


def test_data_page_import_notes_and_failure_are_text(hostile, app_env):
    data, result = hostile
    app_env(data)

    def setup(at):
        at.session_state["last_import"] = result

    at = run_app("app_pages/data.py", setup=setup)
    assert _assert_escaped(at, "数据管理") >= 1  # the ignored-column note is shown, escaped


@pytest.mark.parametrize(
    "page, query",
    [
        ("app_pages/trends.py", {"to": "2026-10"}),
        ("app_pages/rankings.py", {"from": "2026-10", "to": "2026-10", "level": "一级分行", "profile": "0200"}),
    ],
)
def test_pages_show_branch_names_products_and_ledger_titles_as_text(hostile, app_env, page, query):
    data, _ = hostile
    app_env(data)
    at = run_app(page, query=query)
    assert _assert_escaped(at, page) >= 1  # something planted is on the page, so the check checked
