"""An import: extract files in, one new snapshot out, or nothing changed at all.

Steps, all under the writer lock: read every file (a file that cannot be read at all aborts the whole
import before anything is written), validate and upsert table by table (organisations first, since
complaints are checked against them), derive what pages need, write a staging folder, publish it.

An import with many new or changed narratives (TWO_PHASE_MIN_NARRATIVES) publishes twice under the same
lock: first the numbers (every derived table but the narrative analysis, which the snapshot lists as
deferred and says is being computed: meta["text_pending"]), then the narrative analysis of the new and
changed narratives only, as the next snapshot (_publish_text). A failure in that second step leaves the
numbers published; the next import or `rebuild` completes the analysis, reusing what the last snapshot
that had it analysed (a deferred snapshot keeps those tables as `<table>.reuse` files, _reuse_base).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import resource
import shutil
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard import clock, db, schema
from dashboard.config import ELDERLY_AGE, REPEAT_WINDOW_DAYS
from dashboard.derived import registry as derived
from dashboard.derived import terms_index
from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.mapping import NO_CUSTOMER_PREFIX, Mapping, mappings_for
from dashboard.ingest.readers import Extract, read_extract
from dashboard.ingest.validate import REASON_COLUMN, validate
from dashboard.text import masking
from dashboard.text.mask_stream import safe_cut

IMPORT_MEMORY_SHARE = 0.35  # of physical memory for the import's database (the extract's frame comes on top)
# Rows per row group of complaints.parquet. A page reads the narratives of a few rows (a list page, the
# representatives of similar groups, one customer's timeline) and pays for decompressing every row
# group that holds one: 16k rows (~5 MB of text) instead of DuckDB's 122,880 (~38 MB) cut those
# lookups by half to two thirds at 1M complaints, and month filters skip at a finer grain (bench.queries).
COMPLAINT_ROW_GROUP = 16_384
# New or changed narratives from which an import publishes its numbers first and the narrative analysis as
# a second snapshot (docs/performance.md, "Numbers first"): below it the analysis takes a few seconds, and
# one publish is cheaper than two.
TWO_PHASE_MIN_NARRATIVES = 20_000
# Wall seconds of the narrative analysis per new narrative, for the pages' "约 N 分钟后更新" (measured on
# the quiet 2-core machine: 0.00014 for 1M, 0.00022 for a 300,000 month into 1M; the higher, rounded up:
# docs/performance.md, "Numbers first at 1M"). 0.001 was read on a machine shared with five other jobs.
TEXT_SECONDS_PER_NARRATIVE = 0.00025
REUSE_SUFFIX = ".reuse"  # a deferred table's previous version, kept for the analysis that completes it


@dataclass(frozen=True)
class TableSteps:
    """What an extract of one table goes through: its working table and its three queries."""

    stored: str  # the working table of the published rows
    cast: str  # extract_rows to the contract's types
    classify: str  # each incoming row against stored: inserted, updated, unchanged or an older rule
    merge: str  # stored with incoming upserted


STEPS = {
    "complaints": TableSteps(
        "stored_complaints", "import_cast_complaints", "import_classify_complaints", "import_merge_complaints"
    ),
    "branches": TableSteps(
        "stored_branches", "import_cast_branches", "import_classify_branches", "import_merge_branches"
    ),
    "customers_monthly": TableSteps(
        "stored_customers_monthly",
        "import_cast_customers_monthly",
        "import_classify_customers_monthly",
        "import_merge_customers_monthly",
    ),
}


# Why a row was not written although it is valid: the rule that decided (shown in the summary).
OLDER_RULES_ZH = {
    "older_extracted": "提取时间早于已入库的同一投诉",
    "older_status": "无法按提取时间比较新旧（本次或已入库的记录缺少提取时间），且会使已入库投诉的处理状态倒退",
    "older_version": "与曾导入的旧版本相同（旧抽数再次导入，可能换了文件格式）",
    "older_unordered": "本行没有提取时间，已入库的同一投诉有，无法判断哪个更新，未覆盖"
    "（确为更新的数据时，请连同提取时间导出，或勾选“内容已导入过的文件也重新导入”（--force）以本文件为准）",
}
# Every complaint row version ever imported (complaint_id, row_hash, minute_hash): what recognises an old extract
# whose file is new (re-saved as CSV) although its sha256 is not in the import log.
ROW_VERSIONS = "complaint_row_versions"
_MAX_LISTED = 20  # older complaint ids kept per file for the summary


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
    older: dict[str, int] = field(default_factory=dict)  # OLDER_RULES_ZH text -> rows
    older_ids: list[str] = field(default_factory=list)  # the first _MAX_LISTED of them
    sha256: str = ""
    mapping_sha256: str = ""  # Mapping.fingerprint of the mapping read with ("" = none)
    already_imported_at: str | None = None  # same content imported before (then nothing was read)
    # unchanged rows (counted in `unchanged`) whose seen_at this file moved forward: sent again by a later
    # extract, so their open days are counted to its time (a new snapshot is written for them)
    seen_again: int = 0

    @property
    def seen_again_note(self) -> str:
        """Why a file of unchanged rows still published a new version ("" when none was seen again)."""
        if not self.seen_again:
            return ""
        return (
            f"未变的行中有 {self.seen_again:,} 行再次出现：最近出现时间更新为本文件的数据时间，"
            "未办结的投诉按该时间判断是否超期（因此发布了新的数据版本）"
        )

    @property
    def accounted(self) -> bool:
        """rows read = stored + updated + unchanged + older + quarantined."""
        return self.read == (self.inserted + self.updated + self.unchanged + self.skipped_older + self.quarantined)


@dataclass
class ImportResult:
    files: list[FileSummary]
    version: str | None  # the snapshot now current
    changed: bool  # whether the data changed (rows inserted, updated or seen again)
    quarantine: pd.DataFrame  # this import's quarantined rows (file, row, reason, record)
    # published in two steps: the numbers' snapshot, before `version` added the narrative analysis
    numbers_version: str | None = None
    text_error: str | None = None  # the narrative analysis failed after the numbers were published
    # whether this import published a snapshot: not when nothing changed (_publishes), a file re-read with
    # --force or a re-saved extract included (hostile H239)
    published: bool = True
    unchanged_reason: str = ""  # why a snapshot was published although the data did not change (Chinese)

    @property
    def version_note(self) -> str:
        """The summary's last line (Chinese): the version now current, and why when it is not a new one."""
        if not self.published:
            return f"数据无变化，未发布新的数据版本：当前数据版本仍为 {self.version}（本次导入已记入审计日志）"
        if self.changed:
            return f"当前数据版本：{self.version}"
        return f"当前数据版本：{self.version}（数据无变化；{self.unchanged_reason or '已重新发布'}）"

    def to_dict(self) -> dict:
        out = {
            "version": self.version,
            "changed": self.changed,
            "published": self.published,
            "files": [vars(f) for f in self.files],
        }
        if self.numbers_version:
            out["numbers_version"] = self.numbers_version
        if self.text_error:
            out["text_error"] = self.text_error
        return out


