"""热点分析 in headless Chromium on the demo bank: a real click on a bar and on a bubble narrows the
complaint list (counts checked against pandas on the extract), a chip removes the drill-down again, and
screenshots (tests/screenshots/hotspots*.png) are saved for a person to look at."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.browser_support import SCREENSHOTS, exceptions_on, open_page, wait_until_rendered

MAIN = '[data-testid="stMain"]'


@pytest.fixture(scope="module")
def october(demo_store) -> pd.DataFrame:
    c = pd.read_parquet(
        demo_store.parent / "extracts" / "complaints.parquet",
        columns=["received_at", "channel", "business_category", "reason"],
    )
    return c[pd.to_datetime(c["received_at"]).dt.to_period("M") == pd.Period("2026-10", "M")]


def listed(page) -> int:
    """The complaint list's count, from its caption (共 N 件投诉)."""
    match = re.search(r"共 ([\d,]+) 件投诉", page.inner_text(MAIN))
    assert match, "no complaint list on the page"
    return int(match.group(1).replace(",", ""))


def settle(page) -> None:
    page.wait_for_timeout(600)
    wait_until_rendered(page)
    page.wait_for_timeout(800)


def chart_in_tab(page, tab: str):
    """The chart of one tab of the dimension tabs (投诉渠道, 产品, 省份, 城市, 机构), that tab opened."""
    page.get_by_role("tab", name=tab).click()
    page.wait_for_timeout(500)
    panel = page.locator('[data-testid="stTabs"] [role="tabpanel"]:not([hidden])').first
    return panel.locator('[data-testid="stPlotlyChart"]').first


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def click_point(page, chart, index: int) -> None:
    """A real mouse click in the middle of the index-th point (bar or bubble) of the chart's first trace."""
    chart.scroll_into_view_if_needed()
    point = chart.locator("g.trace g.point path, g.trace path.point").nth(index)
    point.evaluate("el => el.scrollIntoView({block: 'center'})")  # not under the sticky drill-down bar
    page.wait_for_timeout(400)
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)


def test_click_on_a_bar_and_a_bubble_filters_the_list(app_server, browser, october):
    page = open_page(browser, f"{app_server}/hotspots?from=2026-10&to=2026-10")
    assert exceptions_on(page) == []
    assert listed(page) == len(october)
    page.set_viewport_size({"width": 1440, "height": 6200})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SCREENSHOTS / "hotspots.png"))
    page.set_viewport_size({"width": 1440, "height": 1000})

    # the channel chart: bars drawn smallest first, so the last bar is the largest channel
    channels = october["channel"].value_counts()
    top_channel = channels.index[0]
    chart = chart_in_tab(page, "投诉渠道")
    click_point(page, chart, chart.locator("g.trace g.point path").count() - 1)
    assert exceptions_on(page) == []
    assert page.get_by_role("button", name=f"投诉渠道：{top_channel} ✕").count() == 1
    # the chips stay in view after a click far down the page (they are at the top, kept there sticky)
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop") > 300
    assert in_view(page, page.get_by_role("button", name=f"投诉渠道：{top_channel} ✕"))
    assert listed(page) == channels.iloc[0]

    # the category x reason bubbles: click the biggest one (its index read from the plotly figure)
    matrix = page.locator('[data-testid="stPlotlyChart"]').first
    cells = matrix.locator(".js-plotly-plot").evaluate("el => el.data[0].customdata")
    in_channel = october[october["channel"] == top_channel]
    category, reason = in_channel.groupby(["business_category", "reason"]).size().idxmax()  # the biggest
    index = [tuple(c) for c in cells].index((category, reason))
    click_point(page, matrix, index)
    assert page.get_by_role("button", name=f"业务类别：{category} ✕").count() == 1
    expected = october[
        (october["channel"] == top_channel) & (october["business_category"] == category) & (october["reason"] == reason)
    ]
    assert listed(page) == len(expected)
    page.set_viewport_size({"width": 1440, "height": 6200})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SCREENSHOTS / "hotspots_drill.png"))
    page.set_viewport_size({"width": 1440, "height": 1000})

    # removing the channel chip widens the list again to category x reason alone
    page.get_by_role("button", name=f"投诉渠道：{top_channel} ✕").click()
    settle(page)
    assert listed(page) == int(((october["business_category"] == category) & (october["reason"] == reason)).sum())
    assert exceptions_on(page) == []
    page.close()


def test_a_complaint_opens_in_full(app_server, browser):
    page = open_page(browser, f"{app_server}/hotspots?from=2026-10&to=2026-10")
    box = page.locator('[data-testid="stSelectbox"]', has_text="查看投诉详情")
    box.scroll_into_view_if_needed()
    combo = box.get_by_role("combobox")
    combo.click()
    option = page.get_by_role("option").first
    try:
        option.wait_for(timeout=15_000)
    except Exception:  # a busy machine: open the list from the keyboard instead
        combo.press("ArrowDown")
        option.wait_for(timeout=30_000)
    option.click()
    settle(page)
    text = page.inner_text(MAIN)
    assert "投诉详情 · TS" in text and "同一客户" in text and "时效" in text
    assert exceptions_on(page) == []
    page.set_viewport_size({"width": 1440, "height": 6800})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SCREENSHOTS / "hotspots_detail.png"))
    page.close()
