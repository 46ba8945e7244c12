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
    from dashboard.text import masking
    from dashboard.text.terms import tokenize

    out: list[list[str]] = []
    for start in range(0, len(texts), 2_048):  # the learned name tagger reads a block at once
        block = texts[start : start + 2_048]
        masking.prefetch(block)
        out.extend(list(dict.fromkeys(tokenize(t))) for t in block)  # narrative_terms, its import hoisted
    return out


def tokenize_all(texts: list[str | None], workers: int | None = None) -> list[list[str]]:
    """Terms of every narrative; with many narratives, split over one worker process per CPU. Each distinct
    narrative is cut once (a narrative's terms depend on its text alone) and its terms are shared by its
    copies."""
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == len(texts):
        return _tokenize_distinct(texts, workers)
    terms_of = dict(zip(distinct, _tokenize_distinct(distinct, workers)))
    return [list(terms_of[t]) for t in texts]


def _tokenize_distinct(texts: list[str | None], workers: int | None = None) -> list[list[str]]:
    workers = min(workers or import_workers.count(), max(1, len(texts) // CHUNK))
    if workers == 1 or len(texts) < POOL_MIN_TEXTS:
        return _chunk_terms(texts)
    bounds = [len(texts) * i // workers for i in range(workers + 1)]
    inputs = [
        pa.table({"content": pa.array(texts[bounds[i] : bounds[i + 1]], type=pa.string())}) for i in range(workers)
    ]
    out: list[list[str]] = []
    for table in import_workers.run(__name__, inputs, "投诉内容分词"):
        out.extend(table.column("terms").to_pylist())
    return out


def _worker(table: pa.Table) -> pa.Table:
    """A worker process's share: `python -m dashboard.derived.terms_index IN OUT` (dashboard.ingest.workers)."""
    texts = table.column("content").to_pylist()
    return pa.table({"terms": pa.array(_chunk_terms(texts), type=pa.list_(pa.string()))})


def _previous_table(previous: Snapshot | None, columns: tuple[str, ...] = REUSED) -> pa.Table | None:
    if previous is None or not previous.table(NAME).exists():
        return None
    import pyarrow.parquet as pq

    path = previous.table(NAME)
    if set(REUSED) - set(pq.read_schema(path).names):
        return None  # written by an older layout: retokenize
    return pq.read_table(path, columns=list(columns)).cast(_reused_schema(columns))


def _reused_schema(columns: tuple[str, ...] = REUSED) -> pa.Schema:
    return pa.schema([SCHEMA.field(name) for name in columns])


def _tokenize_todo(todo: duckdb.DuckDBPyRelation) -> pa.Table:
    """(complaint_id, terms) of the todo query's rows, TOKENIZE_BATCH narratives at a time: ten million
    narratives as Python strings and term lists would not fit in memory at once; Arrow columns do."""
    parts = []
    for batch in gathered(todo.to_arrow_reader(TOKENIZE_BATCH), TOKENIZE_BATCH):
        terms = tokenize_all(batch.column("content").to_pylist())
        parts.append(
            pa.table(
                {"complaint_id": batch.column("complaint_id"), "terms": pa.array(terms, type=pa.list_(pa.string()))}
            )
        )
    if not parts:
        return pa.table({"complaint_id": pa.array([], pa.string()), "terms": pa.array([], pa.list_(pa.string()))})
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
    con.register("previous_terms", _previous_table(previous, keys) or _reused_schema(keys).empty_table())
    try:
        todo = con.sql(db.load_sql("terms_index_todo"), params={"tokenizer": tokenizer_version()})
        return int(todo.aggregate("count(*)").fetchall()[0][0])
    finally:
        con.unregister("previous_terms")


def build(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> pa.Table:
    """The complaint_terms table of the snapshot being written (`complaints` is the new snapshot's)."""
    version = tokenizer_version()
    con.register("previous_terms", _previous_table(previous) or _reused_schema().empty_table())
    try:
        fresh = _tokenize_todo(con.sql(db.load_sql("terms_index_todo"), params={"tokenizer": version}))
        con.register("fresh_terms", fresh)
        try:
            merged = con.sql(db.load_sql("terms_index_merge"), params={"tokenizer": version})
            global last_built
            last_built = merged.to_arrow_table().cast(SCHEMA)  # term_postings is flattened from it
            return last_built
        finally:
            con.unregister("fresh_terms")
    finally:
        con.unregister("previous_terms")


if __name__ == "__main__":
    import_workers.serve(_worker)
