"""Merged cells in the body of a sheet (a person grouping rows by branch): the merged range's value stands for
every cell it covers, and the summary names the ranges (hostile H166: the rows under the first were
quarantined as 为空, on a screen that showed the value)."""

from __future__ import annotations

import openpyxl

from dashboard.ingest.readers import read_extract
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS


def sheet_of(prefix: str, n: int):
    """A workbook of n copies of the first complaint, numbered prefix0, prefix1, …"""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COMPLAINT_HEADERS_ZH)
    for i in range(n):
        ws.append([f"{prefix}{i}", *COMPLAINTS[0][1:]])
    return wb, ws


def test_a_merged_range_fills_the_cells_it_covers(tmp_path):
    wb, ws = sheet_of("M", 4)
    for row in range(3, 6):  # what a merge leaves in the covered cells: nothing
        ws.cell(row=row, column=4).value = ws.cell(row=row, column=6).value = None
    ws.merge_cells("D2:D5")  # 被投诉机构代码
    ws.merge_cells("F2:F5")  # 业务类别
    wb.save(tmp_path / "merged.xlsx")
    extract = read_extract(tmp_path / "merged.xlsx")
    assert list(extract.frame["branch_code"]) == ["0101"] * 4
    assert list(extract.frame["business_category"]) == ["信用卡"] * 4
    (note,) = [w for w in extract.warnings if "合并" in w]
    assert "D2:D5" in note and "F2:F5" in note


def test_hidden_rows_are_imported_and_said(tmp_path):
    """A row hidden in Excel (an analyst setting a test ticket aside) is imported like any other, and the summary
    says so, with its row number (hostile H177: the person who hid it believed it was left out)."""
    wb, ws = sheet_of("H", 3)
    ws.row_dimensions[3].hidden = True  # H1
    wb.save(tmp_path / "hidden.xlsx")
    extract = read_extract(tmp_path / "hidden.xlsx")
    assert list(extract.frame["complaint_id"]) == ["H0", "H1", "H2"]
    (note,) = [w for w in extract.warnings if "隐藏" in w]
    assert "1 行被隐藏（第 3 行）" in note and "已照常导入" in note
