"""Monthly trends: decomposition, trend and control limits, summary text, hotspot links, report sections,
and the page through AppTest. Expectations are worked out by hand on the small bank (conftest.py) or
recomputed with plain pandas from the demo extracts.

Small bank, by month: 2025-10 C08 (1); 2026-09 C01 C02 (2); 2026-10 C03..C07 (5).
October 2026 by category: 信用卡 C03 C05 C07 (3), 借记卡 C06 (1), 个人贷款 C04 (1); September: 信用卡 C01,
借记卡 C02. Tier-1: 北京分行 0100 (0101, 0102), 上海分行 0200 (0201).
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from dashboard import db, fmt, report
from dashboard.analysis import seasonal, trends
from dashboard.analysis.summary import summary
from dashboard.filters import Filters, add_months
from dashboard.ingest.pipeline import import_files
from tests.apptest_support import page_text, run_app
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

OCT, SEP = date(2026, 10, 1), date(2026, 9, 1)


def load(data_dir, month=OCT, **filters):
    _, con = db.current(data_dir)
    f = Filters(month_from=month, month_to=month, **filters)
    return trends.load(trends.runner(con, f), f, month)


def contributions(data, dimension) -> dict:
    m = data.movers[dimension]
    return dict(zip(m["label"], m["contribution"]))


@pytest.fixture
def store_with_months(tmp_path, small_extracts):
    """A data folder holding only the small bank's complaints received in the given months."""

    def make(*months: str) -> Path:
        rows = [r for r in COMPLAINTS if r[1][:7] in months]
        name = "_".join(months)
        complaints = write_csv(tmp_path / f"c_{name}.csv", COMPLAINT_HEADERS_ZH, rows)
        import_files([*small_extracts[:2], complaints], tmp_path / name)
        return tmp_path / name

    return make


# --- Decomposition ----------------------------------------------------------------------------------
def test_decomposition_by_hand_on_small_bank(small_store):
    data = load(small_store)
    assert contributions(data, "business_category") == {"信用卡": 2, "个人贷款": 1, "借记卡": 0}
    assert contributions(data, "tier1_branch") == {"上海分行": 3, "北京分行": 0}
    assert contributions(data, "reason") == {
        "定价收费": 2,
        "信息披露": 1,
        "营销方式和手段": 1,
        "服务态度及服务质量": -1,
    }
    assert contributions(data, "channel") == {"客服热线": 2, "监管转办": 1, "手机银行/网银": 1, "网点现场": -1}
    for dimension in trends.MOVER_DIMENSIONS:
        m = data.movers[dimension]
        assert m["contribution"].sum() == 5 - 2  # the parts sum to the whole change
        assert list(m["contribution"].abs()) == sorted(m["contribution"].abs(), reverse=True)  # largest first
    cards = data.movers["business_category"].set_index("label").loc["信用卡"]
    assert (cards["previous"], cards["current"]) == (1, 3)
    assert cards["share_of_change"] == pytest.approx(2 / 3)
    assert cards["mom_pct"] == pytest.approx(200.0)
    assert pd.isna(data.movers["business_category"].set_index("label").loc["个人贷款", "mom_pct"])


