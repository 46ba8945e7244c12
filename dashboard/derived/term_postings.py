"""Derived table `term_postings`: one row per (complaint, narrative term), for the hot-topic counts.

complaint_terms holds each complaint's terms as one list. Counting terms over a selection from it means
reading every list of the table (the import writes derived tables in row groups of about a million rows,
so a period filter skips next to nothing) and joining on complaint_id strings. This table flattens the
lists once, at import:

    month     DATE     the complaint's month; rows follow the complaints' order, so a period filter
                       reads only that period's row groups
    position  INTEGER  the complaint's row in complaints.parquet: the read connection shows it as
                       complaints.file_row_number (dashboard/db.py), an integer join key
    term      VARCHAR  one of the narrative's distinct terms

queries/terms_hot.sql counts documents per term by joining the selection's file_row_number to position.

complaint_terms lists the complaints in the order of complaints.parquet (both sorted by received_at,
complaint_id: queries/import_derive_complaints.sql, queries/terms_index_merge.sql), so a complaint's
position is its row in complaint_terms; the build checks that the two orders agree.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard import db
from dashboard.derived import terms_index
from dashboard.ingest.store import Snapshot

NAME = "term_postings"
SCHEMA = pa.schema([("month", pa.date32()), ("position", pa.int32()), ("term", pa.string())])


def flatten(terms: pa.Table) -> pa.Table:
    """complaint_terms rows (month, terms) to postings (month, position, term); position = row number."""
    lists = terms.column("terms").combine_chunks()
    rows = pc.list_parent_indices(lists)
    return pa.table(
        {
            "month": pc.take(terms.column("month"), rows),
            "position": rows.cast(pa.int32()),
            "term": pc.list_flatten(lists),
        },
        schema=SCHEMA,
    )


def _terms_of_this_import(previous: Snapshot | None) -> pa.Table:
    """complaint_terms as this import wrote it: built just before this table, or linked from the previous
    snapshot when the complaints did not change."""
    built, terms_index.last_built = terms_index.last_built, None
    if built is not None:
        return built
    if previous is None or not previous.table(terms_index.NAME).exists():
        raise RuntimeError("term_postings needs complaint_terms, which this import did not write")
    return pq.read_table(previous.table(terms_index.NAME), columns=["complaint_id", "month", "terms"])


def _check_order(con: duckdb.DuckDBPyConnection, terms: pa.Table) -> None:
    """Positions are only right if complaint_terms follows the complaints row by row."""
    con.register("postings_terms", terms.select(["complaint_id"]))
    try:
        ((complaints, mismatched),) = con.execute(
            "select (select count(*) from complaints), count(*) filter (where c.complaint_id is distinct from "
            "t.complaint_id) from (select complaint_id from complaints) c positional join postings_terms t"
        ).fetchall()
    finally:
        con.unregister("postings_terms")
    if mismatched or complaints != terms.num_rows:
        raise RuntimeError("complaint_terms does not follow the order of complaints.parquet")


def build(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> pa.Table:
    terms = _terms_of_this_import(previous)
    _check_order(con, terms)
    return flatten(terms)


MONTH_DOCS = "term_month_docs"


def build_month_docs(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> pa.Table:
    """term_month_docs (month, term, docs): complaints per month whose narrative has the term, the hot
    terms of a selection that is a whole period (queries/terms_hot_all.sql) without joining postings to
    complaints (at ten million complaints that join took 0.2 s of the hotspots page)."""
    return con.sql(db.load_sql("import_term_month_docs")).to_arrow_table()
