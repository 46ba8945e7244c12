"""One time convention (issue 16, section 6): every time stored or shown is Asia/Shanghai, whatever the
server's own clock, and each page says so once. The server here is put on UTC, as containers usually are:
the old code stamped the ledger and imports in server time, eight hours off the audit page."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import clock
from dashboard.auth import audit
from dashboard.auth.roles import CONSUMER_PROTECTION, Principal
from dashboard.ingest.pipeline import import_files
from dashboard.ingest.store import current_snapshot
from dashboard.ledger.store import Ledger
from tests.apptest_support import APP


@pytest.fixture
def utc_server(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _close_to_shanghai_now(stamp) -> bool:
    shanghai = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)  # computed here, not by clock
    return abs(pd.Timestamp(stamp).to_pydatetime().replace(tzinfo=None) - shanghai) < timedelta(minutes=2)


def test_ledger_audit_and_import_times_are_all_shanghai_time_on_a_utc_server(
    utc_server, small_extracts, tmp_path, monkeypatch
):
    assert datetime.now().utcoffset() is None and time.strftime("%Z") == "UTC"
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    small_store = tmp_path / "fresh"  # imported now, on the UTC server (small_store is a copy made earlier)
    import_files(small_extracts, small_store)
    item = Ledger(small_store).create(source="recurring", title="时间", user="u", branch_code="0101")
    created = Ledger(small_store).get(item)["created_at"]
    entry = audit.record("export", Principal("cp@bank.test", CONSUMER_PROTECTION), {"what": "x"})
    imported = pd.read_parquet(current_snapshot(small_store).table("imports"))["imported_at"].max()
    assert entry["at"].endswith("+08:00")
    assert _close_to_shanghai_now(created) and _close_to_shanghai_now(entry["at"][:19])
    assert _close_to_shanghai_now(imported)


@pytest.mark.parametrize(
    "page", [None, "app_pages/hotspots.py", "app_pages/ledger.py", "app_pages/audit.py", "app_pages/data.py"]
)
def test_each_page_labels_the_time_zone_once(small_store, app_env, page):
    app_env(small_store)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [str(e.value) for kind in (at.caption, at.markdown, at.info, at.success) for e in kind]
    assert sum(t.count(clock.LABEL) for t in texts) == 1, page
    assert os.environ.get("COMPLAINTS_DEMO") == "1"
