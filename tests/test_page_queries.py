"""Each page's page_queries (what bench/ and the load test time, dashboard/analysis/<page>.py) runs the
queries the page itself runs for the same view: the query names are recorded at dashboard.db.execute while
the page runs under AppTest and again while page_queries runs. A page that starts running a query its
page_queries does not, or the other way round, fails here."""
from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.filters import Filters

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
OCT = date(2026, 10, 1)
# page file -> the analysis module whose page_queries stands for it (as in bench/side.py OUR_PAGES)
PAGES = {"app_pages/trends.py": "trends", "app_pages/hotspots.py": "hotspots",
         "app_pages/rankings.py": "rankings", "app_pages/repeats.py": "repeats", "app_pages/events.py": "events"}
VIEWS = {"whole bank": Filters(month_from=OCT, month_to=OCT),
         "北京分行, two months": Filters(month_from=date(2026, 9, 1), month_to=OCT, org="0100")}
SIDEBAR = {"branch_options"}   # run by the shared sidebar on every page (dashboard/ui/sidebar.py)


@pytest.fixture
def recorded(monkeypatch) -> list[str]:
    """The names of the queries run through dashboard.db from now on, in order."""
    names: list[str] = []
    execute = db.execute

    def recording(con, name, **params):
        names.append(name)
        return execute(con, name, **params)

    monkeypatch.setattr(db, "execute", recording)
    return names


def queries_of_page(page: str, filters: Filters, recorded: list[str]) -> set[str]:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in filters.to_query().items():
        at.query_params[key] = value
    at.run()
    st.cache_data.clear()   # every query of the page runs, none is answered from the cache
    del recorded[:]
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return set(recorded) - SIDEBAR


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("page", PAGES)
def test_page_queries_runs_what_the_page_runs(page, view, small_store, app_env, recorded):
    app_env(small_store)
    on_page = queries_of_page(page, VIEWS[view], recorded)
    assert on_page, "no query recorded: the recording does not see the page"
    del recorded[:]
    _, con = db.current(small_store)
    importlib.import_module(f"dashboard.analysis.{PAGES[page]}").page_queries(con, VIEWS[view])
    timed = set(recorded) - SIDEBAR
    assert timed == on_page, f"page only: {sorted(on_page - timed)}; page_queries only: {sorted(timed - on_page)}"
