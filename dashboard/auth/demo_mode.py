"""Demo mode: the app without sign-in, as a 消保部 demo user, only when both hold:

- it is asked for explicitly: $COMPLAINTS_DEMO=1 (`make run` sets it), and
- the published snapshot is the generated demo bank: `python -m dashboard demo` writes the snapshot's
  version into store/DEMO; any other import publishes a new version, which the marker does not name.

Anything else without a working sign-in configuration gets the configuration page (dashboard/ui/identity.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.ingest.store import Snapshot, current_snapshot, store_dir

ENV = "COMPLAINTS_DEMO"


def requested() -> bool:
    return os.environ.get(ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def marker_path(data_dir: Path) -> Path:
    return store_dir(data_dir) / "DEMO"


def mark(data_dir: Path, version: str, *also: str) -> None:
    """Declare snapshot `version` the generated demo bank (the demo command, right after its import).
    `also`: further versions of it, one a line (bench/import_demo.py: the version an import of more demo
    data is about to publish, so that the swap of CURRENT never shows an unmarked demo bank)."""
    path = marker_path(data_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join((version, *also)), encoding="utf-8")
    os.replace(tmp, path)


def holds_demo_bank(data_dir: Path, snapshot: Snapshot | None = None) -> bool:
    """Whether the published snapshot is the one the demo command generated."""
    snapshot = snapshot or current_snapshot(data_dir)
    if snapshot is None:
        return False
    try:
        return snapshot.version in marker_path(data_dir).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return False


def active(data_dir: Path) -> bool:
    """Demo mode applies: asked for, and the data is the demo bank."""
    return requested() and holds_demo_bank(data_dir)
