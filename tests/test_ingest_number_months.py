"""A 月份 saved as a number cannot tell 2026.10 from 2026.1 (a number keeps no trailing zero), so a month
number whose decimals are ".1" is refused with the cells named, before anything changes (hostile H148: October's
customer counts typed 2026.10 in a number cell replaced January's base without a word). Number months
that say one month (2026.11, 2026.05) and text months are read as before."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import import_files

HEADERS = ["机构代码", "月份", "客户数"]


def customers(data_dir) -> pd.DataFrame:
    return pd.read_parquet(store.current_snapshot(data_dir).table("customers_monthly"))


def write_xlsx(path, rows, number_format=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(list(r))
    if number_format:
        for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
            cell.number_format = number_format
    wb.save(path)
    return path


def test_a_month_number_that_may_be_january_or_october_is_refused(small_store, tmp_path):
    version, before = store.current_snapshot(small_store).version, customers(small_store)
    rows = [("0101", 2026.10, 10100), ("0102", 2026.10, 5050)]  # typed 2026.10, shown so with format 0.00
    path = write_xlsx(tmp_path / "october.xlsx", rows, "0.00")
    with pytest.raises(ExtractError) as refused:
        import_files([path], small_store)
    message = str(refused.value)
    assert "october.xlsx" in message and "月份" in message and "B2" in message and "B3" in message
    assert "10 月" in message and "1 月" in message and "文本" in message
    assert store.current_snapshot(small_store).version == version
    pd.testing.assert_frame_equal(customers(small_store), before)


def test_month_numbers_of_one_meaning_and_text_months_are_read(small_store, tmp_path):
    rows = [("0101", 2026.11, 1), ("0102", 2026.05, 2), ("0201", "2026.1", 3)]  # the text: as written, January
    (summary,) = import_files([write_xlsx(tmp_path / "months.xlsx", rows)], small_store).files
    assert (summary.inserted, summary.quarantined) == (3, 0)
    table = customers(small_store).assign(month=lambda t: t["month"].astype(str).str[:7])
    got = table.set_index(["branch_code", "month"])["customer_count"]
    assert got[("0101", "2026-11")] == 1 and got[("0102", "2026-05")] == 2 and got[("0201", "2026-01")] == 3
    # the text 2026.1 is read as written, and said: a CSV that Excel saved may hold October's 2026.10 so
    (note,) = [w for w in summary.warnings if "2026.1" in w]
    assert "1 个" in note and "1 月" in note


def test_a_parquet_month_of_floating_point_numbers_is_refused_the_same_way(small_store, tmp_path):
    frame = pd.DataFrame({"机构代码": ["0101", "0102"], "月份": [2026.1, 2026.11], "客户数": [1, 2]})
    path = tmp_path / "months.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(ExtractError, match="第 1 行 2026.1"):
        import_files([path], small_store)