def test_decomposition_sums_to_change_on_demo_against_pandas(demo_store):
    """Every month with a previous month, every dimension: the parts sum to the headline's change, and
    the slices equal a plain pandas count over the extract files."""
    extracts = demo_store.parent / "extracts"
    complaints = pd.read_parquet(extracts / "complaints.parquet")
    branches = pd.read_parquet(extracts / "branches.parquet")
    complaints["m"] = complaints["received_at"].dt.strftime("%Y-%m")
    parent = dict(zip(branches["branch_code"], branches["parent_code"]))
    level = dict(zip(branches["branch_code"], branches["level"]))
    name = dict(zip(branches["branch_code"], branches["branch_name"]))

    def tier1(code):
        while code is not None and not pd.isna(code):
            if level[code] == "一级分行":
                return name[code]
            code = parent[code]
        return trends.UNASSIGNED

    complaints["tier1"] = complaints["branch_code"].map(tier1)
    truth = json.loads((extracts / "ground_truth.json").read_text(encoding="utf-8"))
    month = date.fromisoformat(truth["last_month"] + "-01")
    data = load(demo_store, month)
    assert data.has_previous
    change = data.headline["complaints"] - data.previous["complaints"]
    this, before = f"{month:%Y-%m}", f"{add_months(month, -1):%Y-%m}"
    for dimension, column in (
        ("business_category", "business_category"),
        ("reason", "reason"),
        ("channel", "channel"),
        ("tier1_branch", "tier1"),
    ):
        assert data.movers[dimension]["contribution"].sum() == change
        counts = complaints[complaints["m"].isin([this, before])].groupby([column, "m"]).size().unstack(fill_value=0)
        expected = {k: int(counts.loc[k].get(this, 0) - counts.loc[k].get(before, 0)) for k in counts.index}
        assert contributions(data, dimension) == expected
    assert data.headline["complaints"] == int((complaints["m"] == this).sum())

    # and for every other month of the trend, through the report section
    _, con = db.current(demo_store)
    kpis = db.run(
        con, "kpis_by_month", **Filters(month, month).params(month_from=add_months(month, -12), month_to=month)
    )
    kpis = kpis.set_index(pd.to_datetime(kpis["month"]))["complaints"]
    for m in (add_months(month, -i) for i in range(0, 11)):
        items = report.SECTIONS["movers"](con, Filters(m, m), m)
        total = int(kpis.loc[pd.Timestamp(m)] - kpis.loc[pd.Timestamp(add_months(m, -1))])
        for dimension in trends.MOVER_DIMENSIONS:
            assert sum(i["contribution"] for i in items if i["dimension"] == dimension) == total


# --- Trend and control limits -----------------------------------------------------------------------
def _months(start: date, values) -> dict:
    return {add_months(start, i): float(v) for i, v in enumerate(values)}


def test_seasonal_limits_by_hand():
    # two years of 100 a month, then 110: every growth ln(1.1), spread 0, so sigma is the Poisson floor
    counts = _months(date(2024, 1, 1), [100] * 12 + [110] * 12)
    month = date(2026, 1, 1)
    expected, low, high = seasonal.limits(counts.get, month)
    assert expected == pytest.approx(110 * 1.1)
    sigma = 1 / math.sqrt(121)
    assert (low, high) == pytest.approx((121 * math.exp(-3 * sigma), 121 * math.exp(3 * sigma)))
    # fewer than 6 growths (only 17 months before): no limits
    assert seasonal.limits(_months(date(2024, 8, 1), [100] * 17).get, month) is None
    assert seasonal.limits(_months(date(2025, 1, 1), [100] * 12).get, month) is None  # no growth at all


def test_a_planted_spring_festival_dip_breaches_and_a_normal_month_does_not():
    # three years with a season (a December peak) and a small wobble; the Spring Festival falls in late
    # January in the first two years, in February in the third: February 2026 drops to 60 % of its season.
    wobble = [1.00, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.00, 1.02, 0.98, 1.01, 1.20]
    noise = [1.0, 1.02, 0.99, 0.98, 1.01, 1.0]  # and noise that differs from year to year
    values = [
        round(1000 * w * (1.05**year) * noise[(i + 2 * year) % 6]) for year in range(3) for i, w in enumerate(wobble)
    ]
    counts = _months(date(2024, 1, 1), values)
    february, march = date(2026, 2, 1), date(2026, 3, 1)
    counts[february] = round(counts[february] * 0.8)
    expected, low, high = seasonal.limits(counts.get, february)
    assert counts[february] < low  # breaches: far below last February x growth
    assert expected == pytest.approx(counts[date(2025, 2, 1)] * 1.05, rel=0.03)  # last February x ~5 % growth
    expected, low, high = seasonal.limits(counts.get, march)
    assert low <= counts[march] <= high  # an ordinary month stays inside
    assert (
        seasonal.limits(counts.get, date(2025, 12, 1))[1] <= counts[date(2025, 12, 1)]
    )  # the December peak is seasonal
    # the old rule (previous 12 months' mean +- 3 sd) would not have flagged the dip: the peak widens it
    prior = pd.Series([counts[add_months(february, -i)] for i in range(1, 13)])
    assert counts[february] > prior.mean() - 3 * prior.std()


