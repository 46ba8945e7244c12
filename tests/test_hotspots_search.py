"""Search as a filter of the whole hotspots page (issue 20 §3): every query of the page (counts, regions,
organisations, surges, hot terms, the list) takes the search; the page through AppTest; the drill-down
in the URL; the trends page's 查看热点 as a drill-down.

Small bank (tests/conftest.py), October 2026 narratives: C03 再次投诉年费 (0101 信用卡/定价收费/白金卡),
C04 利率未告知 (0201 个人贷款), C05 分期营销电话骚扰 (0201 信用卡), C06 短信费 (0102 借记卡),
C07 违约金 (0201 信用卡/定价收费/金卡). September: C01 年费争议 (0101 信用卡/定价收费/白金卡), C02 柜员态度差.
"""

from __future__ import annotations

import base64
import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard import db
from dashboard.analysis import hotspots as hs
from dashboard.filters import Filters
from dashboard.text.search_query import parse
from tests.test_hotspots import listing, page_text, run_page

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)
F = Filters(month_from=OCT, month_to=OCT)


def run(store, name, search, drill=None, filters=F, **extra):
    _, con = db.current(store)
    return db.run(con, name, **filters.params(**hs.selection_overrides(filters, drill, parse(search))), **extra)


@pytest.mark.parametrize(
    "search,expected",
    [
        ("年费", ["C03"]),
        ("年费 OR 违约金", ["C03", "C07"]),
        ("费 NOT 短信", ["C03"]),
        ("NOT 费", ["C04", "C05", "C07"]),
        ('"电话骚扰"', ["C05"]),
        ("'; drop table complaints; --", []),
    ],
)
def test_list_and_every_count_follow_the_search(small_store, search, expected):
    assert sorted(listing(small_store, search=search)) == expected
    total = hs.split_dimensions(run(small_store, "hotspots_by_dimension", search))["total"]
    assert total == len(expected)
    regions = run(small_store, "hotspots_by_region", search)
    assert regions.groupby("level")["complaints"].sum().le(len(expected)).all()
    if expected:
        orgs = run(small_store, "hotspots_by_org", search, org_level="一级分行")
        assert orgs["complaints"].sum() == len(expected)


def test_dimensions_under_a_search(small_store):
    parts = hs.split_dimensions(run(small_store, "hotspots_by_dimension", "年费 OR 违约金"))
    assert parts["product"].set_index("product")["complaints"].to_dict() == {"白金卡": 1, "金卡": 1}
    assert parts["channel"].set_index("channel")["complaints"].to_dict() == {"客服热线": 2}


def test_surges_count_the_searched_complaints(small_store):
    """信用卡 × 定价收费: C03 (年费, Oct) and C07 (违约金, Oct); in the six months before, C01 (年费, Sep)."""
    _, con = db.current(small_store)

    def slices(search):
        rows = db.run(
            con,
            "surges_slice_counts",
            **F.params(
                month_to=OCT, baseline_months=6, series_months=12, min_complaints=1, **hs.surge_overrides(parse(search))
            ),
        )
        return rows[rows["kind"] == "category_reason"].set_index(["business_category", "reason"])

    plain = slices("")
    assert plain.loc[("信用卡", "定价收费"), ["complaints", "baseline_total"]].tolist() == [2, 1]
    searched = slices("年费")
    assert searched.loc[("信用卡", "定价收费"), ["complaints", "baseline_total"]].tolist() == [1, 1]
    assert list(searched.index) == [("信用卡", "定价收费")]
    assert slices("违约金").loc[("信用卡", "定价收费"), ["complaints", "baseline_total"]].tolist() == [1, 0]
    products = db.run(
        con,
        "surges_slice_counts",
        **F.params(
            month_to=OCT, baseline_months=6, series_months=12, min_complaints=1, **hs.surge_overrides(parse("违约金"))
        ),
    )
    assert products.loc[products["kind"] == "product", "product"].tolist() == ["金卡"]


def test_hot_terms_count_the_searched_complaints(small_store):
    _, con = db.current(small_store)
    search = parse("年费")
    assert hs.terms_query(F, None, search) == "terms_hot"
    rows = db.run(con, "terms_hot", **F.params(**hs.terms_overrides(F, None, min_docs=1, search=search)))
    assert set(rows["n_current"]) == {1} and set(rows["n_previous"]) == {1}  # C03 now, C01 in September
    assert "年费" in set(rows["term"])


