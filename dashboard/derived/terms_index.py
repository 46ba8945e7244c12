"""Derived table `complaint_terms`: every complaint's narrative terms, tokenized once at import.

Tokenizing (dashboard.text.terms.tokenize: masking, jieba with the banking dictionary, stop words) runs
at a few thousand narratives per second per core, far too slow for a page. So each import writes
`complaint_terms.parquet` into the new snapshot:

    complaint_id   VARCHAR
    month          DATE       the complaint's month (as in complaints), so that a period filter on this
                              table reads only that period's row groups (rows are sorted by receipt)
    content_md5    VARCHAR    md5 of the narrative (NULL when there is none)
    tokenizer      VARCHAR    fingerprint of the segmentation version, dictionary and stop words
    terms          VARCHAR[]  the narrative's distinct terms in order of first occurrence ([] if none)

and the hot-topic queries (queries/terms_*.sql) join it to filtered_complaints.

The same pass keeps each narrative's masked text (the mask the cut starts with, taken once) for the derived
table `complaint_masked` (dashboard/derived/masked_text.py), built right after this one from `last_masked`.

Incremental: a complaint whose complaint_id, narrative (by MD5) and tokenizer fingerprint match a row
of the previous snapshot keeps that row's terms; only new or changed narratives are tokenized (a new
dictionary or stop-word list changes the fingerprint and so retokenizes everything once). Large batches
are split over worker processes, one per CPU (dashboard.ingest.workers).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterator

import duckdb
import pyarrow as pa

from dashboard import db
from dashboard.ingest import workers as import_workers
from dashboard.ingest.store import Snapshot

NAME = "complaint_terms"
POOL_MIN_TEXTS = 4_000  # below this, the pool's start-up (~1-2 s per worker: jieba) costs more than it saves
CHUNK = 1_000  # at least this many narratives per worker
TOKENIZE_BATCH = 1_000_000  # narratives held as Python objects at once (~1 GB of term lists)

SCHEMA = pa.schema(
    [
        ("complaint_id", pa.string()),
        ("month", pa.date32()),
        ("content_md5", pa.string()),
        ("tokenizer", pa.string()),
        ("terms", pa.list_(pa.string())),
    ]
)
REUSED = ("complaint_id", "content_md5", "tokenizer", "terms")  # what a previous snapshot's table gives
MASKED_NAME = "complaint_masked"  # dashboard/derived/masked_text.py
MASKED_SCHEMA = pa.schema(
    [
        ("complaint_id", pa.string()),
        ("month", pa.date32()),
        ("content_md5", pa.string()),
        ("tokenizer", pa.string()),
        ("masked", pa.string()),  # NULL when the mask changes nothing (most narratives): the narrative itself
    ]
)


def tokenizer_version() -> str:
    """A fingerprint of everything that decides a narrative's terms: the segmentation and masking versions
    (bumped by hand when the code's output changes: hashing the code itself retokenized ten million
    narratives for an edited comment), the segmenter library's version, the dictionaries and the stop words (terms.data_files())."""
    from dashboard.text import learned, masking, terms

    # the masking before the cut decides which names stay out of the terms: its version counts, and so
    # does the learned tagger's state (it finds more names than the rules alone)
    digest = hashlib.sha1(
        f"{terms.SEGMENTATION_VERSION}:{masking.MASKING_VERSION}:{importlib.metadata.version('rjieba')}:"
        f"{learned.fingerprint()}".encode()
    )
    for path in terms.data_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def narrative_terms(text: str | None) -> list[str]:
    """The distinct terms of one narrative, in order of first occurrence."""
    from dashboard.text.terms import tokenize

    return list(dict.fromkeys(tokenize(text)))


def _chunk_terms(texts: list[str | None]) -> list[list[str]]:
    return _chunk_cut(texts)[0]


