"""Demo mode: the app without sign-in, as a 消保部 demo user, only when both hold:

- it is asked for explicitly: $COMPLAINTS_DEMO=1 (`make run` sets it), and
- the published snapshot is the generated demo bank: `python -m dashboard demo` writes the snapshot's
  version and identity (a digest of its meta.json) into store/DEMO; any other import publishes a new
  snapshot, which the marker does not name. The identity matters: a store emptied by hand and imported
  again numbers its versions from v000001 anew (hostile H84).

Anything else without a working sign-in configuration gets the configuration page (dashboard/ui/identity.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from dashboard.ingest.store import Snapshot, current_snapshot, store_dir

ENV = "COMPLAINTS_DEMO"
PENDING_SECONDS = 600  # an import of more demo data publishes well within this


def requested() -> bool:
    return os.environ.get(ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def marker_path(data_dir: Path) -> Path:
    return store_dir(data_dir) / "DEMO"


def identity(snapshot: Snapshot) -> str:
    """What tells a snapshot from a later one that reuses its version name: a digest of its metadata,
    which holds its creation time and the audit log's head at its import."""
    text = json.dumps(snapshot.meta, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def mark(data_dir: Path, snapshot: Snapshot, upcoming: str | None = None) -> None:
    """Declare `snapshot` the generated demo bank (the demo command, right after its import). `upcoming`:
    the version an import of more demo data is about to publish (bench/import_demo.py), so that the swap
    of CURRENT never shows an unmarked demo bank; it holds for PENDING_SECONDS only, as it cannot carry
    the identity of a snapshot not yet written."""
    lines = [f"{snapshot.version} {identity(snapshot)}"]
    if upcoming:
        lines.append(f"{upcoming} pending {int(time.time())}")  # floored: never later than now
    path = marker_path(data_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.replace(tmp, path)


def holds_demo_bank(data_dir: Path, snapshot: Snapshot | None = None) -> bool:
    """Whether the published snapshot is the one the demo command generated."""
    snapshot = snapshot or current_snapshot(data_dir)
    if snapshot is None:
        return False
    try:
        lines = marker_path(data_dir).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return False
    for fields in map(str.split, lines):
        if not fields or fields[0] != snapshot.version:
            continue
        if len(fields) == 2 and fields[1] == identity(snapshot):
            return True
        if len(fields) == 3 and fields[1] == "pending" and _recent(fields[2]):
            return True
    return False  # a line of the version alone (an older marker) names no snapshot for certain


def _recent(stamp: str) -> bool:
    try:
        return 0 <= time.time() - float(stamp) <= PENDING_SECONDS
    except ValueError:
        return False


def active(data_dir: Path) -> bool:
    """Demo mode applies: asked for, and the data is the demo bank."""
    return requested() and holds_demo_bank(data_dir)
