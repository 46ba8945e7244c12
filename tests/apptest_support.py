"""Streamlit AppTest helpers shared by the page tests: run the app (optionally switched to one page) with URL
query parameters, and read what a page says. Pair with conftest's app_env fixture, which points the app at
a store."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TEXT_ELEMENTS = ("title", "subheader", "markdown", "caption", "info", "success", "warning", "text")


def run_app(
    page: str | None = None,
    query: dict | None = None,
    timeout: float = 120,
    setup: Callable[[AppTest], None] | None = None,
) -> AppTest:
    """The app run once with `query` as its URL parameters, then switched to `page` (a path under dashboard/,
    such as "app_pages/hotspots.py") when given; fails on an exception in either run. `setup` prepares the
    AppTest before the first run (secrets, the signed-in user)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if setup is not None:
        setup(at)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    """Everything the page says in text elements (titles, markdown, captions, notices), one per line, as the
    reader sees it: fmt.literal's backslash escapes removed (400\\.0% reads 400.0%)."""
    said = "\n".join(str(e.value) for kind in TEXT_ELEMENTS for e in getattr(at, kind))
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\1", said)
