"""A complaints file whose 投诉编号 or 客户号 lost their leading zeros (Excel kept the columns as numbers: 007001 ->
7001) is refused whole, before anything changes, naming the ids and the stored ids they stand for (hostile
H143: the four closed complaints were added as four new ones, and the four stored ones stayed open for ever).
The other way round (the store holds 7001, an earlier Excel import; the file brings 007001) the file is
imported, since refusing it would keep the correct ids out for ever, and the summary names the pairs."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv


def complaints_table(data_dir) -> pd.DataFrame:
    return pd.read_parquet(store.current_snapshot(data_dir).table("complaints")).sort_values("complaint_id")


def _open(cid: str, customer: str) -> list:
    r = list(COMPLAINTS[3])  # C04: 处理中, branch 0201
    r[0], r[8] = cid, customer
    return r


def _closed(cid, customer) -> list:
    r = list(COMPLAINTS[0])  # C01: 已办结, branch 0101
    r[0], r[8] = cid, customer
    return r


def write_xlsx(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COMPLAINT_HEADERS_ZH)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def padded_store(small_store, tmp_path):
    rows = [_open(f"00{7001 + i}", f"00{8001 + i}") for i in range(4)]
    (summary,) = import_files([write_csv(tmp_path / "padded.csv", COMPLAINT_HEADERS_ZH, rows)], small_store).files
    assert summary.inserted == 4
    return small_store


def test_number_ids_without_their_leading_zeros_are_refused_naming_the_stored_ids(padded_store, tmp_path):
    version, before = store.current_snapshot(padded_store).version, complaints_table(padded_store)
    # the same four complaints, closed, through Excel: number cells 7001…, 8001…
    rows = [_closed(7001 + i, 8001 + i) for i in range(4)]
    path = write_xlsx(tmp_path / "numbers.xlsx", rows)
    with pytest.raises(ExtractError) as refused:
        import_files([path], padded_store)
    message = str(refused.value)
    assert "numbers.xlsx" in message and "前导零" in message and "文本" in message
    assert "7001（已入库 007001）" in message and "7004（已入库 007004）" in message
    assert "8001（已入库 008001）" in message  # 客户号 too
    assert store.current_snapshot(padded_store).version == version
    pd.testing.assert_frame_equal(complaints_table(padded_store), before)

    # the file exported again with the ids as text closes the four stored complaints
    fixed = [_closed(f"00{7001 + i}", f"00{8001 + i}") for i in range(4)]
    (summary,) = import_files([write_csv(tmp_path / "text.csv", COMPLAINT_HEADERS_ZH, fixed)], padded_store).files
    assert (summary.inserted, summary.updated, summary.quarantined) == (0, 4, 0)
    table = complaints_table(padded_store).set_index("complaint_id")
    assert (table.loc[[f"00{7001 + i}" for i in range(4)], "status"] == "已办结").all()
    assert not {"7001", "7002", "7003", "7004"} & set(table.index)


def test_a_customer_id_without_its_leading_zeros_is_refused(padded_store, tmp_path):
    """A new complaint (an id of letters, nothing to compare) by the stored customer 008001 written 8001:
    a second customer for the repeat rule."""
    path = write_csv(tmp_path / "customer.csv", COMPLAINT_HEADERS_ZH, [_open("N01", "8001")])
    with pytest.raises(ExtractError) as refused:
        import_files([path], padded_store)
    assert "客户号" in str(refused.value) and "8001（已入库 008001）" in str(refused.value)


def test_numeric_ids_that_are_not_a_stored_id_are_imported(padded_store, tmp_path):
    # 7005 and 9001 are no stored id without its zeros (no 007005, no 009001 stored); 007001 is stored as is
    rows = [_open("7005", "9001"), _closed("007001", "008001")]
    (summary,) = import_files([write_csv(tmp_path / "new.csv", COMPLAINT_HEADERS_ZH, rows)], padded_store).files
    assert (summary.inserted, summary.updated, summary.quarantined) == (1, 1, 0)
    assert not [w for w in summary.warnings if "前导零" in w]


def test_padded_ids_over_stored_ones_without_zeros_are_imported_and_named(small_store, tmp_path):
    stripped = [_open(str(7001 + i), str(8001 + i)) for i in range(2)]
    import_files([write_csv(tmp_path / "stripped.csv", COMPLAINT_HEADERS_ZH, stripped)], small_store)
    padded = [_closed(f"00{7001 + i}", f"00{8001 + i}") for i in range(2)]
    (summary,) = import_files([write_csv(tmp_path / "padded.csv", COMPLAINT_HEADERS_ZH, padded)], small_store).files
    assert summary.inserted == 2
    (note,) = [w for w in summary.warnings if "前导零" in w]
    assert "007001（已入库 7001）" in note and "008001（已入库 8001）" in note


def test_an_xlsx_with_number_id_cells_says_that_excel_drops_leading_zeros(small_store, tmp_path):
    """On a store with nothing to compare (a first import), the summary still says the ids were numbers."""
    path = write_xlsx(tmp_path / "first.xlsx", [_closed(7001, "A"), _closed("X2", "B")])
    (summary,) = import_files([path], small_store).files
    assert summary.inserted == 2
    (note,) = [w for w in summary.warnings if "数字" in w and "前导零" in w]
    assert "投诉编号" in note and "1 个" in note and "客户号" not in note


def test_an_id_stored_as_it_is_is_no_lost_zero_and_partial_zeros_are_found(small_store, tmp_path):
    """A store holding both 7001 and 007001 (two complaints of a source that has both): 7001 again updates
    its own complaint. A stored 07001 (one zero) is what the file's 007001 stands for, the other way."""
    rows = [_open("7001", "A"), _open("007001", "B"), _open("07002", "C")]
    import_files([write_csv(tmp_path / "both.csv", COMPLAINT_HEADERS_ZH, rows)], small_store)
    again = [_closed("7001", "A")]
    (summary,) = import_files([write_csv(tmp_path / "again.csv", COMPLAINT_HEADERS_ZH, again)], small_store).files
    assert (summary.inserted, summary.updated) == (0, 1)
    padded = [_closed("007002", "C")]
    (summary,) = import_files([write_csv(tmp_path / "padded.csv", COMPLAINT_HEADERS_ZH, padded)], small_store).files
    (note,) = [w for w in summary.warnings if "前导零" in w]
    assert "007002（已入库 07002）" in note
    with pytest.raises(ExtractError, match="7002（已入库 07002）"):
        import_files([write_csv(tmp_path / "short.csv", COMPLAINT_HEADERS_ZH, [_closed("7002", "C")])], small_store)