def test_trend_on_small_bank(small_store):
    data = load(small_store)
    t = data.trend.set_index("month")
    # the loaded span is 2025-10 .. 2026-10: 13 months; the 11 between the three with complaints are zeros
    assert list(t.index) == [add_months(date(2025, 10, 1), i) for i in range(13)]
    assert list(t["complaints"]) == [1] + [0] * 10 + [2, 5]
    assert t.loc[OCT, "last_year"] == 1 and pd.isna(t.loc[SEP, "last_year"])  # 2025-09 not loaded
    assert t.loc[OCT, "yoy_pct"] == pytest.approx(400.0)
    assert pd.isna(t.loc[date(2025, 10, 1), "mom_pct"])
    assert t.loc[OCT, "per_10k"] == pytest.approx(5 / 40000 * 10000)
    assert pd.isna(t.loc[date(2026, 1, 1), "per_10k"])  # no customer base loaded
    # seasonal limits need a year-ago month and 6 year-on-year growths: 13 months hold none
    assert t["upper"].isna().all() and t["signal"].isna().all()


def test_trend_control_limits_match_pandas_rolling(demo_store):
    data = load(demo_store, date(2026, 10, 1))
    _, con = db.current(demo_store)
    first = trends.Coverage.from_rows(db.run(con, "trends_coverage", scope=None)).first_month
    rows = db.run(con, "kpis_by_month", **Filters(OCT, OCT).params(month_from=first, month_to=OCT))
    series = rows.set_index(pd.to_datetime(rows["month"]))["complaints"].astype(float)
    growth = np.log(series.where(series > 0) / series.shift(12).where(lambda v: v > 0))
    window = growth.shift(1).rolling(12, min_periods=6)
    g = window.median()
    mad = window.apply(lambda w: np.nanmedian(np.abs(w - np.nanmedian(w))), raw=True)
    expected = series.shift(12) * np.exp(g)
    sigma = np.maximum(1.4826 * mad, 1 / np.sqrt(expected))
    upper, lower = expected * np.exp(3 * sigma), expected * np.exp(-3 * sigma)
    t = data.trend.set_index(pd.to_datetime(data.trend["month"]))
    assert len(t) == 24
    assert t["upper"].to_numpy() == pytest.approx(upper.loc[t.index].to_numpy(), nan_ok=True)
    assert t["centre"].to_numpy() == pytest.approx(expected.loc[t.index].to_numpy(), nan_ok=True)
    want = [
        "high" if v > u else "low" if v < lo else None
        for v, u, lo in zip(series.loc[t.index], upper.loc[t.index], lower.loc[t.index])
    ]
    assert [None if pd.isna(s) else s for s in t["signal"]] == want
    assert t["upper"].notna().sum() >= 12
    assert list(t["last_year"]) == list(series.shift(12).loc[t.index])


def test_breakdown_shares_and_top(small_store):
    data = load(small_store)
    months = [SEP, OCT]
    counts = trends.breakdown_table(data.breakdown, "business_category", months)
    assert counts.loc[OCT].to_dict() == {"信用卡": 3, "借记卡": 1, "个人贷款": 1}
    shares = trends.breakdown_table(data.breakdown, "business_category", months, shares=True)
    assert shares.loc[OCT, "信用卡"] == pytest.approx(0.6)
    assert shares.loc[SEP].sum() == pytest.approx(1.0)
    top = trends.breakdown_table(data.breakdown, "business_category", months, top=1)
    assert top.loc[OCT].to_dict() == {"信用卡": 3, "其余": 2}


