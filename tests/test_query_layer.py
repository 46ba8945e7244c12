"""The query layer's promises: offline DuckDB, bound parameters only, every query file runs."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from dashboard import db
from dashboard.config import QUERIES_DIR
from dashboard.filters import Filters


def test_connections_never_install_or_load_extensions():
    con = db.new_connection()
    settings = dict(
        con.execute(
            "select name, value from duckdb_settings() "
            "where name in ('autoinstall_known_extensions', 'autoload_known_extensions')"
        ).fetchall()
    )
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_missing_parameter_is_an_error():
    with pytest.raises(db.QueryError):
        db.bind("kpis_by_month", {"month_from": date(2026, 1, 1)})


def test_only_named_parameters_are_bound():
    params = Filters(month_from=date(2026, 1, 1), month_to=date(2026, 2, 1)).params(extra="x")
    assert set(db.bind("branch_options", params)) == {"scope"}


def test_query_files_use_no_string_formatting():
    for path in QUERIES_DIR.glob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\{[a-z_]+\}|%\(|%s", text), f"{path.name} looks formatted, not bound"


# The queries a snapshot's read connection runs that take more than the global filter set: a value for each
# of their own parameters (a page's state). Queries of other stores (the ledger's and the sessions' SQLite-
# shaped tables, the import's staging connection) are named by prefix and not run here.
OWN_PARAMS = {
    "complaint_id": "C0001",
    "customer_id": "K0001",
    "complaint_ids": ["C0001"],
    "d_org": "0100",
    "d_product": None,
    "d_province": None,
    "d_city": None,
    "search": None,
    "tokenizer": "t",  # complaints_search_hidden: a fingerprint no stored row has (every hit unchecked)
    "term": None,
    "limit": 20,
    "offset": 0,
    "sort_desc": True,
    "sort_key": "received_at",
    "org_level": "支行",
    "level": "支行",
    "same_category": True,
    "stored_window_days": 30,
    "prefix": "~",
    "min_months": 3,
    "group_id": 1,
    "group_ids": [1],
    "min_size": 2,
    "window_start": date(2026, 9, 1),
    "window_end": date(2026, 10, 31),
    "series_months": 6,
    "min_complaints": 5,
    "baseline_months": 6,
    "min_docs": 2,
    "prev_from": date(2026, 7, 1),
    "warn_share": 0.8,
    "branch_code": "0100",
    "terms": ["年费"],
    "compounds": ["住房贷款利率", "住房贷款利率"],  # events_family_months: compound i is made of piece i
    "pieces": ["住房贷款", "利率"],
    "recent_from": date(2026, 8, 1),
    "kinds": ["branch_category", "product"],
    "codes": ["0100", ""],
    "cats": ["信用卡", ""],
    "slice_reasons": ["", ""],
    "products": ["", "白金卡"],
    "cutoff": datetime(2026, 10, 31, 10),
}
OTHER_STORES = ("import_", "macro_", "ledger_", "medians_", "sessions_", "terms_index_", "similar_window_narratives")


def test_page_queries_run_on_a_real_snapshot(small_store):
    """Every query that pages call (not import_*/macro_* or another store's) runs on a snapshot with the
    global parameters plus its own; a query whose own parameter has no value here fails the test instead of
    being skipped."""
    snapshot, con = db.current(small_store)
    params = Filters(month_from=date(2026, 9, 1), month_to=date(2026, 10, 1), org="0100").params()
    names = sorted(p.stem for p in QUERIES_DIR.glob("*.sql") if not p.stem.startswith(OTHER_STORES))
    unknown = {name: sorted(db.parameters(name) - params.keys() - OWN_PARAMS.keys()) for name in names}
    assert not {name: missing for name, missing in unknown.items() if missing}, "add values to OWN_PARAMS"
    for name in names:
        db.run(con, name, **params, **{k: v for k, v in OWN_PARAMS.items() if k in db.parameters(name)})
    assert len(names) > 30


def test_sessions_on_two_versions_keep_their_own_connections(small_store, tmp_path, monkeypatch):
    """While an import is published, sessions on the old and on the new version alternate: each version
    keeps one connection (with every shared macro), none is reopened, and only the last KEEP_VERSIONS
    are held (a load test found one connection per store being replaced back and forth)."""
    from dashboard.ingest.pipeline import import_files
    from dashboard.ingest.store import KEEP_VERSIONS, current_snapshot
    from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

    first = current_snapshot(small_store)
    versions = [first]  # the store keeps the files of the last KEEP_VERSIONS
    for i in range(KEEP_VERSIONS):  # more imports than versions held
        path = write_csv(
            tmp_path / f"more{i}.csv", COMPLAINT_HEADERS_ZH, [[f"N{i}{row[0]}", *row[1:]] for row in COMPLAINTS[:2]]
        )
        import_files([path], small_store)
        versions.append(current_snapshot(small_store))
    old, new = versions[-2], versions[-1]
    assert old.version != new.version
    catalogs = {s.version: db.catalog_for(s) for s in (old, new)}
    cons = {version: catalog.con for version, catalog in catalogs.items()}
    for snapshot in (old, new, old, new):  # alternating sessions
        con = db.connection_for(snapshot)
        assert con is cons[snapshot.version]
        assert (
            con.execute("select count(*) from duckdb_functions() where function_name = 'repeat_flags'").fetchall()[0][0]
            == 1
        )
    monkeypatch.setattr(db, "KEEP_VERSIONS", 2)
    db.connection_for(versions[-3])  # an older version: served, but not held beyond the limit
    assert set(db._open[first.path.parent]) == {old.version, new.version}


def test_a_catalog_says_what_its_snapshot_is_and_offers(small_store):
    """db.Catalog (one per opened snapshot version): its version and format are the snapshot's meta.json,
    its tables what the connection shows (asked of DuckDB's own catalog here, a second way), read once."""
    import json

    from dashboard.ingest.store import current_snapshot

    snapshot = current_snapshot(small_store)
    catalog = db.catalog_for(snapshot)
    meta = json.loads((snapshot.path / "meta.json").read_text(encoding="utf-8"))
    assert (catalog.version, catalog.format, catalog.as_of) == (snapshot.version, meta["format"], meta["as_of"])
    assert catalog.is_current
    shown = {
        name
        for (name,) in catalog.con.execute(
            "select table_name from information_schema.tables where table_catalog = current_database()"
        ).fetchall()
    }
    assert catalog.tables == shown
    assert catalog.offers("complaints", "complaint_cube") and not catalog.offers("complaints", "no_such_table")
    assert catalog is db.catalog_for(snapshot) and catalog is db.open_catalog(small_store)
    assert catalog.run("branch_options", scope=None).equals(db.run(catalog.con, "branch_options", scope=None))
