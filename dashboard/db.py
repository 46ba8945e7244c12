"""The query layer's plumbing: SQL files by name, bound parameters, one read connection per snapshot.

Every number the app, the exports and the report command show comes from `run(name, **params)` over
queries/<name>.sql. Parameters are DuckDB named parameters ($name), always bound, never formatted in.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from dashboard.config import QUERIES_DIR
from dashboard.ingest.store import KEEP_VERSIONS, Snapshot

_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_COMMENT = re.compile(r"--[^\n]*")
_NAME = re.compile(r"[a-z][a-z0-9_]*")

# Table macros every page query builds on (the global filter set, subtree customer bases).
MACROS = (
    "macro_search_fold",
    "macro_repeat_window",
    "macro_unfiltered",
    "macro_stored_repeat_rule",
    "macro_per_10k",
    "macro_group_customers",
    "macro_on_time_rate",
    "macro_open_age",
    "macro_last_seen",
    "macro_repeat_rate",
    "macro_outcome_rates",
    "macro_regulator_ratios",
    "macro_filtered_rows",
    "macro_filtered_complaints",
    "macro_search_match",
    "macro_scoped_is_repeat",
    "macro_drilled_complaints",
    "macro_customer_gaps",
    "macro_subtree_customers",
    "macro_surge_slices",
    "macro_recurring",
    "macro_tier1",
    "repeats_flags",
    "macro_headline",
    "macro_repeat_months",
)
# Tables with a row per complaint (or per complaint and term), similar_windows, which only imports read,
# the import log and the row versions imports compare with: read from their Parquet files, never
# copied into memory.
ON_DISK = frozenset(
    {
        "complaints",
        "complaint_terms",
        "complaint_masked",
        "term_postings",
        "similar_windows",
        "imports",
        "complaint_row_versions",
    }
)
# Read with file_row_number, their rows' order in the file: complaints (the key of per-complaint derived
# tables) and the import log (appended in import order; imported_at has whole seconds, so two imports in
# one second are told apart by it).
WITH_ROW_NUMBER = frozenset({"complaints", "imports"})
# complaints' stored search fold (queries/import_derive_complaints.sql) and complaint_masked's
# (derived/masked_text.py); a file written before them has none
SEARCH_TEXT_COLUMN = "search_text"
MASKED_SEARCH_COLUMN = "masked_search"
RESIDENT_FILE = "resident.duckdb"  # the other tables of a snapshot, written by the import (write_resident)
# The layout of the snapshots this code reads, written into each one's meta.json by the import. Bump it
# when a derived table is added or changes its columns: an older snapshot then shows 数据需要重建
# (dashboard/ui/outdated.py, `python -m dashboard report`) until REBUILD_COMMAND writes it anew. complaints'
# search_text needed no bump: a file without it gets it folded at query time (complaints_view).
SNAPSHOT_FORMAT = 3  # 2: granted_days, is_elderly on complaints; complaint_cube by basis, group, deadline; 3: repeat_depth (merged basis in a scope)
REBUILD_COMMAND = "python -m dashboard rebuild"


# Queries whose result is a function of the snapshot and their bound parameters alone (no clock, no ledger, no
# session; at most the user's scope): every cold page view asks them, several of them several times (the sidebar,
# then each section of the page), at a fixed 2-8 ms a statement (docs/performance.md, "Planning cost (eleventh
# session)"). A snapshot's files never change, and every import or revert publishes a new version, opened on a
# connection of its own (catalog_for), so run() keeps their results per snapshot connection (open_snapshot
# registers it; no other connection is cached) and shares them with every view and session of the process. The
# old version's results go with its connection: a published import is never served stale.
SNAPSHOT_ONLY = frozenset(
    {
        "branch_options",
        "snapshot_tables",
        "snapshot_as_of",
        "no_customer_key",
        "trends_data_start",
        "trends_coverage",
        "surges_data_start",
        "terms_tokenizer",
    }
)
SNAPSHOT_RESULTS_KEPT = 512  # per snapshot connection: (query, parameters) pairs, least recently used dropped
_results: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, OrderedDict] = weakref.WeakKeyDictionary()
_results_lock = threading.Lock()


class QueryError(Exception):
    pass


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    if not _NAME.fullmatch(name):  # a query's name, never a path or SQL
        raise QueryError(f"not a query name: {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def parameters(name: str) -> frozenset[str]:
    """The named parameters a query uses (comments excluded)."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", load_sql(name))))


