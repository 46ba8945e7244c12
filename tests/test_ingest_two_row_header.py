"""A two-row header, the usual layout of a bank's Excel report: a title row, then group names (时间, 客户信息,
处理情况) merged across the field names below them, and the other field names merged down over both rows.
Neither row alone holds every field, so each was refused as "no header" (hostile H153); the two rows read
together, column by column, are the header."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from dashboard.ingest.errors import ExtractError
from dashboard.ingest.headers import two_row_header
from dashboard.ingest.readers import read_extract
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS


def texts(column) -> list[str]:
    return ["" if v is None or v != v else str(v)[:19] for v in column]  # an empty cell reads as NA


# columns grouped under a name in the upper row (0-based, inclusive), the others merged down over both rows
GROUPS = {"时间": (1, 2), "客户信息": (8, 9), "处理情况": (12, 14)}


def header_rows() -> tuple[list[str | None], list[str | None]]:
    upper: list[str | None] = list(COMPLAINT_HEADERS_ZH)
    lower: list[str | None] = [None] * len(COMPLAINT_HEADERS_ZH)
    for group, (first, last) in GROUPS.items():
        for c in range(first, last + 1):
            upper[c], lower[c] = None, COMPLAINT_HEADERS_ZH[c]
        upper[first] = group
    return upper, lower


def test_a_group_row_over_the_field_names_reads_as_one_header(tmp_path):
    upper, lower = header_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年9月投诉明细"] + [None] * (len(upper) - 1))
    ws.append(upper)
    ws.append(lower)
    for row in COMPLAINTS:
        ws.append(list(row))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(upper))
    for first, last in GROUPS.values():
        ws.merge_cells(start_row=2, start_column=first + 1, end_row=2, end_column=last + 1)
    for c, name in enumerate(upper):
        if name is not None and name not in GROUPS:
            ws.merge_cells(start_row=2, start_column=c + 1, end_row=3, end_column=c + 1)
    wb.save(tmp_path / "report.xlsx")

    extract = read_extract(tmp_path / "report.xlsx")

    frame = extract.frame
    assert list(frame["complaint_id"]) == [r[0] for r in COMPLAINTS]
    assert texts(frame["received_at"]) == [r[1] for r in COMPLAINTS]
    assert texts(frame["customer_id"]) == [r[8] for r in COMPLAINTS]
    assert texts(frame["satisfaction"]) == [r[14] for r in COMPLAINTS]
    (note,) = [w for w in extract.warnings if "两行" in w]
    assert "第 2—3 行" in note and "标题行已忽略" in note


def two_line_csv(path, upper, lower):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([h or "" for h in upper])
        w.writerow([h or "" for h in lower])
        w.writerows(COMPLAINTS)
    return path


def test_a_two_line_csv_header_reads_as_one(tmp_path):
    extract = read_extract(two_line_csv(tmp_path / "report.csv", *header_rows()))

    assert list(extract.frame["complaint_id"]) == [r[0] for r in COMPLAINTS]
    assert texts(extract.frame["closed_at"]) == [r[2] for r in COMPLAINTS]
    (note,) = [w for w in extract.warnings if "两行" in w]
    assert "第 1—2 行" in note and "标题行" not in note


def test_two_rows_that_do_not_make_a_header_are_still_refused(tmp_path):
    upper, lower = header_rows()
    lower[1] = None  # 受理时间 missing from both rows
    with pytest.raises(ExtractError):
        read_extract(two_line_csv(tmp_path / "report.csv", upper, lower))


def test_the_lower_name_wins_and_an_empty_lower_cell_takes_the_upper():
    assert two_row_header(["编号", "时间", None, "备注"], [None, "受理时间", "办结时间", ""]) == [
        "编号",
        "受理时间",
        "办结时间",
        "备注",
    ]
