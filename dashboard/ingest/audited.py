"""An import as the audit trail sees it: an attempt line before any work, the outcome after.

Used by the command line and by the upload page's import process, so that every attempt, a refused or
failed one included, is in the audit log. The attempt line is written first: if the audit log cannot be
written, nothing is imported (fail closed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from dashboard.auth import audit
from dashboard.auth.roles import Principal
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import ImportResult, import_files


def run(
    paths: list[Path],
    data_dir: Path,
    mapping_path,
    who: Principal | str,
    *,
    force: bool = False,
    defer_text: bool = False,
    accept_unmapped: bool = False,
    progress: Callable[[str], None] = lambda step: None,
) -> ImportResult:
    """import_files between the two audit lines; errors are recorded, then raised as they were."""
    audit.record("import", who, {"files": audit.file_names(paths), "stage": "attempt"}, data_dir=data_dir)
    user = who.user if isinstance(who, Principal) else str(who)
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
        )
    # record_import keeps the reason masked: a refusal may quote the file's first line (H154)
    except ExtractError as error:
        audit.record_import(who, paths, error=str(error), data_dir=data_dir)
        raise
    except Exception as error:  # MemoryError, a DuckDB error: recorded, then shown by the caller
        detail = f"内部错误：{type(error).__name__}: {error}"[:2000]
        audit.record_import(who, paths, error=detail, data_dir=data_dir)
        raise
    audit.record("import", who, outcome(paths, result), data_dir=data_dir)
    return result


def outcome(paths: list[Path], result: ImportResult) -> dict:
    """The outcome line's detail: audit.record_import's, with each file's whole accounting (read = new +
    updated + unchanged + older + quarantined). Same-named files of one batch: "name#2" for the second."""
    rows: dict[str, dict] = {}
    for f in result.files:
        key, n = f.file, 1
        while key in rows:
            n += 1
            key = f"{f.file}#{n}"
        rows[key] = _counts(f)
    return {
        "files": [Path(p).name for p in paths],
        "ok": True,
        "version": result.version,
        "changed": result.changed,
        "rows": rows,
    }


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