def bind(name: str, params: dict) -> dict:
    """Exactly the parameters the query names: DuckDB refuses unused ones, and a missing one is a bug."""
    needed = parameters(name)
    missing = needed - params.keys()
    if missing:
        raise QueryError(f"query {name!r} needs parameters {sorted(missing)}")
    return {key: params[key] for key in needed}


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> duckdb.DuckDBPyConnection:
    return con.execute(load_sql(name), bind(name, params))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql on a cursor of `con` and return its rows as a DataFrame (a SNAPSHOT_ONLY query on a
    snapshot's connection: once per snapshot and parameters, a copy for each caller)."""
    bound = bind(name, params)
    with _results_lock:
        kept = _results.get(con) if name in SNAPSHOT_ONLY else None
    if kept is None:
        return _fresh(con, name, bound)
    key = (name, tuple(sorted(bound.items())))
    with _results_lock:
        frame = kept.get(key)
        if frame is not None:
            kept.move_to_end(key)
    if frame is None:
        frame = _fresh(con, name, bound)  # outside the lock: two sessions may both run it once, never wrongly
        with _results_lock:
            kept[key] = frame
            while len(kept) > SNAPSHOT_RESULTS_KEPT:
                kept.popitem(last=False)
    return frame.copy()


def _fresh(con: duckdb.DuckDBPyConnection, name: str, bound: dict) -> pd.DataFrame:
    cursor = con.cursor()  # a connection is not thread-safe; a cursor per query is
    try:
        return execute(cursor, name, **bound).df()
    finally:
        cursor.close()


def rows_of(frame: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """The rows of a query's result whose `column` is `value`, without that column, as DuckDB converts a result
    of those rows alone: one statement that answers for several parameter sets (rankings_by_org's period and
    previous period) gives each caller the frame its own statement gave. DuckDB's pandas types follow the rows:
    an INTEGER or BOOLEAN column with a NULL is Int32 / boolean, without one int32 / bool; a VARCHAR column is
    str with a value and object (None) without any."""
    keep = frame[column] == value
    out = frame.loc[keep].drop(columns=column).reset_index(drop=True)
    for name in out.columns:
        values = out[name]
        dtype = values.dtype
        if isinstance(dtype, pd.StringDtype):
            if not values.notna().any():
                out[name] = pd.Series([None] * len(out), dtype=object)
        elif isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub" and not values.isna().any():
            out[name] = values.to_numpy(dtype=dtype.numpy_dtype)
    return out


def forget_snapshot_results() -> None:
    """Drop every kept SNAPSHOT_ONLY result (the benchmark's cold views; the connections stay registered)."""
    with _results_lock:
        for kept in _results.values():
            kept.clear()


def new_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never downloads anything (offline by design)."""
    con = duckdb.connect(
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
    return con


def open_snapshot(snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    """A read connection over one snapshot: a table per store or derived table, the shared macros, the
    as-of time.

    The complaint-level tables (ON_DISK) stay views over their Parquet files: they grow with the data
    and hold the narratives, and a month filter reads only that month's row groups. Every other table
    (organisations, customer bases, derived aggregates such as complaint_cube) is read from the
    snapshot's resident.duckdb, a compressed DuckDB file the import wrote (write_resident): queries pay
    no Parquet decoding for them and scan them in parallel, and opening costs no copy (copying and
    compressing complaint_cube at every start took a second at ten million complaints).

    complaints also shows file_row_number, the complaint's row in its file: the integer key of the
    per-complaint derived tables (term_postings), cheaper to join on than complaint_id.

    A snapshot of an older format (is_current) opens too, for what every format has (organisations for
    the sign-in and the sidebar); the pages show 数据需要重建 instead of reading it."""
    con = new_connection()
    # A snapshot's files never change (a new import writes a new folder), so their Parquet footers can be
    # parsed once: complaints.parquet's (600 row groups at 10M) cost ~15 ms of every query's binding.
    con.execute("set global parquet_metadata_cache = true")  # global: the cursors of every query share it
    resident = snapshot.path / RESIDENT_FILE
    stored: set[str] = set()
    if resident.exists():
        con.execute("attach $path as resident (read_only)", {"path": str(resident)})
        stored = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where database_name = 'resident'"
            ).fetchall()
        }
    for name in sorted(stored):
        con.table(f"resident.{name}").create_view(name)
    con.execute(load_sql("macro_search_fold"))  # complaints' view binds it on a snapshot without search_text
    for path in sorted(snapshot.path.glob("*.parquet")):  # the store's tables plus derived ones
        if path.stem == "complaints":
            complaints_view(con, path)
        elif path.stem == "complaint_masked":
            masked_view(con, path)
        elif path.stem in ON_DISK or path.stem not in stored:
            con.read_parquet(str(path), file_row_number=path.stem in WITH_ROW_NUMBER).create_view(path.stem)
    con.execute(
        "create table snapshot_meta as select $as_of::timestamp as as_of", {"as_of": snapshot.meta.get("as_of")}
    )
    if is_current(snapshot):  # the macros bind derived tables an older format may lack
        create_macros(con)
    if "complaint_terms" in snapshot.meta.get("deferred", ()):
        execute(con, "terms_placeholder")  # the complaint list's term filter binds it, and finds nothing
    if not (snapshot.path / "complaint_masked.parquet").exists():
        execute(con, "masked_placeholder")  # the search guard binds it, and masks every hit in Python
    with _results_lock:
        _results[con] = OrderedDict()  # opened in full: its SNAPSHOT_ONLY results may be kept (run)
    return con


def complaints_view(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The view `complaints` over a complaints.parquet, with file_row_number and search_text. A file written
    before search_text was stored (an older snapshot, of any format) gets it folded at query time
    (queries/macro_search_fold.sql, which `con` must hold): its searches find what they find on a new snapshot,
    at the old cost, until an import or `python -m dashboard rebuild` writes the column; its other queries
    never compute it (DuckDB drops an unused column of a view)."""
    relation = con.read_parquet(str(path), file_row_number=True)
    with_search_fold(relation, "content", SEARCH_TEXT_COLUMN).create_view("complaints", replace=True)


def masked_view(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The view `complaint_masked` over its Parquet file, with masked_search (dashboard/derived/masked_text.py):
    folded at query time where the file was written before the column existed."""
    relation = con.read_parquet(str(path))
    with_search_fold(relation, "masked", MASKED_SEARCH_COLUMN).create_view("complaint_masked", replace=True)


def with_search_fold(relation: duckdb.DuckDBPyRelation, source: str, column: str) -> duckdb.DuckDBPyRelation:
    """The relation with `column`, the search fold of `source` (queries/macro_search_fold.sql, which the relation's
    connection must hold), added where it lacks one. Both names are the code's own column names, never input."""
    if column in relation.columns:
        return relation
    return relation.project(f"*, search_fold({source}) as {column}")


def stores_search_text(path: Path) -> bool:
    """Whether a complaints.parquet holds the stored search fold (written by this code's import)."""
    return SEARCH_TEXT_COLUMN in pq.read_schema(path).names


def is_current(snapshot: Snapshot) -> bool:
    """Whether the snapshot was written in the format this code reads (SNAPSHOT_FORMAT)."""
    return snapshot.meta.get("format") == SNAPSHOT_FORMAT


def tables(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The tables a connection's snapshot offers: a derived table an import deferred
    (`ingest --defer-text`) is missing until `python -m dashboard rebuild`."""
    return frozenset(run(con, "snapshot_tables")["name"])


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The shared table macros (MACROS) on a connection that has the snapshot's tables, and the table of the
    snapshot's customer gaps that customer_gaps reads (queries/snapshot_customer_gaps.sql: found once here, not
    planned inside every headline query)."""
    con.execute(load_sql("snapshot_customer_gaps"))  # no parameters; like the macros, part of opening
    for macro in MACROS:
        con.execute(load_sql(macro))


def write_resident(folder: Path) -> None:
    """Write RESIDENT_FILE into a snapshot folder being staged: every table but ON_DISK, from its
    Parquet file, compressed (open_snapshot attaches it read-only)."""
    con = duckdb.connect(
        str(folder / RESIDENT_FILE), config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    try:
        for path in sorted(folder.glob("*.parquet")):
            if path.stem not in ON_DISK:
                con.read_parquet(str(path)).create(path.stem)
        con.execute("checkpoint")
    finally:
        con.close()


@dataclass(frozen=True, eq=False)
class Catalog:
    """One opened snapshot, in the spirit of datasette's Database: its read connection, its version and
    format, and what it offers. Opened once per snapshot version (catalog_for) and shared by every
    session, the report command and the benchmark."""

    snapshot: Snapshot
    con: duckdb.DuckDBPyConnection

    @property
    def version(self) -> str:
        return self.snapshot.version

    @property
    def format(self) -> int | None:
        return self.snapshot.meta.get("format")

    @property
    def is_current(self) -> bool:
        return is_current(self.snapshot)

    @property
    def as_of(self) -> str | None:
        return self.snapshot.meta.get("as_of")

    @cached_property
    def tables(self) -> frozenset[str]:
        """What the snapshot offers, read once: a snapshot's files never change."""
        return tables(self.con)

    def offers(self, *names: str) -> bool:
        return set(names) <= self.tables

    def run(self, name: str, **params) -> pd.DataFrame:
        return run(self.con, name, **params)


_lock = threading.Lock()
_open: dict[Path, dict[str, Catalog]] = {}  # store folder -> version -> catalog


def catalog_for(snapshot: Snapshot) -> Catalog:
    """The shared catalog of a snapshot version. While an import is published, sessions still on the
    previous version and sessions on the new one each keep theirs (one connection per store and version
    used to be replaced back and forth, reopening a snapshot on every switch); the last KEEP_VERSIONS
    versions are held, as the store keeps their files. A dropped connection is left to the garbage
    collector: a query still running on one of its cursors finishes."""
    with _lock:
        held = _open.setdefault(snapshot.path.parent, {})
        catalog = held.get(snapshot.version)
        if catalog is None:
            catalog = held[snapshot.version] = Catalog(snapshot, open_snapshot(snapshot))
            for old in sorted(held)[:-KEEP_VERSIONS]:  # version names sort in publication order
                del held[old]
        return catalog


def connection_for(snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    """The read connection of a snapshot version's shared catalog."""
    return catalog_for(snapshot).con


def open_catalog(data_dir: Path) -> Catalog | None:
    """The published snapshot of a data folder as a catalog; None before any import."""
    from dashboard.ingest.store import current_snapshot

    snapshot = current_snapshot(data_dir)
    return None if snapshot is None else catalog_for(snapshot)


def current(data_dir: Path) -> tuple[Snapshot, duckdb.DuckDBPyConnection] | None:
    """The published snapshot of a data folder and its read connection; None before any import."""
    catalog = open_catalog(data_dir)
    return None if catalog is None else (catalog.snapshot, catalog.con)