# --- The drill-down in the URL, and 查看热点 --------------------------------------------------------------
def test_drill_round_trips_through_the_url():
    drill = {
        "month": OCT,
        "org": "0101",
        "category": "信用卡",
        "reason": "定价收费",
        "channel": "客服热线",
        "product": "白金卡",
        "province": "北京市",
        "city": "北京市",
    }
    query = hs.drill_to_query(drill)
    assert query["hs_d_month"] == "2026-10" and query["hs_d_org"] == "0101"
    assert "白金卡" not in query["hs_d_product"]  # a product travels as its key (H60)
    assert hs.drill_from_query(query, products=lambda: ["金卡", "白金卡"]) == drill
    # a stale or edited link still opens: unknown values are left out
    assert hs.drill_from_query({"hs_d_month": "2026-13", "hs_d_category": "不存在", "hs_d_org": "0101"}) == {
        "org": "0101"
    }


def test_trend_movers_become_a_drill_down():
    parents = {"0100": None, "0101": "0100", "0200": None}
    assert hs.trend_drill(F, OCT, "business_category", "信用卡", parents) == {"month": OCT, "category": "信用卡"}
    assert hs.trend_drill(F, OCT, "tier1_branch", "0200", parents) == {"month": OCT, "org": "0200"}
    inside = Filters(month_from=OCT, month_to=OCT, org="0101")
    assert hs.trend_drill(inside, OCT, "tier1_branch", "0100", parents) == {"month": OCT}  # already narrower
    assert hs.trend_drill(F, OCT, "tier1_branch", None, parents) is None


# --- The page (AppTest) -----------------------------------------------------------------------------------
def _october(demo_store) -> pd.DataFrame:
    complaints = pd.read_parquet(
        demo_store.parent / "extracts" / "complaints.parquet",
        columns=["received_at", "content", "business_category", "channel"],
    )
    return complaints[pd.to_datetime(complaints["received_at"]).dt.to_period("M") == pd.Period("2026-10", "M")]


def _values(array) -> list:
    """A plotly array as sent to the browser: a list, or {'bdata': base64, 'dtype': ...}."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_search_drives_the_whole_page(demo_store, app_env):
    """With 利率 searched: the page's count, the channel chart's bars, the surges and the list count only the
    October narratives that contain 利率 (counted here with pandas); without it, more."""
    app_env(demo_store)
    october = _october(demo_store)
    hit = october["content"].fillna("").str.lower().str.contains("利率", regex=False)
    expected = int(hit.sum())
    assert 0 < expected < len(october)
    at = run_page({"from": "2026-10", "to": "2026-10", "hs_q": "利率"})
    assert at.text_input(key="hs_q").value == "利率"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["投诉量"] == f"{expected:,} 件"
    assert f"共 {expected:,} 件投诉" in page_text(at)
    # every bar chart of counts: the channel chart's bars add up to the searched total
    by_channel = october[hit]["channel"].value_counts()
    traces = [json.loads(c.proto.spec)["data"] for c in at.get("plotly_chart")]
    channel_bars = [
        t[0]
        for t in traces
        if t and t[0].get("type") == "bar" and t[0].get("y") and set(t[0]["y"]) <= set(by_channel.index)
    ]
    assert channel_bars and sorted(_values(channel_bars[0]["x"])) == sorted(by_channel.tolist())
    # surges: fewer slices than without the search, and none larger than the searched total
    table = next((d.value for d in at.dataframe if "切片" in d.value.columns), pd.DataFrame({"当月投诉量": []}))
    assert (table["当月投诉量"] <= expected).all()
    plain = run_page({"from": "2026-10", "to": "2026-10"})
    plain_table = next(d.value for d in plain.dataframe if "切片" in d.value.columns)
    assert len(table) < len(plain_table)
    assert {m.label: m.value for m in plain.metric}["投诉量"] == f"{len(october):,} 件"


def test_a_bad_search_stops_the_page_with_a_reason(demo_store, app_env):
    """(Searches refused to protect personal data: tests/test_search_guard.py.)"""
    app_env(demo_store)
    at = run_page({"from": "2026-10", "to": "2026-10", "hs_q": "(利率 OR 年费"})
    assert any("缺少右括号" in e.value for e in at.error) and not at.metric
    assert at.text_input(key="hs_q").value == "(利率 OR 年费"  # nothing lost


def test_page_opens_the_view_in_the_url(demo_store, app_env):
    """A link's drill-down, term, search and thresholds are the view a fresh session opens."""
    app_env(demo_store)
    at = run_page(
        {
            "from": "2026-08",
            "to": "2026-10",
            "hs_d_month": "2026-10",
            "hs_d_category": "借记卡",
            "hs_term": "望京",
            "hs_q": "借记卡 OR 银行卡",
            "hs_rule_ratio": "2.5",
            "hs_rule_p": "0.001",
        }
    )
    assert at.session_state["hs_drill"] == {"month": OCT, "category": "借记卡"}
    assert at.session_state["hs_term"] == "望京"
    assert at.number_input(key="hs_rule_ratio").value == 2.5
    assert at.session_state["hs_rule_p"] == 0.001
    assert any("关键词：望京" in b.label for b in at.button)
    assert at.query_params["hs_q"] == ["借记卡 OR 银行卡"] or at.query_params["hs_q"] == "借记卡 OR 银行卡"


