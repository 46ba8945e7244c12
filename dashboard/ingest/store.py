"""Versioned snapshot store: the app's storage inside the data folder.

Layout (data/store/):
    CURRENT            the name of the published snapshot, replaced atomically (os.replace)
    v000042/           one immutable snapshot: a Parquet file per table, plus meta.json
    .lock              held by the one writer (an import) at a time

Why snapshots: an import writes a whole new folder and only then swaps CURRENT, so a failure half-way
leaves the published data untouched, and readers (any number of app sessions, in any process) keep
querying the snapshot they opened until they notice the new one. Nothing is ever modified in place.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.auth.audit_head import snapshot_head

KEEP_VERSIONS = 3  # older snapshots are removed; a reader still on one of the last three is safe
# ...except the undo target (undo_target): the snapshot from before the current one's last import is kept
# however many publishes followed it (a two-step import's two, rebuilds: hostile H241), so at most
# KEEP_VERSIONS + 1 snapshots are on disk.


@dataclass(frozen=True)
class Snapshot:
    path: Path
    version: str
    meta: dict

    def table(self, name: str) -> Path:
        return self.path / f"{name}.parquet"


def store_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "store"


def current_snapshot(data_dir: Path) -> Snapshot | None:
    """The published snapshot, or None when nothing was ever imported."""
    root = store_dir(data_dir)
    try:
        version = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = root / version
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    return Snapshot(path=path, version=version, meta=meta)


def published_snapshots(data_dir: Path) -> list[Snapshot]:
    """Every published snapshot still on disk, oldest first (the audit page checks each one's audit head);
    a folder whose meta.json cannot be read is passed over."""
    found = []
    for path in sorted(p for p in store_dir(data_dir).glob("v[0-9]*") if p.is_dir()):
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict):
            found.append(Snapshot(path=path, version=path.name, meta=meta))
    return found


def last_imported_at(snapshot: Snapshot):
    """The time of the snapshot's last import (its import log's latest imported_at), None for an empty log."""
    table = pq.read_table(snapshot.table("imports"), columns=["imported_at"])
    return pc.max(table["imported_at"]).as_py() if table.num_rows else None


def undo_target(data_dir: Path, current: Snapshot) -> Snapshot | None:
    """What 撤销最近一次导入 restores from `current`: the newest snapshot on disk, older than current, whose
    import log ends before current's last import (a rebuild, a two-step import's second publish or an
    unchanged re-run is no import of its own). None when there is none, or current has no import."""
    try:
        latest = last_imported_at(current)
    except (OSError, KeyError, pa.ArrowException):  # publish must not fail after CURRENT moved
        return None
    if latest is None:
        return None
    for candidate in reversed([s for s in published_snapshots(data_dir) if s.version < current.version]):
        try:
            before = last_imported_at(candidate)
            if before is None or before < latest:
                return candidate
        except (OSError, KeyError, TypeError, pa.ArrowException):  # a damaged folder is no undo target
            continue
    return None


@contextmanager
def writer_lock(data_dir: Path):
    """One import at a time, across processes (the CLI and the app's upload page)."""
    root = store_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def writer_busy(data_dir: Path) -> bool:
    """Whether an import (or rebuild) holds the writer lock now: a snapshot whose narrative analysis is
    pending is being completed only while one does (a shared lock, tried without waiting, fails)."""
    try:
        handle = open(store_dir(data_dir) / ".lock", "rb")
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _next_version(root: Path) -> str:
    numbers = [int(p.name[1:]) for p in root.glob("v[0-9]*") if p.is_dir() and p.name[1:].isdigit()]
    return f"v{max(numbers, default=0) + 1:06d}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(data_dir: Path, staging: Path, meta: dict) -> Snapshot:
    """Turn a fully written staging folder into the current snapshot, atomically.

    Call under writer_lock. Until the final os.replace of CURRENT, readers see the old snapshot.
    """
    root = store_dir(data_dir)
    version = _next_version(root)
    # The audit log's head as of this import (its attempt line included): cutting the log shows.
    meta = {**meta, "version": version, "audit_head": snapshot_head(data_dir)}
    (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    for f in staging.iterdir():
        with open(f, "rb") as handle:
            os.fsync(handle.fileno())
    final = root / version
    os.rename(staging, final)
    _fsync_dir(root)
    pointer = root / "CURRENT.tmp"
    pointer.write_text(version, encoding="utf-8")
    os.replace(pointer, root / "CURRENT")
    _fsync_dir(root)
    published = Snapshot(path=final, version=version, meta=meta)
    target = undo_target(data_dir, published)
    _remove_old_versions(root, keep={version} | ({target.version} if target else set()))
    return published


def republish(data_dir: Path, source: Snapshot, meta: dict) -> Snapshot:
    """Publish a copy of an earlier snapshot's files (not its meta.json: `meta` instead) as a new version,
    as an import would: nothing published is changed, and old versions go only as after any import
    (KEEP_VERSIONS). How an import is undone (hostile H160: ingest/audited.revert_last_import). Call under
    writer_lock."""
    staging = new_staging(data_dir)
    try:
        for f in source.path.iterdir():
            if f.name != "meta.json":
                shutil.copy2(f, staging / f.name)
        return publish(data_dir, staging, meta)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def new_staging(data_dir: Path) -> Path:
    root = store_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f"staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def _remove_old_versions(root: Path, keep: set[str]) -> None:
    versions = sorted(p for p in root.glob("v[0-9]*") if p.is_dir())
    for old in versions[:-KEEP_VERSIONS]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in root.glob("staging-*"):  # a crashed import's half-written folder
        if leftover.name != f"staging-{os.getpid()}":
            shutil.rmtree(leftover, ignore_errors=True)
