"""Issue 15: the exits that still read the stored text under a search. For a user without the reveal right a
word found only inside a masked span counts as absent in that narrative everywhere the hotspots search
counts (hostile H237), the surge slice counts included; a user with the right counts the stored text.

The store: the small bank (tests/conftest.py) plus four narratives holding 田, the expectation read by a
second, simple method: each narrative masked in Python (or not, for the reveal user) and searched with
Search.matches, then counted per slice by hand in pandas.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import db
from dashboard.analysis import hotspots as hs
from dashboard.auth.roles import CONSUMER_PROTECTION, LEADER, Principal
from dashboard.derived.masked_text import current_tokenizer
from dashboard.filters import Filters, add_months
from dashboard.text import search_guard
from dashboard.text.masking import mask
from dashboard.text.search_query import parse
from dashboard.ui.complaint_list import guarded_search
from tests.conftest import COMPLAINTS, write_small_extracts

OCT = date(2026, 10, 1)
F = Filters(month_from=OCT, month_to=OCT)  # the page's period: October only; the surges read 12 months
LEADER_P = Principal("leader@bank.test", LEADER)  # may not reveal, whole bank
CP = Principal("cp@bank.test", CONSUMER_PROTECTION)

# (id, received, branch, category, reason, product, narrative): 田 hidden in a masked name (C80 田某某 -> *某某,
# C82 王田 -> 王*, C83 田先生 -> *先生, in August: outside the page's period, inside the surges' window) and
# readable in C81 (油田)
TIAN = [
    ("C80", "2026-10-08 09:00:00", "0201", "信用卡", "定价收费", "金卡", "客户田某某反映信用卡年费被多收，要求退还。"),
    ("C81", "2026-10-12 09:00:00", "0101", "信用卡", "定价收费", "白金卡", "客户反映油田附近网点信用卡年费多收。"),
    ("C82", "2026-09-15 09:00:00", "0201", "信用卡", "定价收费", "金卡", "客户王田反映年费被多收。"),
    ("C83", "2026-08-20 09:00:00", "0102", "借记卡", "定价收费", "", "田先生反映借记卡短信费多收。"),
]


def _with_tian(folder):
    rows = []
    for cid, received, branch, category, reason, product, narrative in TIAN:
        row = list(COMPLAINTS[0])
        row[0], row[1], row[2], row[3], row[5], row[6], row[7], row[11] = (
            cid,
            received,
            received,
            branch,
            category,
            reason,
            product,
            narrative,
        )
        rows.append(tuple(row))
    return write_small_extracts(folder, complaints=[*COMPLAINTS, *rows])


@pytest.fixture
def tian_store(store_factory):
    return store_factory("tian_narratives", _with_tian)


def test_the_fixture_hides_tian_where_it_says():
    shown = {cid: mask(text) for cid, *_, text in TIAN}
    assert [cid for cid, text in shown.items() if "田" in text] == ["C81"]
    assert all(text.startswith("客户*某某") for cid, text in shown.items() if cid == "C80")


def _expected_slices(con, search_text: str, masked: bool) -> dict:
    """category_reason and product counts of October and of the six months before, by hand."""
    rows = con.execute("select complaint_id, month, business_category, reason, product, content from complaints").df()
    search = parse(search_text)
    shown = rows["content"].map(lambda c: mask(c) if masked and isinstance(c, str) else c)
    hit = rows[[search.matches(c) for c in shown]]
    month = pd.to_datetime(hit["month"]).dt.date
    now, before = hit[month == OCT], hit[(month < OCT) & (month >= add_months(OCT, -6))]
    out = {}
    for kind, keys in (("category_reason", ["business_category", "reason"]), ("product", ["product"])):
        a = now[now[keys].notna().all(axis=1)].groupby(keys).size()
        b = before[before[keys].notna().all(axis=1)].groupby(keys).size()
        for key in a.index:
            key_t = key if isinstance(key, tuple) else (key,)
            out[(kind, *key_t)] = (int(a[key]), int(b.get(key, 0)))
    return out


def _surge_slices(con, search_text: str, principal) -> dict:
    """The surges' counts as the hotspots page gets them for this user: the search checked on the surges'
    window (hs.surge_selection), then surges_slice_counts (the loader's path, hs.surges_search)."""

    def hits(text):
        return db.run(
            con,
            "complaints_search_hidden",
            **F.params(**hs.surge_selection(F)),
            search=text,
            tokenizer=current_tokenizer(),
            limit=search_guard.HITS_CHECKED + 1,
        ).itertuples(index=False)

    refused, page_search = guarded_search(parse(search_text), principal, hits)
    assert refused is None
    state = hs.HotspotsState(search=page_search, surge_search=page_search)
    why, search = hs.surges_search(state)
    assert why is None
    rows = db.run(
        con,
        "surges_slice_counts",
        **F.params(month_to=OCT, baseline_months=6, series_months=12, min_complaints=1, **hs.surge_overrides(search)),
    )
    rows = rows[rows["kind"].isin(["category_reason", "product"])]
    return {
        (r.kind, *((r.business_category, r.reason) if r.kind == "category_reason" else (r.product,))): (
            int(r.complaints),
            int(r.baseline_total),
        )
        for r in rows.itertuples()
    }


@pytest.mark.parametrize("search", ["田", "年费 田", "年费 -田", "田 OR 短信费", "多收 NOT 田"])
def test_surge_counts_read_the_masked_text_without_the_reveal_right(tian_store, search):
    _, con = db.current(tian_store)
    got = _surge_slices(con, search, LEADER_P)
    assert got == _expected_slices(con, search, masked=True)


@pytest.mark.parametrize("search", ["田", "年费 -田", "多收 NOT 田"])
def test_surge_counts_read_the_stored_text_with_the_reveal_right(tian_store, search):
    _, con = db.current(tian_store)
    got = _surge_slices(con, search, CP)
    assert got == _expected_slices(con, search, masked=False)
    assert got != _expected_slices(con, search, masked=True)  # the fixture tells the two apart


def test_a_search_hidden_outside_the_drilled_selection_is_still_checked_for_the_surges(tian_store):
    """C83 (August) is outside the page's period; the ids checked there do not hold it, the surges' do."""
    _, con = db.current(tian_store)

    def hits(overrides):
        return lambda text: db.run(
            con,
            "complaints_search_hidden",
            **F.params(**overrides),
            search=text,
            tokenizer=current_tokenizer(),
            limit=100,
        ).itertuples(index=False)

    _, on_page = guarded_search(parse("田"), LEADER_P, hits(hs.selection_overrides(F, None)))
    _, on_window = guarded_search(parse("田"), LEADER_P, hits(hs.surge_selection(F)))
    assert sorted(on_page.hidden[0][0]) == ["C80"]
    assert sorted(on_window.hidden[0][0]) == ["C80", "C82", "C83"]


def test_surges_are_not_counted_under_a_search_checked_elsewhere(tian_store):
    """Fail closed: a guarded search without its check on the surges' window leaves the surges out."""
    _, con = db.current(tian_store)
    _, page_search = guarded_search(parse("田"), LEADER_P, lambda text: [])
    assert hs.surges_search(hs.HotspotsState(search=page_search))[0] == hs.SURGES_UNCHECKED
    refused = hs.HotspotsState(search=page_search, surge_search=page_search, surges_refused="太多")
    assert hs.surges_search(refused) == ("太多", None)
    plain = parse("田")  # a user who may reveal: the stored text, no check needed
    assert hs.surges_search(hs.HotspotsState(search=plain)) == (None, plain)


def test_the_page_checks_the_search_on_the_surges_window(tian_store, app_env, monkeypatch):
    """The hotspots page, for a user without the reveal right, hands the loader the search checked on the
    surges' window (C80, C82 and C83 hide 田) beside the page's own (October: C80), and counts the surges."""
    from streamlit.testing.v1 import AppTest

    from dashboard.auth import roles
    from tests.apptest_support import APP

    app_env(tian_store)
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    seen = []
    load = hs.load
    monkeypatch.setattr(hs, "load", lambda source, filters, state: seen.append(state) or load(source, filters, state))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"], at.query_params["to"] = "2026-10", "2026-10"
    at.run()
    at.switch_page("app_pages/hotspots.py").run()
    at.text_input(key="hs_q").input("田").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("激增" in w.value for w in at.warning), [w.value for w in at.warning]
    state = seen[-1]
    assert sorted(state.search.hidden[0][0]) == ["C80"]
    assert sorted(state.surge_search.hidden[0][0]) == ["C80", "C82", "C83"]
    assert state.surges_refused is None


# --- a ledger item's key terms ---------------------------------------------------------------------------------
def _effect_months(con, item, month_from, month_to) -> dict:
    from dashboard.analysis import effect

    name, over, _ = effect.item_slice(item)
    frame = effect.slice_months(
        lambda query, **o: db.run(con, query, **F.params(**o)), name, over, month_from, month_to
    )
    return {pd.Timestamp(m).date(): int(n) for m, n in zip(frame["month"], frame["complaints"])}


def _expected_months(con, category, terms, month_from, month_to, masked: bool) -> dict:
    rows = con.execute("select month, business_category, content from complaints").df()
    months = pd.to_datetime(rows["month"]).dt.date
    keep = rows[(rows["business_category"] == category) & (months >= month_from) & (months <= month_to)]
    shown = [mask(c) if masked else c for c in keep["content"].fillna("")]
    counted = [m for m, c in zip(pd.to_datetime(keep["month"]).dt.date, shown) if all(t in c for t in terms)]
    out, m = {}, month_from
    while m <= month_to:
        out[m] = counted.count(m)
        m = add_months(m, 1)
    return out


@pytest.mark.parametrize("terms", [["田"], ["年费", "田"], ["多收"], ["年费"]])
def test_an_items_key_words_count_on_the_masked_text(tian_store, terms):
    """A key word found only inside a masked name (C80, C82) does not count there, for every reader: one
    effect per item (hostile H183); the expectation reads each narrative masked in Python."""
    _, con = db.current(tian_store)
    item = {"source": "similar", "business_category": "信用卡", "key_terms": terms}
    aug = date(2026, 8, 1)
    got = _effect_months(con, item, aug, OCT)
    assert got == _expected_months(con, "信用卡", terms, aug, OCT, masked=True)
    if "田" in terms:
        assert got != _expected_months(con, "信用卡", terms, aug, OCT, masked=False)


def test_an_identifier_a_reveal_user_saved_counts_as_stored(tian_store):
    """A phone (C01: 13812345678) only a user with the reveal right can save follows that number as stored."""
    _, con = db.current(tian_store)
    terms = ["13812345678"]
    item = {"source": "similar", "business_category": "信用卡", "key_terms": terms}
    sep = date(2026, 9, 1)
    got = _effect_months(con, item, sep, OCT)
    assert got == _expected_months(con, "信用卡", terms, sep, OCT, masked=False) == {sep: 1, OCT: 0}


def without_masked_text(data_dir):
    """The store's snapshot as one without complaint_masked (its analysis deferred, or written before it)."""
    from dashboard.ingest.store import current_snapshot

    (current_snapshot(data_dir).path / "complaint_masked.parquet").unlink()
    return data_dir


def test_a_key_word_with_more_hits_than_can_be_masked_is_not_counted_without_the_stored_text(tian_store, monkeypatch):
    from dashboard.analysis import effect

    _, con = db.current(without_masked_text(tian_store))
    monkeypatch.setattr(effect, "TERM_HITS_CHECKED", 1)
    item = {"source": "similar", "business_category": "信用卡", "key_terms": ["多收"]}  # C80, C81, C82
    name, over, _ = effect.item_slice(item)
    run = lambda query, **o: db.run(con, query, **F.params(**o))  # noqa: E731
    assert effect.slice_months(run, name, over, date(2026, 8, 1), OCT) is None
    monkeypatch.setattr(effect, "TERM_HITS_CHECKED", 3)  # all of them masked in Python: counted on the masked text
    assert _effect_months(con, item, date(2026, 8, 1), OCT) == _expected_months(
        con, "信用卡", ["多收"], date(2026, 8, 1), OCT, masked=True
    )


def test_a_key_word_over_the_old_cap_is_counted_from_the_stored_masked_text(tian_store, monkeypatch):
    """With complaint_masked no narrative is masked at count time: no cap, the count still on the masked text."""
    from dashboard.analysis import effect

    _, con = db.current(tian_store)
    monkeypatch.setattr(effect, "TERM_HITS_CHECKED", 0)  # any narrative to mask in Python: not counted (None)
    aug = date(2026, 8, 1)
    for terms in (["多收"], ["田"], ["年费", "田"]):
        item = {"source": "similar", "business_category": "信用卡", "key_terms": terms}
        expected = _expected_months(con, "信用卡", terms, aug, OCT, masked=True)
        assert _effect_months(con, item, aug, OCT) == expected
