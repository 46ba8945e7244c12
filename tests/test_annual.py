"""Annual disclosure (年度投诉情况): figures equal a hand count on a fixture spanning two years."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from dashboard import cli, db
from dashboard.analysis import annual
from dashboard.filters import Filters
from tests.conftest import COMPLAINT_HEADERS_ZH, write_csv, write_small_extracts


def _row(cid, received, branch, category, reason, age, customer, referred):
    return (
        cid,
        received,
        "",
        branch,
        "客服热线",
        category,
        reason,
        "",
        customer,
        age,
        "",
        "内容",
        "处理中",
        "",
        "",
        referred,
        "",
    )


ROWS = [
    # 2025: three complaints; A3 against the head office itself (under no tier-1 branch)
    _row("A1", "2025-01-10 09:00:00", "0101", "信用卡", "定价收费", "65", "P", "否"),
    _row("A2", "2025-06-05 09:00:00", "0201", "借记卡", "信息披露", "30", "Q", "是"),
    _row("A3", "2025-12-20 09:00:00", "0000", "信用卡", "定价收费", "70", "R", "否"),
    # 2026: five; B2 repeats B1 (customer P, 信用卡, 9 days later)
    _row("B1", "2026-02-01 09:00:00", "0101", "信用卡", "定价收费", "61", "P", "否"),
    _row("B2", "2026-02-10 09:00:00", "0101", "信用卡", "营销方式和手段", "61", "P", "否"),
    _row("B3", "2026-05-05 09:00:00", "0201", "个人贷款", "信息披露", "45", "S", "是"),
    _row("B4", "2026-08-08 09:00:00", "0102", "借记卡", "定价收费", "", "T", "是"),
    _row("B5", "2026-11-20 09:00:00", "0201", "信用卡", "定价收费", "59", "U", "否"),
]


def write_two_years(folder: Path) -> list[Path]:
    files = write_small_extracts(folder)
    return [*files[:2], write_csv(folder / "complaints_years.csv", COMPLAINT_HEADERS_ZH, ROWS)]


@pytest.fixture
def years_store(store_factory) -> Path:
    return store_factory("two_years", write_two_years)


def report_json(data_dir, capsys, *extra) -> dict:
    assert cli.main(["report", "--data-dir", str(data_dir), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_annual_figures_equal_a_hand_count(years_store, capsys):
    out = report_json(years_store, capsys, "--year", "2026")
    assert (out["filters"]["from"], out["filters"]["to"]) == ("2026-01", "2026-12")  # hostile H77: not 12 to 12
    a = out["annual"]
    assert a["basis"] == "全部受理"
    assert a["complaints"] == 5
    assert a["regulator_referred"] == 2  # B3, B4
    assert a["elderly_complaints"] == 2  # B1, B2 (61); B5 is 59, B4 has no age
    # the data end on 2026-11-20 (B5, the as-of): November is not complete, so 2026's January to October
    # (B1-B4) is compared with 2025's (A1, A2; A3 is December); B5 counts in the year, not in the comparison
    assert a["year_complete"] is False and a["previous_year_complaints"] == 2 and a["compared_months"] == 10
    assert a["yoy_pct"] == pytest.approx((4 - 2) / 2 * 100)
    assert a["by_business_category"] == [
        {"business_category": "信用卡", "complaints": 3, "share": pytest.approx(0.6)},
        {"business_category": "个人贷款", "complaints": 1, "share": pytest.approx(0.2)},
        {"business_category": "借记卡", "complaints": 1, "share": pytest.approx(0.2)},
    ]
    assert {r["reason"]: r["complaints"] for r in a["by_reason"]} == {"定价收费": 3, "营销方式和手段": 1, "信息披露": 1}
    assert {r["branch_code"]: r["complaints"] for r in a["by_tier1_branch"]} == {"0100": 3, "0200": 2}
    assert {r["branch_code"]: r["branch_name"] for r in a["by_tier1_branch"]} == {
        "0100": "北京分行",
        "0200": "上海分行",
    }
    assert sum(r["share"] for r in a["by_reason"]) == pytest.approx(1.0)


def test_previous_year_incomplete_and_head_office(years_store, capsys):
    a = report_json(years_store, capsys, "--year", "2025")["annual"]
    assert a["complaints"] == 3 and a["yoy_pct"] is None  # 2024 is not loaded
    assert a["year_complete"] is True
    assert {r["branch_code"]: r["complaints"] for r in a["by_tier1_branch"]} == {"0100": 1, "0200": 1, None: 1}
    assert a["elderly_complaints"] == 2 and a["regulator_referred"] == 1


@pytest.mark.parametrize(
    "basis,complaints,compared,previous,elderly",
    [
        ("合并重复后", 4, 3, 2, 1),  # B2 is a repeat; January-October: B1 B3 B4 against A1, A2 (no repeats)
        ("监管转送", 2, 2, 1, 0),  # B3, B4; 2025 January-October: A2
    ],
)
def test_counting_bases(years_store, capsys, basis, complaints, compared, previous, elderly):
    a = report_json(years_store, capsys, "--year", "2026", "--basis", basis)["annual"]
    assert (a["basis"], a["complaints"], a["elderly_complaints"]) == (basis, complaints, elderly)
    assert a["yoy_pct"] == pytest.approx((compared - previous) / previous * 100)


def test_a_year_the_data_start_inside_is_incomplete(years_store, capsys):
    # H31: the data start in 2025-01 (A1), so 2025 is whole; in the trends loader a year whose January
    # precedes the data is incomplete and has no 同比, whatever its last month
    _, con = db.current(years_store)
    f = Filters(month_from=annual.year_period(2025)[0], month_to=annual.year_period(2025)[1])
    run = lambda name, **o: db.run(con, name, **f.params(**o))  # noqa: E731
    a = annual.load(run, f, 2025, date(2025, 6, 1), date(2026, 11, 1), date(2026, 10, 1))
    assert a.year_complete is False and a.yoy_pct is None and a.data_from == date(2025, 6, 1)
    whole = annual.load(run, f, 2025, date(2025, 1, 1), date(2026, 11, 1), date(2026, 10, 1))
    assert whole.year_complete is True and whole.yoy_pct is None  # 2024 is not loaded


def test_every_cell_links_to_its_complaints(years_store):
    _, con = db.current(years_store)
    f = Filters(month_from=annual.year_period(2026)[0], month_to=annual.year_period(2026)[1])
    result = annual.load(lambda name, **o: db.run(con, name, **f.params(**o)), f, 2026)
    row = result.by["business_category"].iloc[0]
    query = dict(parse_qsl(urlsplit(row["link"]).query))
    assert query == {"from": "2026-01", "to": "2026-12", "cat": "信用卡"}
    # following the link: the hotspot page's filters select exactly the cell's complaints
    drilled = Filters.from_query(query, f.month_from, f.month_to)
    count = db.run(con, "annual_disclosure", **drilled.params())
    assert int(count.loc[count["dimension"] == "total", "complaints"].iloc[0]) == row["complaints"] == 3
    tier1 = result.by["tier1_branch"]
    assert dict(parse_qsl(urlsplit(tier1.iloc[0]["link"]).query))["org"] == "0100"


def test_bad_input_is_refused(years_store, capsys):
    assert cli.main(["report", "--data-dir", str(years_store), "--json"]) == 2
    assert "--year" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # the basis is the filter set's: argparse refuses an unknown one
        cli.main(["report", "--year", "2026", "--basis", "其他", "--data-dir", str(years_store), "--json"])
    assert "其他" in capsys.readouterr().err
