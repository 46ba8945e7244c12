"""term_postings (dashboard/derived/term_postings.py): a row per complaint and narrative term, keyed by the
complaint's row in complaints.parquet, checked against the term lists and the file read with pandas."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from dashboard.derived import term_postings
from dashboard.ingest.store import current_snapshot


def test_postings_are_the_term_lists_by_row_of_the_complaints_file(small_store):
    snapshot = current_snapshot(small_store)
    complaints = pd.read_parquet(snapshot.table("complaints"), columns=["complaint_id", "month"])
    terms = pd.read_parquet(snapshot.table("complaint_terms"), columns=["complaint_id", "terms"])
    lists = dict(zip(terms["complaint_id"], terms["terms"]))
    expected = sorted(
        (str(month)[:10], row, term)
        for row, (cid, month) in enumerate(zip(complaints["complaint_id"], complaints["month"]))
        for term in lists[cid]
    )
    postings = pd.read_parquet(snapshot.table("term_postings"))
    got = sorted((str(m)[:10], int(p), t) for m, p, t in zip(postings["month"], postings["position"], postings["term"]))
    assert got == expected
    assert any(t == "年费" for _, _, t in got)


def test_complaints_in_another_order_are_refused():
    con = duckdb.connect()
    con.execute("create view complaints as select * from (values ('A'), ('B')) t(complaint_id)")
    with pytest.raises(RuntimeError, match="order"):
        term_postings._check_order(con, pa.table({"complaint_id": ["B", "A"]}))
    term_postings._check_order(con, pa.table({"complaint_id": ["A", "B"]}))
