"""An import: extract files in, one new snapshot out, or nothing changed at all.

Steps, all under the writer lock: read every file (a file that cannot be read at all aborts the whole
import before anything is written), validate and upsert table by table (organisations first, since
complaints are checked against them), derive what pages need, write a staging folder, publish it.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from dashboard import db, schema
from dashboard.config import REPEAT_WINDOW_DAYS
from dashboard.derived import registry as derived
from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.mapping import Mapping, load_mapping
from dashboard.ingest.readers import Extract, read_extract
from dashboard.ingest.validate import REASON_COLUMN, validate

IMPORT_MEMORY_SHARE = 0.35   # of physical memory for the import's database (the extract's frame comes on top)
# Rows per row group of complaints.parquet. A page reads the narratives of a few rows (a list page, the
# representatives of similar groups, one customer's timeline) and pays for decompressing every row
# group that holds one: 16k rows (~5 MB of text) instead of DuckDB's 122,880 (~38 MB) cut those
# lookups by half to two thirds at 1M complaints, and month filters skip at a finer grain (bench.queries).
COMPLAINT_ROW_GROUP = 16_384


@dataclass(frozen=True)
class TableSteps:
    """What an extract of one table goes through: its working table and its three queries."""
    stored: str     # the working table of the published rows
    cast: str       # extract_rows to the contract's types
    classify: str   # incoming against stored: inserted, updated, unchanged, older
    merge: str      # stored with incoming upserted


STEPS = {
    "complaints": TableSteps("stored_complaints", "import_cast_complaints", "import_classify_complaints",
                             "import_merge_complaints"),
    "branches": TableSteps("stored_branches", "import_cast_branches", "import_classify_branches",
                           "import_merge_branches"),
    "customers_monthly": TableSteps("stored_customers_monthly", "import_cast_customers_monthly",
                                    "import_classify_customers_monthly", "import_merge_customers_monthly"),
}


@dataclass
class FileSummary:
    file: str
    table: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_older: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    files: list[FileSummary]
    version: str | None            # the snapshot now current
    changed: bool                  # whether a new snapshot was published
    quarantine: pd.DataFrame       # this import's quarantined rows (file, row, reason, record)

    def to_dict(self) -> dict:
        return {"version": self.version, "changed": self.changed,
                "files": [vars(f) for f in self.files]}


def import_files(paths: list[Path], data_dir: Path, mapping_path: Path | None = None,
                 user: str = "cli", defer_text: bool = False) -> ImportResult:
    """Import extract files into the store at data_dir. Raises ExtractError, changing nothing, when a
    file cannot be imported at all. With defer_text, the narrative analysis (hot terms, similar groups)
    is left out of the new snapshot, for `rebuild` to add later (a large history load)."""
    timings: dict[str, float] = {}
    with _timed(timings, "read"):
        mapping = load_mapping(mapping_path) if mapping_path else None
        extracts = [_read(Path(p), mapping) for p in paths]
        extracts.sort(key=lambda e: schema.IMPORT_ORDER.index(e.table))   # stable: file order kept per table

    with store.writer_lock(data_dir):
        snapshot = store.current_snapshot(data_dir)
        con = _import_connection(data_dir)
        try:
            _load_stored(con, snapshot)
            imported_at = datetime.now().replace(microsecond=0)
            summaries, quarantines = [], []
            with _timed(timings, "validate and merge"):
                for extract in extracts:
                    summary, quarantine = _import_one(con, extract, mapping)
                    summaries.append(summary)
                    quarantines.append(quarantine)
            quarantine = pd.concat(quarantines, ignore_index=True) if quarantines else _empty_quarantine()
            data_changed = any(s.inserted or s.updated for s in summaries)
            log, all_quarantine = _logs(snapshot, summaries, [e.path for e in extracts], quarantine,
                                        imported_at, user)
            published = _publish(con, data_dir, snapshot, log, all_quarantine, data_changed, timings,
                                 defer_text)
        finally:
            con.close()
    return ImportResult(files=summaries, version=published.version, changed=data_changed,
                        quarantine=quarantine)


def rebuild(data_dir: Path) -> store.Snapshot | None:
    """Publish the current snapshot again with every derived column and table recomputed (after an
    upgrade that adds or changes one); the imported data, import log and quarantine stay as they are.
    Work that did not change is reused (derived tables reuse the previous snapshot's results). None when
    nothing was ever imported."""
    timings: dict[str, float] = {}
    with store.writer_lock(data_dir):
        snapshot = store.current_snapshot(data_dir)
        if snapshot is None:
            return None
        con = _import_connection(data_dir)
        try:
            _load_stored(con, snapshot)
            log = pd.read_parquet(snapshot.table("imports"))
            quarantine = pd.read_parquet(snapshot.table("quarantine"))
            return _publish(con, data_dir, snapshot, log, quarantine, True, timings, False)
        finally:
            con.close()


def _publish(con, data_dir: Path, snapshot: store.Snapshot | None, log: pd.DataFrame,
             quarantine: pd.DataFrame, data_changed: bool, timings: dict[str, float],
             defer_text: bool) -> store.Snapshot:
    staging = store.new_staging(data_dir)
    try:
        log.to_parquet(staging / "imports.parquet", index=False)
        quarantine.to_parquet(staging / "quarantine.parquet", index=False)
        meta = _write_snapshot(con, staging, snapshot, data_changed, timings, defer_text)
        with _timed(timings, "resident tables"):
            db.write_resident(staging)
        meta["quarantined"] = len(quarantine)
        meta["timings"] = {name: round(seconds, 2) for name, seconds in timings.items()}
        return store.publish(data_dir, staging, meta)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _import_connection(data_dir: Path):
    """The import's working database: in memory, but spilling to the data folder beyond a share of the
    machine's memory, so that a large extract slows down instead of exhausting memory beside the app."""
    con = db.new_connection()
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    spill = store.store_dir(data_dir) / ".spill"
    spill.mkdir(parents=True, exist_ok=True)
    con.execute("set memory_limit = $limit", {"limit": f"{int(total * IMPORT_MEMORY_SHARE) // 2**20}MB"})
    con.execute("set temp_directory = $dir", {"dir": str(spill)})
    con.execute("set enable_progress_bar = false")   # the CLI prints its own summary
    return con


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    """Seconds per import stage, kept in the snapshot's meta.json (the import's profile, for bench/)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def _read(path: Path, mapping: Mapping | None) -> Extract:
    if not path.is_file():
        raise ExtractError(f"文件不存在：{path}")
    return read_extract(path, mapping)


def _load_stored(con, snapshot: store.Snapshot | None) -> None:
    """The published tables as working tables `stored_<table>` (contract columns only)."""
    for table, steps in STEPS.items():
        if snapshot is not None:
            relation = con.read_parquet(str(snapshot.table(table)))
            if table == "complaints":   # the contract's columns; derived ones are recomputed on write
                relation = relation.select(*[c.name for c in schema.COMPLAINTS])
        else:
            empty = pd.DataFrame({c.name: pd.Series(dtype="object") for c in schema.columns(table)})
            con.register("extract_rows", empty)
            relation = con.sql(db.load_sql(steps.cast))
        relation.create(steps.stored)
        if snapshot is None:
            con.unregister("extract_rows")


def _known_branches(con) -> set[str]:
    return {row[0] for row in con.execute("select branch_code from stored_branches").fetchall()}


def _import_one(con, extract: Extract, mapping: Mapping | None) -> tuple[FileSummary, pd.DataFrame]:
    table = extract.table
    validated = validate(extract, _known_branches(con), mapping)
    summary = FileSummary(file=extract.path.name, table=table, read=len(extract.frame),
                          quarantined=len(validated.quarantine), warnings=list(extract.warnings))
    if len(validated.quarantine):
        counts = validated.quarantine[REASON_COLUMN].str.split("；").explode().value_counts()
        summary.reasons = {str(k): int(v) for k, v in counts.items()}

    con.register("extract_rows", validated.clean)
    steps = STEPS[table]
    con.sql(db.load_sql(steps.cast)).create("incoming")
    con.unregister("extract_rows")
    con.table(steps.stored).create_view("stored", replace=True)
    counts = db.execute(con, steps.classify).fetchall()[0]
    summary.inserted, summary.updated, summary.unchanged, summary.skipped_older = (int(n) for n in counts)
    if summary.inserted or summary.updated:
        _replace_table(con, steps.stored, con.sql(db.load_sql(steps.merge)))
    con.execute("drop view if exists stored")
    con.execute("drop table incoming")
    return summary, _quarantine_frame(extract, validated.quarantine)


def _replace_table(con, name: str, relation) -> None:
    """Materialise `relation` as the working table `name` (an internal name, never user input)."""
    relation.create(name + "_next")
    con.execute("drop view if exists stored")
    con.execute("drop table " + name)
    con.execute("alter table " + name + "_next rename to " + name)


def _quarantine_frame(extract: Extract, rows: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows in one shape for every table: the original values kept as a JSON record."""
    if rows.empty:
        return _empty_quarantine()
    values = rows.drop(columns=[REASON_COLUMN, "source_row"])
    return pd.DataFrame({
        "file_name": extract.path.name,
        "table_name": extract.table,
        "source_row": rows["source_row"].astype("int64").to_numpy(),
        "reason": rows[REASON_COLUMN].astype(str).to_numpy(),
        "record": [json.dumps({k: (None if pd.isna(v) else str(v)) for k, v in rec.items()}, ensure_ascii=False)
                   for rec in values.to_dict("records")],
    })


def _empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame({"file_name": pd.Series(dtype=str), "table_name": pd.Series(dtype=str),
                         "source_row": pd.Series(dtype="int64"), "reason": pd.Series(dtype=str),
                         "record": pd.Series(dtype=str)})


def _logs(previous: store.Snapshot | None, summaries, paths, quarantine: pd.DataFrame,
          imported_at: datetime, user: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The import log with this import appended, and the quarantine with the re-read files' rows
    replaced by this import's (fixing a file and importing it again clears its findings)."""
    log = pd.DataFrame([{
        "imported_at": imported_at, "user_name": user, "file_name": s.file, "table_name": s.table,
        "sha256": _sha256(p), "rows_read": s.read, "inserted": s.inserted, "updated": s.updated,
        "unchanged": s.unchanged, "skipped_older": s.skipped_older, "quarantined": s.quarantined,
    } for s, p in zip(summaries, paths)])
    quarantine = quarantine.assign(imported_at=imported_at)
    if previous is None:
        return log, quarantine
    old_log = pd.read_parquet(previous.table("imports"))
    old_quarantine = pd.read_parquet(previous.table("quarantine"))
    old_quarantine = old_quarantine[~old_quarantine["file_name"].isin(log["file_name"])]
    return (pd.concat([old_log, log], ignore_index=True),
            pd.concat([old_quarantine, quarantine], ignore_index=True))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_snapshot(con, staging: Path, previous: store.Snapshot | None, data_changed: bool,
                    timings: dict[str, float], defer_text: bool) -> dict:
    """Write the data tables into staging; unchanged complaints are hard-linked, not rewritten."""
    con.execute("create or replace view merged as select * from stored_complaints")
    con.execute("create or replace view branches as select * from stored_branches")
    targets = {
        "branches": con.table("stored_branches"),
        "customers_monthly": con.table("stored_customers_monthly"),
        "branch_tree": con.sql(db.load_sql("import_branch_tree")),
    }
    if previous is not None and not data_changed:
        _link_or_copy(previous.table("complaints"), staging / "complaints.parquet")
    else:
        targets["complaints"] = con.sql(db.load_sql("import_derive_complaints"),
                                        params={"repeat_window_days": REPEAT_WINDOW_DAYS})
    with _timed(timings, "derive and write tables"):
        for name, relation in targets.items():
            relation.write_parquet(str(staging / f"{name}.parquet"), compression="zstd",
                                   row_group_size=COMPLAINT_ROW_GROUP if name == "complaints" else None)

    for name in ("complaints", "branch_tree", "customers_monthly"):   # derived tables may use the page macros
        con.read_parquet(str(staging / f"{name}.parquet"),
                         file_row_number=name in db.WITH_ROW_NUMBER).create_view(name, replace=True)
    deferred = []
    for table in derived.load_all():
        target = staging / f"{table.name}.parquet"
        if previous is not None and not data_changed and previous.table(table.name).exists():
            _link_or_copy(previous.table(table.name), target)
        elif defer_text and table.deferrable:
            deferred.append(table.name)
            continue
        else:
            with _timed(timings, table.name):
                result = table.build(con, previous)
                if isinstance(result, pd.DataFrame):
                    result.to_parquet(target, index=False)
                else:
                    pq.write_table(result, target, compression="zstd")
        con.read_parquet(str(target)).create_view(table.name, replace=True)   # for the tables built after it
    as_of, first_month, last_month, complaints = db.execute(con, "import_as_of").fetchall()[0]
    return {
        "format": db.SNAPSHOT_FORMAT, "created_at": datetime.now().isoformat(timespec="seconds"),
        "as_of": as_of.isoformat() if as_of else None,
        "first_month": first_month.isoformat() if first_month else None,
        "last_month": last_month.isoformat() if last_month else None,
        "complaints": int(complaints),
        "branches": int(con.execute("select count(*) from stored_branches").fetchall()[0][0]),
        "customers_monthly": int(con.execute("select count(*) from stored_customers_monthly").fetchall()[0][0]),
        "repeat_window_days": REPEAT_WINDOW_DAYS,
        "deferred": deferred,
    }


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        target.hardlink_to(source)
    except OSError:
        shutil.copy2(source, target)