# --- Summary text -----------------------------------------------------------------------------------
def test_summary_by_hand_on_small_bank(small_store):
    text = summary(load(small_store))
    for phrase in [
        # H157: 5 against 2 and against 1 are fewer than SMALL_BASE (10) complaints: the counts, no percentage
        "2026年10月，全行共受理客户投诉5件，较上月增加3件（上月2件，件数较少，不计算环比）",
        "；较上年同期增加4件（上年同期1件，件数较少，不计算同比）。",
        # 5/40000 vs 2/35000 per 10,000 (H93: with its unit), on the same few complaints (H157)
        "万人投诉率为1.25件/万户，较上月上升0.68件/万户（件数较少，仅供参考）",
        "信用卡（3件，占60.0%）",
        "业务类别中增加较多的是信用卡（增加2件）、个人贷款（增加1件）",
        "一级分行中增加最多的是上海分行（增加3件）",
        # October is young (as-of 10-31 10:00): September like for like, cut at 09-30 10:00 (its month-end
        # + the same lag): C01 closed on time, C02 still open and 10 days old (not yet overdue) -> 100 %
        "按时办结率为75.0%，较上月同期下降25.0个百分点",
        "平均办结9.4天（较上月同期增加7.4天）",  # September at the cut-off: C01 only, 2.0 days
        "本月数据未成熟（暂估）",
        "平均办结9.4天",
        "超期未办结投诉1件",
        "监管转办投诉1件，占当月投诉的20.0%，与上月持平",
        "重复投诉率为40.0%，较上月上升40.0个百分点",
    ]:
        assert phrase in text, phrase
    assert "环比增长" not in text and "同比增长" not in text and "150.0%" not in text
    assert "{" not in text and "None" not in text and "nan" not in text
    # 口径 is the counting basis's word (统计口径); the like-for-like comparison is 上月同期 (hostile H169)
    assert "同口径" not in text and "增幅最大" not in text
    from dashboard.briefing import html as briefing_html

    # the briefing's headline table too: October's 1.25 against September's 2/35000 x 10,000 = 0.57 (H93)
    page = briefing_html.document(load(small_store))
    assert "<td class='num'>1.25 件/万户</td><td class='num'>0.57 件/万户</td>" in page
    assert "<td>投诉量</td><td class='num'>5 件</td><td class='num'>2 件</td>" in page  # counts too (H170)


def test_summary_states_percentages_on_bases_of_ten_or_more(tenfold_store):
    # the small bank ten times (conftest.replicated): 2025-10 10, 2026-09 20, 2026-10 50 complaints; 50 on 20 is
    # +30, +150.0 %; on 10 +40, +400.0 %; 50/40000 and 20/35000 per 10,000: 12.50 and 5.71, +6.79. Ten is
    # not a small base (fewer than SMALL_BASE is)
    text = summary(load(tenfold_store))
    assert "全行共受理客户投诉50件，较上月增加30件，环比增长150.0%；较上年同期增加40件，同比增长400.0%。" in text
    assert "万人投诉率为12.50件/万户，较上月上升6.79件/万户。" in text
    assert "件数较少" not in text