def import_files(
    paths: list[Path],
    data_dir: Path,
    mapping_path: Path | str | list | None = None,
    user: str = "cli",
    defer_text: bool = False,
    force: bool = False,
    progress: Callable[[str], None] = lambda step: None,
    accept_unmapped: bool = False,
    two_phase: bool = True,
    numbers_published: Callable[[ImportResult], None] = lambda result: None,
) -> ImportResult:
    """Import extract files into the store at data_dir. Raises ExtractError, changing nothing, when a
    file cannot be imported at all. A file whose content (sha256) was imported before is skipped and
    reported with that import's time, unless `force`. With defer_text, the narrative analysis (hot terms,
    similar groups) is left out of the new snapshot, for `rebuild` to add later (a large history load).
    Otherwise, with at least TWO_PHASE_MIN_NARRATIVES new or changed narratives (and `two_phase`), the
    numbers are published first and the narrative analysis as the next snapshot, in this call; an error in
    that second step is returned as `text_error`, the numbers staying published.
    `progress` is told each step as it starts (Chinese, for the upload page). `mapping_path` is one
    mapping file or a list of specs (mapping.mappings_for: "FILE=MAPPING" or a mapping naming its files).
    `accept_unmapped` imports files whose unmapped values exceed the mapping's max_unmapped_share.
    `numbers_published` is told the result as of a two-step publish's first step, before the second starts
    (the audit's outcome line: the numbers are on every page; hostile H240); what it raises ends the import
    there, the numbers published."""
    timings: dict[str, float] = {}
    with _timed(timings, "read"):
        specs = [] if mapping_path is None else mapping_path if isinstance(mapping_path, list) else [mapping_path]
        mappings = [m and dataclasses.replace(m, accept_unmapped=accept_unmapped) for m in mappings_for(paths, specs)]
        # A file is the same import again only with the same mapping: a corrected one reads it anew.
        digests = [(_sha256(_existing(Path(p))), m.fingerprint() if m else "") for p, m in zip(paths, mappings)]
        seen = {} if force else _imported_digests(store.current_snapshot(data_dir))
        repeated = [
            FileSummary(
                file=Path(p).name, table=seen[d][1], sha256=d[0], mapping_sha256=d[1], already_imported_at=seen[d][0]
            )
            for p, d in zip(paths, digests)
            if d in seen
        ]
        extracts = [(_read(Path(p), m, progress), d) for p, m, d in zip(paths, mappings, digests) if d not in seen]
        extracts.sort(key=lambda e: schema.IMPORT_ORDER.index(e[0].table))  # stable: file order kept per table

    with store.writer_lock(data_dir):
        snapshot = store.current_snapshot(data_dir)
        if not extracts:  # nothing new: no snapshot is written
            return ImportResult(
                files=repeated,
                version=snapshot.version if snapshot else None,
                changed=False,
                quarantine=_empty_quarantine(),
                published=False,
            )
        con = _import_connection(data_dir)
        try:
            _load_stored(con, snapshot)
            imported_at = clock.local_now().replace(microsecond=0)  # the contract's zone, as the extracts' times
            summaries, quarantines = [], []
            batch_branches: dict[str, str] = {}  # organisations added by this batch's files -> the file
            with _timed(timings, "validate and merge"):
                for extract, digest in extracts:
                    progress(f"校验并合并 {extract.path.name}")
                    summary, quarantine = _import_one(con, extract, extract.mapping, imported_at, force, batch_branches)
                    summary.sha256, summary.mapping_sha256 = digest
                    summaries.append(summary)
                    quarantines.append(quarantine)
            quarantine = pd.concat(quarantines, ignore_index=True) if quarantines else _empty_quarantine()
            # a row sent again unchanged by a later extract changes its open days (seen_at): a change too
            data_changed = any(s.inserted or s.updated or s.seen_again for s in summaries)
            log, all_quarantine = _logs(snapshot, summaries, quarantines, [e for e, _ in extracts], imported_at, user)
            reason = _publish_reason(snapshot, data_changed, all_quarantine, defer_text)
            if reason is None:
                return ImportResult(
                    files=summaries + repeated,
                    version=snapshot.version,
                    changed=False,
                    quarantine=quarantine,
                    published=False,
                )
            progress("计算派生数据并写入新版本")
            split = None if (two_phase and not defer_text) else defer_text  # None: by the narratives to analyse
            published = _publish(con, data_dir, snapshot, log, all_quarantine, data_changed, timings, split, progress)
            numbers_version = text_error = None
            if split is None and published.meta.get("text_pending"):
                numbers_version = published.version
                pending = published.meta["text_pending"]
                numbers_published(
                    ImportResult(
                        files=summaries + repeated,
                        version=numbers_version,
                        changed=data_changed,
                        quarantine=quarantine,
                        numbers_version=numbers_version,
                        unchanged_reason=reason,
                    )
                )
                progress(
                    f"{PHASE_NUMBERS}：数字已发布（数据版本 {numbers_version}），各页面已显示新数据；"
                    f"第二步：分析 {pending['narratives']:,} 条新增或变更的投诉内容（热点词、相似投诉），"
                    f"约 {pending_minutes(pending['estimated_seconds'])} 分钟"
                )
                try:
                    published = _publish_text(con, data_dir, published, progress)
                except Exception as error:  # the numbers stay published; the next import or rebuild completes it
                    text_error = f"{type(error).__name__}: {error}"[:2000]
                    progress(
                        f"{PHASE_TEXT_FAILED}：投诉内容分析出错（{text_error[:200]}）。数字已发布，不受影响；"
                        "下次导入或运行 python -m dashboard rebuild 时补算热点词与相似投诉"
                    )
                else:
                    progress(f"{PHASE_TEXT_DONE}：热点词与相似投诉已更新（数据版本 {published.version}）")
        finally:
            con.close()
    return ImportResult(
        files=summaries + repeated,
        version=published.version,
        changed=data_changed,
        quarantine=quarantine,
        numbers_version=numbers_version,
        text_error=text_error,
        unchanged_reason=reason,
    )


