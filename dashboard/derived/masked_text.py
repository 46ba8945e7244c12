"""Derived table `complaint_masked`: every complaint's narrative as a user without the reveal right sees it.

    complaint_id   VARCHAR
    month          DATE      as in complaints (rows sorted by receipt: a period filter reads its row groups)
    content_md5    VARCHAR   md5 of the narrative it was masked from
    tokenizer      VARCHAR   terms_index.tokenizer_version() (it holds the masking's version and the tagger's)
    masked         VARCHAR   mask(narrative); NULL when the mask changes nothing (most narratives)
    masked_search  VARCHAR   search_fold(masked) (queries/macro_search_fold.sql): the masked text as the search
                             reads it, folded here once instead of at every search; NULL with masked

Written by the pass that cuts complaint_terms (terms_index.build keeps the mask the cut starts with, in
`last_masked`), so it costs no second masking; reused and deferred with it. The search guard reads it
(queries/complaints_search_hidden.sql, ledger_effect_term_hidden.sql): the complaints whose stored narrative
holds a word that their masked one does not, in one query, without masking anything at search time. A row
whose MD5 or tokenizer does not match the narrative and the running code is not used: such hits are masked
in Python as before, capped (search_guard.checked_hits). A snapshot without the table (analysis deferred,
written before it existed) gets an empty stand-in (queries/masked_placeholder.sql): every hit is then checked
that way. A table written before masked_search existed gets it folded at query time (dashboard/db.open_snapshot).
"""

from __future__ import annotations

import functools

import duckdb
import pyarrow as pa

from dashboard import db
from dashboard.derived import terms_index
from dashboard.ingest.store import Snapshot

NAME = terms_index.MASKED_NAME
SCHEMA = terms_index.MASKED_SCHEMA.append(pa.field(db.MASKED_SEARCH_COLUMN, pa.string()))


@functools.lru_cache(maxsize=1)
def current_tokenizer() -> str:
    """The running code's fingerprint, which a stored row must carry to be used (hashing the dictionaries
    costs tens of milliseconds: once per process)."""
    return terms_index.tokenizer_version()


def build(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> pa.Table:
    """The masked texts complaint_terms' build just kept. When that table was linked from the previous snapshot
    instead (the complaints did not change) there are none: an empty table, so every hit is checked in Python
    (fail closed as before) and the next import that cuts narratives writes them all (terms_index reuses no
    row without its masked text)."""
    built, terms_index.last_masked = terms_index.last_masked, None
    if built is None:
        return SCHEMA.empty_table()
    con.execute(db.load_sql("macro_search_fold"))
    folded = db.with_search_fold(con.from_arrow(built), "masked", db.MASKED_SEARCH_COLUMN)
    return folded.fetch_arrow_table().cast(SCHEMA)