def test_summary_numbers_equal_the_headline_on_demo(demo_store):
    month = date(2026, 10, 1)
    data = load(demo_store, month)
    text = summary(data)
    _, con = db.current(demo_store)
    k = report.kpis(con, Filters(month, month), month)  # the report's headline (the report serialises trends.load)
    assert re.search(r"共受理客户投诉([\d,.万]+)件", text).group(1) == fmt.count(k["complaints"])
    assert re.search(r"环比(?:增长|下降)([\d.]+%)", text).group(1) == fmt.pct(abs(k["mom_pct"]), signed=False)
    assert re.search(r"同比(?:增长|下降)([\d.]+%)", text).group(1) == fmt.pct(abs(k["yoy_pct"]), signed=False)
    assert re.search(r"万人投诉率为([\d.]+)", text).group(1) == fmt.per10k(k["per_10k"])
    assert re.search(r"按时办结率为([\d.]+%)", text).group(1) == fmt.rate(k["on_time_rate"])
    assert re.search(r"平均办结([\d.]+)天", text).group(1) == f"{k['avg_handling_days']:.1f}"
    assert re.search(r"超期未办结投诉([\d,]+)件", text).group(1) == fmt.count(k["open_overdue"])
    assert re.search(r"监管转办投诉([\d,]+)件", text).group(1) == fmt.count(k["regulator_referred"])
    assert re.search(r"重复投诉率为([\d.]+%)", text).group(1) == fmt.rate(k["repeat_rate"])
    # the page's headline values are these same dict entries
    assert {key: data.headline[key] for key in data.headline if key != "as_of"} == {
        key: k[key] for key in data.headline if key != "as_of"
    }  # k adds issue 19's figures


def test_missing_comparisons_are_said_in_words(store_with_months):
    one = load(store_with_months("2026-10"))
    text = summary(one)
    assert "因缺少上月数据，暂无法计算环比" in text and "因缺少上年同期数据，暂无法计算同比" in text
    assert one.movers == {} and len(one.trend) == 1
    assert all(v is None for v in one.changes.values())
    assert "暂未对本月投诉量进行季节性控制限检验" in text

    two = load(store_with_months("2026-09", "2026-10"))
    text = summary(two)
    assert "较上月增加3件（上月2件，件数较少，不计算环比）" in text and "因缺少上年同期数据，暂无法计算同比" in text
    assert two.changes["complaints"] == 3

    thirteen = load(store_with_months("2025-10", "2026-09", "2026-10"))
    assert thirteen.coverage.months == 3 and len(thirteen.trend) == 13
    text = summary(thirteen)
    assert "较上年同期增加4件（上年同期1件，件数较少，不计算同比）" in text and "无法计算" not in text


def test_summary_with_no_complaints(small_store):
    text = summary(load(small_store, categories=("外汇",)))
    assert text == "2026年10月，全行（业务类别：外汇）未受理客户投诉。"


# --- Report command sections ----------------------------------------------------------------------
def test_report_trend_and_movers(small_store):
    _, con = db.current(small_store)
    f = Filters(OCT, OCT)
    assert {"trend", "movers"} <= set(report.SECTIONS)
    trend = report.SECTIONS["trend"](con, f, OCT)
    assert len(trend) == 24 and trend[0]["month"] == "2024-11" and trend[-1]["month"] == "2026-10"
    by_month = {t["month"]: t for t in trend}
    before = {
        "complaints": None,
        "per_10k": None,
        "incomplete": False,
        "provisional": False,
        "first_days_missing": False,
    }
    assert by_month["2025-09"] == {"month": "2025-09", **before}  # before the data
    assert by_month["2025-10"]["complaints"] == 1 and by_month["2025-11"]["complaints"] == 0
    assert by_month["2026-09"]["per_10k"] == pytest.approx(2 / 35000 * 10000)
    # the as-of (C07 closed 10-31 10:00) is on October's last day: ended, but C05 (10-25 15:00) is younger than
    # its 15 days, so October is provisional; September's C01 and C02 were due by 10-05: mature (H267)
    assert by_month["2026-10"] == {
        "month": "2026-10",
        "complaints": 5,
        "per_10k": pytest.approx(1.25),
        "incomplete": False,
        "provisional": True,
        "first_days_missing": False,
    }
    assert not by_month["2026-09"]["provisional"] and not by_month["2026-09"]["incomplete"]

    movers = report.SECTIONS["movers"](con, f, OCT)
    cards = next(m for m in movers if m["dimension"] == "business_category" and m["value"] == "信用卡")
    assert cards == {
        "dimension": "business_category",
        "dimension_label": "业务类别",
        "value": "信用卡",
        "label": "信用卡",
        "previous": 1,
        "current": 3,
        "contribution": 2,
    }
    for dimension in trends.MOVER_DIMENSIONS:
        assert sum(m["contribution"] for m in movers if m["dimension"] == dimension) == 3
    json.dumps({"trend": trend, "movers": movers}, ensure_ascii=False)  # JSON-ready
    assert report.SECTIONS["movers"](con, Filters(date(2025, 10, 1), date(2025, 10, 1)), date(2025, 10, 1)) == []


