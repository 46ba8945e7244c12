"""The audit trail: one JSON line per event, appended, never rewritten by the app.

Events: signin (a user comes back from the identity provider: the first app session of a sign-in),
session (a further app session of the same sign-in: a reload, another tab), signout, denied (signed in
but refused: no role, or a signed-out/expired session replayed), reveal (the unmasked narrative of one
complaint, with the reason given), export (a download or a report), import, revert (撤销最近一次导入),
rebuild (derived data recomputed: a new version of the same data).

Each line holds `seq` (1, 2, 3, ... with no gaps), who (`user`, `role`), when (`at`, Asia/Shanghai with
offset), the `scope` the user was bounded by (organisation code, null = whole bank), `detail` (what),
`prev` (the previous line's `mac`) and `mac`: HMAC-SHA256 of the line, keyed with a secret the deployment
holds (`key()`), so nobody without the key can edit, forge, or drop lines and recompute the chain. The
head (last seq and mac) is kept outside the log too (dashboard/auth/audit_head.py: a state file, and each
published snapshot's meta.json), so cutting the end off the log, or deleting it, shows (`read`).

The file is opened with O_APPEND under an exclusive lock and fsync'ed before `record` returns; any
failure raises AuditError, and the action it was to record does not happen (fail closed).

Location: $COMPLAINTS_AUDIT_LOG, else <data dir>/audit/audit.jsonl; the state file beside it.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dashboard import clock, config
from dashboard.auth import demo_mode
from dashboard.auth.audit_head import head_path, log_path, read_head  # noqa: F401 (log_path re-exported)
from dashboard.auth.roles import Principal
from dashboard.ingest.store import published_snapshots

EVENTS = {
    "signin": "登录",
    "session": "会话",
    "signout": "退出登录",
    "denied": "拒绝访问",
    "reveal": "查看个人信息",
    "search": "按个人信息搜索",
    "export": "导出",
    "import": "导入",
    "revert": "撤销导入",
    "rebuild": "重算",
}
GENESIS = "0" * 64
KEY_ENV = "COMPLAINTS_AUDIT_KEY"
KEY_FILE_ENV = "COMPLAINTS_AUDIT_KEY_FILE"
MIN_KEY_CHARS = 32
MIN_DISTINCT_KEY_CHARS = 8  # 32 random hex characters hold about 14 distinct ones (fewer than 8: ~never)
# Demo mode only (generated data, no sign-in): a published key, so the chain is checked but proves nothing.
DEMO_KEY = b"complaints-demo-audit-key-not-secret-demo-data-only"


class AuditError(Exception):
    """The line cannot be written (or no key is configured); the message is for the user (Chinese)."""


# --- The key ------------------------------------------------------------------------------------------
_configured: bytes | None = None


def use_key(secret: str | None) -> None:
    """The key from the app's secrets ([audit] key); the environment is read when none is set."""
    global _configured
    _configured = secret.encode("utf-8") if secret else None


def configured_key() -> str | None:
    """The key given by use_key (the app's secrets), for a child process of the app; None when unset."""
    return _configured.decode("utf-8") if _configured else None


def key_source() -> str | None:
    """Where the key comes from: "secrets", "env", "file", "demo", or None (none configured)."""
    if _configured:
        return "secrets"
    if os.environ.get(KEY_ENV):
        return "env"
    if os.environ.get(KEY_FILE_ENV):
        return "file"
    return "demo" if demo_mode.requested() else None


def is_placeholder(value: str) -> bool:
    """A value copied unchanged from .streamlit/secrets.example.toml or a template (hostile H55): published
    in the repository, so a secret that anyone can read, or an address that leads nowhere."""
    low = value.strip().lower()
    return "replace-with" in low or low in ("...", "changeme", "change-me") or ("<" in low and ">" in low)


