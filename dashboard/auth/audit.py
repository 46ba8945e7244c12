"""The audit trail: one JSON line per event, appended, never rewritten by the app.

Events: signin (a user comes back from the identity provider: the first app session of a sign-in),
session (a further app session of the same sign-in: a reload, another tab), signout, denied (signed in
but no role), reveal (the unmasked narrative of one complaint, with the reason given), export (a download
or a report), import.

Each line holds who (`user`, `role`), when (`at`, local time with offset), the `scope` the user was
bounded by (organisation code, null = whole bank), `detail` (what) and `prev`: the SHA-256 of the
previous line, so that an edited or deleted line breaks the chain (`verify`). The file is opened with
O_APPEND under an exclusive lock and fsync'ed before `record` returns; a failure raises, and callers
that show personal data refuse to show it (fail closed).

Location: $COMPLAINTS_AUDIT_LOG, else <data dir>/audit/audit.jsonl.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dashboard import config
from dashboard.auth.roles import Principal

EVENTS = {
    "signin": "登录",
    "session": "会话",
    "signout": "退出登录",
    "denied": "拒绝访问",
    "reveal": "查看个人信息",
    "export": "导出",
    "import": "导入",
}
GENESIS = "0" * 64


class AuditError(Exception):
    pass


def log_path(data_dir: Path | None = None) -> Path:
    explicit = os.environ.get("COMPLAINTS_AUDIT_LOG")
    if explicit:
        return Path(explicit).resolve()
    return (data_dir or config.data_dir()) / "audit" / "audit.jsonl"


def _digest(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def _last_line(fd: int) -> bytes | None:
    """The file's last complete line (read backwards in blocks)."""
    end = os.lseek(fd, 0, os.SEEK_END)
    if end == 0:
        return None
    block, buffer, pos = 4096, b"", end
    while pos > 0:
        step = min(block, pos)
        pos -= step
        buffer = os.pread(fd, step, pos) + buffer
        stripped = buffer.rstrip(b"\n")
        cut = stripped.rfind(b"\n")
        if cut >= 0:
            return stripped[cut + 1:]
    return buffer.rstrip(b"\n") or None


def record(event: str, user: Principal | str, detail: dict | None = None, *,
           data_dir: Path | None = None) -> dict:
    """Append one event and return it. `user` is a Principal (who, role, scope) or a bare name."""
    if event not in EVENTS:
        raise AuditError(f"unknown audit event {event!r}")
    if isinstance(user, Principal):
        who, role, scope = user.user, user.role, user.scope
    else:
        who, role, scope = str(user), None, None
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)          # one writer at a time across processes: the chain
        last = _last_line(fd)
        entry = {
            "at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "event": event,
            "user": who,
            "role": role,
            "scope": scope,
            "detail": detail or {},
            "prev": _digest(last) if last else GENESIS,
        }
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        end = os.lseek(fd, 0, os.SEEK_END)
        if end and os.pread(fd, 1, end - 1) != b"\n":
            line = b"\n" + line                # after a torn line (a crash mid-write): start afresh
        written = os.write(fd, line)            # O_APPEND: lands at the end whatever others did
        if written != len(line):
            raise AuditError(f"short write to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)                            # closing releases the lock
    if created:                                 # make the new file's directory entry durable too
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return entry


def record_import(user: Principal | str, files: list, result=None, error: str | None = None, *,
                  data_dir: Path | None = None) -> dict:
    """An import (or a refused one): the files, and the snapshot version it published."""
    detail = {"files": [Path(f).name for f in files], "ok": error is None}
    if result is not None:
        detail.update(version=result.version, changed=result.changed,
                      rows={f.file: {"read": f.read, "inserted": f.inserted, "updated": f.updated,
                                     "quarantined": f.quarantined} for f in result.files})
    if error is not None:
        detail["error"] = error
    return record("import", user, detail, data_dir=data_dir)


@dataclass
class Log:
    entries: list[dict]
    broken_at: int | None      # 1-based line number where the chain first fails; None = intact
    unreadable: int            # lines that are not JSON (e.g. a torn last line)


def read(path: Path | None = None) -> Log:
    """Every entry, oldest first, and whether the chain holds."""
    path = path or log_path()
    if not path.exists():
        return Log([], None, 0)
    entries, broken_at, unreadable, prev = [], None, 0, GENESIS
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
            except ValueError:
                unreadable += 1
                broken_at = broken_at or number
                continue
            if broken_at is None and entry.get("prev") != prev:
                broken_at = number
            prev = _digest(raw)
            entries.append(entry)
    return Log(entries, broken_at, unreadable)


def verify(path: Path | None = None) -> int | None:
    """The first line where the log was altered (1-based), or None when the chain is intact."""
    return read(path).broken_at


def describe(entry: dict) -> str:
    """One line of Chinese saying what happened, for the audit page and its export."""
    d = entry.get("detail") or {}
    event = entry.get("event")
    if event == "reveal":
        return f"投诉 {d.get('complaint_id')}；理由：{d.get('reason')}"
    if event == "export":
        text = f"{d.get('what')}：{d.get('file')}"
        if d.get("rows") is not None:
            text += f"（{d['rows']:,} 行）"
        if d.get("filters"):
            text += "；筛选 " + "，".join(f"{k}={v}" for k, v in d["filters"].items())
        return text
    if event == "import":
        files = "、".join(d.get("files") or [])
        outcome = f"数据版本 {d.get('version')}" if d.get("ok", True) else f"失败：{d.get('error')}"
        return f"{files}；{outcome}"
    if event == "signin":
        return f"{d.get('name') or ''} 通过身份认证登录".strip()
    if event == "session":
        return f"{d.get('name') or ''} 已登录，打开新的会话（刷新页面或新标签页）".strip()
    if event == "denied":
        return "已通过身份认证，但角色文件中没有该用户"
    if event == "signout":
        return "退出登录"
    return json.dumps(d, ensure_ascii=False)
