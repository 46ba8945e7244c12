"""Every page in headless Chromium: it renders, shows no error, and a screenshot is saved."""

from __future__ import annotations

import pytest

from tests.browser_support import SCREENSHOTS, exceptions_on, open_page

PAGES = [("", "月度趋势"), ("data", "数据管理")]  # the default page lives at the root


@pytest.mark.parametrize("path,title", PAGES)
def test_page_renders_without_error(app_server, browser, path, title):
    page = open_page(browser, f"{app_server}/{path}")
    assert exceptions_on(page) == []
    assert title in page.inner_text('[data-testid="stMainBlockContainer"]')
    page.screenshot(path=str(SCREENSHOTS / f"{path or 'trends'}.png"), full_page=True)
    page.close()


def test_filters_live_in_the_url(app_server, browser):
    page = open_page(browser, f"{app_server}/?from=2026-03&to=2026-03&cat=信用卡")
    text = page.inner_text('[data-testid="stMain"]')
    assert "2026年3月" in text
    assert "cat=" in page.url and "from=2026-03" in page.url
    page.close()
