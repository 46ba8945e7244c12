"""Import behaviour end to end: upsert, idempotence, atomicity, quarantine, snapshot isolation."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from dashboard import db, report
from dashboard.filters import Filters
from dashboard.ingest import pipeline, store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

OCT = date(2026, 10, 1)


def complaints_table(data_dir) -> pd.DataFrame:
    snap = store.current_snapshot(data_dir)
    return pd.read_parquet(snap.table("complaints")).sort_values("complaint_id").reset_index(drop=True)


def october(data_dir) -> dict:
    _, con = db.current(data_dir)
    return report.kpis(con, Filters(month_from=OCT, month_to=OCT), OCT)


def test_first_import_summary(tmp_path, small_extracts):
    result = import_files(small_extracts, tmp_path / "data")
    by_table = {f.table: f for f in result.files}
    assert [f.table for f in result.files] == ["branches", "customers_monthly", "complaints"]
    assert (by_table["branches"].read, by_table["branches"].inserted) == (6, 6)
    assert (by_table["customers_monthly"].read, by_table["customers_monthly"].inserted) == (6, 6)
    assert (by_table["complaints"].read, by_table["complaints"].inserted, by_table["complaints"].quarantined) == (
        8,
        8,
        0,
    )
    table = complaints_table(tmp_path / "data")
    assert list(table["complaint_id"]) == [f"C0{i}" for i in range(1, 9)]
    assert set(table["branch_code"]) == {"0101", "0102", "0201"}  # leading zeros kept


def test_reimport_changes_nothing(small_store, small_extracts):
    before = complaints_table(small_store)
    result = import_files(small_extracts, small_store)
    assert not result.changed
    for f in result.files:
        assert (f.inserted, f.updated, f.unchanged) == (0, 0, f.read)
    pd.testing.assert_frame_equal(before, complaints_table(small_store))


def test_later_extract_updates_status(small_store, tmp_path):
    assert october(small_store)["open"] == 2
    row = list(COMPLAINTS[4])  # C05, open
    row[2], row[12], row[13] = "2026-11-02 09:00:00", "已办结", "已解决"
    update = write_csv(tmp_path / "update.csv", COMPLAINT_HEADERS_ZH, [row])
    result = import_files([update], small_store)
    (summary,) = result.files
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 0)
    k = october(small_store)
    assert k["open"] == 1 and k["complaints"] == 5
    assert k["as_of"] == "2026-11-02 09:00:00"


def test_older_extract_does_not_override_newer(small_store, tmp_path):
    headers = COMPLAINT_HEADERS_ZH + ["提取时间"]
    newer = list(COMPLAINTS[4]) + ["2026-11-05 00:00:00"]
    newer[2], newer[12] = "2026-11-02 09:00:00", "已办结"
    older = list(COMPLAINTS[4]) + ["2026-11-01 00:00:00"]
    import_files([write_csv(tmp_path / "newer.csv", headers, [newer])], small_store)
    result = import_files([write_csv(tmp_path / "older.csv", headers, [older])], small_store)
    assert result.files[0].skipped_older == 1 and result.files[0].updated == 0
    c05 = complaints_table(small_store).set_index("complaint_id").loc["C05"]
    assert c05["status"] == "已办结"


def test_bad_rows_quarantined_rest_imported(small_store, tmp_path):
    rows = [list(COMPLAINTS[0]), list(COMPLAINTS[0]), list(COMPLAINTS[0])]
    rows[0][0], rows[1][0], rows[2][0] = "N1", "N2", "N3"
    rows[1][3] = "0999"  # unknown organisation
    rows[2][5] = "保险"  # not a business category of the contract
    path = write_csv(tmp_path / "new.csv", COMPLAINT_HEADERS_ZH, rows)
    result = import_files([path], small_store)
    (summary,) = result.files
    assert (summary.read, summary.inserted, summary.quarantined) == (3, 1, 2)
    assert sorted(result.quarantine["source_row"]) == [2, 3]
    assert any("0999" in r for r in result.quarantine["reason"])
    assert any("保险" in r for r in result.quarantine["reason"])
    assert "N1" in set(complaints_table(small_store)["complaint_id"])
    snap = store.current_snapshot(small_store)
    assert snap.meta["quarantined"] == 2
    # fixing the file and importing it again clears its quarantine
    rows[1][3], rows[2][5] = "0101", "信用卡"
    write_csv(path, COMPLAINT_HEADERS_ZH, rows)
    import_files([path], small_store)
    assert store.current_snapshot(small_store).meta["quarantined"] == 0


def test_unreadable_file_in_batch_changes_nothing(small_store, tmp_path, small_extracts):
    before = store.current_snapshot(small_store).version
    broken = tmp_path / "broken.parquet"
    pd.DataFrame({"complaint_id": ["X"] * 1000}).to_parquet(broken)
    broken.write_bytes(broken.read_bytes()[: broken.stat().st_size // 2])
    with pytest.raises(ExtractError):
        import_files([small_extracts[2], broken], small_store)
    assert store.current_snapshot(small_store).version == before


def test_failure_while_writing_leaves_data_as_before(small_store, tmp_path, monkeypatch):
    before = store.current_snapshot(small_store)
    rows = [list(COMPLAINTS[0])]
    rows[0][0] = "N9"
    path = write_csv(tmp_path / "n9.csv", COMPLAINT_HEADERS_ZH, rows)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "publish", crash)
    with pytest.raises(OSError):
        import_files([path], small_store)
    after = store.current_snapshot(small_store)
    assert after.version == before.version
    assert "N9" not in set(complaints_table(small_store)["complaint_id"])
    assert not list(store.store_dir(small_store).glob("staging-*"))


def test_reader_keeps_its_snapshot_during_an_import(small_store, tmp_path):
    old_snapshot, old_con = db.current(small_store)
    rows = [list(COMPLAINTS[2])]
    rows[0][0] = "N5"
    import_files([write_csv(tmp_path / "n5.csv", COMPLAINT_HEADERS_ZH, rows)], small_store)
    count = lambda con: con.cursor().execute("select count(*) from complaints").fetchone()[0]  # noqa: E731
    assert count(old_con) == 8  # the open reader still sees its snapshot
    new_snapshot, new_con = db.current(small_store)
    assert new_snapshot.version != old_snapshot.version
    assert count(new_con) == 9


def test_complaints_before_their_branches_are_quarantined(tmp_path, small_extracts):
    result = import_files([small_extracts[2]], tmp_path / "data")
    (summary,) = result.files
    assert summary.inserted == 0 and summary.quarantined == 8
    assert all("机构" in r for r in result.quarantine["reason"])


def test_rebuild_restores_derived_tables_and_keeps_the_data(small_store):
    """A snapshot of an older format without a derived table gets it back, in the current format, and
    nothing imported changes: same complaints, same import log, same quarantine."""
    before = store.current_snapshot(small_store)
    (before.table("complaint_terms")).unlink()
    meta = json.loads((before.path / "meta.json").read_text(encoding="utf-8"))
    del meta["format"]  # as written before snapshots had a format number
    (before.path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert not db.is_current(store.current_snapshot(small_store))
    rebuilt = pipeline.rebuild(small_store)
    assert rebuilt.meta["format"] == db.SNAPSHOT_FORMAT and db.is_current(store.current_snapshot(small_store))
    assert rebuilt.version != before.version
    assert rebuilt.table("complaint_terms").exists()
    assert len(pd.read_parquet(rebuilt.table("complaint_terms"))) == 8  # one row per complaint
    pd.testing.assert_frame_equal(pd.read_parquet(rebuilt.table("imports")), pd.read_parquet(before.table("imports")))
    assert complaints_table(small_store)["complaint_id"].tolist() == [f"C0{i}" for i in range(1, 9)]
    assert {"complaint_terms", "derive and write tables"} <= set(rebuilt.meta["timings"])
    assert october(small_store)["complaints"] == 5


def test_rebuild_without_data_is_none(tmp_path):
    assert pipeline.rebuild(tmp_path / "empty") is None


def test_deferred_text_analysis_is_added_by_rebuild(tmp_path, small_extracts):
    """A history load may publish its numbers first: the narrative tables are left out and listed in the
    snapshot's meta, the numbers are all there, and rebuild adds the tables afterwards."""
    data_dir = tmp_path / "data"
    result = import_files(small_extracts, data_dir, defer_text=True)
    snapshot = store.current_snapshot(data_dir)
    assert result.changed and {"complaint_terms", "similar_windows", "similar_groups"} <= set(snapshot.meta["deferred"])
    assert not snapshot.table("complaint_terms").exists() and not snapshot.table("similar_groups").exists()
    assert october(data_dir)["complaints"] == 5
    _, con = db.current(data_dir)
    assert report.build(con, Filters(month_from=OCT, month_to=OCT), OCT)["similar_groups"] is None  # unknown yet
    rebuilt = pipeline.rebuild(data_dir)
    assert rebuilt.meta["deferred"] == []
    assert len(pd.read_parquet(rebuilt.table("complaint_terms"))) == 8
    assert rebuilt.table("similar_groups").exists()


