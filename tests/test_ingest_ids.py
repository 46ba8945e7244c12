"""Ids that differ only by invisible or full-width characters are one id (hostile H92): zero-width characters
(Unicode category Cf: U+200B, U+FEFF, U+2060) anywhere in 投诉编号, 客户号 or 机构代码, surrounding
whitespace, full-width digits and letters. The summary says how many ids were normalised. Letter case is
kept: c01 and C01 stay two complaints (a source system may tell them apart; nothing says they are one)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import store
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv


def stored(data_dir) -> pd.DataFrame:
    return pd.read_parquet(store.current_snapshot(data_dir).table("complaints")).set_index("complaint_id")


def test_invisible_and_full_width_variants_of_ids_update_the_stored_complaint(small_store, tmp_path):
    rows = [list(r) for r in COMPLAINTS[:5]]
    rows[0][0] = "C01\u200b"  # zero-width space at the end
    rows[1][0] = "\ufeffC02"  # a byte-order mark pasted in front
    rows[2][0] = "Ｃ０３"  # full-width letter and digits
    rows[3][0] = " C\u206004 "  # word joiner inside, spaces around
    rows[4][8] = "D\u200b"  # 客户号 D with a zero-width space
    rows[4][3] = "０２０1"  # 被投诉机构代码 0201, partly full-width
    for r in rows:
        r[11] += "（新抽数）"  # a change, so each row updates its complaint
    (summary,) = import_files([write_csv(tmp_path / "later.csv", COMPLAINT_HEADERS_ZH, rows)], small_store).files
    assert (summary.inserted, summary.updated, summary.quarantined) == (0, 5, 0)
    table = stored(small_store)
    assert sorted(table.index) == [f"C0{i}" for i in range(1, 9)]
    assert table.loc["C05", "customer_id"] == "D" and table.loc["C05", "branch_code"] == "0201"
    assert all(table.loc[f"C0{i}", "content"].endswith("（新抽数）") for i in range(1, 6))
    # by hand: 4 投诉编号, 1 客户号, 1 被投诉机构代码
    (note,) = [w for w in summary.warnings if "规范化" in w]
    assert "投诉编号 4 个" in note and "客户号 1 个" in note and "被投诉机构代码 1 个" in note


def test_letter_case_is_kept(small_store, tmp_path):
    row = list(COMPLAINTS[0])
    row[0] = "c01"
    (summary,) = import_files([write_csv(tmp_path / "lower.csv", COMPLAINT_HEADERS_ZH, [row])], small_store).files
    assert summary.inserted == 1 and {"C01", "c01"} <= set(stored(small_store).index)
    assert not [w for w in summary.warnings if "规范化" in w]


# --- Case-only differences (hostile H123): two complaints everywhere, and said so ---------------------------
def test_case_only_numbers_in_one_file_are_two_complaints_with_a_warning(tmp_path):
    from tests.conftest import write_small_extracts

    rows = [list(r) for r in COMPLAINTS]
    rows[5][0] = "c01"  # C06's row renumbered: C01 is data row 1, c01 data row 6
    data = tmp_path / "data"
    result = import_files(write_small_extracts(tmp_path / "extracts", complaints=rows), data)
    (summary,) = [f for f in result.files if f.table == "complaints"]
    assert summary.inserted == 8 and summary.quarantined == 0  # both kept: nothing merged, nothing dropped
    assert {"C01", "c01"} <= set(stored(data).index)
    (warning,) = [w for w in summary.warnings if "仅大小写不同" in w]
    # by hand: rows are data rows, as in every import message (the header not counted)
    assert "“C01”（第 1 行）与“c01”（第 6 行）" in warning and "共 1 组 2 行" in warning
    assert "区分大小写" in warning


def test_a_number_differing_only_in_case_from_a_stored_one_is_named(small_store, tmp_path):
    row = list(COMPLAINTS[0])
    row[0] = "c01"
    (summary,) = import_files([write_csv(tmp_path / "lower.csv", COMPLAINT_HEADERS_ZH, [row])], small_store).files
    (warning,) = [w for w in summary.warnings if "仅大小写不同" in w]
    assert "文件中“c01”与已入库“C01”" in warning and "共 1 对" in warning
    # the same file again: c01 is now stored too, and still differs from C01 only in case
    row[11] += "（更正）"
    (again,) = import_files([write_csv(tmp_path / "lower2.csv", COMPLAINT_HEADERS_ZH, [row])], small_store).files
    assert again.updated == 1 and [w for w in again.warnings if "与已入库“C01”" in w]


def test_the_ledger_cites_a_number_as_written_and_refuses_an_ambiguous_one(small_store, tmp_path):
    import pytest

    from dashboard.ledger.store import Ledger, LedgerError

    rows = [list(COMPLAINTS[0]), list(COMPLAINTS[0])]
    rows[0][0], rows[1][0] = "AB1", "ab1"
    import_files([write_csv(tmp_path / "ab.csv", COMPLAINT_HEADERS_ZH, rows)], small_store)
    ledger = Ledger(small_store)
    item = ledger.create(source="complaint", title="t", user="张三", complaint_ids=["ab1", "AB1", "c04"])
    # exact spellings are the complaints so spelt (it linked either one before); c04 has one spelling: C04
    assert ledger.get(item)["complaint_ids"] == ["ab1", "AB1", "C04"]
    with pytest.raises(LedgerError, match="仅大小写不同的多件投诉.*Ab1（AB1、ab1）"):
        ledger.create(source="complaint", title="t", user="张三", complaint_ids=["Ab1"])
    assert len(ledger.items()) == 1
