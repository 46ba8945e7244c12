"""The query layer's promises: offline DuckDB, bound parameters only, every query file runs."""
from __future__ import annotations

import re
from datetime import date

import pytest

from dashboard import db
from dashboard.config import QUERIES_DIR
from dashboard.filters import Filters


def test_connections_never_install_or_load_extensions():
    con = db.new_connection()
    settings = dict(con.execute(
        "select name, value from duckdb_settings() "
        "where name in ('autoinstall_known_extensions', 'autoload_known_extensions')").fetchall())
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


def test_page_queries_run_on_a_real_snapshot(small_store):
    """Every query that pages call (not import_*/macro_*) runs with the global parameters."""
    snapshot, con = db.current(small_store)
    params = Filters(month_from=date(2026, 9, 1), month_to=date(2026, 10, 1), org="0100").params()
    names = [p.stem for p in QUERIES_DIR.glob("*.sql") if not p.stem.startswith(("import_", "macro_"))]
    assert names
    extra = {}
    for name in names:
        missing = db.parameters(name) - params.keys()
        if missing:
            continue   # page-specific parameters: covered by that page's own tests
        db.run(con, name, **params, **extra)
