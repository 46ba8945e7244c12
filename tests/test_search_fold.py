"""Issue 21: the search's full-width fold is stored at import (complaints.search_text, queries/macro_search_fold.sql)
instead of computed by every search. The expectations: masking.fold_search(...).lower() of each narrative, and the
narratives that match a search read off by hand (Search.matches is the Python predicate). A snapshot written before
the column existed searches the same (folded at query time) until a rebuild writes it."""

from __future__ import annotations

from datetime import date

import pyarrow.parquet as pq
import pytest

from dashboard import db
from dashboard.analysis import hotspots as hs
from dashboard.auth.roles import LEADER, Principal
from dashboard.derived.masked_text import current_tokenizer
from dashboard.filters import Filters
from dashboard.ingest import pipeline
from dashboard.ingest.store import current_snapshot
from dashboard.text import search_guard
from dashboard.text.masking import fold_search
from dashboard.text.search_query import parse
from dashboard.ui.complaint_list import guarded_search
from tests.conftest import COMPLAINTS, write_small_extracts

LEADER_P = Principal("leader@bank.test", LEADER)  # may not reveal personal data
ALL = Filters(month_from=date(2026, 1, 1), month_to=date(2026, 12, 1))

FOLD_NARRATIVES = [  # (id, narrative): full-width letters, digits and signs as GBK exports write them
    ("W1", "客户在第１支行ＡＴＭ机取款，卡被吞。"),
    ("W2", "第1支行的ATM机吞卡，客户要求处理"),
    ("W3", "客户致电１３９１２３４５６７８反映信用卡年费被多收"),
    ("W4", "信用卡（Ｅｔｃ）账单有误"),
]
# (typed, the narratives of FOLD_NARRATIVES that match, read by hand; the small bank's own narratives have none
# of these words)
SEARCHES = [
    ("第1支行", {"W1", "W2"}),
    ("第１支行", {"W1", "W2"}),
    ("atm", {"W1", "W2"}),
    ("ＡＴＭ机", {"W1", "W2"}),
    ("(etc)", {"W4"}),
    ("（ｅｔｃ）", {"W4"}),
    ("卡 NOT ａｔｍ", {"W3", "W4"}),
    ("取款，卡", {"W1"}),
    ("取款,卡", {"W1"}),
    ("１３９", {"W3"}),
]


def _with_fold(folder):
    rows = []
    for i, (cid, narrative) in enumerate(FOLD_NARRATIVES):
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
def fold_store(store_factory):
    return store_factory("fold_narratives", _with_fold)


def _listed(con, search) -> set[str]:
    """The complaints the hotspots page lists for the search (every page row)."""
    overrides = hs.list_overrides(ALL, None, search=search)
    rows = db.run(
        con,
        "complaints_list",
        **ALL.params(**overrides),
        sort_key="complaint_id",
        sort_desc=False,
        limit=1000,
        offset=0,
    )
    return set(rows["complaint_id"])


def _fold_ids(ids) -> set[str]:
    return {i for i in ids if i.startswith("W")}


def test_the_import_stores_each_narratives_fold(fold_store):
    table = pq.read_table(current_snapshot(fold_store).table("complaints"), columns=["content", "search_text"])
    rows = table.to_pylist()
    assert len(rows) == len(COMPLAINTS) + len(FOLD_NARRATIVES)
    for row in rows:
        content = row["content"]
        assert row["search_text"] == (None if content is None else fold_search(content).lower()), content
    assert any(row["search_text"] != row["content"] for row in rows)


