"""Ids that Excel turned into numbers cannot be trusted (hostile H142): a number cell keeps 15 significant
digits, so six 20-digit 投诉编号 became one float 2.0261101e+19 (five quarantined as "duplicates"), and a CSV
saved by Excel writes them as 2.02611E+19. Such a file is refused whole, before anything changes, naming the
column, the cells and the fix (format the column as text, or export CSV from the source system)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv


def complaints_table(data_dir) -> pd.DataFrame:
    return pd.read_parquet(store.current_snapshot(data_dir).table("complaints")).sort_values("complaint_id")


def write_xlsx(path, headers, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def _rows_with(ids, customers):
    rows = []
    for i, (cid, cust) in enumerate(zip(ids, customers)):
        r = list(COMPLAINTS[i % 2])  # C01 and C02: closed, valid
        r[0], r[8] = cid, cust
        rows.append(r)
    return rows


def _assert_unchanged(data_dir, version, before):
    assert store.current_snapshot(data_dir).version == version
    pd.testing.assert_frame_equal(complaints_table(data_dir), before)


def test_an_xlsx_with_20_digit_number_ids_is_refused_naming_the_column_and_the_fix(small_store, tmp_path):
    version, before = store.current_snapshot(small_store).version, complaints_table(small_store)
    # six different complaints: as floats they are one number (what Excel keeps of them)
    ids = [float(20261101000000000001 + i) for i in range(6)]
    assert len(set(ids)) == 1
    customers = [float(110101198001011234 + 7 * i) for i in range(6)]
    path = write_xlsx(tmp_path / "numeric_ids.xlsx", COMPLAINT_HEADERS_ZH, _rows_with(ids, customers))
    with pytest.raises(ExtractError) as refused:
        import_files([path], small_store)
    message = str(refused.value)
    assert "numeric_ids.xlsx" in message and "投诉编号" in message and "客户号" in message
    assert "15 位" in message and "文本" in message and "CSV" in message
    assert "A2" in message  # the first such cell of 投诉编号 (column A, the row under the header)
    assert "重复" not in message
    _assert_unchanged(small_store, version, before)


def test_number_ids_of_15_digits_are_read_exactly_and_16_digits_are_refused(small_store, tmp_path):
    # 15 digits: a number cell holds them exactly (Excel too); 10**15 has 16 digits
    fifteen = 10**15 - 1
    path = write_xlsx(tmp_path / "fifteen.xlsx", COMPLAINT_HEADERS_ZH, _rows_with([fifteen], ["A"]))
    (summary,) = import_files([path], small_store).files
    assert (summary.inserted, summary.quarantined) == (1, 0)
    assert "999999999999999" in set(complaints_table(small_store)["complaint_id"])

    path = write_xlsx(tmp_path / "sixteen.xlsx", COMPLAINT_HEADERS_ZH, _rows_with([10**15], ["A"]))
    with pytest.raises(ExtractError, match="投诉编号"):
        import_files([path], small_store)


def test_a_csv_that_excel_saved_with_scientific_notation_ids_is_refused(small_store, tmp_path):
    version, before = store.current_snapshot(small_store).version, complaints_table(small_store)
    rows = _rows_with(["2.02611E+19", "2.02611E+19", "C77"], ["1.10101E+17", "1.10101E+17", "A"])
    path = write_csv(tmp_path / "sci.csv", COMPLAINT_HEADERS_ZH, rows, encoding="gbk")
    with pytest.raises(ExtractError) as refused:
        import_files([path], small_store)
    message = str(refused.value)
    assert "sci.csv" in message and "科学计数法" in message and "2.02611E+19" in message
    assert "投诉编号" in message and "客户号" in message and "文本" in message
    assert "第 1、2 行" in message  # data rows 1 and 2 (the header not counted), not row 3
    _assert_unchanged(small_store, version, before)


def test_ids_that_merely_contain_an_e_are_ordinary_ids(small_store, tmp_path):
    rows = _rows_with(["12E3", "E2026", "2E10X"], ["1E5", "A", "B"])  # no sign after E: not Excel's notation
    (summary,) = import_files([write_csv(tmp_path / "e.csv", COMPLAINT_HEADERS_ZH, rows)], small_store).files
    assert (summary.inserted, summary.quarantined) == (3, 0)


def test_a_parquet_with_floating_point_ids_past_15_digits_is_refused(small_store, tmp_path):
    version, before = store.current_snapshot(small_store).version, complaints_table(small_store)
    rows = _rows_with(["X1", "X2"], ["A", "B"])
    frame = pd.DataFrame(rows, columns=COMPLAINT_HEADERS_ZH)
    frame["投诉编号"] = [2.0261101e19, 7001.0]
    path = tmp_path / "floats.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    with pytest.raises(ExtractError) as refused:
        import_files([path], small_store)
    assert "投诉编号" in str(refused.value) and "15 位" in str(refused.value)
    _assert_unchanged(small_store, version, before)

    # integers are exact in Parquet, however long (int64: 19 digits)
    frame["投诉编号"] = pa.array([2026110100000000001, 7001], pa.int64()).to_pandas()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    (summary,) = import_files([path], small_store).files
    assert (summary.inserted, summary.quarantined) == (2, 0)
    assert "2026110100000000001" in set(complaints_table(small_store)["complaint_id"])