# --- The page --------------------------------------------------------------------------------------
def run_page(query: dict | None = None) -> AppTest:
    return run_app(None, query)  # 月度趋势 is the default page


def test_page_on_small_bank(small_store, app_env):
    app_env(small_store)
    at = run_page({"from": "2026-10", "to": "2026-10"})
    metrics = {m.label: m for m in at.metric}
    # October is young (as-of 10-31 10:00): the page says 暂估 and the handling cards are compared with September as it
    # stood at 09-30 10:00 (C01 on time after 2 days; C02 open, 10 days old, not overdue): 100 %, 2.0 days, 0.
    lfl = ""  # the narrow cards name no basis (the banner and the help say 上月同期)
    # H157: 5 against 2 (and 1) complaints, fewer than SMALL_BASE: every change grey, the caption says why
    # (the colours on ten times the bank: test_page_colours_a_change_on_bases_of_ten_or_more)
    expected = {
        "投诉量": ("5 件", "+3 件（较上月）", "GRAY"),
        "环比": ("+150.0%", "+3 件（较上月）", "GRAY"),
        "同比": ("+400.0%", "+4 件（较去年同月）", "GRAY"),  # 2025-10: C08 alone
        "万人投诉率": ("1.25 件/万户", "+0.68 件/万户（较上月）", "GRAY"),
        "按时办结率": ("75.0%", "-25.0 个百分点" + lfl, "GRAY"),
        "平均办结天数": ("9.4 天", "+7.4 天" + lfl, "GRAY"),
        "超期未办结": ("1 件", "+1 件" + lfl, "GRAY"),
        "监管转办投诉": ("1 件", "较上月持平", "GRAY"),  # Sep: C02
        "重复投诉率": ("40.0%", "+40.0 个百分点", "GRAY"),
    }
    assert set(expected) <= set(metrics)
    for label, (value, delta, colour) in expected.items():
        assert metrics[label].value == value, label
        assert metrics[label].delta == delta, label
        assert MetricProto.MetricColor.Name(metrics[label].proto.color) == colour, label
        assert "绿色" in metrics[label].help or "红色" in metrics[label].help
    assert "暂估（数据未成熟）" in page_text(at)
    text = page_text(at)
    assert "本月或比较月份投诉少于 10 件，卡片中的变化不着色" in text  # cards.SMALL_CAPTION
    assert "2026年10月，全行共受理客户投诉5件" in text
    assert "近24个月走势" in text and "环比变动分解" in text
    assert "各项变动合计 +3 件" in text
    movers = next(df.value for df in at.dataframe if "业务类别" in df.value.columns)
    assert list(movers["业务类别"]) == ["信用卡", "个人贷款", "借记卡"]
    # 查看热点 is a row selection that drills the hotspots page in the same tab (tests/test_url_state_browser.py,
    # analysis.hotspots.trend_drill), not a link column opening a new tab
    assert "热点分析" not in movers.columns and "本页打开热点分析" in text
    assert [t.label for t in at.tabs][:5] == [
        "业务类别",
        "投诉原因",
        "一级分行",
        "投诉渠道",
        "根因分类",
    ]  # then issue 19's
    assert "根因分类" in text and "整改进展（整改台账）" in text and "变动原因" in text
    # the annual disclosure is computed only once its section is opened (a whole year read twice)
    assert "全年投诉总量" not in metrics and "打开上方开关后计算并显示" in text
    assert len(at.get("download_button")) == 2  # the briefing's two
    at.toggle(key="trends_annual_open").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m for m in at.metric}
    # 2026 holds C01..C07 (C08 is 2025-10; 2025 is not wholly loaded)
    assert metrics["全年投诉总量"].value == "7 件" and metrics["较上年同期（1-10月）"].value == "上年数据不完整，不计算"
    assert (
        metrics["全年监管转办投诉"].value == "2 件" and metrics["全年老年客户投诉"].value == "2 件"
    )  # C02, C04; C02, C06
    assert len(at.get("download_button")) == 4  # the briefing (2) and the annual disclosure (2)


