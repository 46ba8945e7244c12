"""Exports cannot carry formulas (issue 15, section 4): every text cell of every CSV export that starts
with = + - @ tab or CR gets a leading apostrophe (OWASP); in Excel exports the same cell keeps its value and
is a quote-prefixed text cell (no stray apostrophe: hostile tester F17). Read back with openpyxl and csv."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard import db
from dashboard.analysis import rankings as rk
from dashboard.briefing import build
from dashboard.briefing.excel import workbook
from dashboard.filters import Filters, selection_notes
from dashboard.ingest.pipeline import import_files
from dashboard.ledger import export
from dashboard.ledger.store import Ledger
from dashboard.text.export_cells import neutralise, neutralise_frame
from dashboard.ui import complaint_list, download
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv

LINK = '=HYPERLINK("http://evil.example/x","点此查看")'
HOSTILE = [
    LINK,
    "+1+2",
    "-3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    '＝HYPERLINK("http://x")投诉',
    "＋1",
    "－1",
    "＠SUM(A1)",
    # hostile H258: the other forms NFKC folds to a trigger (small, superscript, subscript)
    "﹦1+1",
    "﹢1",
    "﹣1",
    "﹫SUM(A1)",
    "⁼1",
    "⁺1",
    "₌1",
    "₊1",
]
OCT = date(2026, 10, 1)


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise_prefixes_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["年费争议", "", "（=）", "1+1", None, -5, 3.5, "⁻1", "ｘ=1"])
def test_neutralise_leaves_the_rest(value):
    assert neutralise(value) == value or (value is None and neutralise(value) is None)


def test_numbers_stay_numbers():
    frame = neutralise_frame(pd.DataFrame({"金额": [-5.0, 3.0], "文字": ["-5", "ok"]}))
    assert frame["金额"].tolist() == [-5.0, 3.0]
    assert frame["文字"].tolist() == ["'-5", "ok"]


def _cells(book) -> list:
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def _no_formula(book) -> None:
    """No formula cell; every text cell a spreadsheet would read as a formula is a quote-prefixed text cell."""
    for cell in _cells(book):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
            assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)


def _text_values(book) -> set:
    return {c.value for c in _cells(book) if isinstance(c.value, str)}


def _no_stray_apostrophe(book) -> None:
    assert not [v for v in _text_values(book) if v.startswith("'")]


def _list_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "complaint_id": ["C1", "C2", "C3"],
            "received_at": pd.to_datetime(["2026-10-01"] * 3),
            "branch_name": ["@分行", "北京分行", "-支行"],
            "business_category": ["信用卡"] * 3,
            "reason": ["定价收费"] * 3,
            "content": [LINK, "+86 13812345678 来电", "普通投诉"],
            "status": ["已办结"] * 3,
            "amount": [-300.0, 0.0, 12.5],
        }
    )


def test_complaint_list_excel_has_no_live_formula():
    data = complaint_list.to_excel(complaint_list.shown_frame(_list_rows()))
    book = openpyxl.load_workbook(io.BytesIO(data))
    _no_formula(book)
    values = [c.value for c in _cells(book)]
    assert LINK in values and "@分行" in values and "-支行" in values  # the values as written
    _no_stray_apostrophe(book)
    assert -300 in values  # an amount is still a number
    plain = [c for c in _cells(book) if c.value == "北京分行"]
    assert plain and not plain[0].quotePrefix  # only trigger cells get the prefix


def test_complaint_list_csv_is_neutralised():
    payload, rows = download.to_bytes(complaint_list.shown_frame(_list_rows()))
    table = list(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))
    assert rows == 3 and len(table) == 4
    cells = [c for row in table for c in row]
    assert "'" + LINK in cells and "'@分行" in cells
    assert "'+86 138****5678 来电" in cells  # masked, then neutralised
    numbers = {"-300.0", "0.0", "12.5"}  # amounts stay numbers
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells if c not in numbers)


def test_ledger_excel_title_typed_as_formula(small_store):
    ledger = Ledger(small_store)
    item_id = ledger.create(
        source="recurring",
        title=LINK,
        user="=cmd",
        branch_code="0101",
        business_category="信用卡",
        reason="定价收费",
        action="@SUM(1)",
        today=OCT,
    )
    ledger.update(item_id, 1, {"title": "+1", "status": "整改中"}, "王五", today=OCT)
    items = ledger.items(OCT)
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel(items, ledger.history_of(items["id"].tolist()))))
    _no_formula(book)
    values = {c.value for c in _cells(book)}
    assert {"+1", "=cmd", "@SUM(1)", LINK} <= values
    _no_stray_apostrophe(book)


def test_briefing_excel_notes_and_branch_names(tmp_path, small_extracts):
    branches = [tuple("=上海分行" if v == "上海分行" else v for v in row) for row in BRANCHES]
    files = [
        write_csv(
            tmp_path / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            branches,
        ),
        *small_extracts[1:],
    ]
    import_files(files, tmp_path / "store")
    _, con = db.current(tmp_path / "store")
    data = build.build(con, Filters(month_from=OCT, month_to=OCT), OCT)
    book = openpyxl.load_workbook(io.BytesIO(workbook(data, notes=LINK)))
    _no_formula(book)
    values = {c.value for c in _cells(book)}
    assert LINK in values and "=上海分行" in values  # the notes and a branch name
    _no_stray_apostrophe(book)


def test_rankings_excel_branch_name(tmp_path):
    branches = [tuple('=HYPERLINK("x")' if v == "北京海淀支行" else v for v in row) for row in BRANCHES]
    folder = tmp_path / "x"
    folder.mkdir()
    files = [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            branches,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, COMPLAINTS),
    ]
    import_files(files, tmp_path / "store")
    _, con = db.current(tmp_path / "store")
    ranking = rk.load_ranking(
        rk.db_runner(con, Filters(month_from=OCT, month_to=OCT)),
        OCT,
        OCT,
        "支行",
        rk.Settings(min_complaints=1, min_customers=0),
    )
    book = openpyxl.load_workbook(io.BytesIO(rk.to_excel(ranking.table, rk.formula_notes(ranking))))
    _no_formula(book)
    assert '=HYPERLINK("x")' in {c.value for c in _cells(book)}
    _no_stray_apostrophe(book)


def test_an_excel_cell_starting_with_a_small_or_superscript_sign_is_quoted_text():
    # H258: ﹦ and ⁼ fold to = as ＝ does: quote-prefixed text cells like ＝, kept as written
    frame = pd.DataFrame({"标题": ["﹦HYPERLINK(1)", "⁼1", "＝1", "年费"]})
    book = openpyxl.load_workbook(io.BytesIO(complaint_list.to_excel(frame)))
    cells = {c.value: c for c in _cells(book)}
    assert cells["﹦HYPERLINK(1)"].quotePrefix and cells["⁼1"].quotePrefix and cells["＝1"].quotePrefix
    assert not cells["年费"].quotePrefix


def test_excel_header_typed_as_formula_is_quoted_text():
    frame = pd.DataFrame({"=A1": ["-1", "x"], "金额": [-1.0, 2.0]})
    data = complaint_list.to_excel(frame)
    book = openpyxl.load_workbook(io.BytesIO(data))
    _no_formula(book)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["=A1", "金额"]
    assert [c.value for c in sheet[2]] == ["-1", -1]
    assert sheet["A2"].quotePrefix and not sheet["B2"].quotePrefix


def test_the_complaint_list_export_says_what_it_was_cut_with():
    # hostile H56: a forwarded file did not say its counting basis, group, period, drill-down or search
    import io

    import openpyxl
    import pandas as pd

    from dashboard.filters import Filters
    from dashboard.ui import complaint_list

    f = Filters(date(2026, 10, 1), date(2026, 10, 1), org="0100", basis="referred", age_group="elderly")
    notes = selection_notes(f, {"0100": "北京分行"}, "2026-11-04T00:00:00") + [("搜索", "电话")]
    book = openpyxl.load_workbook(io.BytesIO(complaint_list.to_excel(pd.DataFrame({"投诉编号": ["C01"]}), notes)))
    said = {row[0].value: row[1].value for row in book["说明"].iter_rows(min_row=2)}
    assert said["统计口径"] == "监管转送" and said["客户群体"] == "老年客户" and said["搜索"] == "电话"
    assert said["机构"] == "北京分行（0100）及下辖机构" and "2026" in said["期间"]
    assert complaint_list.file_suffix(notes) == "_监管转送_老年客户"
    assert complaint_list.file_suffix(selection_notes(Filters(date(2026, 10, 1), date(2026, 10, 1)), {})) == ""


# --- Codes and ids made of digits (hostile H147) ----------------------------------------------------
# Excel, opening a CSV by double-click, reads 040007 as the number 40007 and a 20-digit 投诉编号 as
# 2.02611E+19. The CSV keeps them exactly as written (no ="040007": that is a formula), says so next to the
# button, and the Excel export beside it stores them as text cells.
CODE, LONG_ID = "040007", "20261101000000000001"


def _coded_rows() -> pd.DataFrame:
    rows = _list_rows().iloc[:1].copy()
    rows["complaint_id"], rows["branch_code"] = LONG_ID, CODE
    return rows


def test_a_csv_keeps_codes_as_written_and_no_formula():
    payload, _ = download.to_bytes(complaint_list.shown_frame(_coded_rows()))
    table = list(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))
    record = dict(zip(table[0], table[1]))
    assert (record["机构代码"], record["投诉编号"]) == (CODE, LONG_ID)  # not '040007, not ="040007"
    assert not any(c.startswith(("=", "'")) for c in table[1] if c in (CODE, LONG_ID))


def test_the_excel_export_keeps_codes_as_text_cells():
    book = openpyxl.load_workbook(io.BytesIO(complaint_list.to_excel(complaint_list.shown_frame(_coded_rows()))))
    sheet = book["投诉明细"]
    header = [c.value for c in sheet[1]]
    code, cid = sheet.cell(2, header.index("机构代码") + 1), sheet.cell(2, header.index("投诉编号") + 1)
    assert (code.value, code.data_type, cid.value, cid.data_type) == (CODE, "s", LONG_ID, "s")
    _no_formula(book)


def test_quarantined_rows_download_as_excel_with_their_codes_as_text():
    from dashboard.ui import quarantine_view

    quarantine = pd.DataFrame(
        {
            "file_name": ["bad.csv"],
            "table_name": ["complaints"],
            "source_row": [1],
            "reason": ["被投诉机构代码 10001 不在机构表中"],
            "record": ['{"complaint_id": "' + LONG_ID + '", "branch_code": "' + CODE + '", "content": "年费"}'],
        }
    )
    table = quarantine_view.readable(quarantine)
    book = openpyxl.load_workbook(io.BytesIO(quarantine_view.to_excel(table)))
    sheet = book["隔离行"]
    header = [c.value for c in sheet[1]]
    code = sheet.cell(2, header.index("机构代码") + 1)
    cid = sheet.cell(2, header.index("投诉编号") + 1)
    assert (code.value, code.data_type, cid.value, cid.data_type) == (CODE, "s", LONG_ID, "s")
    _no_formula(book)
    payload, _ = download.to_bytes(table)  # the CSV beside it: as written too
    record = dict(zip(*list(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))))
    assert (record["机构代码"], record["投诉编号"]) == (CODE, LONG_ID)


def test_the_data_page_says_what_excel_does_to_a_csv_and_offers_excel(small_store, app_env, tmp_path):
    from tests.apptest_support import run_app

    bad = list(COMPLAINTS[0])
    bad[0], bad[3] = "N1", CODE  # an organisation not in the branch table: quarantined
    import_files([write_csv(tmp_path / "bad.csv", COMPLAINT_HEADERS_ZH, [bad])], small_store)
    app_env(small_store)
    at = run_app("app_pages/data.py")
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("下载隔离行（CSV）") == labels.count("下载隔离行（Excel）") >= 1
    csv_button = next(b for b in at.get("download_button") if b.proto.label == "下载隔离行（CSV）")
    assert "040007 显示为 40007" in csv_button.proto.help
    assert any(download.CSV_CODES_SHORT == c.value for c in at.caption)


def test_a_cut_export_says_so_in_its_notes_and_its_name():
    """Hostile H221: a file of the first 50,000 of 90,892 complaints said nothing of the cut; its 说明 sheet named
    the whole period. The sheet says how many it holds of how many, and so does the file's name (a CSV has no
    说明 sheet)."""
    import io

    import openpyxl

    from dashboard.analysis.listing import EXPORT_CAP

    notes = [("期间", "2026-01 至 2026-10")]
    cut = complaint_list.with_row_count(notes, 90_892)
    data = complaint_list.to_excel(complaint_list.shown_frame(_list_rows()), cut)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["说明"]
    said = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    assert said["导出行数"] == f"当前筛选下共 90,892 件投诉，本文件只含按页面当前排序的前 {EXPORT_CAP:,} 件，不是全部"
    assert said["期间"] == "2026-01 至 2026-10"
    assert complaint_list.cut_suffix(90_892) == f"_前{EXPORT_CAP}件_共90892件"
    assert complaint_list.with_row_count(notes, 120)[-1] == ("导出行数", "当前筛选下的全部 120 件投诉")
    assert complaint_list.cut_suffix(120) == ""
