"""Issues 15, 21: the masked narrative stored at import (complaint_masked) decides the search's hidden hits in
SQL, for every hit, with no cap; without it (analysis deferred, an older snapshot) the hits are masked in
Python, capped, as before. The expectation: each narrative masked in Python (search_guard.hidden_in on every
hit), on hand-written narratives and on the small bank."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard import db
from dashboard.analysis import hotspots as hs
from dashboard.auth.roles import LEADER, Principal
from dashboard.derived import terms_index
from dashboard.derived.masked_text import current_tokenizer
from dashboard.filters import Filters
from dashboard.ingest.store import current_snapshot
from dashboard.text import search_guard
from dashboard.text.masking import fold_fullwidth, mask
from dashboard.text.search_query import parse
from dashboard.ui.complaint_list import TOO_MANY, guarded_search
from tests.conftest import COMPLAINTS, write_small_extracts
from tests.test_search_oracles import _with_tian

LEADER_P = Principal("leader@bank.test", LEADER)
ALL = Filters(month_from=date(2026, 1, 1), month_to=date(2026, 12, 1))

HAND = [  # (id, narrative): names, an e-mail, an ID, a card, a Latin name, and the same characters readable
    ("H01", "客户李春花反映信用卡年费被多收，联系邮箱 lichunhua@example.com。"),
    ("H02", "我叫王小明，身份证号110101199003071234，要求退还违约金。"),
    ("H03", "张先生来电称卡号6222020200112233445被盗刷，客户王小明的家属陪同。"),
    ("H04", "客户反映春花路网点排队时间长，小明同学也在。"),
    ("H05", "Customer Zhang Wei complained about the annual fee, email zhangwei@test.cn"),
    ("H06", "年费"),
    ("H07", "客户致电１３９１２３４５６７８反映第１支行１２月多收年费。"),  # full-width, as GBK exports write them
]


def _with_hand(folder):
    rows = []
    for i, (cid, narrative) in enumerate(HAND):
        row = list(COMPLAINTS[0])
        row[0], row[1], row[2], row[11] = (
            cid,
            f"2026-10-{i + 2:02d} 09:00:00",
            f"2026-10-{i + 2:02d} 09:00:00",
            narrative,
        )
        rows.append(tuple(row))
    return write_small_extracts(folder, complaints=[*COMPLAINTS, *rows])


@pytest.fixture
def hand_store(store_factory):
    return store_factory("masked_hand_narratives", _with_hand)


def _stored(con, text: str, limit: int = 0) -> pd.DataFrame:
    return db.run(
        con,
        "complaints_search_hidden",
        **ALL.params(**hs.selection_overrides(ALL, None)),
        search=text,
        tokenizer=current_tokenizer(),
        limit=limit,
    )


def _python(con, text: str) -> list[str]:
    """The old check: every narrative holding the text, masked in Python."""
    rows = con.execute("select complaint_id, content from complaints").fetchall()
    needle = text.strip().lower()
    pairs = [(cid, c) for cid, c in rows if isinstance(c, str) and needle in fold_fullwidth(c).lower()]
    return sorted(search_guard.hidden_in(text, pairs))


def _words(con) -> list[str]:
    """Every substring of one to three characters of every narrative (no space at either end)."""
    out = set()
    for (content,) in con.execute("select content from complaints where content is not null").fetchall():
        for n in (1, 2, 3):
            out.update(content[i : i + n] for i in range(len(content) - n + 1))
    out |= {fold_fullwidth(w) for w in out}  # the search folds full-width digits before it reads (H266)
    return sorted(w for w in out if w == w.strip())


@pytest.mark.parametrize("store", ["hand_store", "small_store"])
def test_the_sql_check_equals_the_python_check_for_every_substring(store, request):
    _, con = db.current(request.getfixturevalue(store))
    words = _words(con)
    hidden_somewhere = 0
    for word in words:
        found = _stored(con, word)
        assert not found["unchecked"].any(), word  # the table covers every narrative
        assert sorted(found["complaint_id"]) == _python(con, word), word
        hidden_somewhere += bool(len(found))
    assert hidden_somewhere > (20 if store == "hand_store" else 2)  # the fixture hides something to find


def test_the_stored_masked_text_is_the_mask_of_each_narrative(hand_store):
    snapshot, con = db.current(hand_store)
    rows = pq.read_table(snapshot.table("complaint_masked")).to_pylist()
    contents = dict(con.execute("select complaint_id, content from complaints").fetchall())
    assert sorted(r["complaint_id"] for r in rows) == sorted(contents)
    assert {r["tokenizer"] for r in rows} == {terms_index.tokenizer_version()}
    for row in rows:
        cid, masked = row["complaint_id"], row["masked"]
        assert (masked if masked is not None else contents[cid]) == mask(contents[cid]), cid
        assert masked is None or masked != contents[cid]  # NULL where the mask changes nothing
    assert sum(r["masked"] is not None for r in rows) >= 5


def _hits(con, overrides):
    return lambda text: db.run(
        con,
        "complaints_search_hidden",
        **ALL.params(**overrides),
        search=text,
        tokenizer=current_tokenizer(),
        limit=search_guard.HITS_CHECKED + 1,
    ).itertuples(index=False)


def test_a_word_over_the_old_cap_is_not_refused_when_the_table_exists(hand_store, monkeypatch):
    _, con = db.current(hand_store)
    monkeypatch.setattr(search_guard, "HITS_CHECKED", 0)
    monkeypatch.setattr(search_guard, "_only_masked", lambda *a: pytest.fail("a narrative masked at search time"))
    refused, search = guarded_search(parse("小 OR 春花"), LEADER_P, _hits(con, hs.selection_overrides(ALL, None)))
    assert refused is None
    assert [sorted(ids) for ids in search.hidden[0]] == [["H02", "H03"], ["H01"]]  # H04 reads both


def test_without_the_table_the_hits_are_masked_in_python_and_capped(hand_store, monkeypatch):
    (current_snapshot(hand_store).path / "complaint_masked.parquet").unlink()
    _, con = db.current(hand_store)
    assert db.run(con, "snapshot_tables")["name"].eq("complaint_masked").any()  # the empty stand-in
    hits = _hits(con, hs.selection_overrides(ALL, None))
    refused, search = guarded_search(parse("小 OR 春花"), LEADER_P, hits)
    assert refused is None and [sorted(ids) for ids in search.hidden[0]] == [["H02", "H03"], ["H01"]]
    monkeypatch.setattr(search_guard, "HITS_CHECKED", 2)  # 小: H02, H03, H04 to mask here
    refused, search = guarded_search(parse("小"), LEADER_P, hits)
    assert search is None and refused == TOO_MANY.format("小", 2)


def test_a_row_of_another_masking_is_not_used(hand_store):
    """A stored row whose tokenizer is not the running code's is masked in Python (the masking changed)."""
    _, con = db.current(hand_store)
    found = db.run(
        con,
        "complaints_search_hidden",
        **ALL.params(**hs.selection_overrides(ALL, None)),
        search="小",
        tokenizer="another",
        limit=100,
    )
    assert found["unchecked"].all() and sorted(found["complaint_id"]) == ["H02", "H03", "H04"]
    assert sorted(search_guard.hidden_in("小", found.itertuples(index=False))) == ["H02", "H03"]