@pytest.mark.parametrize("typed,expected", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_full_width_searches_and_narratives_find_each_other(fold_store, typed, expected):
    _, con = db.current(fold_store)
    search = parse(typed)
    assert _fold_ids(_listed(con, search)) == expected
    contents = dict(con.execute("select complaint_id, content from complaints").fetchall())
    assert _fold_ids(k for k, v in contents.items() if search.matches(v)) == expected


def test_the_search_reads_the_stored_fold(fold_store):
    """The page's search and the guard's check read search_text, not the narrative: a stored text changed by hand
    is what they find."""
    path = current_snapshot(fold_store).table("complaints")
    table = pq.read_table(path)
    texts = table.column("search_text").to_pylist()
    ids = table.column("complaint_id").to_pylist()
    texts[ids.index("W4")] = "zqxj"
    texts[ids.index("W3")] = "信用卡年费被多收"  # its phone gone from the stored text alone
    column = table.schema.get_field_index("search_text")
    pq.write_table(table.set_column(column, "search_text", [texts]), path)
    _, con = db.current(fold_store)
    assert _listed(con, parse("zqxj")) == {"W4"}
    assert _fold_ids(_listed(con, parse("etc"))) == set()
    hidden = db.run(
        con,
        "complaints_search_hidden",
        **ALL.params(**hs.selection_overrides(ALL, None)),
        search="912",
        tokenizer=current_tokenizer(),
        limit=10,
    )
    assert hidden.empty  # the narrative holds 912 (masked), its stored text does not: no hit to check


def test_a_full_width_phone_middle_is_not_found_without_the_reveal_right(fold_store):
    """The middle of W3's full-width phone (９１２ folds to 912) is masked: for a user without the reveal right the
    search finds nothing, typed in either width, while its visible head (１３９) is found."""
    _, con = db.current(fold_store)
    hits = lambda text: db.run(  # noqa: E731
        con,
        "complaints_search_hidden",
        **ALL.params(**hs.selection_overrides(ALL, None)),
        search=text,
        tokenizer=current_tokenizer(),
        limit=search_guard.HITS_CHECKED + 1,
    ).itertuples(index=False)
    for typed in ("９１２", "912", "１２３"):
        refused, search = guarded_search(parse(typed), LEADER_P, hits)
        assert refused is None and "W3" in search.hidden[0][0], typed  # (the small bank hides 123 in C01 too)
        assert _fold_ids(_listed(con, search)) == set(), typed
    refused, search = guarded_search(parse("１３９"), LEADER_P, hits)
    assert refused is None and _fold_ids(_listed(con, search)) == {"W3"}


def test_the_masked_texts_fold_is_stored_too(fold_store):
    rows = pq.read_table(current_snapshot(fold_store).table("complaint_masked")).to_pylist()
    for row in rows:
        masked = row["masked"]
        assert row["masked_search"] == (None if masked is None else fold_search(masked).lower()), row["complaint_id"]
    assert any(row["masked_search"] is not None for row in rows)


def _strip_search_text(data_dir) -> None:
    """The snapshot as an import before this change wrote it: complaints.parquet without search_text,
    complaint_masked.parquet without masked_search."""
    snapshot = current_snapshot(data_dir)
    path = snapshot.table("complaints")
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["search_text"]), path, row_group_size=pipeline.COMPLAINT_ROW_GROUP)
    path = snapshot.table("complaint_masked")
    pq.write_table(pq.read_table(path).drop_columns(["masked_search"]), path)


def test_a_snapshot_without_the_column_searches_the_same_and_a_rebuild_stores_it(fold_store):
    _strip_search_text(fold_store)
    old = current_snapshot(fold_store)
    assert not db.stores_search_text(old.table("complaints"))
    _, con = db.current(fold_store)
    for typed, expected in SEARCHES:
        assert _fold_ids(_listed(con, parse(typed))) == expected, typed
    hidden = db.run(
        con,
        "complaints_search_hidden",
        **ALL.params(**hs.selection_overrides(ALL, None)),
        search="912",
        tokenizer=current_tokenizer(),
        limit=10,
    )
    assert list(hidden["complaint_id"]) == ["W3"] and not hidden["unchecked"].any()
    detail = db.run(con, "complaints_detail", **ALL.params(complaint_id="W1"))
    assert "search_text" not in detail.columns and len(detail) == 1

    new = pipeline.rebuild(fold_store)
    assert new.version != old.version and db.stores_search_text(new.table("complaints"))
    assert "masked_search" in pq.read_schema(new.table("complaint_masked")).names
    _, con = db.current(fold_store)
    for typed, expected in SEARCHES:
        assert _fold_ids(_listed(con, parse(typed))) == expected, typed


def test_the_detail_leaves_the_fold_out(fold_store):
    """complaint detail returns every stored column but search_text (the narrative unmasked, not for display)."""
    _, con = db.current(fold_store)
    detail = db.run(con, "complaints_detail", **ALL.params(complaint_id="W1"))
    assert len(detail) == 1 and "search_text" not in detail.columns and "content" in detail.columns