def test_page_colours_a_change_on_bases_of_ten_or_more(tenfold_store, app_env):
    # the small bank ten times: October 50 against September 20 (+30) and October 2025 10 (+40); 12.50 against
    # 5.71 件/万户 (+6.79); each a rise in complaints, red. The same page on 5 against 2 is grey (above)
    app_env(tenfold_store)
    at = run_page({"from": "2026-10", "to": "2026-10"})
    metrics = {m.label: m for m in at.metric}
    # the rates are those of the small bank (each complaint ten times): 75.0 % against 100 %, 9.4 against 2.0 days
    for label, (value, delta) in {
        "投诉量": ("50 件", "+30 件（较上月）"),
        "环比": ("+150.0%", "+30 件（较上月）"),
        "同比": ("+400.0%", "+40 件（较去年同月）"),
        "万人投诉率": ("12.50 件/万户", "+6.79 件/万户（较上月）"),
        "按时办结率": ("75.0%", "-25.0 个百分点"),
        "平均办结天数": ("9.4 天", "+7.4 天"),
    }.items():
        assert (metrics[label].value, metrics[label].delta) == (value, delta), label
        assert MetricProto.MetricColor.Name(metrics[label].proto.color) == "RED", label
    assert "件数较少" not in page_text(at)


@pytest.mark.parametrize(
    "months,says,not_says",
    [
        (("2026-10",), ["因缺少上月数据，暂无法计算环比", "因缺少上年同期数据，暂无法计算同比", "共 1 个月"], []),
        (("2026-09", "2026-10"), ["因缺少上年同期数据，暂无法计算同比", "共 2 个月"], ["无法计算环比"]),
        (("2025-10", "2026-09", "2026-10"), ["较上年同期增加4件（上年同期1件"], ["无法计算同比", "无法计算环比"]),
    ],
)
def test_page_with_short_extracts(store_with_months, app_env, months, says, not_says):
    app_env(store_with_months(*months))
    at = run_page()
    text = page_text(at)
    for phrase in says:
        assert phrase in text, phrase
    for phrase in not_says:
        assert phrase not in text, phrase
    metrics = {m.label: m for m in at.metric}
    assert metrics["投诉量"].value == "5 件"
    assert (metrics["同比"].delta == "缺少上年同期数据，无法计算同比") == (len(months) < 3)
    assert (metrics["环比"].delta == "缺少上月数据，无法计算环比") == (len(months) == 1)


def test_the_first_month_of_the_data_says_its_repeat_rate_reads_low(small_store, app_env):
    """H122: the data's first month has no earlier complaint to repeat, so its repeat rate reads low;
    the small bank's first month is 2025-10 (C08 alone), October 2026 is not its first."""
    first = date(2025, 10, 1)
    data = load(small_store, first)
    assert data.headline["repeat_rate"] is not None and data.headline["repeat_lookback_short"]
    assert not load(small_store, OCT).headline["repeat_lookback_short"]
    assert f"（{trends.REPEAT_LOOKBACK_SHORT}）" in summary(data)
    assert f"（{trends.REPEAT_LOOKBACK_SHORT}）" not in summary(load(small_store, OCT))
    _, con = db.current(small_store)
    assert report.kpis(con, Filters(month_from=first, month_to=first), first)["repeat_lookback_short"] is True
    app_env(small_store)
    at = run_app(query={"from": "2025-10", "to": "2025-10"})
    card = next(m for m in at.metric if m.label == "重复投诉率")
    assert card.proto.delta == "数据起始月，偏低"