def _publish_reason(
    snapshot: store.Snapshot | None, data_changed: bool, quarantine: pd.DataFrame, defer_text: bool
) -> str | None:
    """Why an import that read its files publishes a snapshot: "" for changed data, the reason (Chinese)
    when the data did not change, None when it publishes nothing. Nothing when it changed nothing: no row
    inserted, updated or seen again, the same quarantine (each record's latest outcome), nothing left to
    complete. A new snapshot of the same data would push the one from before the last real import out of
    the KEEP_VERSIONS kept (the one 撤销 restores and the audit page checks; hostile H239). The as-of time
    is no separate check: it is read from the complaints (import_as_of.sql), the previous snapshot's rows
    when none was inserted or updated."""
    if data_changed or snapshot is None:
        return ""
    if snapshot.meta.get("deferred") and not defer_text:  # its narrative analysis was left out: completed now
        return "补算了热点词与相似投诉"
    old = _with_history_columns(pd.read_parquet(snapshot.table("quarantine")))
    if _latest_outcomes(old) != _latest_outcomes(quarantine):
        return "隔离区已更新"
    return None


_QUARANTINE_RECORD = ["file_name", "table_name", "record_key", "source_row", "reason", "record"]


def _latest_outcomes(quarantine: pd.DataFrame) -> Counter:
    """The quarantine rows not superseded, as the 数据管理 page lists them (without the import time)."""
    current = quarantine.loc[quarantine["superseded_at"].isna(), _QUARANTINE_RECORD]
    return Counter(current.astype(str).itertuples(index=False, name=None))


PHASE_NOTE = "【分步发布】"  # starts the progress lines of a two-step publish (the command line prints those)
# how its three lines start (the upload page closes the first step's status box at the first)
PHASE_NUMBERS, PHASE_TEXT_DONE, PHASE_TEXT_FAILED = (
    PHASE_NOTE + s for s in ("第一步完成", "第二步完成", "第二步未完成")
)


def pending_minutes(seconds: float) -> int:
    """Whole minutes, at least one, of an estimate in seconds."""
    return max(1, math.ceil(seconds / 60))


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise ExtractError(f"文件不存在：{path}")
    return path


def _imported_digests(snapshot: store.Snapshot | None) -> dict[tuple[str, str], tuple[str, str]]:
    """(file sha256, mapping fingerprint) -> (time of its first import, table) from the import log."""
    if snapshot is None:
        return {}
    log = pd.read_parquet(snapshot.table("imports"))
    if "mapping_sha256" not in log:  # a log from before it was kept: as if read without a mapping
        log = log.assign(mapping_sha256="")
    log["mapping_sha256"] = log["mapping_sha256"].fillna("")
    first = log.sort_values("imported_at", kind="stable").drop_duplicates(["sha256", "mapping_sha256"])
    return {
        (row.sha256, row.mapping_sha256): (pd.Timestamp(row.imported_at).isoformat(sep=" "), row.table_name)
        for row in first.itertuples()
    }


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
            quarantine = _with_history_columns(pd.read_parquet(snapshot.table("quarantine")))
            return _publish(con, data_dir, snapshot, log, quarantine, True, timings, False)
        finally:
            con.close()