# --- A product in the URL: its key, never its name (H60: product labels are masked on the page) ------------
PHONE_PRODUCT = "白金卡张三13812345678"


def test_a_product_key_names_one_product_and_is_not_its_name():
    key = hs.product_key(PHONE_PRODUCT)
    assert key == hs.product_key(PHONE_PRODUCT) and key != hs.product_key("白金卡")
    assert "13812345678" not in key and "张三" not in key and "白金卡" not in key
    products = ["金卡", PHONE_PRODUCT, "白金卡"]
    assert hs.product_from_key(key, products) == PHONE_PRODUCT
    assert hs.product_from_key(key, ["金卡", "白金卡"]) is None  # not in the user's selection: no drill
    # a raw name pasted into a link is not a key: left out, as any stale value
    assert hs.drill_from_query({"hs_d_product": "白金卡", "hs_d_org": "0101"}, products=lambda: products) == {
        "org": "0101"
    }


@pytest.fixture
def phone_product_store(tmp_path):
    from dashboard.ingest.pipeline import import_files
    from tests.conftest import COMPLAINTS, write_small_extracts

    complaints = [(*r[:7], PHONE_PRODUCT if r[7] == "白金卡" else r[7], *r[8:]) for r in COMPLAINTS]
    data = tmp_path / "data"
    import_files(write_small_extracts(tmp_path / "extracts", complaints=complaints), data)
    return data


def _query_values(at) -> list[str]:
    values = []
    for value in dict(at.query_params).values():
        values += value if isinstance(value, list) else [value]
    return [str(v) for v in values]


def test_a_product_drill_down_puts_its_key_in_the_url_and_a_link_opens_it(phone_product_store, app_env):
    from tests.apptest_support import run_app

    app_env(phone_product_store)

    def drilled(at):
        at.session_state["hs_drill"] = {"product": PHONE_PRODUCT}  # as a click on the product bar leaves it

    at = run_app("app_pages/hotspots.py", {"from": "2026-10", "to": "2026-10"}, setup=drilled)
    values = _query_values(at)
    assert values and not [v for v in values if "13812345678" in v or "张三" in v or "白金卡" in v]
    key = next(v for k, v in dict(at.query_params).items() if k == "hs_d_product")
    key = key[0] if isinstance(key, list) else key
    # the chip shows the product masked, as the bar does
    chips = [b.label for b in at.button if b.label.startswith("产品：")]
    assert chips and not [c for c in chips if "13812345678" in c]
    # a fresh session opening the link drills the same product: the key mapped back on the server
    fresh = run_page({"from": "2026-10", "to": "2026-10", "hs_d_product": key})
    assert fresh.session_state["hs_drill"] == {"product": PHONE_PRODUCT}
    # the raw name in a link is no longer read (it would have to travel in the URL to work)
    raw = run_page({"from": "2026-10", "to": "2026-10", "hs_d_product": PHONE_PRODUCT})
    assert raw.session_state["hs_drill"] == {}