def key() -> bytes:
    """The HMAC key; AuditError saying what to configure when there is none (or it is too short)."""
    source = key_source()
    if source == "secrets":
        secret = _configured
    elif source == "env":
        secret = os.environ[KEY_ENV].encode("utf-8")
    elif source == "file":
        try:
            secret = Path(os.environ[KEY_FILE_ENV]).read_text(encoding="utf-8").strip().encode("utf-8")
        except OSError as error:
            raise AuditError(f"审计日志密钥文件无法读取：{os.environ[KEY_FILE_ENV]}（{error}）") from error
    elif source == "demo":
        return DEMO_KEY
    else:
        raise AuditError(
            f"未配置审计日志密钥：请在 secrets.toml 的 [audit] 中设置 key，或设置环境变量 {KEY_ENV} "
            f"（或 {KEY_FILE_ENV} 指向密钥文件），至少 {MIN_KEY_CHARS} 个字符。"
        )
    # Present is not enough: forty spaces or "aaaa…" would key every MAC with a value anyone can guess,
    # and the log's tamper evidence would be void (hostile H39). Surrounding blanks never count.
    secret = secret.strip()
    if is_placeholder(secret.decode("utf-8", "replace")):
        raise AuditError("审计日志密钥仍是示例文件中的占位值：请生成随机密钥（人人可见的示例值无法防篡改）。")
    if len(secret) < MIN_KEY_CHARS:
        raise AuditError(f"审计日志密钥太短：至少 {MIN_KEY_CHARS} 个字符（首尾空白不计）。")
    if len(set(secret)) < MIN_DISTINCT_KEY_CHARS:
        raise AuditError(
            f"审计日志密钥过于简单：只有 {len(set(secret))} 种不同字符（至少 {MIN_DISTINCT_KEY_CHARS} 种）。"
            '请使用随机生成的密钥，例如 python -c "import secrets; print(secrets.token_hex(32))"。'
        )
    return secret


def _canonical(entry: dict) -> bytes:
    body = {k: v for k, v in entry.items() if k != "mac"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _mac(secret: bytes, entry: dict) -> str:
    return hmac.new(secret, _canonical(entry), hashlib.sha256).hexdigest()


def _head_mac(secret: bytes, seq: int, mac: str) -> str:
    return hmac.new(secret, f"head\n{seq}\n{mac}".encode(), hashlib.sha256).hexdigest()


def _head_ok(secret: bytes, head: dict | None) -> bool:
    return (
        isinstance(head, dict)
        and isinstance(head.get("seq"), int)
        and isinstance(head.get("mac"), str)
        and hmac.compare_digest(str(head.get("head_mac")), _head_mac(secret, head["seq"], head["mac"]))
    )


# --- Writing ------------------------------------------------------------------------------------------
def _lines_backwards(fd: int):
    """The file's complete lines, last first (read backwards in blocks)."""
    pos = os.lseek(fd, 0, os.SEEK_END)
    buffer = b""
    while pos > 0:
        step = min(65536, pos)
        pos -= step
        buffer = os.pread(fd, step, pos) + buffer
        parts = buffer.split(b"\n")
        buffer = parts[0]
        for part in reversed(parts[1:]):
            if part.strip():
                yield part
    if buffer.strip():
        yield buffer


def _last_entry(fd: int, secret: bytes) -> tuple[int, str] | None:
    """(seq, mac) of the last line that is one of ours; torn or foreign lines are passed over."""
    for raw in _lines_backwards(fd):
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("seq"), int) and entry.get("mac") == _mac(secret, entry):
            return entry["seq"], entry["mac"]
    return None


def _write_head(path: Path, secret: bytes, seq: int, mac: str) -> None:
    target = head_path(path)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump({"seq": seq, "mac": mac, "head_mac": _head_mac(secret, seq, mac)}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)


def _fsync_dir(path: Path) -> None:
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


SYSLOG_ENV = "COMPLAINTS_AUDIT_SYSLOG"  # "1": the head also goes to the system log (journald/syslog)


def announce_line(path: Path, secret: bytes, entry: dict) -> str:
    """The head after `entry`, as one line for the server log: a copy held outside the data folder that
    an external collector keeps, so that rolling back the log, its state file and every snapshot
    together still shows (compare with the 审计日志 page's 当前日志位置)."""
    return (
        f"complaints-audit head seq={entry['seq']} mac={entry['mac']} "
        f"head_mac={_head_mac(secret, entry['seq'], entry['mac'])} event={entry['event']} log={path}"
    )


def _announce(path: Path, secret: bytes, entry: dict) -> None:
    """Best effort: the line is already written and fsync'ed; a closed stderr must not undo the action."""
    line = announce_line(path, secret, entry)
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
    if os.environ.get(SYSLOG_ENV) == "1":
        try:
            import syslog

            syslog.openlog("complaints-audit", 0, syslog.LOG_AUTHPRIV)
            syslog.syslog(syslog.LOG_NOTICE, line)
        except (ImportError, OSError):
            pass


def record(event: str, user: Principal | str, detail: dict | None = None, *, data_dir: Path | None = None) -> dict:
    """Append one event and return it; AuditError when it cannot be written (the caller must then not act).
    `user` is a Principal (who, role, scope) or a bare name."""
    if event not in EVENTS:
        raise AuditError(f"unknown audit event {event!r}")
    if isinstance(user, Principal):
        who, role, scope = user.user, user.role, user.scope
    else:
        who, role, scope = str(user), None, None
    secret = key()
    path = log_path(data_dir)
    try:
        return _append(path, secret, event, who, role, scope, detail or {})
    except OSError as error:
        raise AuditError(f"审计日志无法写入（{path}：{error.strerror or error}）") from error


