"""A snapshot knows its format: the import writes db.SNAPSHOT_FORMAT into meta.json; a snapshot of another
(older) format shows one state on every page, 数据需要重建 with the command, and the report command refuses
it, until `python -m dashboard rebuild` writes it anew."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli, db
from dashboard.ingest import pipeline
from dashboard.ingest.store import current_snapshot
from tests.apptest_support import APP

PAGES = [
    "app_pages/trends.py",
    "app_pages/hotspots.py",
    "app_pages/rankings.py",
    "app_pages/repeats.py",
    "app_pages/ledger.py",
    "app_pages/data.py",
]


def make_old(data_dir: Path) -> None:
    """Rewrite the published snapshot's meta.json as an import before format numbers wrote it."""
    meta_file = current_snapshot(data_dir).path / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    del meta["format"]
    meta_file.write_text(json.dumps(meta), encoding="utf-8")


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.title, *at.warning, *at.code, *at.markdown, *at.metric])


def test_an_import_writes_the_format(small_store):
    snapshot = current_snapshot(small_store)
    assert snapshot.meta["format"] == db.SNAPSHOT_FORMAT
    assert db.is_current(snapshot)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_an_older_snapshot_says_to_rebuild(page, small_store, app_env):
    make_old(small_store)
    app_env(small_store)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["数据需要重建"]
    assert [c.value for c in at.code] == [db.REBUILD_COMMAND]
    assert not at.metric and not at.dataframe  # nothing of the page itself


def test_after_the_rebuild_the_pages_are_back(small_store, app_env):
    make_old(small_store)
    pipeline.rebuild(small_store)
    app_env(small_store)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "数据需要重建" not in texts(at)
    assert at.metric  # the trends page's headline


def test_the_report_command_refuses_an_older_snapshot(small_store, capsys):
    make_old(small_store)
    assert cli.main(["report", "--month", "2026-10", "--data-dir", str(small_store), "--json"]) == 2
    assert db.REBUILD_COMMAND in capsys.readouterr().err
    pipeline.rebuild(small_store)
    assert cli.main(["report", "--month", "2026-10", "--data-dir", str(small_store), "--json"]) == 0
