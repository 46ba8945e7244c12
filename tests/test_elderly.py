"""Elderly customers (老年客户, customer_age >= 60) on the briefing, hotspots and rankings (issue 19), by hand on
the small bank (tests/conftest.py) with an elderly customer base (contract 7, 老年客户数): 0101 2,000 of 10,000,
0102 1,000 of 5,000, 0201 5,000 of 20,000 (September) / 25,000 (October): October 8,000 elderly customers.

October receipts: C03 (A, 0101, 信用卡, 45 y), C04 (C, 0201, referred, no age), C05 (D, 0201, 30 y), C06 (B, 0102,
借记卡, 67 y), C07 (E, 0201, 52 y). Elderly: C06 alone; without an age: C04.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import db
from dashboard.analysis import outcomes, trends
from dashboard.analysis.source import Source
from dashboard.analysis.summary import volume_sentence
from dashboard.filters import Filters, selection_notes
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv

OCT = date(2026, 10, 1)
ELDERLY_BASE = {"0101": 2000, "0102": 1000, "0201": 5000}


def write_elderly_bank(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_csv(
            folder / "branches.csv", ["机构代码", "机构名称", "上级机构代码", "机构层级", "省份", "城市"], BRANCHES
        ),
        write_csv(
            folder / "customers.csv",
            ["机构代码", "月份", "客户数", "老年客户数"],
            [(*row, ELDERLY_BASE[row[0]]) for row in CUSTOMERS],
        ),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, COMPLAINTS),
    ]


@pytest.fixture
def elderly_store(store_factory):
    return store_factory("elderly_base", write_elderly_bank)


def _trends(data_dir, **filters) -> trends.TrendData:
    _, con = db.current(data_dir)
    f = Filters(month_from=OCT, month_to=OCT, **filters)
    return trends.load(Source.of(con, f), f, OCT)


def test_briefing_prose_under_the_elderly_group_divides_by_elderly_customers(elderly_store):
    """Hostile finding H19: under 老年客户 the prose said 万人投诉率 = 1 elderly complaint / 40,000 customers
    (0.25); the base of elderly complaints is the 8,000 elderly customers: 1 / 8,000 x 10,000 = 1.25."""
    text = volume_sentence(_trends(elderly_store, age_group="elderly"))
    assert "共受理老年客户投诉1件" in text  # the group named (H164)
    assert "老年客户万人投诉率（以老年客户数为分母）为1.25" in text
    assert "0.25" not in text
    everyone = volume_sentence(_trends(elderly_store))
    assert "万人投诉率为1.25" in everyone  # all 5 / 40,000 customers, the base of all complaints


def test_briefing_prose_without_an_elderly_base_says_so(small_store):
    text = volume_sentence(_trends(small_store, age_group="elderly"))
    assert "暂无法计算老年客户万人投诉率" in text and "万人投诉率为" not in text
    other = volume_sentence(_trends(small_store, age_group="non_elderly"))
    assert "共受理非老年客户投诉3件" in other and "万人投诉率为" not in other


# --- 老年客户画像 on hotspots ------------------------------------------------------------------------------
def _hotspots(data_dir, state=None, **filters):
    from dashboard.analysis import hotspots as hs

    _, con = db.current(data_dir)
    f = Filters(month_from=OCT, month_to=OCT, **filters)
    return hs.load(Source.of(con, f), f, state or hs.HotspotsState())


def test_elderly_profile_against_everyones_by_hand(small_store):
    """October with an age: C03 (客服热线, 信用卡, 定价收费), C05 (手机银行/网银, 信用卡, 营销方式和手段), C06 (elderly:
    客服热线, 借记卡, 定价收费), C07 (客服热线, 信用卡, 定价收费); C04 has none and is on neither side."""
    p = _hotspots(small_store).elderly
    assert (p.elderly, p.everyone, p.age_unknown) == (1, 4, 1)
    channel = p.dimension("channel").set_index("value")
    assert channel.loc["客服热线", ["elderly", "everyone"]].tolist() == [1, 3]
    assert channel.loc["客服热线", "elderly_share"] == 1.0 and channel.loc["客服热线", "everyone_share"] == 0.75
    assert channel.loc["客服热线", "excess"] == pytest.approx(0.25)
    assert channel.loc["手机银行/网银", "excess"] == pytest.approx(-0.25)
    category = p.dimension("business_category").set_index("value")
    assert category.loc["借记卡", "excess"] == pytest.approx(0.75) and category.loc["信用卡", "everyone"] == 3
    reason = p.dimension("reason").set_index("value")
    assert reason.loc["定价收费", ["elderly", "everyone"]].tolist() == [1, 3]
    assert set(reason.index) == {"定价收费", "营销方式和手段"}  # C04's 信息披露 has no age


def test_elderly_profile_ignores_the_sidebar_group_and_follows_the_other_filters(small_store):
    """The comparison is the customer group itself; the organisation still narrows it (上海分行: C05, C07 with
    an age, none elderly; C04 without)."""
    assert _hotspots(small_store, age_group="elderly").elderly.everyone == 4
    p = _hotspots(small_store, org="0200").elderly
    assert (p.elderly, p.everyone, p.age_unknown) == (0, 2, 1)


def test_over_represented_terms_against_a_count_over_complaint_terms(demo_store):
    """A second method: each term's elderly and all shares counted in pandas from complaint_terms (terms per
    complaint id) and the complaints' ages, for the demo bank's latest month."""
    from dashboard.analysis import hotspots as hs

    _, con = db.current(demo_store)
    month = con.execute("select max(month) from complaints").fetchone()[0]
    f = Filters(month_from=month, month_to=month)
    got = hs.load(Source.of(con, f), f).elderly.terms
    assert got is not None and len(got) > 0
    rows = con.execute(
        "select c.complaint_id, c.is_elderly, t.terms from complaints c left join complaint_terms t"
        " using (complaint_id) where c.month = ? and c.is_elderly is not null",
        [month],
    ).df()
    n_elderly, n_all = int(rows["is_elderly"].sum()), len(rows)
    exploded = rows.explode("terms").dropna(subset=["terms"]).drop_duplicates(["complaint_id", "terms"])
    counts = exploded.groupby("terms").agg(docs=("complaint_id", "size"), elderly_docs=("is_elderly", "sum"))
    counts = counts[counts["elderly_docs"] >= hs.ELDERLY_MIN_TERM_DOCS]
    excess = counts["elderly_docs"] / n_elderly - counts["docs"] / n_all
    expected = excess[excess > 0].sort_values(ascending=False)
    assert got["excess"].tolist() == pytest.approx(expected.head(len(got)).tolist())
    for row in got.itertuples():
        assert (row.elderly_docs, row.docs) == (counts.loc[row.term, "elderly_docs"], counts.loc[row.term, "docs"])
    assert (got["excess"] > 0).all() and len(got) <= hs.ELDERLY_TOP_TERMS


# --- Rankings: outcomes and elderly customers by branch ------------------------------------------------------
def _ranking(data_dir, level="支行", **filters):
    from dashboard.analysis import rankings as rk

    _, con = db.current(data_dir)
    f = Filters(month_from=OCT, month_to=OCT, **filters)
    return rk.load(Source.of(con, f), f, rk.RankingsState(level=level))


def test_rankings_rows_carry_outcomes_and_the_elderly_rate_by_hand(elderly_store):
    """October by 支行: 0101 C03 (已解决, 基本满意, 300 元, 45 y); 0102 C06 (已解决, 满意, 20 元, 67 y); 0201 C04 (no
    result, no age), C05 (no result, 30 y), C07 (已解决, 未回访, 52 y). Elderly base: 2,000 / 1,000 / 5,000."""
    t = _ranking(elderly_store).ranking.table.set_index("branch_code")
    assert t.loc["0101", "resolution_rate"] == 1.0 and t.loc["0201", "resolution_rate"] == 1.0  # C07 of 1 result
    assert t.loc["0101", "satisfaction_rate"] == 1.0 and pd.isna(t.loc["0201", "satisfaction_rate"])  # 未回访
    assert t.loc["0101", "amount_total"] == 300 and t.loc["0102", "amount_total"] == 20
    assert t.loc["0201", "amount_total"] == 0 and (t["redress_total"] == 0).all()
    assert t["age_known"].to_dict() == {"0101": 1, "0102": 1, "0201": 2}
    assert t.loc["0102", "elderly_per_10k"] == pytest.approx(10.0)  # 1 / 1,000 x 10,000
    assert t.loc["0101", "elderly_per_10k"] == 0 and t.loc["0201", "elderly_customers"] == 5000
    tier1 = _ranking(elderly_store, level="一级分行").ranking.table.set_index("branch_code")
    assert tier1.loc["0100", "elderly_per_10k"] == pytest.approx(1e4 / 3000)  # 北京: C06 of 3,000 elderly


def test_without_an_elderly_base_the_rate_is_empty(small_store):
    t = _ranking(small_store).ranking.table
    assert t["elderly_per_10k"].isna().all() and t["elderly"].sum() == 1


def _binomial_tail(k: int, n: int, p: float) -> float:
    from math import comb

    return sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


def test_elderly_outliers_by_an_exact_binomial_tail():
    """Pooled share (12 + 8 + 0) / (20 + 80 + 9) = 20 / 109; X: 12 of 20 elderly; Y: 8 of 80; Z: 9 with an age
    (below the minimum of 10: not tested). P-values against the binomial tail summed by hand."""
    from dashboard.analysis import rankings as rk

    table = pd.DataFrame(
        {
            "branch_code": ["X", "Y", "Z"],
            "branch_name": ["甲支行", "乙支行", "丙支行"],
            "complaints": [25, 90, 9],
            "age_known": [20, 80, 9],
            "elderly": [12, 8, 0],
            "elderly_customers": [np.nan, np.nan, np.nan],
            "elderly_per_10k": [np.nan, np.nan, np.nan],
        }
    )
    out = rk.elderly_outliers(table).set_index("branch_code")
    pooled = 20 / 109
    assert out.attrs["pooled_share"] == pytest.approx(pooled)
    assert out.loc["X", "p_value"] == pytest.approx(_binomial_tail(12, 20, pooled))
    assert out.loc["Y", "p_value"] == pytest.approx(_binomial_tail(8, 80, pooled))
    assert out.loc["X", "status"] == rk.ELDERLY_HIGH_998  # about 1e-5
    assert out.loc["Y", "status"] == rk.ELDERLY_WITHIN and out.loc["Z", "status"] == rk.ELDERLY_TOO_FEW
    assert pd.isna(out.loc["Z", "p_value"]) and out.loc["X", "expected"] == pytest.approx(20 * pooled)
    assert list(out.index) == ["X", "Y", "Z"]  # most significant first


def test_rankings_export_carries_outcomes_in_their_units(elderly_store):
    import io

    from dashboard.analysis import rankings as rk

    data = _ranking(elderly_store)
    book = rk.to_excel(data.ranking.table, rk.formula_notes(data.ranking))
    sheet = pd.read_excel(io.BytesIO(book), sheet_name="机构排名", dtype={"机构代码": str}).set_index("机构代码")
    assert sheet.loc["0101", "涉及金额（万元）"] == pytest.approx(0.03)  # 300 元
    assert sheet.loc["0102", "老年客户万人投诉率"] == pytest.approx(10.0)
    assert sheet.loc["0101", "解决率"] == 1.0 and sheet.loc["0102", "老年客户投诉"] == 1
    notes = pd.read_excel(io.BytesIO(book), sheet_name="说明").set_index("项目")["说明"]
    assert "÷ 10,000" in notes["涉及金额（万元）"]


# --- The Excel briefing's sheet 办理结果与老年客户 ---------------------------------------------------------------
def _sheet_tables(book: bytes, name: str) -> dict[str, list[dict]]:
    """Each table of the sheet under its first header cell: rows as {header: value} until a blank row."""
    import io

    import openpyxl

    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(book))[name].iter_rows(values_only=True)]
    tables, i = {}, 0
    while i < len(rows):
        first = rows[i][0] if rows[i] else None
        if first in ("业务类别", "一级分行", "月份"):
            header = [h for h in rows[i] if h is not None]
            body, i = [], i + 1
            while i < len(rows) and rows[i][0] is not None:  # a table ends at a blank row
                body.append(dict(zip(header, rows[i])))
                i += 1
            tables[first] = body
        else:
            i += 1
    return tables


def test_excel_briefing_has_an_outcomes_sheet_by_hand(elderly_store):
    """October: 北京分行 C03 (已解决, 基本满意, 300 元), C06 (已解决, 满意, 20 元, elderly); 上海分行 C04, C05 (no
    result), C07 (已解决, 未回访). The month: 5 complaints, 1 elderly (20 %), 1 without an age, 1 / 8,000 elderly
    customers x 10,000 = 1.25."""
    from dashboard.briefing import build, lens
    from dashboard.briefing.excel import workbook

    _, con = db.current(elderly_store)
    data = build.build(con, Filters(month_from=OCT, month_to=OCT), OCT)
    tables = _sheet_tables(workbook(data), lens.SHEET)
    tier1 = {r["一级分行"]: r for r in tables["一级分行"]}
    assert tier1["北京分行"]["投诉量（件）"] == 2 and tier1["北京分行"]["解决率"] == 1.0
    assert tier1["北京分行"]["涉及金额（万元）"] == pytest.approx(0.032)
    assert tier1["北京分行"]["老年客户投诉（件）"] == 1 and tier1["北京分行"]["老年客户投诉占比"] == 0.5
    assert tier1["上海分行"]["解决率"] == 1.0 and tier1["上海分行"]["满意率"] == "—"  # nobody surveyed
    assert tier1["上海分行"]["补偿金额（万元）"] == "—"  # the extract has no 补偿金额 column
    month = {r["月份"]: r for r in tables["月份"]}["2026-10"]
    assert (month["投诉量（件）"], month["老年客户投诉（件）"], month["未填写年龄（件）"]) == (5, 1, 1)
    assert month["老年客户投诉占比"] == pytest.approx(0.2) and month["老年客户万人投诉率"] == pytest.approx(1.25)
    category = {r["业务类别"]: r for r in tables["业务类别"]}
    assert category["借记卡"]["老年客户投诉（件）"] == 1 and category["信用卡"]["投诉量（件）"] == 3


def test_the_briefing_states_money_in_the_pages_unit(elderly_store):
    """涉及金额 in 万元 as 月度趋势 shows it, not yuan to the fen (hostile H170: 10,725,486.88 元 on paper against
    1,072.5 万元 on the page); the total summed here in plain SQL."""
    from dashboard.briefing import build, lens

    _, con = db.current(elderly_store)
    data = build.build(con, Filters(month_from=OCT, month_to=OCT), OCT)
    ((total,),) = con.sql(
        "select sum(amount) from complaints where received_at >= date '2026-10-01' and received_at < date '2026-11-01'"
    ).fetchall()
    shown = {label: value for label, value, _ in lens.rows(data)}
    assert shown["涉及金额"] == f"{float(total) / 10_000:,.2f} 万元"
    # each definition once in the HTML section: the amounts share one, said again as 同上 (H169)
    page = lens.html(data, str)
    assert page.count(outcomes.MONEY_RULE_ZH) == 1 and "<td>同上</td>" in page


def test_trends_page_shows_the_elderly_rate_with_its_unit(elderly_store, app_env):
    """H30: 1 elderly complaint / 8,000 elderly customers x 10,000 = 1.25, shown as 件/万户 like 万人投诉率."""
    from tests.apptest_support import run_app

    app_env(elderly_store)
    at = run_app(query={"from": "2026-10", "to": "2026-10"})
    assert {m.label: m.value for m in at.metric}["老年客户万人投诉率"] == "1.25 件/万户"


def test_hotspots_and_rankings_pages_draw_the_elderly_sections(elderly_store, app_env):
    """AppTest, October: 老年客户画像 (1 elderly complaint, 1 without an age) and 老年客户占比突出的机构 (pooled share
    1 / 4 with an age; no 一级分行 has 10 complaints with an age, so none is tested)."""
    from tests.apptest_support import run_app

    app_env(elderly_store)
    query = {"from": "2026-10", "to": "2026-10"}
    at = run_app("app_pages/hotspots.py", query=query)
    assert "老年客户画像" in [e.label for e in at.expander]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["老年客户投诉"], metrics["未填写年龄（不计入比较）"], metrics["老年客户占比"]) == (
        "1 件",
        "1 件",
        "25.0%",
    )
    ranked = run_app("app_pages/rankings.py", query=query)
    assert "老年客户占比突出的机构" in [e.label for e in ranked.expander]
    metrics = {m.label: m.value for m in ranked.metric}
    assert metrics["基准老年客户占比"] == "25.0%" and metrics["显著偏高的机构"] == "0 个"
    table = ranked.dataframe[0].value.set_index("机构代码")
    assert table.loc["0100", "老年客户万人投诉率"] == pytest.approx(1e4 / 3000)
    assert table.loc["0100", "涉及金额（万元）"] == pytest.approx(0.032)  # C03 300 + C06 20 元


# --- H45: under a customer group the rate per 10,000 takes that group's base -------------------------------
@pytest.mark.parametrize(
    "group, customers, per_10k",
    [(None, 40_000, 1.25), ("elderly", 8_000, 1.25), ("non_elderly", 32_000, 3 * 1e4 / 32_000)],
)
def test_the_headline_rate_divides_by_the_groups_customers(elderly_store, group, customers, per_10k):
    """October: all 5 / 40,000; elderly C06 / 8,000 elderly customers; non-elderly C03, C05, C07 / (40,000 -
    8,000). Before, the elderly rate was 1 / 40,000 x 10,000 = 0.25."""
    _, con = db.current(elderly_store)
    row = db.run(con, "kpis_by_month", **Filters(month_from=OCT, month_to=OCT, age_group=group).params()).iloc[0]
    assert row["customers"] == customers and row["per_10k"] == pytest.approx(per_10k)


def test_without_the_groups_base_the_rate_is_unknown_not_wrong(small_store):
    _, con = db.current(small_store)
    row = db.run(con, "kpis_by_month", **Filters(month_from=OCT, month_to=OCT, age_group="elderly").params()).iloc[0]
    assert pd.isna(row["customers"]) and pd.isna(row["per_10k"])


def test_rankings_and_hotspots_rates_follow_the_group(elderly_store):
    """支行, October, 老年客户: 0102 C06 / 1,000 elderly customers x 10,000 = 10; 0101 0 / 2,000; 0201 0 / 5,000."""
    t = _ranking(elderly_store, age_group="elderly").ranking.table.set_index("branch_code")
    assert t.loc["0102", "per_10k"] == pytest.approx(10.0) and t.loc["0201", "customers"] == 5000
    regions = _hotspots(elderly_store, age_group="elderly").regions
    beijing = regions[(regions["level"] == "province") & (regions["province"] == "北京")].iloc[0]
    assert beijing["per_10k"] == pytest.approx(1e4 / 3000)  # C06 of 北京's 3,000 elderly customers


def test_rankings_export_names_what_it_was_cut_with(elderly_store):
    """H56: the 说明 sheet states the basis, group, period, organisation and filters."""
    import io

    from dashboard.analysis import rankings as rk

    f = Filters(month_from=OCT, month_to=OCT, basis="referred", age_group="elderly", org="0100", channels=("客服热线",))
    data = _ranking(elderly_store, basis="referred", age_group="elderly", org="0100", channels=("客服热线",))
    notes = selection_notes(f, {"0100": "北京分行"}, "2026-10-31T10:00:00") + rk.formula_notes(data.ranking)
    sheet = pd.read_excel(io.BytesIO(rk.to_excel(data.ranking.table, notes)), sheet_name="说明").set_index("项目")
    said = sheet["说明"].to_dict()
    assert (said["统计口径"], said["客户群体"], said["期间"]) == ("监管转送", "老年客户", "2026年10月")
    assert said["机构"] == "北京分行（0100）及下辖机构" and said["筛选条件"] == "投诉渠道：客服热线"
    assert said["数据截至"] == "2026-10-31T10:00:00"


def _no_ages(folder):
    """The small bank with the 客户年龄 column empty on every complaint (hostile H89)."""
    from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv, write_small_extracts

    paths = write_small_extracts(folder)
    age = COMPLAINT_HEADERS_ZH.index("客户年龄")
    rows = [(*r[:age], "", *r[age + 1 :]) for r in COMPLAINTS]
    write_csv(paths[2], COMPLAINT_HEADERS_ZH, rows)
    return paths


def test_an_extract_without_ages_has_no_elderly_share_not_zero(store_factory):
    """No complaint has an age: October's elderly share is unknown (— 无年龄数据), not 0 / 5 = 0.0 %; with ages
    (the small bank) it is C06's 1 / 5 = 20 %."""
    from datetime import date

    from dashboard import db, report
    from dashboard.analysis import outcomes, trends
    from dashboard.briefing import lens
    from dashboard.filters import Filters

    oct_ = date(2026, 10, 1)
    f = Filters(month_from=oct_, month_to=oct_)
    _, con = db.current(store_factory("no_ages", _no_ages))
    k = report.kpis(con, f, oct_)
    assert k["elderly_share"] is None and k["age_unknown"] == 5 and k["elderly_share_note"] == "无年龄数据"
    data = trends.load(trends.runner(con, f), f, oct_)
    assert outcomes.elderly_share_text(data.outcomes.month_row()) == "— 无年龄数据"
    assert ("老年客户投诉占比", "— 无年龄数据") in [(r[0], r[1]) for r in lens.rows(data)]


def test_with_ages_the_elderly_share_stands(small_store):
    from datetime import date

    from dashboard import db, report
    from dashboard.filters import Filters

    oct_ = date(2026, 10, 1)
    _, con = db.current(small_store)
    k = report.kpis(con, Filters(month_from=oct_, month_to=oct_), oct_)
    assert k["elderly_share"] == pytest.approx(1 / 5) and k["elderly_share_note"] is None
