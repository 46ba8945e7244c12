"""An import as the audit trail sees it: an attempt line before any work, the outcome after.

Used by the command line and by the upload page's import process, so that every attempt, a refused or
failed one included, is in the audit log. The attempt line is written first: if the audit log cannot be
written, nothing is imported (fail closed).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from dashboard import clock
from dashboard.auth import audit
from dashboard.auth.roles import Principal, can_manage_data
from dashboard.ingest import pipeline, store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import ImportResult, import_files
from dashboard.text.masking import mask


def run(
    paths: list[Path],
    data_dir: Path,
    mapping_path,
    who: Principal | str,
    *,
    force: bool = False,
    defer_text: bool = False,
    accept_unmapped: bool = False,
    two_phase: bool = True,
    progress: Callable[[str], None] = lambda step: None,
) -> ImportResult:
    """import_files between the audit lines; errors are recorded, then raised as they were. A two-step publish
    writes its outcome line when the numbers are published, before the analysis starts, and an analysis
    line after it: a kill at any point leaves a log that says what is published (hostile H240)."""
    audit.record("import", who, {"files": audit.file_names(paths), "stage": "attempt"}, data_dir=data_dir)
    user = who.user if isinstance(who, Principal) else str(who)
    numbers: list[ImportResult] = []  # the first step's result, once its line is written
    published: list[ImportResult] = []  # the same, as soon as it is published (its line may fail)

    def numbers_published(partial: ImportResult) -> None:
        published.append(partial)
        audit.record("import", who, {**outcome(paths, partial), "stage": "numbers"}, data_dir=data_dir)
        numbers.append(partial)

    try:
        result = import_files(
            paths,
            data_dir,
            mapping_path,
            user=user,
            defer_text=defer_text,
            force=force,
            progress=progress,
            accept_unmapped=accept_unmapped,
            two_phase=two_phase,
            numbers_published=numbers_published,
        )
    # record_import keeps the reason masked: a refusal may quote the file's first line (H154)
    except ExtractError as error:
        audit.record_import(who, paths, error=str(error), data_dir=data_dir)
        raise
    except Exception as error:  # MemoryError, a DuckDB error: recorded, then shown by the caller
        detail = f"内部错误：{type(error).__name__}: {error}"[:2000]
        if published:  # after the numbers were published: they stay, the analysis did not finish
            failed = dataclasses.replace(published[0], text_error=detail)
            stage = "analysis" if numbers else "numbers"  # "numbers": that line itself failed
            audit.record("import", who, {**outcome(paths, failed), "stage": stage}, data_dir=data_dir)
        else:
            audit.record_import(who, paths, error=detail, data_dir=data_dir)
        raise
    line = outcome(paths, result)
    if numbers:  # the outcome line was written with the numbers: this one is the analysis's
        line["stage"] = "analysis"
    audit.record("import", who, line, data_dir=data_dir)
    return result


def outcome(paths: list[Path], result: ImportResult) -> dict:
    """The outcome line's detail: audit.record_import's, with each file's whole accounting (read = new +
    updated + unchanged + older + quarantined), whether a snapshot was published and, for a two-step
    publish, the numbers' version and the narrative analysis's error. Same-named files of one batch:
    "name#2" for the second."""
    rows: dict[str, dict] = {}
    for f, name in zip(result.files, audit.file_names([f.file for f in result.files])):
        key, n = name, 1
        while key in rows:
            n += 1
            key = f"{name}#{n}"
        rows[key] = _counts(f)
    detail = {
        "files": audit.file_names(paths),  # masked, as the attempt line (hostile H190)
        "ok": True,
        "version": result.version,
        "changed": result.changed,
        "published": result.published,  # False: nothing changed, no snapshot (hostile H239)
        "rows": rows,
    }
    if result.numbers_version:  # published in two steps: the numbers' snapshot first
        detail["numbers_version"] = result.numbers_version
    if result.text_error:  # the second step failed; masked as record_import keeps an error (H154)
        detail["text_error"] = mask(result.text_error)
    return detail


def _counts(f) -> dict:
    counts = {
        "read": f.read,
        "inserted": f.inserted,
        "updated": f.updated,
        "unchanged": f.unchanged,
        "older": f.skipped_older,
        "quarantined": f.quarantined,
    }
    if f.already_imported_at:
        counts["already_imported_at"] = f.already_imported_at
    return counts


# --- Undoing the last import (hostile H160) -----------------------------------------------------------
# An import only adds and updates; a wrong file (a month's customers read as another month's, ids that lost
# their zeros) is undone by publishing the snapshot from before it again, as a new version: nothing is
# deleted, the audit chain's snapshot heads stay as they were, and the undone version stays on disk until
# KEEP_VERSIONS later publications (an undo can itself be undone by importing the files again).


class RevertError(Exception):
    """The last import cannot be undone; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Undo:
    """current: the published snapshot; restored: the one to publish again (the newest kept snapshot
    from before current's last import; a rebuild of the same data is not an import); undone: the import
    log's rows current has and restored has not."""

    current: store.Snapshot
    restored: store.Snapshot
    undone: pd.DataFrame


