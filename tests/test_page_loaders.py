"""Each page draws what its loader returns (dashboard/analysis/<page>.py load, also what the report and
bench/ use) and runs no query of its own: the queries run through dashboard.db.execute, with their bound
parameters, are recorded while the page runs under AppTest in a given state and again while the loader
runs for the same filters and state. A page that runs a query its loader does not (or the other way
round, or with other parameters) fails here; test_a_planted_query_is_caught shows that it does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.analysis import data, events, hotspots, rankings, regulator, repeats, trends
from dashboard.analysis import ledger as ledger_data
from dashboard.analysis.source import Source
from dashboard.filters import Filters
from dashboard.ledger.store import Ledger
from tests.apptest_support import APP

OCT = date(2026, 10, 1)
WHOLE = Filters(month_from=OCT, month_to=OCT)
BEIJING = Filters(month_from=date(2026, 9, 1), month_to=OCT, org="0100")
# run by the shared sidebar on every page (dashboard/ui/sidebar.py), and what the snapshot offers (read once
# per snapshot by its db.Catalog, on a page; once per Source in the CLI and bench), and the open complaints last
# seen before 数据截至 that the sidebar's data-time caption counts (ui/sidebar.data_time_caption, hostile H201)
SIDEBAR = {"branch_options", "snapshot_tables", "open_seen_earlier"}
DRILL = {"category": "信用卡", "month": OCT}

# (page file, filters, session state (or "?" link parameters) set before the page runs, the loader for the
# same view)
CASES = {
    "trends, whole bank": ("app_pages/trends.py", WHOLE, {}, lambda s, f: trends.load(s, f)),
    "trends, 北京分行": ("app_pages/trends.py", BEIJING, {}, lambda s, f: trends.load(s, f)),
    "trends, the annual disclosure opened, 2025": (
        "app_pages/trends.py",
        WHOLE,
        {"trends_annual_open": True, "trends_annual_year": 2025},
        lambda s, f: trends.load(s, f, annual_year=2025, with_annual=True),
    ),
    "hotspots, whole bank": ("app_pages/hotspots.py", WHOLE, {}, lambda s, f: hotspots.load(s, f)),
    "hotspots, 北京分行": ("app_pages/hotspots.py", BEIJING, {}, lambda s, f: hotspots.load(s, f)),
    "hotspots, drilled, a term, 20 a page by amount": (
        "app_pages/hotspots.py",
        BEIJING,
        {"hs_drill": DRILL, "hs_term": "年费", "hs_list_size": 20, "hs_list_sort": "amount"},
        lambda s, f: hotspots.load(
            s,
            f,
            hotspots.HotspotsState(drill=DRILL, term="年费", listing=hotspots.ListOptions(size=20, sort_key="amount")),
        ),
    ),
    "rankings, whole bank": ("app_pages/rankings.py", WHOLE, {}, lambda s, f: rankings.load(s, f)),
    "rankings, 北京分行": ("app_pages/rankings.py", BEIJING, {}, lambda s, f: rankings.load(s, f)),
    "rankings, 支行 level, the profile of a 一级分行 opened": (
        "app_pages/rankings.py",
        WHOLE,
        {"?level": "支行", "?profile": "0100"},
        lambda s, f: rankings.load_profile(
            s, f, rankings.load(s, f, rankings.RankingsState(level="支行")), "0100", s("branch_options")
        ),
    ),
    "repeats, whole bank": ("app_pages/repeats.py", WHOLE, {}, lambda s, f: repeats.load(s, f)),
    "regulator, whole bank": ("app_pages/regulator.py", WHOLE, {}, lambda s, f: regulator.load(s, f, f.month_to)),
    "regulator, 北京分行": ("app_pages/regulator.py", BEIJING, {}, lambda s, f: regulator.load(s, f, f.month_to)),
    "repeats, 北京分行": ("app_pages/repeats.py", BEIJING, {}, lambda s, f: repeats.load(s, f)),
    "repeats, a 14-day rule of any category, 3-month recurring window": (
        "app_pages/repeats.py",
        BEIJING,
        {"rp_window": 14, "rp_same": False, "rc_window": 3, "rc_min": 2},
        lambda s, f: repeats.load(
            s, f, repeats.RepeatsState(window_days=14, same_category=False, recurring_window=3, recurring_min=2)
        ),
    ),
    "events, whole bank": ("app_pages/events.py", WHOLE, {}, lambda s, f: events.load(s, f)),
    "events, 北京分行": ("app_pages/events.py", BEIJING, {}, lambda s, f: events.load(s, f)),
    # the data page reads the snapshot's stored tables, whatever the filters
    "data, whole bank": ("app_pages/data.py", WHOLE, {}, lambda s, f: data.load(s.rows)),
    "data, 北京分行": ("app_pages/data.py", BEIJING, {}, lambda s, f: data.load(s.rows)),
}


@pytest.fixture
def recorded(monkeypatch) -> list[tuple[str, str]]:
    """(query name, its bound parameters) of every query run through dashboard.db from now on."""
    queries: list[tuple[str, str]] = []
    execute = db.execute

    def recording(con, name, **params):
        queries.append((name, repr(sorted(db.bind(name, params).items(), key=str))))
        return execute(con, name, **params)

    monkeypatch.setattr(db, "execute", recording)
    return queries


def queries_of_page(page: str, filters: Filters, session: dict, recorded: list) -> set:
    """The page opened straight away (as a link opens it) in the given state."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in filters.to_query().items():
        at.query_params[key] = value
    for key, value in session.items():  # "?name": a parameter of the link that opens the page
        if key.startswith("?"):
            at.query_params[key[1:]] = value
        else:
            at.session_state[key] = value
    st.cache_data.clear()  # every query of the page runs, none is answered from the cache
    db.forget_snapshot_results()  # nor from the snapshot-only results another test or view kept (db.SNAPSHOT_ONLY)
    del recorded[:]
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return {q for q in recorded if q[0] not in SIDEBAR}