def test_the_tian_store_reads_the_same(store_factory):
    """The narratives of test_search_oracles (田 inside masked names), the whole year."""
    _, con = db.current(store_factory("tian_narratives", _with_tian))
    for word in ("田", "田某", "王田", "油田", "年费"):
        assert sorted(_stored(con, word)["complaint_id"]) == _python(con, word), word


def test_full_width_digits_are_searched_as_ascii_and_a_phone_middle_stays_hidden(hand_store):
    """H266: the search folds full-width digits (parse: NFKC), so the narrative is read folded too. 第１支行 and
    １２月 in H07 are found as written or in ASCII; 912, the hidden middle of its full-width phone, is found
    only inside the masked span there (so it counts as absent), by the SQL check and the Python one."""
    _, con = db.current(hand_store)
    hits = _hits(con, hs.selection_overrides(ALL, None))
    for typed in ("第1支行", "第１支行", "１２月", "12月"):
        refused, search = guarded_search(parse(typed), LEADER_P, hits)
        assert refused is None, typed
        assert search.hidden == (((),),), typed  # found, and not inside a masked span
        listed = db.run(con, "complaints_count", **ALL.params(**hs.list_overrides(ALL, None, search=search)))
        assert int(listed.iloc[0, 0]) == 1, typed
    refused, search = guarded_search(parse("９１２"), LEADER_P, hits)
    assert refused is None and search.hidden == ((("H07",),),)
    listed = db.run(con, "complaints_count", **ALL.params(**hs.list_overrides(ALL, None, search=search)))
    assert int(listed.iloc[0, 0]) == 0
    assert _python(con, "912") == ["H07"]