def _append(path: Path, secret: bytes, event: str, who: str, role, scope, detail: dict) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # one writer at a time across processes: the chain
        # Continue from whichever is further on: the log's last line, or the head kept outside it (a log
        # cut short or deleted then shows a gap, instead of silently starting a new chain).
        candidates = [c for c in (_last_entry(fd, secret),) if c]
        head = read_head(path)
        if _head_ok(secret, head):
            candidates.append((head["seq"], head["mac"]))
        seq, prev = max(candidates, default=(0, GENESIS))
        entry = {
            "seq": seq + 1,
            "at": clock.now().isoformat(timespec="seconds"),
            "event": event,
            "user": who,
            "role": role,
            "scope": scope,
            "detail": detail,
            "prev": prev,
        }
        entry = json.loads(json.dumps(entry, ensure_ascii=False, default=str))  # as it will read back
        entry["mac"] = _mac(secret, entry)
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        end = os.lseek(fd, 0, os.SEEK_END)
        if end and os.pread(fd, 1, end - 1) != b"\n":
            line = b"\n" + line  # after a torn line (a crash mid-write): start afresh
        written = os.write(fd, line)  # O_APPEND: lands at the end whatever others did
        if written != len(line):
            raise AuditError(f"审计日志写入不完整：{path}")
        os.fsync(fd)
        # The head's rename is not fsync'ed into the directory (a crash can leave the previous head, which
        # the check accepts: only a head beyond the log's end is a problem); a new log's entry is.
        _write_head(path, secret, entry["seq"], entry["mac"])
        _announce(path, secret, entry)
        if entry["seq"] == 1 or end == 0:
            _fsync_dir(path.parent)
    finally:
        os.close(fd)  # closing releases the lock
    return entry


def problem(data_dir: Path | None = None) -> str | None:
    """Why a line could not be written now (no key, a log that is not writable), or None: lets a page
    refuse an action up front instead of failing on the click."""
    try:
        key()
    except AuditError as error:
        return str(error)
    path = log_path(data_dir)
    # Try it rather than ask os.access: root passes every mode check, and a read-only mount or a
    # directory in the log's place shows only on an actual open.
    try:
        if path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
        else:
            existing = next((p for p in path.parents if p.exists()), path.parent)
            with tempfile.TemporaryFile(dir=existing):
                pass
    except OSError as error:
        return f"审计日志无法写入（{path}：{error.strerror or error}）"
    return None


def file_names(files: list) -> list[str]:
    """The imported files' names as the log keeps them: masked (a name can hold a phone or a person's name)."""
    from dashboard.text.masking import mask

    return [mask(Path(f).name) or "" for f in files]


def record_import(
    user: Principal | str, files: list, result=None, error: str | None = None, *, data_dir: Path | None = None
) -> dict:
    """An import (or a refused one): the files, and the snapshot version it published. File names and the
    error are kept masked: a refusal quotes the file's cells (its first line, a row's values) and the log is
    the record copied off the server (hostile H154; the search event keeps its query masked likewise)."""
    from dashboard.text.masking import mask

    detail = {"files": file_names(files), "ok": error is None}
    if result is not None:
        detail.update(
            version=result.version,
            changed=result.changed,
            rows={
                name: {"read": f.read, "inserted": f.inserted, "updated": f.updated, "quarantined": f.quarantined}
                for f, name in zip(result.files, file_names([f.file for f in result.files]))
            },
        )
    if error is not None:
        detail["error"] = mask(error)
    return record("import", user, detail, data_dir=data_dir)


# --- Reading and checking -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    line: int  # 1-based line of the file where it shows (0: the file as a whole)
    message: str  # Chinese, for the 审计日志 page


@dataclass
class Log:
    entries: list[dict]
    problems: list[Problem] = field(default_factory=list)
    unreadable: int = 0  # lines that are not JSON (e.g. a torn last line)
    last_seq: int = 0
    lines: list[int] = field(default_factory=list)  # each entry's line in the file

    def flagged(self) -> list[bool]:
        """Per entry: whether a problem was found at its line."""
        bad = {p.line for p in self.problems}
        return [line in bad for line in self.lines]

    @property
    def broken_at(self) -> int | None:
        """The first line where the log was altered (0: the file as a whole); None = intact."""
        lines = [p.line for p in self.problems if p.line > 0]
        return min(lines) if lines else (0 if self.problems else None)


