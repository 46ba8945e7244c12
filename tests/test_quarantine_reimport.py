"""Hostile H255: the same extract imported again under another file name (--force) lists its quarantined rows
once in 数据管理's table (from the latest import), while the history keeps both imports, each saying when it
was imported and whether it still stands."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import db
from dashboard.analysis import data as page_data
from dashboard.ingest.pipeline import import_files
from dashboard.ui.quarantine_view import readable
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv


def _bad_rows(folder: Path) -> Path:
    """Two rows quarantined (a date that is no date; an empty 投诉编号) and one good row."""
    bad_date, no_id, good = list(COMPLAINTS[0]), list(COMPLAINTS[0]), list(COMPLAINTS[0])
    bad_date[0], bad_date[1] = "Q1", "不是日期"
    no_id[0] = ""
    good[0] = "Q3"
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / "q.csv", COMPLAINT_HEADERS_ZH, [bad_date, no_id, good])


def test_an_extract_imported_again_under_a_new_name_lists_its_quarantine_once(small_store, tmp_path):
    first = _bad_rows(tmp_path / "x")
    import_files([first], small_store)
    again = tmp_path / "x" / "q_again.csv"
    shutil.copy(first, again)
    import_files([again], small_store, force=True)
    _, con = db.current(small_store)
    data = page_data.load(lambda name: db.run(con, name))
    # by hand: 2 quarantined rows (rows 1 and 2 of the file), each once, from the second import
    assert sorted(data.quarantine["source_row"]) == [1, 2]
    assert set(data.quarantine["file_name"]) == {"q_again.csv"}
    # the history: both imports, 2 rows each; the first import's rows superseded, the second's standing
    assert len(data.history) == 4
    shown = readable(data.history)
    standing = shown[shown["状态"] == "当前"]
    assert sorted(standing["数据行号（不含表头）"]) == [1, 2] and set(standing["文件"]) == {"q_again.csv"}
    assert set(shown.loc[shown["状态"] != "当前", "文件"]) == {"q.csv"}
    assert shown["状态"].str.startswith("已被 ").sum() == 2 and shown["导入时间"].notna().all()


def test_the_listing_shows_a_row_current_twice_once_from_its_latest_import():
    """The listing's own guard (queries/data_quarantine.sql): identical rows that both stand (as a store
    written before rows were superseded by key would hold) are listed once, the later import's."""
    con = duckdb.connect()
    rows = pd.DataFrame(
        {
            "imported_at": pd.to_datetime(["2026-10-01 09:00", "2026-10-02 09:00", "2026-10-02 09:00"]),
            "superseded_at": pd.Series([pd.NaT, pd.NaT, pd.NaT], dtype="datetime64[us]"),
            "file_name": ["a.csv", "b.csv", "b.csv"],
            "table_name": ["complaints"] * 3,
            "record_key": ["Q1", "Q1", "Q2"],
            "source_row": [1, 1, 2],
            "reason": ["受理时间无法解析为日期：x"] * 2 + ["投诉编号为空（必填）"],
            "record": ['{"complaint_id": "Q1"}'] * 2 + ['{"complaint_id": "Q2"}'],
        }
    )
    con.from_df(rows).create("quarantine")
    listed = db.run(con, "data_quarantine")
    assert list(zip(listed["file_name"], listed["source_row"])) == [("b.csv", 1), ("b.csv", 2)]