def test_a_change_is_the_difference_of_the_values_as_shown():
    # hostile H152: 万人投诉率 0.798 against 0.764 is shown 0.80 against 0.76; its change must read +0.04
    # (what a reader gets by subtracting), not +0.03 (the unrounded 0.034); days 4.84 against 4.56: 4.8, 4.6, +0.2
    from dashboard.analysis.trends import HEADLINE, change_text, comparisons

    this = {m.key: None for m in HEADLINE} | {"complaints": 10, "previous_complaints": 9}
    this |= {"per_10k": 0.798, "avg_handling_days": 4.84}
    previous = {m.key: None for m in HEADLINE} | {"per_10k": 0.764, "avg_handling_days": 4.56}
    compared = comparisons(this, previous, previous_loaded=True, year_ago_loaded=False)
    assert change_text("per10k", compared["per_10k"].change) == "+0.04"
    assert change_text("days", compared["avg_handling_days"].change) == "+0.2 天"


def test_summary_names_the_counting_basis_in_its_sentences(small_store):
    # hostile H164: under 监管转送 the 综述 said 全行共受理客户投诉95件 for a bank that received 981. October in
    # the small bank: 5 complaints, 1 referred, 2 repeats; 40,000 customers
    referred = summary(load(small_store, basis="referred"))
    assert "全行共受理监管转送的客户投诉1件" in referred and "共受理客户投诉" not in referred
    assert "万人投诉率（监管转送口径）为0.25件/万户" in referred  # 1 / 40,000 x 10,000
    assert "占当月投诉的100.0%" not in referred and "监管转办投诉" not in referred  # a tautology, left out
    merged = summary(load(small_store, basis="merged"))
    assert "全行共受理客户投诉（合并重复投诉后）3件" in merged  # 5 less the 2 repeats
    assert "重复投诉率" not in merged  # 0.0 % by construction (H163)
    assert "全行共受理客户投诉5件" in summary(load(small_store))  # the default basis reads as before


def test_report_trend_says_which_months_are_cut_or_young(store_factory):
    """H267: the data stop inside October (as-of 10-25 15:00, C05's receipt): the report's trend says so in
    October's entry, as kpis.incomplete does, and in no other; a month that is not the report month is judged
    by the same query (here October in November's trend: C05 still young at the as-of)."""
    from tests.test_hostile_s12 import _with_october_still_running

    _, con = db.current(store_factory("small_october_running", _with_october_still_running))
    trend = {t["month"]: t for t in report.SECTIONS["trend"](con, Filters(OCT, OCT), OCT)}
    assert report.kpis(con, Filters(OCT, OCT), OCT)["incomplete"] is True
    assert [m for m, t in trend.items() if t["incomplete"]] == ["2026-10"]
    assert [m for m, t in trend.items() if t["provisional"]] == ["2026-10"]
    assert trend["2026-10"]["complaints"] == 5 and not any(t["first_days_missing"] for t in trend.values())
    nov = date(2026, 11, 1)
    later = {t["month"]: t for t in report.SECTIONS["trend"](con, Filters(nov, nov), nov)}
    assert later["2026-10"]["provisional"] and later["2026-10"]["incomplete"]
    assert later["2026-11"]["complaints"] is None and not later["2026-11"]["incomplete"]
    json.dumps(trend, ensure_ascii=False)  # JSON-ready (plain bools)
