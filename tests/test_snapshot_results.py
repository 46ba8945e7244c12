"""The snapshot-only queries (db.SNAPSHOT_ONLY) run once per snapshot connection and parameters: the kept result is
the one a plain run gives, an import is never served the previous snapshot's, two scopes never share one."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard import db
from dashboard.analysis.repeats import NO_CUSTOMER_PREFIX
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

SCOPES = (None, "0000", "0100", "0200", "0101")
CLOCK_OR_LEDGER = re.compile(r"current_(date|time|localtime)|localtimestamp|now\(|today\(|get_current|ledger|random\(")


def params_of(name: str, scope: str | None) -> dict:
    return {"scope": scope, "prefix": NO_CUSTOMER_PREFIX}


def plain(con, name: str, scope: str | None) -> pd.DataFrame:
    """The query run straight on a cursor, nothing kept: the second method the kept results are checked against."""
    cursor = con.cursor()
    try:
        return ordered(cursor.execute(db.load_sql(name), db.bind(name, params_of(name, scope))).df())
    finally:
        cursor.close()


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """snapshot_tables is a set (a union, in no order); every other query orders its rows or has one."""
    if list(frame.columns) == ["name"]:
        return frame.sort_values("name", ignore_index=True)
    return frame


def kept(con, name: str, scope: str | None) -> pd.DataFrame:
    return ordered(db.run(con, name, **params_of(name, scope)))


@pytest.fixture
def statements(monkeypatch):
    """The statements db.run sends to DuckDB, by query name."""
    sent: list[str] = []
    fresh = db._fresh

    def counting(con, name, bound):
        sent.append(name)
        return fresh(con, name, bound)

    monkeypatch.setattr(db, "_fresh", counting)
    return sent


def test_kept_results_are_what_a_plain_run_returns_and_run_once(small_store, statements):
    _, con = db.current(small_store)
    for name in sorted(db.SNAPSHOT_ONLY):
        for scope in SCOPES:
            first = kept(con, name, scope)
            again = kept(con, name, scope)
            pd.testing.assert_frame_equal(first, plain(con, name, scope))
            pd.testing.assert_frame_equal(again, plain(con, name, scope))
        runs = statements.count(name)
        scoped = "scope" in db.parameters(name)
        assert runs == (len(SCOPES) if scoped else 1), (name, runs)


def test_a_caller_changing_its_copy_changes_no_one_elses(small_store):
    _, con = db.current(small_store)
    first = db.run(con, "branch_options", scope=None)
    first.loc[:, "branch_name"] = "改过"
    assert "改过" not in set(db.run(con, "branch_options", scope=None)["branch_name"])


def test_two_scopes_do_not_share_a_result(small_store):
    _, con = db.current(small_store)
    beijing = db.run(con, "branch_options", scope="0100")
    shanghai = db.run(con, "branch_options", scope="0200")
    # By hand from tests/conftest.py BRANCHES: each 一级分行 and its 支行.
    assert list(beijing["branch_code"]) == ["0100", "0101", "0102"]
    assert list(shanghai["branch_code"]) == ["0200", "0201"]
    # By hand from COMPLAINTS: Beijing's first is C08 (0101, 2025-10-15), Shanghai's C04 (0201, 2026-10-05).
    starts = {s: db.run(con, "trends_data_start", scope=s)["first_received"].iloc[0] for s in ("0100", "0200")}
    assert starts == {"0100": pd.Timestamp("2025-10-15 10:00:00"), "0200": pd.Timestamp("2026-10-05 12:00:00")}


def test_an_import_is_not_served_the_previous_snapshots_results(small_store, tmp_path):
    old_snapshot, old_con = db.current(small_store)
    before = {name: kept(old_con, name, None) for name in db.SNAPSHOT_ONLY}
    assert before["trends_data_start"]["first_received"].iloc[0] == pd.Timestamp("2025-10-15 10:00:00")  # C08
    row = list(COMPLAINTS[0])
    row[0], row[1], row[2], row[3] = "N1", "2025-08-15 09:00:00", "2025-08-16 09:00:00", "0201"
    import_files([write_csv(tmp_path / "august.csv", COMPLAINT_HEADERS_ZH, [row])], small_store)
    snapshot, con = db.current(small_store)
    assert snapshot.version != old_snapshot.version
    start = db.run(con, "trends_data_start", scope=None)
    assert start["first_received"].iloc[0] == pd.Timestamp("2025-08-15 09:00:00")  # the imported complaint
    assert db.run(con, "trends_coverage", scope=None)["first_month"].iloc[0] == pd.Timestamp("2025-08-01")
    assert db.run(con, "surges_data_start", scope="0200")["first_month"].iloc[0] == pd.Timestamp("2025-08-01")
    for name in db.SNAPSHOT_ONLY:
        pd.testing.assert_frame_equal(kept(con, name, None), plain(con, name, None))
    # The reader still on the old snapshot keeps its own results.
    pd.testing.assert_frame_equal(db.run(old_con, "trends_data_start", scope=None), before["trends_data_start"])


def test_only_snapshot_connections_keep_results(small_store, statements):
    """A connection not opened by open_snapshot (an import's, a test's) may change its tables: never kept."""
    con = db.new_connection()
    con.execute("create table snapshot_meta as select timestamp '2026-10-31 00:00:00' as as_of")
    db.run(con, "snapshot_as_of")
    con.execute("create or replace table snapshot_meta as select timestamp '2026-11-30 00:00:00' as as_of")
    assert db.run(con, "snapshot_as_of")["as_of"].iloc[0] == pd.Timestamp("2026-11-30")
    assert statements == ["snapshot_as_of", "snapshot_as_of"]


def test_snapshot_only_queries_read_no_clock_and_take_no_filter():
    """What makes a result a function of the snapshot: no filter but the user's scope, no clock, no ledger."""
    for name in db.SNAPSHOT_ONLY:
        assert db.parameters(name) <= {"scope", "prefix"}, name
        sql = re.sub(r"--[^\n]*", "", db.load_sql(name)).lower()
        assert not CLOCK_OR_LEDGER.search(sql), name
