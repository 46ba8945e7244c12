"""The trends page in headless Chromium over the demo bank: every section renders, charts are drawn,
the controls rerun without error, and the HTML briefing downloads. Screenshots land in tests/screenshots."""

from __future__ import annotations

from tests.browser_support import SCREENSHOTS, exceptions_on, open_page, wait_until_rendered

CHART_SVG = '[data-testid="stPlotlyChart"] .main-svg'


def drawn_charts(page) -> int:
    charts = page.locator('[data-testid="stPlotlyChart"]')
    return sum(1 for i in range(charts.count()) if charts.nth(i).locator("g.trace").count() > 0)


def test_trends_page_sections_and_briefing_download(app_server, browser, tmp_path):
    page = open_page(browser, f"{app_server}/?from=2026-10&to=2026-10", height=4400)
    page.wait_for_selector(CHART_SVG, timeout=30_000)
    page.wait_for_timeout(1500)
    assert exceptions_on(page) == []
    main = page.inner_text('[data-testid="stMain"]')
    for heading in ("月度趋势 · 2026年10月", "综述", "近24个月走势", "环比变动分解：2026年10月较2026年9月", "月度简报"):
        assert heading in main, heading
    assert "共受理客户投诉" in main and "{" not in main.split("综述")[1].split("近24个月走势")[0]
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    headline = [
        "投诉量",
        "环比",
        "同比",
        "万人投诉率",
        "按时办结率",
        "平均办结天数",
        "超期未办结",
        "监管转办投诉",
        "重复投诉率",
    ]
    assert [label.strip() for label in labels[:9]] == headline  # the headline cards lead, in the leader's order
    # then issue 19's deadline, outcome and elderly cards; the annual disclosure's four once its switch is on
    assert "全年投诉总量" not in {label.strip() for label in labels}
    page.get_by_text("显示年度投诉情况", exact=True).click()
    wait_until_rendered(page)
    page.wait_for_selector('[data-testid="stMetricLabel"]:has-text("全年投诉总量")', timeout=30_000)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    assert {"全年投诉总量", "全年监管转办投诉"} <= {label.strip() for label in labels}
    assert drawn_charts(page) >= 4  # volume, rate, breakdown, the first waterfall
    page.screenshot(path=str(SCREENSHOTS / "trends_full.png"), full_page=True)

    # the breakdown as shares, by reason; the tier-1 decomposition tab
    page.get_by_role("radiogroup", name="构成维度").get_by_role("radio", name="投诉原因").click()
    wait_until_rendered(page)
    page.get_by_role("radiogroup", name="显示方式").get_by_role("radio", name="占比").click()
    wait_until_rendered(page)
    page.get_by_role("tab", name="一级分行", exact=True).click()
    page.wait_for_timeout(1000)
    assert exceptions_on(page) == []
    assert drawn_charts(page) >= 4
    titles = page.locator('[data-testid="stPlotlyChart"] .gtitle').all_text_contents()
    assert "按投诉原因的投诉占比（近24个月）" in titles
    assert "环比变动分解：按一级分行" in titles

    # the HTML briefing downloads and is the self-contained file
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="下载 HTML 简报").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name == "消保投诉月度简报_2026-10.html"
    text = target.read_text(encoding="utf-8")
    assert "消费者权益保护投诉情况月度简报（2026年10月）" in text and len(text) > 3_000_000
    page.close()


def _hotspots_count(page) -> str:
    cards = page.locator('[data-testid="stMetric"]')
    for i in range(cards.count()):
        text = cards.nth(i).inner_text()
        if text.strip().startswith("投诉量"):
            return text
    raise AssertionError("no 投诉量 card on the hotspots page")


def test_a_drivers_hotspot_link_clicked_shows_what_the_same_url_shows_in_a_fresh_browser(app_server, browser):
    # hostile H52: clicked inside a session, 查看热点 opened 热点分析 on the whole month (981) while its URL named
    # the driver's slice (a fresh browser given the URL showed 39): the sidebar reads its keys only once
    page = open_page(browser, f"{app_server}/?from=2026-10&to=2026-10", height=2400)
    link = page.get_by_role("link", name="查看热点").first
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url("**/hotspots**", timeout=60_000)
    wait_until_rendered(page)
    assert exceptions_on(page) == []
    clicked, url = _hotspots_count(page), page.url
    assert "hs_d_" in url
    fresh = open_page(browser, url)
    assert _hotspots_count(fresh) == clicked
    whole = _hotspots_count(open_page(browser, f"{app_server}/hotspots?from=2026-10&to=2026-10"))
    assert clicked != whole  # the drill narrowed it