def _log(snapshot: store.Snapshot) -> pd.DataFrame:
    return pd.read_parquet(snapshot.table("imports"))


def _latest(log: pd.DataFrame):
    return None if log.empty else pd.Timestamp(log["imported_at"].max())


def last_import(data_dir: Path) -> Undo:
    """What 撤销最近一次导入 would do now; RevertError when there is nothing to undo."""
    current = store.current_snapshot(data_dir)
    if current is None:
        raise RevertError("尚未导入任何数据，没有可撤销的导入。")
    if not [s for s in store.published_snapshots(data_dir) if s.version < current.version]:
        raise RevertError("当前数据版本是第一次导入的结果，没有更早的数据版本可以恢复，无需撤销。")
    restored = store.undo_target(data_dir, current)  # kept by the store however many publishes followed (H241)
    if restored is not None:
        log, before = _log(current), _log(restored)
        undone = log[pd.to_datetime(log["imported_at"]) > _latest(before)] if len(before) else log
        return Undo(current, restored, undone.reset_index(drop=True))
    raise RevertError(
        f"没有保留最近一次导入之前的数据版本（只保留最近 {store.KEEP_VERSIONS} 个版本及撤销所需的版本），无法撤销。"
        "如需恢复，请新建数据目录并重新导入正确的抽数文件。"
    )


def revert_last_import(data_dir: Path, who: Principal, expected_version: str | None = None) -> store.Snapshot:
    """Publish again the snapshot from before the last import (Undo.restored), by 消保部 only, between an
    attempt and an outcome audit line (no line, no revert). `expected_version`: the version the user saw;
    refused when another import was published since."""
    if not can_manage_data(who):
        raise RevertError("只有消保部可以撤销导入。")
    with store.writer_lock(data_dir):
        undo = last_import(data_dir)
        if expected_version is not None and undo.current.version != expected_version:
            raise RevertError(
                f"数据已更新为版本 {undo.current.version}（您看到的是 {expected_version}），未撤销；请刷新页面后确认。"
            )
        files = audit.file_names(list(undo.undone["file_name"]))
        detail = {"version": undo.current.version, "restored": undo.restored.version, "files": files}
        audit.record("revert", who, {**detail, "stage": "attempt"}, data_dir=data_dir)
        meta = {k: v for k, v in undo.restored.meta.items() if k not in ("version", "audit_head", "timings")}
        meta |= {
            "created_at": clock.local_now().isoformat(timespec="seconds"),
            "reverted": {"version": undo.current.version, "restored": undo.restored.version, "by": who.user},
        }
        published = store.republish(data_dir, undo.restored, meta)
    audit.record("revert", who, {**detail, "new_version": published.version}, data_dir=data_dir)
    return published


def rebuild(data_dir: Path, who: Principal | str) -> store.Snapshot | None:
    """pipeline.rebuild between an attempt and an outcome audit line (no line, no rebuild): who recomputed,
    when, the version it started from and the one it published, and the snapshot 撤销 would still restore
    (hostile H241: a rebuild publishes a version like an import). None, and no line, when nothing was ever
    imported."""
    current = store.current_snapshot(data_dir)
    if current is None:
        return None
    audit.record("rebuild", who, {"version": current.version, "stage": "attempt"}, data_dir=data_dir)
    try:
        published = pipeline.rebuild(data_dir)
    except Exception as error:  # recorded, then raised as it was
        detail = mask(f"{type(error).__name__}: {error}"[:2000])
        audit.record("rebuild", who, {"version": current.version, "ok": False, "error": detail}, data_dir=data_dir)
        raise
    target = store.undo_target(data_dir, published)
    detail = {
        "version": current.version,
        "ok": True,
        "new_version": published.version,
        "undo_restores": target.version if target else None,
    }
    audit.record("rebuild", who, detail, data_dir=data_dir)
    return published
