"""Where the audit log lives, and its head (the last line's sequence number and MAC) kept outside it.

The head is written to a small state file beside the log after every line, and copied into each
published snapshot's meta.json (dashboard/ingest/store.py), so that cutting lines off the end of the
log, or deleting it, is detected (dashboard/auth/audit.py `read`). Kept apart from audit.py so the
snapshot store can read the head without importing the rest of the audit code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from dashboard import config


def log_path(data_dir: Path | None = None) -> Path:
    """$COMPLAINTS_AUDIT_LOG, else <data dir>/audit/audit.jsonl."""
    explicit = os.environ.get("COMPLAINTS_AUDIT_LOG")
    if explicit:
        return Path(explicit).resolve()
    return (data_dir or config.data_dir()) / "audit" / "audit.jsonl"


def head_path(log: Path) -> Path:
    return log.with_name(log.name + ".head.json")


def read_head(log: Path) -> dict | None:
    """The state file's {"seq", "mac", "head_mac"}, or None when there is none (or it is not JSON)."""
    try:
        head = json.loads(head_path(log).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return head if isinstance(head, dict) else None


def snapshot_head(data_dir: Path | None = None) -> dict | None:
    """The head to record in a snapshot being published: seq and MAC of the log's last line."""
    head = read_head(log_path(data_dir))
    if not head:
        return None
    return {key: head.get(key) for key in ("seq", "mac", "head_mac")}