def test_complaints_are_written_in_small_row_groups(demo_store):
    """complaints.parquet comes in row groups of COMPLAINT_ROW_GROUP rows (a page reading a few rows'
    narratives decompresses only their row groups), in the order of receipt."""
    import pyarrow.parquet as pq

    layout = pq.ParquetFile(store.current_snapshot(demo_store).table("complaints")).metadata
    sizes = [layout.row_group(i).num_rows for i in range(layout.num_row_groups)]
    assert sum(sizes) == layout.num_rows > pipeline.COMPLAINT_ROW_GROUP
    assert max(sizes) <= pipeline.COMPLAINT_ROW_GROUP and len(sizes) >= layout.num_rows / pipeline.COMPLAINT_ROW_GROUP
    received = pd.read_parquet(store.current_snapshot(demo_store).table("complaints"), columns=["received_at"])
    assert received["received_at"].is_monotonic_increasing


def test_import_log_lists_the_newest_first_within_one_second(small_store, tmp_path, monkeypatch):
    """imported_at has whole seconds; two imports in the same second still list the later one first."""
    from datetime import datetime

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2030, 1, 1, 9, 0, 0)  # after the fixture's own import

    monkeypatch.setattr(pipeline, "datetime", Frozen)
    first = list(COMPLAINTS[0])
    first[0] = "Z01"
    import_files([write_csv(tmp_path / "a_first.csv", COMPLAINT_HEADERS_ZH, [first])], small_store, user="first")
    second = list(COMPLAINTS[0])
    second[0] = "Z02"
    import_files([write_csv(tmp_path / "b_second.csv", COMPLAINT_HEADERS_ZH, [second])], small_store, user="second")
    _, con = db.current(small_store)
    log = db.run(con, "data_imports")
    assert list(log["user_name"].iloc[:2]) == ["second", "first"]
    assert list(log["file_name"].iloc[:2]) == ["b_second.csv", "a_first.csv"]