def queries_of_loader(loader, filters: Filters, store: Path, recorded: list) -> set:
    del recorded[:]
    db.forget_snapshot_results()
    _, con = db.current(store)
    loader(Source.of(con, filters), filters)
    return {q for q in recorded if q[0] not in SIDEBAR}


def compare(on_page: set, loaded: set) -> None:
    assert on_page, "no query recorded: the recording does not see the page"
    assert loaded == on_page, f"page only: {sorted(on_page - loaded)}; loader only: {sorted(loaded - on_page)}"


@pytest.mark.parametrize("case", CASES)
def test_the_page_runs_what_its_loader_runs(case, small_store, app_env, recorded):
    page, filters, session, loader = CASES[case]
    app_env(small_store)
    on_page = queries_of_page(page, filters, session, recorded)
    compare(on_page, queries_of_loader(loader, filters, small_store, recorded))


# The ledger page: its items are the ledger's (SQLite, not queries); the list's effects and the opened
# item's are queries. conftest's bank: 0101 信用卡 定价收费 has C01 (2026-09), C03 (2026-10), C08 (2025-10).
LEDGER_ITEMS = {
    "fixed": dict(
        source="recurring", branch_code="0101", business_category="信用卡", reason="定价收费", fixed_at="2026-08-10"
    ),
    "open, a subtree": dict(source="manual", branch_code="0100", business_category="信用卡"),
    "similar, fixed": dict(
        source="similar", business_category="信用卡", key_terms=["年费"], fixed_at="2026-09-05", status="已整改"
    ),
    "nothing to follow": dict(source="manual"),
}
# (filters, the item opened, the effect queries expected: one per fixed item the filters keep, and the
# opened item's own when it is not fixed; 北京分行 keeps only items about an organisation inside it)
LEDGER_CASES = {
    "whole bank, the fixed item opened": (WHOLE, "fixed", ["ledger_effect_slice", "ledger_effect_terms"]),
    "北京分行, the open item opened": (BEIJING, "open, a subtree", ["ledger_effect_slice", "ledger_effect_slice"]),
    "北京分行, the fixed item opened": (BEIJING, "fixed", ["ledger_effect_slice"]),
    "whole bank, the similar group's item opened": (
        WHOLE,
        "similar, fixed",
        ["ledger_effect_slice", "ledger_effect_terms"],
    ),
    "whole bank, an item with nothing to follow opened": (
        WHOLE,
        "nothing to follow",
        ["ledger_effect_slice", "ledger_effect_terms"],
    ),
}


def make_ledger(store: Path) -> dict[str, int]:
    ledger = Ledger(store)
    ids = {}
    for name, fields in LEDGER_ITEMS.items():
        fields = dict(fields)
        fixed_at, status = fields.pop("fixed_at", None), fields.pop("status", "已整改")
        ids[name] = ledger.create(title=name, user="张三", now="2026-06-01 09:00:00", **fields)
        if fixed_at:
            ledger.update(ids[name], 1, {"status": status, "fixed_at": fixed_at}, "张三")
    return ids


@pytest.mark.parametrize("case", LEDGER_CASES)
def test_the_ledger_page_runs_what_its_loader_runs(case, small_store, app_env, recorded):
    filters, opened, expected = LEDGER_CASES[case]
    ids = make_ledger(small_store)
    app_env(small_store)
    on_page = queries_of_page("app_pages/ledger.py", filters, {"lg_item": ids[opened]}, recorded)

    def loader(source, filters):
        snapshot, _ = db.current(small_store)
        ledger = Ledger(small_store)
        span = ledger_data.data_span(snapshot.meta)
        listed = ledger_data.load(source, filters, ledger_data.LedgerState(ledger.items(), span))
        assert ids[opened] in set(listed.items["id"])
        ledger_data.load_effect(source, ledger.get(ids[opened]), span)

    loaded = queries_of_loader(loader, filters, small_store, recorded)
    compare(on_page, loaded)
    assert sorted(q[0] for q in on_page) == sorted(expected)


def test_a_planted_query_is_caught(small_store, app_env, recorded, monkeypatch):
    """A page that asks for one query more than its loader (here: the hotspots page's bar charts, made to
    run one) fails the comparison."""
    from dashboard.charts import hotspots as charts
    from dashboard.ui import context

    bars = charts.ranked_bars

    def ranked_bars_with_a_query(*args, **kwargs):
        context.query("data_coverage")
        return bars(*args, **kwargs)

    monkeypatch.setattr(charts, "ranked_bars", ranked_bars_with_a_query)
    app_env(small_store)
    on_page = queries_of_page("app_pages/hotspots.py", WHOLE, {}, recorded)
    loaded = queries_of_loader(lambda s, f: hotspots.load(s, f), WHOLE, small_store, recorded)
    assert {q[0] for q in on_page - loaded} == {"data_coverage"}
    with pytest.raises(AssertionError, match="page only"):
        compare(on_page, loaded)
