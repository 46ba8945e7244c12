"""The rankings page in headless Chromium over the demo bank: it renders, a click on the funnel plot opens a
profile, a profile link opens directly; screenshots of both are saved for a person to look at."""

from __future__ import annotations

from tests.browser_support import SCREENSHOTS, exceptions_on, open_page, wait_until_rendered

MAIN = '[data-testid="stMainBlockContainer"]'


def test_rankings_page_and_funnel_click(app_server, browser):
    page = open_page(browser, f"{app_server}/rankings?level=支行", height=3400)
    assert exceptions_on(page) == []
    text = page.inner_text(MAIN)
    assert "机构排名" in text and "漏斗图" in text and "关注度得分" in text
    page.screenshot(path=str(SCREENSHOTS / "rankings.png"), full_page=True)

    # click the first organisation point of the funnel plot (markers, not the limit curves)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    point = chart.locator("g.scatterlayer g.trace path.point").last
    point.click(force=True)
    wait_until_rendered(page)
    page.wait_for_function("() => window.location.search.includes('profile=')", timeout=30_000)
    assert exceptions_on(page) == []
    assert "万人投诉率走势" in page.inner_text(MAIN)
    page.close()


def test_profile_link_opens_the_profile(app_server, browser):
    page = open_page(browser, f"{app_server}/rankings?level=一级分行&profile=0100", height=4400)
    assert exceptions_on(page) == []
    text = page.inner_text(MAIN)
    assert "北京分行（0100）" in text
    for part in ("万人投诉率走势", "投诉构成与全行对比", "反复出现的问题", "重复投诉客户", "下辖机构排名"):
        assert part in text, part
    assert "profile=0100" in page.url and "level=" in page.url
    page.wait_for_timeout(2000)  # the profile's charts draw after the run's last message
    page.screenshot(path=str(SCREENSHOTS / "rankings_profile.png"), full_page=True)
    page.close()


def test_a_click_on_a_row_brings_the_profile_into_view(app_server, browser):
    """The profile is drawn under the table and the funnel plot, 1,000 px below the row: the page goes there."""
    page = open_page(browser, f"{app_server}/rankings?level=一级分行", height=1000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's selection cell
    page.wait_for_function("() => window.location.search.includes('profile=')", timeout=30_000)
    wait_until_rendered(page)
    page.wait_for_timeout(2500)  # the smooth scroll
    heading = page.locator("#profile")
    top = heading.bounding_box()["y"]
    assert 0 <= top <= 1000 - 200, top  # in view (before: about 1,000 px below the clicked row)
    assert exceptions_on(page) == []
    page.close()