def _chunk_cut(texts: list[str | None]) -> tuple[list[list[str]], list[str | None]]:
    """(terms, masked text) of each narrative: narrative_terms, and the mask it starts with, kept (NULL when
    it changes nothing) instead of masked a second time."""
    from dashboard.text import masking
    from dashboard.text.terms import cut_masked

    terms: list[list[str]] = []
    shown: list[str | None] = []
    for start in range(0, len(texts), 2_048):  # the learned name tagger reads a block at once
        block = texts[start : start + 2_048]
        masking.prefetch(block)
        for text in block:
            if not isinstance(text, str) or not text:  # tokenize's own test: no terms, nothing masked
                terms.append([])
                shown.append(None)
                continue
            masked = masking.mask(text)
            terms.append(list(dict.fromkeys(cut_masked(masked))))
            shown.append(None if masked == text else masked)
    return terms, shown


def tokenize_all(texts: list[str | None], workers: int | None = None) -> list[list[str]]:
    """Terms of every narrative (cut_all without the masked texts)."""
    return cut_all(texts, workers)[0]


def cut_all(texts: list[str | None], workers: int | None = None) -> tuple[list[list[str]], list[str | None]]:
    """(terms, masked text) of every narrative; with many narratives, split over one worker process per CPU.
    Each distinct narrative is cut once (a narrative's terms depend on its text alone) and its terms are shared
    by its copies."""
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == len(texts):
        return _tokenize_distinct(texts, workers)
    terms, shown = _tokenize_distinct(distinct, workers)
    terms_of = dict(zip(distinct, terms))
    shown_of = dict(zip(distinct, shown))
    return [list(terms_of[t]) for t in texts], [shown_of[t] for t in texts]