def read(
    path: Path | None = None,
    snapshot_heads: dict[str, dict | None] | None = None,
    published_at: dict[str, str | None] | None = None,
) -> Log:
    """Every entry, oldest first, and every sign of tampering: lines edited, forged, deleted or torn
    (each at its own line), the end cut off or the file deleted (against the state file and the heads
    recorded in published snapshots, `snapshot_heads`: {version: head}, every one still on disk: see
    `published_heads`). A snapshot's head of None (blanked) is a problem when the log has lines from
    before that snapshot's `published_at` ({version: ISO time})."""
    path = path or log_path()
    log = Log([])
    try:
        secret = key()
    except AuditError as error:
        secret = None
        log.problems.append(Problem(0, f"无法校验：{error}"))
    macs: dict[int, str] = {}
    number = 0
    if path.exists():
        expected, prev = 1, GENESIS
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    entry = json.loads(raw)
                    if not isinstance(entry, dict):
                        raise ValueError
                except ValueError:
                    log.unreadable += 1
                    log.problems.append(Problem(number, f"第 {number} 行无法解析（写入中断，或被改动）"))
                    continue
                log.entries.append(entry)
                log.lines.append(number)
                if secret is None:
                    continue
                seq = entry.get("seq")
                if not isinstance(seq, int) or not hmac.compare_digest(str(entry.get("mac")), _mac(secret, entry)):
                    log.problems.append(Problem(number, f"第 {number} 行的校验码不符：该行被改动，或不是本系统写入的"))
                elif seq > expected:
                    log.problems.append(
                        Problem(
                            number,
                            f"第 {number} 行之前缺少第 {expected}"
                            + (f"–{seq - 1}" if seq - 1 > expected else "")
                            + " 条记录（被删除）",
                        )
                    )
                elif seq < expected:
                    log.problems.append(Problem(number, f"第 {number} 行的序号 {seq} 重复或倒退（应为 {expected}）"))
                elif entry.get("prev") != prev:
                    log.problems.append(Problem(number, f"第 {number} 行与前一条记录不衔接"))
                if isinstance(seq, int):
                    expected = max(expected, seq + 1)
                    macs[seq] = str(entry.get("mac"))
                prev = str(entry.get("mac"))
        log.last_seq = expected - 1
    if secret is None:
        return log
    heads = {"状态文件": read_head(path)}
    for version, head in (snapshot_heads or {}).items():
        if head is None:  # a snapshot of this code records its head, null only before any line
            before = _entries_before(log.entries, (published_at or {}).get(version))
            if before:
                log.problems.append(
                    Problem(
                        0,
                        f"数据版本 {version} 的元数据中日志位置（audit_head）为空，"
                        f"而发布前日志已有 {before:,} 条记录：元数据被改动",
                    )
                )
            continue
        heads[f"数据版本 {version} 发布时记录的日志位置"] = head
    for where, head in heads.items():
        if head is None:
            if log.entries and where == "状态文件":
                log.problems.append(Problem(0, f"{where}（{head_path(path).name}）缺失：无法确认日志末尾是否被截断"))
            continue
        if not _head_ok(secret, head):
            log.problems.append(Problem(0, f"{where}的校验码不符：被改动"))
        elif not path.exists() and head["seq"] > 0:
            log.problems.append(Problem(1, f"日志文件缺失：{where}显示已有 {head['seq']:,} 条记录"))
        elif head["seq"] > log.last_seq:
            log.problems.append(
                Problem(
                    number + 1,
                    f"日志末尾缺少第 {log.last_seq + 1}"
                    + (f"–{head['seq']}" if head["seq"] > log.last_seq + 1 else "")
                    + f" 条记录（被截断；{where}显示共 {head['seq']:,} 条）",
                )
            )
        elif head["seq"] in macs and macs[head["seq"]] != head["mac"]:
            log.problems.append(Problem(0, f"日志第 {head['seq']} 条记录与{where}不符：日志被改写"))
    return log


def _entries_before(entries: list[dict], published: str | None) -> int:
    """How many lines were written before `published` (all of them when it cannot be read)."""
    try:
        cut = datetime.fromisoformat(str(published))
    except ValueError:
        return len(entries)
    if cut.tzinfo is None:  # a snapshot's created_at is Asia/Shanghai wall time
        cut = cut.replace(tzinfo=clock.ZONE)
    count = 0
    for entry in entries:
        try:
            count += datetime.fromisoformat(str(entry.get("at"))) < cut  # the same second: not known
        except (TypeError, ValueError):
            continue
    return count


