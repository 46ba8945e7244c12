"""The view travels in the URL (issue 20 §3), in headless Chromium on the demo bank: each state is set by
hand on the page (a click on a chart, a typed search, a threshold, a weight, the repeat rule), the URL is
read back from the browser, and a fresh browser (a new context: a new Streamlit session) opening that URL
shows the same view. 查看热点 on the trends page stays in the same tab and applies a drill-down."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from tests.browser_support import exceptions_on, open_page, wait_until_rendered
from tests.test_hotspots_browser import MAIN, chart_in_tab, click_point, listed, settle


@pytest.fixture(scope="module")
def october(demo_store) -> pd.DataFrame:
    c = pd.read_parquet(
        demo_store.parent / "extracts" / "complaints.parquet",
        columns=["received_at", "channel", "business_category", "content"],
    )
    return c[pd.to_datetime(c["received_at"]).dt.to_period("M") == pd.Period("2026-10", "M")]


def chart_under(page, heading: str):
    column = page.locator('[data-testid="stColumn"]', has=page.get_by_role("heading", name=heading))
    return column.locator('[data-testid="stPlotlyChart"]').first


def query_of(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def fill(page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    settle(page)


def test_hotspots_view_round_trips(app_server, browser, october):
    page = open_page(browser, f"{app_server}/hotspots?from=2026-10&to=2026-10")
    assert exceptions_on(page) == []
    # the search, typed
    fill(page, "在投诉内容中搜索（筛选整页）", "利率 OR 房贷")
    low = october["content"].fillna("").str.lower()
    hit = october[low.str.contains("利率", regex=False) | low.str.contains("房贷", regex=False)]
    assert listed(page) == len(hit)
    # a drill-down: the largest channel's bar
    channels = hit["channel"].value_counts()
    chart = chart_in_tab(page, "投诉渠道")
    click_point(page, chart, chart.locator("g.trace g.point path").count() - 1)
    assert page.get_by_role("button", name=f"投诉渠道：{channels.index[0]} ✕").count() == 1
    # a surge threshold
    page.get_by_text("激增判定阈值（可调整）").click()
    page.wait_for_timeout(500)
    fill(page, "倍数下限", "2.50")
    # a term: the first bar of 高频词
    terms = chart_under(page, "高频词")
    click_point(page, terms, terms.locator("g.trace g.point path").count() - 1)
    term_chip = page.get_by_role("button", name=re.compile("^关键词："))
    assert term_chip.count() == 1
    term = term_chip.inner_text().removeprefix("关键词：").removesuffix(" ✕").strip()
    count = listed(page)

    query = query_of(page)
    assert query["hs_q"] == "利率 OR 房贷" and query["hs_d_channel"] == channels.index[0]
    assert query["hs_rule_ratio"] == "2.5" and query["hs_term"] == term
    fresh = open_page(browser, page.url)  # a new context: nothing shared with the first session
    assert exceptions_on(fresh) == []
    assert fresh.get_by_label("在投诉内容中搜索（筛选整页）", exact=True).input_value() == "利率 OR 房贷"
    assert fresh.get_by_role("button", name=f"投诉渠道：{channels.index[0]} ✕").count() == 1
    assert fresh.get_by_role("button", name=f"关键词：{term} ✕").count() == 1
    assert listed(fresh) == count
    fresh.get_by_text("激增判定阈值（可调整）").click()
    fresh.wait_for_timeout(500)
    assert fresh.get_by_label("倍数下限", exact=True).input_value() == "2.50"
    assert query_of(fresh) == query
    page.close()
    fresh.close()


def test_ranking_weights_and_thresholds_round_trip(app_server, browser):
    page = open_page(browser, f"{app_server}/rankings?from=2026-10&to=2026-10")
    fill(page, "参与排名的最低投诉量", "7")
    page.get_by_text("关注度得分：计算公式与权重（可调整）").click()
    page.wait_for_timeout(500)
    weight = page.locator('[data-testid="stExpander"] input[type="number"]').first
    weight.fill("55")
    weight.press("Enter")
    settle(page)
    query = query_of(page)
    assert query["rk_min_complaints"] == "7" and "55" in query.values()
    fresh = open_page(browser, page.url)
    assert fresh.get_by_label("参与排名的最低投诉量", exact=True).input_value() == "7"
    fresh.get_by_text("关注度得分：计算公式与权重（可调整）").click()
    fresh.wait_for_timeout(500)
    assert fresh.locator('[data-testid="stExpander"] input[type="number"]').first.input_value() == "55.00"
    page.close()
    fresh.close()


def test_repeat_rule_round_trips(app_server, browser):
    page = open_page(browser, f"{app_server}/repeats?from=2026-10&to=2026-10")
    fill(page, "回溯天数", "60")
    page.get_by_text("须同一业务类别").click()
    settle(page)
    query = query_of(page)
    assert query["rp_window"] == "60" and query["rp_same"] == "0"
    fresh = open_page(browser, page.url)
    assert fresh.get_by_label("回溯天数", exact=True).input_value() == "60"
    assert not fresh.get_by_role("switch", name="须同一业务类别").is_checked()
    page.close()
    fresh.close()


def test_view_hotspots_from_trends_stays_in_the_tab_as_a_drill_down(app_server, browser, demo_store):
    # the first row of the business-category movers: the largest change from September to October
    c = pd.read_parquet(
        demo_store.parent / "extracts" / "complaints.parquet", columns=["received_at", "business_category"]
    )
    month = pd.to_datetime(c["received_at"]).dt.to_period("M")
    change = (
        c[month == pd.Period("2026-10", "M")]["business_category"]
        .value_counts()
        .sub(c[month == pd.Period("2026-09", "M")]["business_category"].value_counts(), fill_value=0)
    )
    first_item = change.abs().sort_values(ascending=False).index[0]
    page = open_page(browser, f"{app_server}/?from=2026-10&to=2026-10")
    grid = page.locator('[data-testid="stDataFrame"]', has_text="变动").first
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selection box
    page.wait_for_url(re.compile(r"/hotspots"), timeout=60_000)
    wait_until_rendered(page)
    assert len(page.context.pages) == 1  # no new tab
    assert exceptions_on(page) == []
    chips = page.inner_text(MAIN)
    assert f"业务类别：{first_item} ✕" in chips and "月份：2026-10 ✕" in chips
    query = query_of(page)
    assert "cat" not in query and query["hs_d_category"] == first_item  # a drill-down, not a filter
    page.close()


def test_ranking_level_and_open_profile_round_trip(app_server, browser):
    """The level picked by hand and the profile opened by a click on a row: a fresh browser opening the URL
    shows the same level and the same organisation's profile."""
    page = open_page(browser, f"{app_server}/rankings?from=2026-10&to=2026-10", height=1400)
    assert exceptions_on(page) == []
    page.get_by_text("支行", exact=True).first.click()  # the level radio (default 一级分行)
    settle(page)
    assert query_of(page)["level"] == "支行"
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's selection cell
    page.wait_for_function("() => window.location.search.includes('profile=')", timeout=30_000)
    settle(page)
    query = query_of(page)
    code = query["profile"]
    assert query["level"] == "支行" and code
    text = page.inner_text(MAIN)
    heading = next(line for line in text.splitlines() if f"（{code}）" in line)
    fresh = open_page(browser, page.url, height=1400)
    assert exceptions_on(fresh) == []
    assert fresh.get_by_role("radio", name="支行", exact=True).is_checked()
    fresh_text = fresh.inner_text(MAIN)
    assert heading in fresh_text and "万人投诉率走势" in fresh_text  # the same profile, open
    assert query_of(fresh)["profile"] == code and query_of(fresh)["level"] == "支行"
    page.close()
    fresh.close()
