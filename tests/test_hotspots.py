"""The hotspots page: concentration queries, drill-down, the complaint list and detail, the derived term
table and hot terms, masking on the page and in exports, and the page itself through AppTest.

Small bank (tests/conftest.py), October 2026: C03 0101 信用卡/定价收费/客服热线/白金卡; C04 0201
个人贷款/信息披露/监管转办/房贷 (open); C05 0201 信用卡/营销方式和手段/手机银行/网银/分期 (open);
C06 0102 借记卡/定价收费/客服热线/no product; C07 0201 信用卡/定价收费/客服热线/金卡. September: C01 0101,
C02 0102. Customers: 0101 10,000 and 0102 5,000 both months; 0201 20,000 (Sep) and 25,000 (Oct).
As of 2026-10-31 10:00.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.analysis import hotspots as hs
from dashboard.derived import terms_index
from dashboard.filters import Filters
from dashboard.ingest.pipeline import import_files
from dashboard.text.masking import mask
from dashboard.text.terms import hot_terms, tokenize
from dashboard.ui import complaint_list
from tests.apptest_support import page_text, run_app
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv

PAGE = "app_pages/hotspots.py"
SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def run(store, name, drill=None, filters=None, **extra) -> pd.DataFrame:
    f = filters or Filters(month_from=OCT, month_to=OCT)
    _, con = db.current(store)
    return db.run(con, name, **f.params(**hs.selection_overrides(f, drill)), **extra)


def listing(
    store,
    drill=None,
    filters=None,
    *,
    term=None,
    search=None,
    sort_key="received_at",
    sort_desc=False,
    limit=100,
    offset=0,
) -> list[str]:
    f = filters or Filters(month_from=OCT, month_to=OCT)
    _, con = db.current(store)
    params = f.params(**hs.list_overrides(f, drill, term=term, search=search))
    rows = db.run(con, "complaints_list", **params, sort_key=sort_key, sort_desc=sort_desc, limit=limit, offset=offset)
    count = db.run(con, "complaints_count", **params)["complaints"].iloc[0]
    assert count == len(rows) or len(rows) == limit
    return list(rows["complaint_id"])


# --- Concentration ---------------------------------------------------------------------------------------
def test_counts_and_shares_by_dimension(small_store):
    rows = run(small_store, "hotspots_by_dimension")
    parts = hs.split_dimensions(rows)
    assert parts["total"] == 5
    channel = parts["channel"].set_index("channel")
    assert channel["complaints"].to_dict() == {"客服热线": 3, "监管转办": 1, "手机银行/网银": 1}
    assert channel.loc["客服热线", "share"] == pytest.approx(3 / 5)
    product = parts["product"].set_index("product")["complaints"].to_dict()
    assert product == {"白金卡": 1, "房贷": 1, "分期": 1, "金卡": 1}  # C06 has no product
    matrix = parts["category_reason"]
    assert (matrix.iloc[0]["business_category"], matrix.iloc[0]["reason"], matrix.iloc[0]["complaints"]) == (
        "信用卡",
        "定价收费",
        2,
    )  # C03, C07
    assert matrix["complaints"].sum() == 5
    assert hs.category_totals(matrix, "business_category").set_index("business_category")["complaints"].to_dict() == {
        "信用卡": 3,
        "个人贷款": 1,
        "借记卡": 1,
    }


@pytest.mark.parametrize(
    "drill",
    [
        None,
        {"category": "信用卡"},
        {"org": "0200", "channel": "客服热线"},
        {"province": "上海市"},
        {"product": "白金信用卡", "month": date(2026, 10, 1)},
    ],
    ids=["none", "category", "org+channel", "province", "product+month"],
)
def test_the_dimensions_total_is_the_lists_count(demo_store, drill):
    """The list takes its count from hotspots_by_dimension's total when nothing is searched (the page runs one
    query fewer): the two selections must be the same complaints."""
    f = Filters(month_from=date(2026, 8, 1), month_to=OCT)
    _, con = db.current(demo_store)
    total = hs.split_dimensions(db.run(con, "hotspots_by_dimension", **f.params(**hs.selection_overrides(f, drill))))
    count = db.run(con, "complaints_count", **f.params(**hs.list_overrides(f, drill)))["complaints"].iloc[0]
    assert total["total"] == count > 0


def test_organisations_with_rates_per_10k(small_store):
    tier1 = run(small_store, "hotspots_by_org", org_level="一级分行").set_index("branch_code")
    assert tier1["complaints"].to_dict() == {"0200": 3, "0100": 2}
    assert tier1.loc["0100", "per_10k"] == pytest.approx(2 / 15000 * 10000)  # 0101 + 0102
    assert tier1.loc["0200", "per_10k"] == pytest.approx(3 / 25000 * 10000)  # 0200 has no own row
    sub = run(small_store, "hotspots_by_org", org_level="支行").set_index("branch_code")
    assert sub["per_10k"].to_dict() == pytest.approx({"0201": 1.2, "0101": 1.0, "0102": 2.0})
    # two months: complaints summed over the mean monthly base (0200: 3 / 22,500; 0100: 4 / 15,000)
    span = Filters(month_from=SEP, month_to=OCT)
    both = run(small_store, "hotspots_by_org", filters=span, org_level="一级分行").set_index("branch_code")
    assert both.loc["0200", "per_10k"] == pytest.approx(3 / 22500 * 10000)
    assert both.loc["0100", "per_10k"] == pytest.approx(4 / 15000 * 10000)
    # a category filter narrows the complaints, not the customer base
    cards = Filters(month_from=OCT, month_to=OCT, categories=("信用卡",))
    narrowed = run(small_store, "hotspots_by_org", filters=cards, org_level="一级分行").set_index("branch_code")
    assert narrowed.loc["0200", "per_10k"] == pytest.approx(2 / 25000 * 10000)


def test_provinces_and_cities(small_store):
    regions = run(small_store, "hotspots_by_region")
    provinces = regions[regions["level"] == "province"].set_index("province")
    assert provinces["complaints"].to_dict() == {"上海": 3, "北京": 2}
    assert provinces.loc["北京", "per_10k"] == pytest.approx(2 / 15000 * 10000)
    assert provinces.loc["上海", "share"] == pytest.approx(0.6)
    cities = regions[regions["level"] == "city"]
    assert set(cities["city"]) == {"上海", "北京"}


def test_drill_down_narrows_every_query(small_store):
    assert hs.split_dimensions(run(small_store, "hotspots_by_dimension", {"org": "0100"}))["total"] == 2
    assert hs.split_dimensions(run(small_store, "hotspots_by_dimension", {"province": "上海"}))["total"] == 3
    assert (
        hs.split_dimensions(run(small_store, "hotspots_by_dimension", {"category": "信用卡", "reason": "定价收费"}))[
            "total"
        ]
        == 2
    )
    assert hs.split_dimensions(run(small_store, "hotspots_by_dimension", {"product": "房贷"}))["total"] == 1
    sub = run(small_store, "hotspots_by_org", {"province": "上海"}, org_level="支行")
    assert list(sub["branch_code"]) == ["0201"]
    # a drill-down value outside the global filter matches nothing, it never widens the filter
    debit = Filters(month_from=OCT, month_to=OCT, categories=("借记卡",))
    assert hs.split_dimensions(run(small_store, "hotspots_by_dimension", {"category": "信用卡"}, debit))["total"] == 0
    span = Filters(month_from=SEP, month_to=OCT)
    assert hs.split_dimensions(run(small_store, "hotspots_by_dimension", {"month": SEP}, span))["total"] == 2
    assert (
        hs.split_dimensions(run(small_store, "hotspots_by_dimension", {"month": date(2026, 8, 1)}, span))["total"] == 0
    )


def test_organisation_levels_offered_below_the_selected_one():
    assert hs.org_levels_below(None) == ("一级分行", "二级分行", "支行")
    assert hs.org_levels_below("一级分行") == ("二级分行", "支行")
    assert hs.org_levels_below("支行") == ()


# --- The complaint list and detail -------------------------------------------------------------------------
def test_list_is_sorted_paged_and_searched_in_sql(small_store):
    assert listing(small_store) == ["C03", "C04", "C06", "C07", "C05"]  # by received_at
    assert listing(small_store, limit=2, offset=2) == ["C06", "C07"]
    assert listing(small_store, sort_key="amount", sort_desc=True) == ["C03", "C06", "C04", "C05", "C07"]
    assert listing(small_store, sort_key="handling_days") == ["C06", "C07", "C03", "C04", "C05"]  # open last
    assert listing(small_store, sort_key="not a column; drop table complaints") == ["C03", "C04", "C05", "C06", "C07"]
    assert listing(small_store, search="年费") == ["C03"]
    assert listing(small_store, search="'; drop table complaints; --") == []
    assert listing(small_store, {"channel": "客服热线"}, sort_key="complaint_id", sort_desc=True) == [
        "C07",
        "C06",
        "C03",
    ]
    assert listing(small_store, term="年费") == ["C03"]


def test_detail_timeline_and_the_same_customers_complaints(small_store):
    _, con = db.current(small_store)
    params = Filters(month_from=OCT, month_to=OCT).params()

    def detail(cid):
        return db.run(con, "complaints_detail", **params, complaint_id=cid).iloc[0]  # params: the 30-day window

    c03 = detail("C03")
    assert c03["timeliness"] == "on_time" and c03["handling_days"] == pytest.approx(15)  # exactly 15 days
    assert c03["branch_path"] == "总行 / 北京分行 / 北京海淀支行"
    assert detail("C02")["timeliness"] == "late"  # 20 days, and outside the period: still shown
    assert detail("C04")["timeliness"] == "open_overdue"  # open since 10-05, as of 10-31
    assert detail("C05")["timeliness"] == "open"  # open since 10-25: 6 days
    assert str(detail("C04")["deadline_at"]) == "2026-10-20 12:00:00"
    others = db.run(
        con, "complaints_by_customer", customer_id="A", complaint_id="C03", scope=None, repeat_window_days=30
    )
    assert list(others["complaint_id"]) == ["C01"]
    scoped = db.run(
        con,
        "complaints_detail",
        **Filters(month_from=OCT, month_to=OCT, scope="0200").params(complaint_id="C03", repeat_window_days=30),
    )
    assert scoped.empty  # outside the user's scope


# --- Narrative terms -----------------------------------------------------------------------------------------
def test_derived_terms_cover_every_complaint(small_store):
    snapshot, con = db.current(small_store)
    table = pd.read_parquet(snapshot.table("complaint_terms"))
    contents = dict((r[0], r[11]) for r in COMPLAINTS)
    assert sorted(table["complaint_id"]) == sorted(contents)
    for cid, terms in zip(table["complaint_id"], table["terms"]):
        assert list(terms) == list(dict.fromkeys(tokenize(contents[cid])))
    assert "年费" in list(table.set_index("complaint_id").loc["C03", "terms"])


def test_import_reuses_terms_of_unchanged_narratives(small_store, small_extracts, tmp_path, monkeypatch):
    tokenized: list[str] = []
    real = terms_index._chunk_cut
    monkeypatch.setattr(terms_index, "_chunk_cut", lambda texts: tokenized.extend(texts) or real(texts))
    changed = list(COMPLAINTS[0])
    changed[11] = "客户再次来电反映信用卡分期手续费过高"
    added = list(COMPLAINTS[1])
    added[0], added[11] = "C09", "客户反映网点排队时间长"
    import_files([write_csv(tmp_path / "update.csv", COMPLAINT_HEADERS_ZH, [changed, added])], small_store)
    assert sorted(tokenized) == sorted([changed[11], added[11]])
    snapshot, _ = db.current(small_store)
    table = pd.read_parquet(snapshot.table("complaint_terms")).set_index("complaint_id")
    assert len(table) == 9 and "分期" in list(table.loc["C01", "terms"])
    # the masked texts with them: the reused ones kept, the new ones from the same pass
    masked = pq.read_table(snapshot.table("complaint_masked")).to_pylist()
    stored = dict(db.current(small_store)[1].execute("select complaint_id, content from complaints").fetchall())
    assert sorted(r["complaint_id"] for r in masked) == sorted(stored)
    assert all((r["masked"] or stored[r["complaint_id"]]) == mask(stored[r["complaint_id"]]) for r in masked)
    # a new tokenizer (dictionary, stop words, code) retokenizes everything once
    tokenized.clear()
    monkeypatch.setattr(terms_index, "tokenizer_version", lambda: "changed")
    added[0] = "C10"
    import_files([write_csv(tmp_path / "again.csv", COMPLAINT_HEADERS_ZH, [added])], small_store)
    snapshot, _ = db.current(small_store)
    narratives = pd.read_parquet(snapshot.table("complaints"))["content"].tolist()
    assert len(narratives) == 10  # C10 tells C09's narrative again: each distinct narrative is cut once
    assert sorted(tokenized, key=str) == sorted(set(narratives), key=str) and len(tokenized) == 9


def test_worker_processes_give_the_same_terms(monkeypatch):
    texts = [
        f"客户反映信用卡年费第{i}次扣费，手机银行无法查询" if i % 3 else "网点排队时间长，柜员态度差" for i in range(30)
    ]
    texts[5] = None
    monkeypatch.setattr(terms_index, "POOL_MIN_TEXTS", 10)
    monkeypatch.setattr(terms_index, "CHUNK", 5)
    assert terms_index.tokenize_all(texts, workers=2) == [list(dict.fromkeys(tokenize(t))) for t in texts]


def test_tokenizing_in_batches_gives_the_same_terms(monkeypatch):
    """A long history is tokenized a batch at a time; the terms are those of one pass over every text."""
    import duckdb

    texts = ["客户反映信用卡年费扣费", None, "网点排队时间长，柜员态度差", "分期手续费过高", "征信逾期记录有误"]
    con = duckdb.connect()
    con.register("todo", pd.DataFrame({"complaint_id": [f"C{i}" for i in range(5)], "content": texts}))
    monkeypatch.setattr(terms_index, "TOKENIZE_BATCH", 2)
    out = terms_index._tokenize_todo(con.sql("select complaint_id, content from todo order by complaint_id"))
    assert out.column("complaint_id").to_pylist() == [f"C{i}" for i in range(5)]
    assert out.column("terms").to_pylist() == [list(dict.fromkeys(tokenize(t))) for t in texts]


def test_hot_terms_from_counts_equal_the_list_method(demo_store):
    """terms_hot + analysis.hot_terms against dashboard.text.terms.hot_terms on term lists read with pandas."""
    snapshot, con = db.current(demo_store)
    f = Filters(month_from=OCT, month_to=OCT, categories=("借记卡",))
    table = hs.hot_terms(db.run(con, "terms_hot", **f.params(**hs.terms_overrides(f, None))))
    complaints = pd.read_parquet(
        snapshot.table("complaints"), columns=["complaint_id", "received_at", "business_category"]
    )
    terms = pd.read_parquet(snapshot.table("complaint_terms"), columns=["complaint_id", "terms"])
    merged = complaints[complaints["business_category"] == "借记卡"].merge(terms, on="complaint_id")
    month = pd.to_datetime(merged["received_at"]).dt.to_period("M")
    current = [list(t) for t in merged.loc[month == pd.Period("2026-10", "M"), "terms"]]
    previous = [list(t) for t in merged.loc[month == pd.Period("2026-09", "M"), "terms"]]
    expected = hot_terms(current, previous, top=10**6, min_count=hs.MIN_TERM_DOCS).set_index("term")
    got = table.set_index("term")
    assert len(got) > 20 and set(got.index) == set(expected.index)
    for column in ("docs", "prev_docs", "share", "prev_share", "lift", "rising"):
        assert got[column].to_dict() == pytest.approx(expected.loc[got.index, column].to_dict()), column
    assert got["score"].to_numpy() == pytest.approx(expected.loc[got.index, "score"].to_numpy(), abs=1e-9)
    rising = hs.rising_terms(table)
    assert rising["rising"].all() and (rising["docs"] - rising["prev_docs"]).is_monotonic_decreasing
    # "望京" names the branch of the planted surge S3 (借记卡, 2026-10): it rises from nothing
    assert "望京" in set(rising["term"])
    # the list filtered by a term: the complaints whose term list contains it
    ids = listing(demo_store, filters=f, term="望京", limit=10_000)
    assert sorted(ids) == sorted(
        merged.loc[
            (month == pd.Period("2026-10", "M")) & merged["terms"].map(lambda t: "望京" in list(t)), "complaint_id"
        ]
    )


# --- Masking on the page and in the exports ---------------------------------------------------------------
NARRATIVES = {
    "M1": "客户张伟先生来电反映，其信用卡6222021234567890123于2026年10月5日被扣年费300元，联系电话13812345678，"
    "身份证号110101199003071234，要求退还。",
    "M2": "借款人李小明称2026-10-08提前还款50,000.00元被收取违约金1,500元，邮箱lixiaoming@example.com，"
    "联系电话138-1234-5678。",
}
PERSONAL = ("6222021234567890123", "13812345678", "1234-5678", "110101199003071234", "lixiaoming", "张伟", "李小明")
KEPT = ("2026年10月5日", "300元", "2026-10-08", "50,000.00元", "1,500元")


@pytest.fixture
def pii_store(tmp_path) -> Path:
    base = list(COMPLAINTS[2])  # an October complaint of customer A at 0101
    rows = []
    for i, (cid, text) in enumerate(NARRATIVES.items()):
        row = list(base)
        row[0], row[1], row[11] = cid, f"2026-10-0{i + 2} 09:00:00", text
        rows.append(row)
    folder = tmp_path / "pii"
    folder.mkdir()
    files = [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            BRANCHES,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, rows),
    ]
    import_files(files, tmp_path / "data")
    return tmp_path / "data"


def assert_masked(text: str) -> None:
    for value in PERSONAL:
        assert value not in text, value
    assert "张*先生" in text or "李**" in text


def test_list_and_exports_are_masked(pii_store):
    _, con = db.current(pii_store)
    f = Filters(month_from=OCT, month_to=OCT)
    params = f.params(**hs.list_overrides(f, None), sort_key="received_at", sort_desc=False)
    shown = complaint_list.export_rows(con, "complaints_list", params)
    assert list(shown["投诉编号"]) == ["M1", "M2"]
    for text in shown["投诉内容（已脱敏）"]:
        assert_masked(text)
    assert all(k in " ".join(shown["投诉内容（已脱敏）"]) for k in KEPT)  # amounts and dates stay
    excel = pd.read_excel(io.BytesIO(complaint_list.to_excel(shown)), sheet_name="投诉明细", dtype=str)
    assert list(excel.columns) == list(shown.columns)
    assert list(excel["投诉内容（已脱敏）"]) == list(shown["投诉内容（已脱敏）"])


def run_page(query: dict) -> AppTest:
    return run_app(PAGE, query)


def test_page_shows_masked_narratives_in_list_and_detail(pii_store, app_env):
    app_env(pii_store)
    at = run_page({"from": "2026-10", "to": "2026-10"})
    table = next(d.value for d in at.dataframe if "投诉内容（已脱敏）" in d.value.columns)
    for text in table["投诉内容（已脱敏）"]:
        assert_masked(text)
    assert "2026年10月5日" in " ".join(table["投诉内容（已脱敏）"])
    at.selectbox(key="hs_list_detail").select("M1").run()
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert "投诉详情 · M1" in [s.value for s in at.subheader]
    narrative = next(t.value for t in at.text if "年费" in t.value)
    assert_masked(narrative)
    assert "2026年10月5日" in narrative and "300元" in narrative
    others = next(
        d.value
        for d in at.dataframe
        if "投诉内容（已脱敏）" in d.value.columns and "M2" in set(d.value.get("投诉编号", []))
    )
    assert_masked(others["投诉内容（已脱敏）"].iloc[0])
    assert "同一客户" in text


# --- The page -----------------------------------------------------------------------------------------------
def test_page_on_the_demo_bank_with_filters_from_the_url(demo_store, app_env):
    """The trends page links here with the global filters in the URL."""
    app_env(demo_store)
    at = run_page({"from": "2026-10", "to": "2026-10", "cat": "信用卡"})
    complaints = pd.read_parquet(
        demo_store.parent / "extracts" / "complaints.parquet", columns=["received_at", "business_category"]
    )
    expected = int(
        (
            (pd.to_datetime(complaints["received_at"]).dt.to_period("M") == pd.Period("2026-10", "M"))
            & (complaints["business_category"] == "信用卡")
        ).sum()
    )
    metrics = {m.label: m for m in at.metric}
    assert metrics["投诉量"].value == f"{expected:,} 件"
    assert all(m.help for m in at.metric)
    assert at.title[0].value == "热点分析 · 2026年10月"
    assert [h.value for h in at.header] == [
        "投诉集中在哪里",
        "投诉明细",
        "投诉激增 · 2026年10月",
        "热点词",
    ]  # list under the drill
    assert f"共 {expected:,} 件投诉" in page_text(at)


def test_page_surges_of_the_month(demo_store, app_env):
    app_env(demo_store)
    at = run_page({"from": "2026-10", "to": "2026-10"})
    table = next(d.value for d in at.dataframe if "切片" in d.value.columns)
    assert "北京望京支行（010014，支行） · 借记卡 · 管理制度、业务规则与流程" in set(table["切片"])  # S3
    assert "个人住房贷款" in set(table["切片"])  # S4
    assert table["近12个月"].map(len).eq(12).all()
    assert {m.label: m.value for m in at.metric}["激增切片数"] == f"{len(table)} 个"
    at.number_input(key="hs_rule_ratio").set_value(3.0).run()  # stricter: fewer surges
    stricter = next(d.value for d in at.dataframe if "切片" in d.value.columns)
    assert 0 < len(stricter) < len(table) and "个人住房贷款" not in set(stricter["切片"])


def test_filters_matching_nothing_and_too_little_history(small_store, app_env):
    app_env(small_store)
    text = page_text(run_page({"from": "2026-10", "to": "2026-10", "cat": "外汇"}))
    assert "没有投诉" in text and "没有符合规则的激增" in text
    # the small bank's data start in 2025-10: 2026-03 has only five months before it
    text = page_text(run_page({"from": "2026-03", "to": "2026-03"}))
    assert "不足 6 个月，无法判断" in text


def test_a_snapshot_without_terms_still_lists_complaints(tmp_path, small_extracts, app_env):
    """Imported with the narrative analysis deferred: no hot terms (a message), the rest works (the list's
    term filter binds an empty stand-in of complaint_terms)."""
    data_dir = tmp_path / "deferred"
    import_files(small_extracts, data_dir, defer_text=True)
    assert not terms_index.ready(db.current(data_dir)[1])
    app_env(data_dir)
    at = run_page({"from": "2026-10", "to": "2026-10"})
    assert "热点词与相似投诉尚未计算" in page_text(at) and "rebuild" in page_text(at)
    assert "共 5 件投诉" in page_text(at)


def test_a_numbers_first_snapshot_says_its_terms_are_being_computed(tmp_path, small_extracts, app_env, monkeypatch):
    """An import publishing its numbers first: while it holds the writer lock, the page says the hot terms are
    being computed and when; once no import runs (its analysis failed), that the next import or rebuild adds them."""
    from dashboard.ingest import pipeline, store

    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 1)
    monkeypatch.setattr(pipeline, "_publish_text", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("stopped")))
    data_dir = tmp_path / "numbers"
    assert import_files(small_extracts, data_dir).text_error
    app_env(data_dir)
    with store.writer_lock(data_dir):
        text = page_text(run_page({"from": "2026-10", "to": "2026-10"}))
    assert "热点词与相似投诉分析中，约 1 分钟后更新" in text and "共 5 件投诉" in text
    text = page_text(run_page({"from": "2026-10", "to": "2026-10"}))
    assert "热点词与相似投诉分析未完成" in text and "分析中" not in text


def test_tokenizer_version_follows_what_decides_the_terms(tmp_path, monkeypatch):
    """The fingerprint changes with the dictionary, the stop words and the segmentation and masking versions,
    and only with those (an edited comment in the code must not retokenize a whole history)."""
    from dashboard.text import terms

    first = terms_index.tokenizer_version()
    assert terms_index.tokenizer_version() == first
    monkeypatch.setattr(terms, "SEGMENTATION_VERSION", terms.SEGMENTATION_VERSION + 1)
    bumped = terms_index.tokenizer_version()
    assert bumped != first
    monkeypatch.undo()
    # a masking that hides more (a name the old rules left readable) recomputes the stored terms too
    from dashboard.text import masking

    monkeypatch.setattr(masking, "MASKING_VERSION", masking.MASKING_VERSION + 1)
    assert terms_index.tokenizer_version() not in (first, bumped)
    monkeypatch.undo()
    changed = tmp_path / "dict.txt"
    changed.write_text(terms.USER_DICT.read_text(encoding="utf-8") + "新词汇\n", encoding="utf-8")
    monkeypatch.setattr(terms, "USER_DICT", changed)
    assert terms_index.tokenizer_version() not in (first, bumped)


@pytest.mark.parametrize("period", [(OCT, OCT), (date(2026, 8, 1), OCT)])
def test_stored_month_counts_give_the_hot_terms_of_the_whole_period(demo_store, period):
    """terms_hot_all (term_month_docs, complaint_cube) equals terms_hot (postings joined to every complaint
    of the period) when nothing narrows the selection."""
    _, con = db.current(demo_store)
    f = Filters(month_from=period[0], month_to=period[1])
    params = f.params(**hs.terms_overrides(f, None))
    assert terms_index.ready(con)
    assert hs.terms_query(f, None) == "terms_hot_all"
    joined, stored = db.run(con, "terms_hot", **params), db.run(con, "terms_hot_all", **params)
    assert len(joined) > 20
    pd.testing.assert_frame_equal(stored, joined, check_dtype=False)


def test_a_narrowed_selection_counts_hot_terms_on_its_complaints():
    whole = Filters(month_from=OCT, month_to=OCT)
    assert hs.terms_query(whole, {"month": OCT}) == "terms_hot_all"
    assert hs.terms_query(whole, {"org": "0101"}) == "terms_hot"
    assert hs.terms_query(Filters(month_from=OCT, month_to=OCT, categories=("信用卡",)), None) == "terms_hot"
    assert hs.terms_query(Filters(month_from=OCT, month_to=OCT, scope="0100"), None) == "terms_hot"
    assert hs.terms_query(Filters(month_from=OCT, month_to=OCT, referred=False), None) == "terms_hot"


def test_ordering_by_rate_ranks_only_organisations_with_enough_complaints():
    """Hostile H222: by 万人投诉率, 19 of the top 20 支行 stood on one or two complaints. Ranked by rate, only rows
    with at least rankings.MIN_COMPLAINTS (5) complaints and a rate; by count, every row."""
    from dashboard.analysis import hotspots as hs

    rows = pd.DataFrame(
        {
            "branch_code": ["A", "B", "C", "D"],
            "complaints": [2, 5, 40, 7],
            "per_10k": [9.0, 3.0, 1.0, float("nan")],  # D: 客户数不全
        }
    )
    kept, left_out = hs.ranked_rows(rows, by_rate=True)
    assert list(kept["branch_code"]) == ["B", "C"] and left_out == 1  # A (2 件) left out, D has no rate
    kept, left_out = hs.ranked_rows(rows, by_rate=False)
    assert list(kept["branch_code"]) == ["A", "B", "C", "D"] and left_out == 0


def test_a_link_whose_filters_or_drill_cannot_be_applied_says_so(small_store, app_env):
    """Hostile H216: a hand-edited or stale link (信用咔, 定价收废, a product key that names no product, a code that
    lost its leading 0) was silently widened: the page showed the wider count as the link's. It still opens,
    and names what it could not apply."""
    from dashboard.analysis import hotspots as hs
    from dashboard.filters import Filters

    assert Filters.unknown_filters({"cat": "信用卡,信用咔", "org": "500"}, {"0000", "0500"}) == [
        "链接中的业务类别“信用咔”无法识别，已不按其筛选。",
        "链接中的机构“500”不存在或不在您的权限范围内，已按全行（您的可见范围）显示。",
    ]
    assert Filters.unknown_filters({"cat": "信用卡", "org": "0500"}, {"0000", "0500"}) == []
    query = {"hs_d_reason": "定价收废", "hs_d_product": "p0123", "hs_d_channel": "客服热线"}
    dropped = hs.dropped_drill(query, hs.drill_from_query(query, products=lambda: []))
    assert dropped == [
        "链接中的下钻条件投诉原因“定价收废”无法应用（已过期或不在当前筛选范围内），已不按其下钻。",
        "链接中的下钻条件产品无法应用（已过期或不在当前筛选范围内），已不按其下钻。",
    ]

    app_env(small_store)
    at = run_app(
        "app_pages/hotspots.py",
        query={"from": "2026-10", "to": "2026-10", "cat": "信用咔", "hs_d_reason": "定价收废"},
    )
    assert not at.exception
    warnings = [w.value for w in [*at.warning, *at.sidebar.warning]]
    assert any("信用咔" in w for w in warnings) and any("定价收废" in w for w in warnings), warnings


def test_a_masking_release_is_said_where_hot_terms_are_shown_until_rebuild(small_store, app_env, monkeypatch):
    """Stored complaint_terms / complaint_masked of an older masking: the hotspots and events pages say so,
    and after `rebuild` (which recuts them) no longer."""
    from dashboard.analysis import text_status
    from dashboard.analysis.source import Source
    from dashboard.derived import masked_text
    from dashboard.ingest.pipeline import rebuild
    from dashboard.text import masking

    oct_only = Filters(month_from=OCT, month_to=OCT)

    def stored_tokenizers() -> set[str]:  # read from the table itself, every row
        _, con = db.current(small_store)
        return {t for (t,) in con.execute("select distinct tokenizer from complaint_terms").fetchall()}

    def notes() -> tuple[str, str, str]:
        _, con = db.current(small_store)
        pages = [
            page_text(run_app(p, {"from": "2026-10", "to": "2026-10"}))
            for p in ("app_pages/hotspots.py", "app_pages/events.py")
        ]
        return text_status.stale_note(Source.of(con, oct_only)), *pages

    app_env(small_store)
    imported = stored_tokenizers()
    try:
        assert imported == {terms_index.tokenizer_version()}
        note, hotspots, events = notes()
        assert note == "" and text_status.STALE not in hotspots and text_status.STALE not in events
        monkeypatch.setattr(masking, "MASKING_VERSION", masking.MASKING_VERSION + 1)  # a masking release
        masked_text.current_tokenizer.cache_clear()
        # a release restarts the server; in one process the loaders' results of this snapshot are dropped by hand
        import streamlit as st

        st.cache_data.clear()
        assert terms_index.tokenizer_version() not in imported
        note, hotspots, events = notes()
        assert note == text_status.STALE and text_status.STALE in hotspots and text_status.STALE in events
        rebuild(small_store)
        assert stored_tokenizers() == {terms_index.tokenizer_version()}  # recut with the release's rules
        note, hotspots, events = notes()
        assert note == "" and text_status.STALE not in hotspots and text_status.STALE not in events
    finally:
        monkeypatch.undo()
        masked_text.current_tokenizer.cache_clear()  # the running masking's fingerprint again
