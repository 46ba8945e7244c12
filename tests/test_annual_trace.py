"""The annual disclosure's downloads trace every figure to its complaints offline (issue 18 §5): the Excel
workbook lists the complaint ids behind each row in 明细 sheets that each figure links to (hyperlink cells,
never formulas), the HTML file expands each number to its ids. Hand count on test_annual's two-year
fixture, 2026 (every complaint received):
  信用卡 B1 B2 B5 · 个人贷款 B3 · 借记卡 B4;   定价收费 B1 B4 B5 · 信息披露 B3 · 营销方式和手段 B2;
  北京分行 (0101, 0102) B1 B2 B4 · 上海分行 (0201) B3 B5;   监管转办 B3 B4;   老年客户 (>= 60) B1 B2."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest

from dashboard import db
from dashboard.analysis import annual, trends
from dashboard.briefing import annual as annual_files
from dashboard.filters import Filters
from tests.test_annual import years_store  # noqa: F401  (the fixture)

BY_HAND = {
    "按业务类别": {"信用卡": {"B1", "B2", "B5"}, "个人贷款": {"B3"}, "借记卡": {"B4"}},
    "按投诉原因": {"定价收费": {"B1", "B4", "B5"}, "信息披露": {"B3"}, "营销方式和手段": {"B2"}},
    "按一级分行": {"北京分行": {"B1", "B2", "B4"}, "上海分行": {"B3", "B5"}},
}


def _load(data_dir):
    _, con = db.current(data_dir)
    f = Filters(date(2026, 1, 1), date(2026, 12, 1))
    run = trends.runner(con, f)
    first, last = annual.coverage(run)
    return annual.load(run, f, 2026, first, last), annual.members(run, 2026)


def _ids_at(book, location: str, n: int) -> set[str]:
    sheet_name, cell = re.fullmatch(r"'(.+)'!A(\d+)", location).groups()
    ws = book[sheet_name]
    start = int(cell)
    return {ws.cell(row=r, column=ws.max_column).value for r in range(start, start + n)}


def test_each_excel_figure_links_to_the_complaints_behind_it(years_store):  # noqa: F811
    a, members = _load(years_store)
    assert sorted(members["complaint_id"]) == ["B1", "B2", "B3", "B4", "B5"]
    book = openpyxl.load_workbook(io.BytesIO(annual_files.workbook(a, "全行", members)))
    for sheet_name, expected in BY_HAND.items():
        ws = book[sheet_name]
        seen = {}
        for row in ws.iter_rows(min_row=2):
            label, n, link = row[0].value, row[1].value, row[3]
            assert link.hyperlink is not None and link.hyperlink.location, (sheet_name, label)
            seen[label] = _ids_at(book, link.hyperlink.location, int(n))
            assert len(seen[label]) == n  # the linked block holds exactly the figure's complaints
        assert seen == expected, sheet_name
    overview = book["年度概况"]
    links = {row[0].value: row[3].hyperlink for row in overview.iter_rows(min_row=5, max_row=8)}
    assert _ids_at(book, links["全年投诉总量"].location, 5) == {"B1", "B2", "B3", "B4", "B5"}
    assert _ids_at(book, links["全年监管转办投诉"].location, 2) == {"B3", "B4"}
    assert _ids_at(book, links["全年老年客户投诉"].location, 2) == {"B1", "B2"}
    # exports carry no formula: every cell is a value, none starts with "="
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f" and not (isinstance(c.value, str) and c.value.startswith("=")), c


def test_each_html_figure_expands_to_its_complaint_ids(years_store):  # noqa: F811
    a, members = _load(years_store)
    page = annual_files.document(a, "全行", members).decode("utf-8")
    found = {
        label: set(ids.split("、"))
        for label, ids in re.findall(
            r"<tr><td>([^<]+)</td><td class='num'><details><summary>[^<]+</summary><div class='ids'>([^<]*)</div>",
            page,
        )
    }
    for expected in BY_HAND.values():
        for label, ids in expected.items():
            assert found[label] == ids, label
    assert found["全年投诉总量"] == {"B1", "B2", "B3", "B4", "B5"}
    assert found["全年监管转办投诉"] == {"B3", "B4"} and found["全年老年客户投诉"] == {"B1", "B2"}


@pytest.mark.parametrize("basis, expected", [("监管转送", {"B3", "B4"}), ("合并重复后", {"B1", "B3", "B4", "B5"})])
def test_the_ids_follow_the_counting_basis(years_store, basis, expected):  # noqa: F811
    _, con = db.current(years_store)
    f = Filters(date(2026, 1, 1), date(2026, 12, 1), basis={"监管转送": "referred", "合并重复后": "merged"}[basis])
    members = annual.members(trends.runner(con, f), 2026)
    assert set(members["complaint_id"]) == expected


def test_a_disclosure_of_a_year_still_running_names_its_cut_off_and_its_data_age(years_store):  # noqa: F811
    """Hostile H182: "全年投诉总量 9,072 件" for January-October, with no cut-off, no data time and no warning that
    the data were 30 days old. The files now say all three; a whole year says none of the cut-off."""
    from dataclasses import replace
    from datetime import datetime

    a, members = _load(years_store)
    running = replace(a, year_complete=False)
    as_of = datetime(2026, 10, 5, 9, 30)  # long before today: old data
    page = annual_files.document(running, "全行", members, as_of).decode("utf-8")
    assert "数据截至：2026-10-05 09:30" in page and "生成时间：" in page
    assert "本文件的“全年”数字只统计至2026年10月05日受理的投诉，不是全年数" in page
    assert "天未更新（数据截至 2026-10-05 09:30）" in page
    book = openpyxl.load_workbook(io.BytesIO(annual_files.workbook(running, "全行", members, as_of)))
    assert "只统计至2026年10月05日" in book["年度概况"]["A3"].value
    whole = annual_files.document(replace(a, year_complete=True), "全行", members, as_of).decode("utf-8")
    assert "只统计至" not in whole and "数据截至：2026-10-05 09:30" in whole


def test_the_cut_off_is_the_last_day_of_receipts_not_a_later_closing_time(years_store):  # noqa: F811
    """Hostile H218: an extract of receipts to 10-31 whose latest 办结时间 is 11-04 said the "全年" figures ran
    to 11-04 (and that the last unfinished month's days were in), though no November complaint was loaded."""
    from dataclasses import replace
    from datetime import datetime

    a, members = _load(years_store)
    running = replace(a, year_complete=False, last_month=date(2026, 10, 1))
    as_of = datetime(2026, 11, 4, 18, 28)  # a closing time after the last receipt
    assert running.counted_to(as_of) == date(2026, 10, 31)
    page = annual_files.document(running, "全行", members, as_of).decode("utf-8")
    assert "只统计至2026年10月31日受理的投诉" in page and "2026年11月04日" not in page
    assert "1-10 月受理的投诉" in page and "已过去的日子" not in page
    # receipts into the as-of's own month: counted to the as-of day
    assert replace(running, last_month=date(2026, 11, 1)).counted_to(as_of) == date(2026, 11, 4)