def _tokenize_distinct(texts: list[str | None], workers: int | None = None) -> tuple[list[list[str]], list[str | None]]:
    workers = min(workers or import_workers.count(), max(1, len(texts) // CHUNK))
    if workers == 1 or len(texts) < POOL_MIN_TEXTS:
        return _chunk_cut(texts)
    bounds = [len(texts) * i // workers for i in range(workers + 1)]
    inputs = [
        pa.table({"content": pa.array(texts[bounds[i] : bounds[i + 1]], type=pa.string())}) for i in range(workers)
    ]
    terms: list[list[str]] = []
    shown: list[str | None] = []
    for table in import_workers.run(__name__, inputs, "投诉内容分词"):
        terms.extend(table.column("terms").to_pylist())
        shown.extend(table.column("masked").to_pylist())
    return terms, shown


def _worker(table: pa.Table) -> pa.Table:
    """A worker process's share: `python -m dashboard.derived.terms_index IN OUT` (dashboard.ingest.workers)."""
    terms, shown = _chunk_cut(table.column("content").to_pylist())
    return pa.table({"terms": pa.array(terms, type=pa.list_(pa.string())), "masked": pa.array(shown, pa.string())})


def _previous_table(
    con: duckdb.DuckDBPyConnection, previous: Snapshot | None, columns: tuple[str, ...] = (*REUSED, "masked")
) -> pa.Table | None:
    """The previous snapshot's rows that can be reused: its complaint_terms joined to its complaint_masked
    (queries/terms_index_previous.sql). A snapshot without complaint_masked (written before it existed)
    gives none: every narrative is cut again once, which writes its masked text too."""
    if previous is None or not previous.table(NAME).exists() or not previous.table(MASKED_NAME).exists():
        return None
    import pyarrow.parquet as pq

    path = previous.table(NAME)
    if set(REUSED) - set(pq.read_schema(path).names):
        return None  # written by an older layout: retokenize
    con.read_parquet(str(path)).create_view("previous_terms_file", replace=True)
    con.read_parquet(str(previous.table(MASKED_NAME))).create_view("previous_masked_file", replace=True)
    try:
        rows = con.sql(db.load_sql("terms_index_previous")).select(", ".join(columns)).to_arrow_table()
    finally:
        con.execute("drop view previous_terms_file; drop view previous_masked_file")
    return rows.cast(_reused_schema(columns))


def _reused_schema(columns: tuple[str, ...] = (*REUSED, "masked")) -> pa.Schema:
    return pa.schema([(MASKED_SCHEMA if name == "masked" else SCHEMA).field(name) for name in columns])


def _tokenize_todo(todo: duckdb.DuckDBPyRelation) -> pa.Table:
    """(complaint_id, terms) of the todo query's rows, TOKENIZE_BATCH narratives at a time: ten million
    narratives as Python strings and term lists would not fit in memory at once; Arrow columns do."""
    parts = []
    for batch in gathered(todo.to_arrow_reader(TOKENIZE_BATCH), TOKENIZE_BATCH):
        terms, shown = cut_all(batch.column("content").to_pylist())
        parts.append(
            pa.table(
                {
                    "complaint_id": batch.column("complaint_id"),
                    "terms": pa.array(terms, type=pa.list_(pa.string())),
                    "masked": pa.array(shown, type=pa.string()),
                }
            )
        )
    if not parts:
        return pa.table(
            {
                "complaint_id": pa.array([], pa.string()),
                "terms": pa.array([], pa.list_(pa.string())),
                "masked": pa.array([], pa.string()),
            }
        )
    return pa.concat_tables(parts)


def gathered(reader: pa.RecordBatchReader, rows: int) -> Iterator[pa.Table]:
    """The reader's batches as tables of at least `rows` rows (the last one fewer). DuckDB's reader yields
    its own parts whatever batch size it is asked for (two of ~150,000 rows for a todo of 300,000: one per
    thread), and each part tokenized alone started a worker pool of its own (~1 CPU s a worker, caches cold
    again), deduplicated its narratives apart, and ran in this process alone below POOL_MIN_TEXTS."""
    pending: list[pa.RecordBatch] = []
    count = 0
    for batch in reader:
        pending.append(batch)
        count += batch.num_rows
        if count >= rows:
            yield pa.Table.from_batches(pending)
            pending, count = [], 0
    if pending:
        yield pa.Table.from_batches(pending)


# The table the last build returned: term_postings (registered after it) flattens it in the same import
# instead of reading the file back (dashboard/derived/term_postings.py, which also clears it).
last_built: pa.Table | None = None
# The masked texts of that build, for complaint_masked (dashboard/derived/masked_text.py, which clears it).
last_masked: pa.Table | None = None


def ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the snapshot has the hot-term tables (an import with the narrative analysis deferred has not:
    its complaint_terms is an empty stand-in, dashboard/db.py, until `python -m dashboard rebuild`)."""
    return ready_in(db.tables(con))


def ready_in(tables: frozenset[str]) -> bool:
    """ready() for a snapshot offering `tables`."""
    return {"term_postings", "term_month_docs"} <= tables


def todo_count(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> int:
    """How many narratives build would tokenize (new or changed since `previous`'s complaint_terms): what
    decides whether an import publishes its numbers before its narrative analysis (ingest/pipeline.py)."""
    keys = ("complaint_id", "content_md5", "tokenizer")  # the terms themselves are not needed to count
    con.register("previous_terms", _previous_table(con, previous, keys) or _reused_schema(keys).empty_table())
    try:
        todo = con.sql(db.load_sql("terms_index_todo"), params={"tokenizer": tokenizer_version()})
        return int(todo.aggregate("count(*)").fetchall()[0][0])
    finally:
        con.unregister("previous_terms")


def build(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> pa.Table:
    """The complaint_terms table of the snapshot being written (`complaints` is the new snapshot's)."""
    version = tokenizer_version()
    con.register("previous_terms", _previous_table(con, previous) or _reused_schema().empty_table())
    try:
        fresh = _tokenize_todo(con.sql(db.load_sql("terms_index_todo"), params={"tokenizer": version}))
        con.register("fresh_terms", fresh)
        try:
            merged = con.sql(db.load_sql("terms_index_merge"), params={"tokenizer": version}).to_arrow_table()
            global last_built, last_masked
            last_masked = merged.select(MASKED_SCHEMA.names).cast(MASKED_SCHEMA)
            last_built = merged.select(SCHEMA.names).cast(SCHEMA)  # term_postings is flattened from it
            return last_built
        finally:
            con.unregister("fresh_terms")
    finally:
        con.unregister("previous_terms")


if __name__ == "__main__":
    import_workers.serve(_worker)