def published_heads(data_dir: Path | None = None) -> tuple[dict[str, dict | None], dict[str, str | None]]:
    """The audit heads recorded by every published snapshot still on disk that has the field (every
    snapshot this code wrote: null only when no line existed yet), and when each was published; the
    arguments `read` takes."""
    snapshots = [s for s in published_snapshots(data_dir or config.data_dir()) if "audit_head" in s.meta]
    return (
        {s.version: s.meta["audit_head"] for s in snapshots},
        {s.version: s.meta.get("created_at") for s in snapshots},
    )


def verify(path: Path | None = None) -> int | None:
    """The first line where the log was altered (1-based; 0 = the file as a whole), or None when intact."""
    return read(path).broken_at


def describe(entry: dict) -> str:
    """One line of Chinese saying what happened, for the audit page and its export."""
    d = entry.get("detail") or {}
    event = entry.get("event")
    if event == "reveal":
        return f"投诉 {d.get('complaint_id')}；理由：{d.get('reason')}"
    if event == "search":
        return f"在{d.get('page') or '页面'}按个人信息搜索投诉内容：{d.get('query')}"
    if event == "export":
        # the report command writes to standard output: no file name (hostile H119: 报告：None)
        text = f"{d.get('what')}：{d.get('file') or '标准输出（' + str(d.get('format') or '文本') + '）'}"
        if d.get("rows") is not None:
            text += f"（{d['rows']:,} 行）"
        if d.get("filters"):
            text += "；筛选 " + "，".join(f"{k}={v}" for k, v in d["filters"].items())
        if d.get("view"):  # what the page was cut to: drill-down, term, search (masked when it names a person)
            text += "；页面 " + "，".join(f"{k}={v}" for k, v in d["view"].items())
        return text
    if event == "import":
        files = "、".join(d.get("files") or [])
        if d.get("stage") == "attempt":
            return f"{files}；开始导入"
        if not d.get("ok", True):
            return f"{files}；失败：{d.get('error')}"
        if d.get("published") is False:  # lines written before it was kept published one (hostile H239)
            return f"{files}；数据无变化，未发布新的数据版本（仍为数据版本 {d.get('version')}）"
        outcome = f"数据版本 {d.get('version')}"
        if d.get("stage") == "numbers":  # a two-step publish's first step (hostile H240)
            return f"{files}；{outcome}（数字已发布，各页面已显示新数据；投诉内容分析（热点词、相似投诉）进行中）"
        if d.get("stage") == "analysis" and not d.get("text_error"):
            return (
                f"{files}；投诉内容分析（热点词、相似投诉）完成：{outcome}"
                f"（数字已于数据版本 {d.get('numbers_version')} 发布）"
            )
        if d.get("numbers_version") and d.get("text_error"):
            outcome += f"（数字已发布）；投诉内容分析（热点词、相似投诉）未完成：{d.get('text_error')}"
        elif d.get("numbers_version"):
            outcome += f"（分两步发布：数字先于数据版本 {d.get('numbers_version')} 发布）"
        return f"{files}；{outcome}"
    if event == "revert":
        undone = "、".join(d.get("files") or []) or "—"
        if d.get("stage") == "attempt":
            return (
                f"撤销数据版本 {d.get('version')} 的导入（{undone}），恢复为数据版本 {d.get('restored')} 的内容；开始"
            )
        return f"撤销数据版本 {d.get('version')} 的导入（{undone}）；发布数据版本 {d.get('new_version')}"
    if event == "rebuild":  # hostile H241: a rebuild publishes a version as an import does
        if d.get("stage") == "attempt":
            return f"重算派生数据（数据版本 {d.get('version')}）；开始"
        if not d.get("ok", True):
            return f"重算派生数据（数据版本 {d.get('version')}）；失败：{d.get('error')}"
        undo = d.get("undo_restores")
        kept = f"撤销最近一次导入仍可恢复为数据版本 {undo}" if undo else "没有可撤销的导入"
        return f"重算派生数据（数据版本 {d.get('version')}，数据不变）；发布数据版本 {d.get('new_version')}；{kept}"
    if event == "signin":
        return f"{d.get('name') or ''} 通过身份认证登录".strip()
    if event == "session":
        return f"{d.get('name') or ''} 已登录，打开新的会话（刷新页面或新标签页）".strip()
    if event == "denied":
        return "已通过身份认证，但角色文件中没有该用户"
    if event == "signout":
        return "退出登录"
    return json.dumps(d, ensure_ascii=False)