def _publish(
    con,
    data_dir: Path,
    snapshot: store.Snapshot | None,
    log: pd.DataFrame,
    quarantine: pd.DataFrame,
    data_changed: bool,
    timings: dict[str, float],
    defer_text: bool | None,
    progress: Callable[[str], None] = lambda step: None,
) -> store.Snapshot:
    """Write and publish a snapshot. defer_text: leave the narrative analysis out (True), compute it
    (False), or leave it out when TWO_PHASE_MIN_NARRATIVES or more narratives are to be analysed (None:
    meta["text_pending"] then says so, for _publish_text to follow)."""
    staging = store.new_staging(data_dir)
    try:
        log.to_parquet(staging / "imports.parquet", index=False)
        quarantine.to_parquet(staging / "quarantine.parquet", index=False)
        meta = _write_snapshot(con, staging, snapshot, data_changed, timings, defer_text, progress)
        with _timed(timings, "resident tables"):
            db.write_resident(staging)
        meta["quarantined"] = (
            int(quarantine["superseded_at"].isna().sum()) if "superseded_at" in quarantine else len(quarantine)
        )
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
    cap = resource.getrlimit(resource.RLIMIT_AS)[0]  # an upload's import process runs under one
    if cap != resource.RLIM_INFINITY:
        total = min(total, cap)
    spill = store.store_dir(data_dir) / ".spill"
    spill.mkdir(parents=True, exist_ok=True)
    con.execute("set memory_limit = $limit", {"limit": f"{int(total * IMPORT_MEMORY_SHARE) // 2**20}MB"})
    con.execute("set temp_directory = $dir", {"dir": str(spill)})
    con.execute("set enable_progress_bar = false")  # the CLI prints its own summary
    return con


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    """Seconds per import stage, kept in the snapshot's meta.json (the import's profile, for bench/)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def _read(path: Path, mapping: Mapping | None, progress: Callable[[str], None]) -> Extract:
    progress(f"读取 {path.name}")
    return read_extract(_existing(path), mapping)


# Stored types of the columns added by contract section 7 (as in the import_cast_* queries): what a
# snapshot written before them gets, empty.
_ADDED_TYPES = {
    "deadline_days": "integer",
    "referral_source": "varchar",
    "redress_amount": "decimal(18, 2)",
    "is_outlet": "boolean",
    "elderly_customer_count": "bigint",
}


def _load_stored(con, snapshot: store.Snapshot | None) -> None:
    """The published tables as working tables `stored_<table>` (contract columns only)."""
    for table, steps in STEPS.items():
        if snapshot is not None:
            relation = con.read_parquet(str(snapshot.table(table)))
            # The contract's columns (derived ones are recomputed on write); a snapshot written before a
            # column existed (contract section 7) gets it empty, in its stored type.
            present = set(relation.columns)
            relation = relation.project(
                ", ".join(
                    c.name if c.name in present else f"null::{_ADDED_TYPES[c.name]} as {c.name}"
                    for c in schema.columns(table)
                )
            )
        else:
            empty = pd.DataFrame({c.name: pd.Series(dtype="object") for c in schema.columns(table)})
            con.register("extract_rows", empty)
            relation = con.sql(db.load_sql(steps.cast))
        relation.create(steps.stored)
        if snapshot is None:
            con.unregister("extract_rows")
    _load_seen(con, snapshot)
    _load_row_versions(con, snapshot)


def _load_seen(con, snapshot: store.Snapshot | None) -> None:
    """stored_seen (complaint_id, seen_at): when each stored complaint was last seen in an extract
    (queries/import_incoming_seen.sql). A snapshot written before seen_at was kept: its as-of time for every
    complaint (queries/import_seen_default.sql), what its open_days were counted to, so no rebuild is needed."""
    if snapshot is None:
        con.execute("create table stored_seen (complaint_id varchar, seen_at timestamp)")
        return
    relation = con.read_parquet(str(snapshot.table("complaints")))
    kept = "seen_at" if "seen_at" in relation.columns else "null::timestamp as seen_at"
    relation.project(f"complaint_id, {kept}").create("stored_seen")
    db.execute(con, "import_seen_default", as_of=snapshot.meta.get("as_of"))


def _row_versions(con, table: str):
    """import_row_versions over a working table (internal name): (complaint_id, row_hash, minute_hash)."""
    con.table(table).create_view("version_rows", replace=True)
    return con.sql(db.load_sql("import_row_versions"))


def _load_row_versions(con, snapshot: store.Snapshot | None) -> None:
    """stored_row_versions: the snapshot's, or (a store from before they were kept) the current rows'."""
    if snapshot is not None and snapshot.table(ROW_VERSIONS).exists():
        kept = con.read_parquet(str(snapshot.table(ROW_VERSIONS)))
        if "minute_hash" not in kept.columns:  # kept before hostile H193: those versions match exactly only
            kept = kept.select("complaint_id, row_hash, null::varchar as minute_hash")
        kept.create("stored_row_versions")
    else:
        _row_versions(con, "stored_complaints").create("stored_row_versions")


def _mask_branch_names(clean: pd.DataFrame) -> list[str]:
    """机构名称 is shown on every page, to every role, unmasked (an organisation's name is no personal data):
    a phone, ID or card number typed into one (a 便民服务点 named after its keeper with a mobile, hostile
    H203) is masked as it is stored, with a note. Only the number rules: a person's name cannot be told
    from a place in a branch name (王府井支行, 张江支行)."""
    if clean.empty or "branch_name" not in clean:
        return []
    names = clean["branch_name"]
    masked = names.map(masking.mask_customer_id, na_action="ignore")
    # the number rules fold full-width digits and signs first (第１支行, ＋静安支行): that alone hides nothing,
    # and such a name is stored as written, without the note (hostile H260)
    folded = names.map(masking.fold_fullwidth, na_action="ignore")
    changed = (folded != masked) & names.notna()
    if not changed.any():
        return []
    clean["branch_name"] = masked.where(changed, names)
    codes = "、".join(clean.loc[changed, "branch_code"].astype(str).head(_MAX_LISTED))
    return [
        f"{int(changed.sum()):,} 个机构的机构名称中含有电话、证件号或卡号等个人信息，已脱敏后入库（机构代码：{codes}）；"
        "请在源系统中更正机构名称"
    ]


def _known_branches(con) -> set[str]:
    return {row[0] for row in con.execute("select branch_code from stored_branches").fetchall()}


def _stored_tree(con) -> dict[str, tuple[str | None, str]]:
    rows = con.execute("select branch_code, parent_code, level from stored_branches").fetchall()
    return {code: (parent, level) for code, parent, level in rows}


def _import_one(
    con,
    extract: Extract,
    mapping: Mapping | None,
    imported_at: datetime,
    force: bool = False,
    batch_branches: dict[str, str] | None = None,
) -> tuple[FileSummary, pd.DataFrame]:
    table = extract.table
    empty = _empty_optional(extract) if table == "complaints" else []
    if empty:  # an exporter that writes the header but never fills it: the file does not provide the column
        extract = dataclasses.replace(extract, columns_present=[c for c in extract.columns_present if c not in empty])
    tree = _stored_tree(con) if table == "branches" else None
    validated = validate(
        extract,
        _known_branches(con),
        mapping,
        now=imported_at,
        stored_tree=tree,
        stored_closed=_stored_closed(con),
        stored_padded=_stored_padded(con),
    )
    if batch_branches is not None:
        _refuse_batch_lost_zeros(extract.path.name, validated, batch_branches)
    identifiers = _mask_branch_names(validated.clean) if table == "branches" else []
    summary = FileSummary(
        file=extract.path.name,
        table=table,
        read=len(extract.frame),
        quarantined=len(validated.quarantine),
        # validate's notes (dates read day-first, a branch moved to another parent) were never shown (S)
        warnings=list(extract.warnings) + list(validated.warnings) + list(validated.notes) + identifiers,
    )
    if table == "complaints":
        summary.warnings += _stored_case_variants(con, validated.clean)
    if empty:
        summary.warnings.append(
            f"文件 {extract.path.name} 的这些列全部为空：{'、'.join(schema.header_zh(table, c) for c in empty)}；"
            "视为文件未提供，已入库投诉的这些字段保留原值" + _closing_exception(empty)
        )
    if len(validated.quarantine):
        counts = validated.quarantine[REASON_COLUMN].str.split("；").explode().value_counts()
        summary.reasons = {str(k): int(v) for k, v in counts.items()}

    con.register("extract_rows", validated.clean)
    steps = STEPS[table]
    con.sql(db.load_sql(steps.cast)).create("incoming")
    con.unregister("extract_rows")
    if table == "complaints":  # the file's own times, before absent columns are taken from the stored rows
        con.sql(db.load_sql("import_incoming_seen")).create("incoming_seen")
    if table == "customers_monthly":
        summary.warnings += _subtree_totals(con, extract.path.name)
    con.table(steps.stored).create_view("stored", replace=True)
    if table == "complaints":
        # fingerprinted as the file has them, before absent columns are filled from the stored rows: an old
        # extract without 根因分类 re-sent later is the version it was (hostile H209)
        _row_versions(con, "incoming").create("incoming_versions")
    absent = _absent_optional(extract) if table == "complaints" else []
    if absent:
        keep = "import_keep_absent_complaints"
        _replace_table(con, "incoming", con.sql(db.load_sql(keep), params=db.bind(keep, {"absent": absent})))
        con.table(steps.stored).create_view("stored", replace=True)
    con.sql(db.load_sql(steps.classify), params=db.bind(steps.classify, {"force": force})).create("classified")
    counts = dict(con.execute("select outcome, count(*) from classified group by outcome").fetchall())
    summary.inserted, summary.updated, summary.unchanged = (
        int(counts.pop(k, 0)) for k in ("inserted", "updated", "unchanged")
    )
    summary.older = {OLDER_RULES_ZH[k]: int(n) for k, n in sorted(counts.items())}
    summary.skipped_older = sum(summary.older.values())
    if summary.skipped_older:
        summary.older_ids = [
            row[0]
            for row in con.execute(
                "select complaint_id from classified where outcome like 'older%' order by complaint_id limit $n",
                {"n": _MAX_LISTED},
            ).fetchall()
        ]
    if table == "complaints" and summary.updated:
        summary.warnings += _identity_changes(con)
    if table == "customers_monthly" and summary.updated:
        summary.warnings += _customer_changes(con, extract.path.name)
    if table == "branches" and batch_branches is not None and summary.inserted:
        added = con.execute("select branch_code from classified where outcome = 'inserted'").fetchall()
        batch_branches.update((code, extract.path.name) for (code,) in added)
    if summary.inserted or summary.updated:
        _replace_table(con, steps.stored, con.sql(db.load_sql(steps.merge)))
    if table == "complaints":
        con.sql(db.load_sql("import_seen_moves")).create("seen_moves")
        summary.seen_again = int(
            con.execute(
                "select count(*) from seen_moves join classified using (complaint_id) where outcome = 'unchanged'"
            ).fetchall()[0][0]
        )
        _replace_table(con, "stored_seen", con.sql(db.load_sql("import_merge_seen")))
        con.execute("drop table seen_moves")
        con.execute("drop table incoming_seen")
        con.execute(
            "insert into stored_row_versions select v.* from incoming_versions v join classified c "
            "using (complaint_id) where c.outcome in ('inserted', 'updated') "
            "except select * from stored_row_versions"
        )
        con.execute("drop table incoming_versions")
    con.execute("drop view if exists stored")
    con.execute("drop table incoming")
    con.execute("drop table classified")
    missing = [c for c in absent if c not in empty]  # the empty ones are said above
    if missing and summary.updated:
        summary.warnings.append(
            f"文件 {extract.path.name} 没有这些列：{'、'.join(schema.header_zh(table, c) for c in missing)}；"
            f"已入库投诉的这些字段保留原值（不会被清空）{_closing_exception(missing)}，新增投诉的为空。"
            "如列名不同，请用 --mapping 指明。"
        )
    return summary, _quarantine_frame(extract, validated.quarantine)


# the closing columns describe the stored status: kept only while it stays (import_keep_absent_complaints)
_CLOSING = ("closed_at", "result", "satisfaction")


def _closing_exception(columns) -> str:
    """What the keep-the-stored-values warnings must add when a closing column is among `columns`
    (hostile H140: they said 保留原值 for the 办结时间 of a complaint the file reopened, which was cleared)."""
    closing = [schema.header_zh("complaints", c) for c in _CLOSING if c in columns]
    return f"（处理状态有变的投诉除外：其{'、'.join(closing)}随新状态清空）" if closing else ""


def _stored_case_variants(con, clean: pd.DataFrame) -> list[str]:
    """A warning when the file's complaint numbers differ only in case from stored ones (c001 in the file,
    C001 stored): imported as other complaints, as numbers are compared as written (hostile H123)."""
    if clean.empty or "complaint_id" not in clean:
        return []
    con.register("file_ids", pd.DataFrame({"complaint_id": clean["complaint_id"].dropna().unique()}))
    try:
        pairs = db.execute(con, "import_stored_case_variants").fetchall()
    finally:
        con.unregister("file_ids")
    if not pairs:
        return []
    shown = "；".join(f"文件中“{new}”与已入库“{old}”" for new, old in pairs[:5])
    more = f"等 {len(pairs):,} 对" if len(pairs) > 5 else ""
    return [
        f"投诉编号与已入库的投诉仅大小写不同，按不同投诉导入（投诉编号区分大小写）：{shown}{more}，共 {len(pairs):,} 对；"
        "如为同一投诉，请在源系统统一写法后重新导入"
    ]


def _stored_closed(con) -> Callable[[pd.Series], set[str]]:
    def closed(ids: pd.Series) -> set[str]:
        con.register("file_ids", pd.DataFrame({"complaint_id": ids.dropna().unique()}))
        try:
            return {row[0] for row in db.execute(con, "import_stored_closed", closed=schema.CLOSED_STATUS).fetchall()}
        finally:
            con.unregister("file_ids")

    return closed


def _customer_changes(con, name: str) -> list[str]:
    """The summary's note on customer bases an extract replaces, with both values (hostile H213): a correction
    reads as one, an old file sent again can be seen and undone (数据管理: 撤销最近一次导入)."""
    found = db.execute(con, "import_customer_changes").fetchall()
    if not found:
        return []
    shown = "、".join(f"{code} {month}：{before:,} → {after:,}" for code, month, before, after in found[:10])
    more = " 等" if len(found) > 10 else ""
    return [
        f"文件 {name} 改写了 {len(found):,} 个机构·月份的客户数：{shown}{more}。若这是更正，无需处理；"
        "若是旧文件再次发送，请在“数据管理”撤销最近一次导入"
    ]


def _identity_changes(con) -> list[str]:
    """The summary's note on updates that change a complaint's 客户号 or 受理时间 (hostile H162)."""
    found = db.execute(con, "import_identity_changes").fetchall()
    rows = [(cid, customer, received) for cid, customer, received, _ in found if customer or received]
    seconds = sum(1 for _, customer, received, only in found if only and not customer and not received)
    notes = []
    if rows:
        shown = "、".join(
            f"{cid}（{'、'.join(w for w, c in (('客户号', customer), ('受理时间', received)) if c)}）"
            for cid, customer, received in rows[:10]
        ) + (" 等" if len(rows) > 10 else "")
        notes.append(
            f"{len(rows):,} 件更新改变了投诉的客户号或受理时间：{shown}。这通常不是处理进度的变化：若编号来自另一个系统或被重复使用，"
            "这些投诉已被覆盖（可能移到了另一个月份或另一位客户），请核对"
        )
    if seconds:
        notes.append(f"{seconds:,} 件投诉的受理时间与已入库的仅秒数不同（如 Excel 另存时截去了秒），已按本次文件更新")
    return notes


def _refuse_batch_lost_zeros(name: str, validated, batch_branches: dict[str, str]) -> None:
    """Refuse the whole import when a file's organisation codes are organisations this same import added,
    but with the leading zeros the organisation file lost (a branch list kept in Excel: 101 for 0101). On a
    first set-up two thirds of the complaints were quarantined and a partial bank published (hostile
    H156). Against organisations stored by an earlier import the rows are quarantined with the hint."""
    pairs = sorted((code, known) for code, known in validated.lost_zero_codes.items() if known in batch_branches)
    if not pairs:
        return
    files = "、".join(sorted({batch_branches[known] for _, known in pairs}))
    shown = "、".join(f"{code} → {known}" for code, known in pairs[:10]) + (
        f" 等 {len(pairs):,} 个" if len(pairs) > 10 else ""
    )
    raise ExtractError(
        f"文件 {name} 中 {validated.lost_zero_rows:,} 行的机构代码不在机构表中，去掉前导零后却是本次一同导入的机构"
        f"（{shown}）：机构文件 {files} 的代码疑似被 Excel 存成了数字、丢失了前导零。本次导入未做任何改动。"
        "请把机构文件的机构代码、上级机构代码列设为文本格式后重新导出，再一起导入。"
    )


def _subtree_totals(con, name: str) -> list[str]:
    """Refuse a customers file whose organisations with children mostly hold at least their children's sum
    (全辖 totals, not their own customers: the base was counted once per level, hostile H149); a minority
    of them (a 分行 with a large own base) is named in a warning."""
    rows = db.execute(con, "import_subtree_totals").fetchall()
    over = [(code, month, n, total) for code, month, n, total in rows if n >= total]
    if not over:
        return []
    shown = "；".join(f"{c} {m:%Y-%m}：{n:,} ≥ 下级合计 {t:,}" for c, m, n, t in over[:5])
    more = f" 等 {len(over):,} 个" if len(over) > 5 else ""
    if len(over) >= 2 and 2 * len(over) > len(rows):
        raise ExtractError(
            f"文件 {name} 中有下级机构的 {len(rows):,} 个机构里，{len(over):,} 个的客户数不小于其直属下级机构客户数之和"
            f"（{shown}{more}）：看起来是全辖（含下级机构）合计。数据合同要求每个机构只填本机构自身的客户，"
            "上级机构的客户数由系统按机构树汇总，合计会被重复计算。本次导入未做任何改动。"
            "请导出各机构自身的客户数后重新导入。"
        )
    return [
        f"这些机构的客户数不小于其直属下级机构客户数之和：{shown}{more}。"
        "客户数应为本机构自身的客户；如为全辖合计，请改为自身的客户数后重新导入"
    ]


def _stored_padded(con) -> Callable[[pd.DataFrame], list[tuple[str, str, str]]]:
    """validate's stored_padded: (column_name, file id, stored id) of the file's numeric ids that are a stored
    id with leading zeros added or taken away, and are not themselves stored as they are."""

    def padded(ids: pd.DataFrame) -> list[tuple[str, str, str]]:
        if ids.empty:
            return []
        con.register("file_ids", pa.Table.from_pandas(ids, preserve_index=False))
        try:
            pairs = db.execute(con, "import_lost_zero_ids").fetchall()
        finally:
            con.unregister("file_ids")
        if not pairs:
            return []
        candidates = pd.DataFrame(sorted({(c, i) for c, i, _ in pairs}), columns=["column_name", "id"])
        con.register("candidate_ids", candidates)
        try:
            stored = set(db.execute(con, "import_stored_ids").fetchall())
        finally:
            con.unregister("candidate_ids")
        return [(c, i, s) for c, i, s in pairs if (c, i) not in stored]

    return padded


def _empty_optional(extract: Extract) -> list[str]:
    """The optional complaint columns of `_absent_optional`'s kind that the file has but leaves empty in every
    one of at least 2 rows (hostile H90): an exporter that does not fill them, not a file that clears them."""
    if len(extract.frame) < 2:
        return []
    own = {"extracted_at", *schema.SECTION7_COLUMNS["complaints"]}
    return [
        c.name
        for c in schema.columns("complaints")
        if not c.required
        and c.name not in own
        and c.name in extract.columns_present
        and not extract.frame[c.name].astype("string").str.strip().replace("", pd.NA).notna().any()
    ]


def _absent_optional(extract: Extract) -> list[str]:
    """The optional complaint columns (not extracted_at nor contract section 7, whose empty values keep the
    stored ones anyway) that the file does not have."""
    own = {"extracted_at", *schema.SECTION7_COLUMNS["complaints"]}
    return [
        c.name
        for c in schema.columns("complaints")
        if not c.required and c.name not in own and c.name not in extract.columns_present
    ]


def _replace_table(con, name: str, relation) -> None:
    """Materialise `relation` as the working table `name` (an internal name, never user input)."""
    relation.create(name + "_next")
    con.execute("drop view if exists stored")
    con.execute("drop table " + name)
    con.execute("alter table " + name + "_next rename to " + name)


_KEY_COLUMNS = {
    "complaints": ["complaint_id"],
    "branches": ["branch_code"],
    "customers_monthly": ["branch_code", "month"],
}


def _record_keys(table: str, rows: pd.DataFrame) -> pd.Series:
    """The key a row upserts by, as read (trimmed text): what says two quarantine rows are the same record."""
    parts = [rows[c].astype(object).where(rows[c].notna(), "").astype(str).str.strip() for c in _KEY_COLUMNS[table]]
    return parts[0] if len(parts) == 1 else parts[0] + " " + parts[1]


def _keys_read(extract: Extract, candidates: set) -> set:
    """Which of the candidate (table, key) pairs the extract holds (candidates: the quarantined ones)."""
    wanted = {key for table, key in candidates if table == extract.table}
    if not wanted:
        return set()
    keys = _record_keys(extract.table, extract.frame)
    return {(extract.table, k) for k in keys[keys.isin(wanted)]}


def _quarantine_frame(extract: Extract, rows: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows in one shape for every table: the original values kept as a JSON record."""
    if rows.empty:
        return _empty_quarantine()
    values = rows.drop(columns=[REASON_COLUMN, "source_row"])
    return pd.DataFrame(
        {
            "file_name": extract.path.name,
            "table_name": extract.table,
            "record_key": _record_keys(extract.table, rows).to_numpy(),
            "source_row": rows["source_row"].astype("int64").to_numpy(),
            "reason": rows[REASON_COLUMN].astype(str).to_numpy(),
            "record": [
                json.dumps({k: _kept_value(v) for k, v in rec.items()}, ensure_ascii=False)
                for rec in values.to_dict("records")
            ],
        }
    )


_KEPT_CHARS = 2_000  # of a quarantined value: enough to find the row, not a 200 MB narrative per view


def _kept_value(value) -> str | None:
    if pd.isna(value):
        return None
    text = str(value)
    if len(text) > _KEPT_CHARS:  # not inside an identifier: its first digits would escape the mask (H262)
        text = text[: safe_cut(text, _KEPT_CHARS)] + f"…（共 {len(text):,} 字，已截断）"
    return text


def _empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file_name": pd.Series(dtype=str),
            "table_name": pd.Series(dtype=str),
            "record_key": pd.Series(dtype=str),
            "source_row": pd.Series(dtype="int64"),
            "reason": pd.Series(dtype=str),
            "record": pd.Series(dtype=str),
        }
    )


def _logs(
    previous: store.Snapshot | None,
    summaries,
    quarantines: list[pd.DataFrame],
    extracts: list[Extract],
    imported_at: datetime,
    user: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The import log with this import appended, and the quarantine with this import's rows added.

    The quarantine keeps its history: a row is superseded (superseded_at set) once the same record (table
    and key) is read again, by a later file of this batch or by this import for an earlier row, or once
    its file is read again (fixing a file and importing it again clears its findings). The rows not
    superseded are each record's latest outcome, what the 数据管理 page lists.
    """
    log = pd.DataFrame(
        [
            {
                "imported_at": imported_at,
                "user_name": user,
                "file_name": s.file,
                "table_name": s.table,
                "sha256": s.sha256,
                "mapping_sha256": s.mapping_sha256,
                "rows_read": s.read,
                "inserted": s.inserted,
                "updated": s.updated,
                "unchanged": s.unchanged,
                "skipped_older": s.skipped_older,
                "quarantined": s.quarantined,
                # what the summary warned of (rows kept by a rule, values read as empty), for 导入记录 later
                "warnings": "\n".join(s.warnings) or None,
            }
            for s in summaries
        ]
    )
    now = pd.Timestamp(imported_at)
    old = None if previous is None else _with_history_columns(pd.read_parquet(previous.table("quarantine")))
    # Only quarantined records can be superseded: look for those keys alone in this batch's files.
    candidates = {k for rows in quarantines for k in zip(rows["table_name"], rows["record_key"])}
    if old is not None:
        current = old[old["superseded_at"].isna()]
        candidates |= set(zip(current["table_name"], current["record_key"]))
    keys = [_keys_read(e, candidates) if candidates else set() for e in extracts]
    fresh = []
    for i, rows in enumerate(quarantines):
        later = set().union(*keys[i + 1 :])
        again = [k in later for k in zip(rows["table_name"], rows["record_key"])]
        fresh.append(
            rows.assign(
                imported_at=now,
                superseded_at=pd.Series(
                    [now if a else pd.NaT for a in again], index=rows.index, dtype="datetime64[us]"
                ),
            )
        )
    quarantine = (
        pd.concat(fresh, ignore_index=True)
        if fresh
        else _empty_quarantine().assign(
            imported_at=pd.Series(dtype="datetime64[us]"), superseded_at=pd.Series(dtype="datetime64[us]")
        )
    )
    if previous is None:
        return log, quarantine
    old_log = pd.read_parquet(previous.table("imports"))
    seen = set().union(*keys)
    again = old["file_name"].isin(log["file_name"]) | pd.Series(
        [k in seen for k in zip(old["table_name"], old["record_key"])], index=old.index
    )
    old["superseded_at"] = old["superseded_at"].where(~(again & old["superseded_at"].isna()), now)
    return (pd.concat([old_log, log], ignore_index=True), pd.concat([old, quarantine], ignore_index=True))


def _with_history_columns(old: pd.DataFrame) -> pd.DataFrame:
    """A quarantine written before it kept history: its record keys from the JSON records."""
    if "record_key" not in old:
        key_columns = {
            "complaints": ["complaint_id"],
            "branches": ["branch_code"],
            "customers_monthly": ["branch_code", "month"],
        }
        old = old.assign(
            record_key=[
                " ".join(str(json.loads(r).get(c) or "").strip() for c in key_columns[t])
                for t, r in zip(old["table_name"], old["record"])
            ]
        )
    if "superseded_at" not in old:
        old = old.assign(superseded_at=pd.Series(pd.NaT, index=old.index, dtype="datetime64[us]"))
    return old


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_snapshot(
    con,
    staging: Path,
    previous: store.Snapshot | None,
    data_changed: bool,
    timings: dict[str, float],
    defer_text: bool | None,
    progress: Callable[[str], None] = lambda step: None,
) -> dict:
    """Write the data tables into staging; unchanged complaints are hard-linked, not rewritten. defer_text
    as _publish's."""
    con.sql(db.load_sql("import_merged")).create_view("merged", replace=True)
    con.execute("create or replace view branches as select * from stored_branches")
    targets = {
        "branches": con.table("stored_branches"),
        "customers_monthly": con.table("stored_customers_monthly"),
        "branch_tree": con.sql(db.load_sql("import_branch_tree")),
        ROW_VERSIONS: con.table("stored_row_versions").order("complaint_id"),
    }
    con.execute(db.load_sql("macro_search_fold"))  # complaints' search_text, and its stand-in on an older file
    if previous is not None and not data_changed and db.stores_search_text(previous.table("complaints")):
        _link_or_copy(previous.table("complaints"), staging / "complaints.parquet")
    else:  # changed, or written before search_text was stored: derived anew (the same rows, in the same order)
        con.execute(db.load_sql("macro_repeat_window"))  # the repeat rule, shared with repeats_flags.sql
        # repeat_depth (the merged basis inside a scope) reads the organisation tree of this import
        con.sql(db.load_sql("import_branch_tree")).create_view("branch_tree", replace=True)
        targets["complaints"] = con.sql(
            db.load_sql("import_derive_complaints"),
            params={
                "repeat_window_days": REPEAT_WINDOW_DAYS,
                "default_deadline_days": schema.DEFAULT_DEADLINE_DAYS,
                "elderly_age": ELDERLY_AGE,
            },
        )
    with _timed(timings, "derive and write tables"):
        for name, relation in targets.items():
            relation.write_parquet(
                str(staging / f"{name}.parquet"),
                compression="zstd",
                row_group_size=COMPLAINT_ROW_GROUP if name == "complaints" else None,
            )

    db.complaints_view(con, staging / "complaints.parquet")  # derived tables may use the page macros
    for name in ("branch_tree", "customers_monthly"):
        con.read_parquet(str(staging / f"{name}.parquet")).create_view(name, replace=True)
    reuse = _reuse_base(previous)  # what the builders reuse: a deferred snapshot's kept tables too
    pending = None
    unchanged = previous is not None and not data_changed
    if defer_text is None and not (unchanged and all(previous.table(t.name).exists() for t in _deferrable())):
        # by the narratives to analyse: many publish the numbers first
        with _timed(timings, "narratives to analyse"):
            todo = terms_index.todo_count(con, reuse)
        if todo >= TWO_PHASE_MIN_NARRATIVES:
            pending = {"narratives": todo, "estimated_seconds": round(todo * TEXT_SECONDS_PER_NARRATIVE)}
    deferred = []
    for table in derived.load_all():
        target = staging / f"{table.name}.parquet"
        if unchanged and previous.table(table.name).exists():
            _link_or_copy(previous.table(table.name), target)
        elif (defer_text or pending) and table.deferrable:
            deferred.append(table.name)
            if reuse is not None and reuse.table(table.name).exists():  # for the analysis that completes it
                _link_or_copy(reuse.table(table.name), staging / f"{table.name}{REUSE_SUFFIX}")
            continue
        else:
            _build_derived(con, table, target, reuse, timings, progress)
        con.read_parquet(str(target)).create_view(table.name, replace=True)  # for the tables built after it
    as_of, first_month, last_month, complaints = db.execute(con, "import_as_of").fetchall()[0]
    return {
        "format": db.SNAPSHOT_FORMAT,
        "created_at": clock.local_now().isoformat(timespec="seconds"),
        "as_of": as_of.isoformat() if as_of else None,
        "first_month": first_month.isoformat() if first_month else None,
        "last_month": last_month.isoformat() if last_month else None,
        "complaints": int(complaints),
        "branches": int(con.execute("select count(*) from stored_branches").fetchall()[0][0]),
        "customers_monthly": int(con.execute("select count(*) from stored_customers_monthly").fetchall()[0][0]),
        "repeat_window_days": REPEAT_WINDOW_DAYS,
        # Complaints of a source declared without a customer key: repeat numbers cannot be computed.
        "no_customer_key": int(
            con.execute(
                "select count(*) from stored_complaints where starts_with(customer_id, $p)", {"p": NO_CUSTOMER_PREFIX}
            ).fetchall()[0][0]
        ),
        "deferred": deferred,
        **({"text_pending": pending} if pending else {}),
    }


def _build_derived(con, table, target: Path, reuse: store.Snapshot | None, timings, progress) -> None:
    progress(f"计算派生表 {table.name}")
    with _timed(timings, table.name):
        result = table.build(con, reuse)
        if isinstance(result, pd.DataFrame):
            result.to_parquet(target, index=False)
        else:
            pq.write_table(result, target, compression="zstd")


def _deferrable():
    return [table for table in derived.load_all() if table.deferrable]


class _ReuseBase(store.Snapshot):
    """A snapshot as the derived tables' builders see it: a table it deferred is its kept `.reuse` copy (the
    last analysed version), so that completing the analysis redoes only the new and changed narratives."""

    def table(self, name: str) -> Path:
        own, kept = super().table(name), self.path / f"{name}{REUSE_SUFFIX}"
        return kept if not own.exists() and kept.exists() else own


def _reuse_base(snapshot: store.Snapshot | None) -> store.Snapshot | None:
    return None if snapshot is None else _ReuseBase(snapshot.path, snapshot.version, snapshot.meta)


def _publish_text(con, data_dir: Path, numbers: store.Snapshot, progress: Callable[[str], None]) -> store.Snapshot:
    """The second publish of a two-step import: the numbers' snapshot with its deferred narrative analysis
    added. Every other file is hard-linked from it (the same data); `con` is the import's working database,
    whose views are pointed at the files of the new staging folder."""
    timings: dict[str, float] = {}
    staging = store.new_staging(data_dir)
    try:
        deferred = set(numbers.meta["deferred"])
        for f in numbers.path.iterdir():
            if f.name not in ("meta.json", db.RESIDENT_FILE) and not f.name.endswith(REUSE_SUFFIX):
                _link_or_copy(f, staging / f.name)
        con.execute(db.load_sql("macro_search_fold"))
        db.complaints_view(con, staging / "complaints.parquet")
        for name in ("branch_tree", "customers_monthly"):
            con.read_parquet(str(staging / f"{name}.parquet")).create_view(name, replace=True)
        reuse = _reuse_base(numbers)
        for table in derived.load_all():
            target = staging / f"{table.name}.parquet"
            if table.name in deferred:
                _build_derived(con, table, target, reuse, timings, progress)
            con.read_parquet(str(target)).create_view(table.name, replace=True)
        with _timed(timings, "resident tables"):
            db.write_resident(staging)
        meta = {k: v for k, v in numbers.meta.items() if k not in ("version", "audit_head", "timings", "text_pending")}
        meta |= {
            "created_at": clock.local_now().isoformat(timespec="seconds"),
            "deferred": [],
            "numbers_version": numbers.version,  # published before, with the same data
            "timings": {name: round(seconds, 2) for name, seconds in timings.items()},
        }
        return store.publish(data_dir, staging, meta)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        target.hardlink_to(source)
    except OSError:
        shutil.copy2(source, target)
