"""Roles: who may use the dashboard, which organisations they see, what they may do.

The roles file (TOML; default `<data dir>/roles.toml`, or $COMPLAINTS_ROLES_FILE) lists users by
e-mail or OIDC subject, each with a role and, for 分行, an organisation code:

    [[users]]
    email = "zhang.wei@bank.example"
    role = "消保部"

    [[users]]
    sub = "00u1a2b3c4"        # the provider's subject, when its e-mail is not stable
    role = "分行"
    org = "0200"              # this organisation and everything under it

Roles (docs/security.md):
    行领导   whole bank, personal data masked
    消保部   whole bank, may reveal one complaint's personal data after giving a reason; sees the audit
            log; manages data (imports)
    分行     only its own organisation subtree, masked
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard import config

LEADER = "行领导"
CONSUMER_PROTECTION = "消保部"
BRANCH = "分行"
ROLES = (LEADER, CONSUMER_PROTECTION, BRANCH)
# The command line without --user: the operator who runs it has the machine and the data files anyway.
OPERATOR = "命令行操作员"

ROLE_HELP = {
    LEADER: "全行数据，个人信息脱敏显示",
    CONSUMER_PROTECTION: "全行数据；填写理由后可查看单条投诉的个人信息；可查看审计日志、导入数据",
    BRANCH: "仅本机构及下辖机构的数据，个人信息脱敏显示",
    OPERATOR: "命令行：全行数据，个人信息脱敏",
}


class RolesError(Exception):
    """The roles file is missing or wrong; the app refuses access rather than guessing."""


@dataclass(frozen=True)
class Principal:
    """A user the app has decided about: who (for audit lines), role, organisation."""

    user: str  # e-mail, else the OIDC subject; the name written to the audit log
    role: str
    org: str | None = None  # the organisation from the roles file (required for 分行)
    name: str | None = None  # display name (roles file, else the provider's `name` claim)
    demo: bool = False  # demo mode: no sign-in configured

    @property
    def scope(self) -> str | None:
        """The organisation whose subtree bounds every query; None = whole bank."""
        return self.org if self.role == BRANCH else None

    @property
    def display(self) -> str:
        return f"{self.name}（{self.user}）" if self.name and self.name != self.user else self.user


def can_reveal(principal: Principal | None) -> bool:
    """May see one complaint's unmasked narrative, after giving a reason (audited)."""
    return principal is not None and principal.role == CONSUMER_PROTECTION


def can_view_audit(principal: Principal | None) -> bool:
    return principal is not None and principal.role == CONSUMER_PROTECTION


def can_manage_data(principal: Principal | None) -> bool:
    """Import extracts and see the data-management page (whole-bank data quality, quarantine)."""
    return principal is not None and principal.role == CONSUMER_PROTECTION


def demo_principal(name: str) -> Principal:
    return Principal(user=name, role=CONSUMER_PROTECTION, org=None, name=name, demo=True)


def operator_principal(login: str | None = None) -> Principal:
    """Whoever runs the command line without --user: whole bank (they hold the data files anyway)."""
    if login is None:
        import getpass

        try:
            login = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers)
            login = os.environ.get("USER", "unknown")
    return Principal(user=f"命令行:{login}", role=OPERATOR, org=None)


def for_cli(email: str | None, data_dir: Path | None = None) -> Principal:
    """`--user EMAIL or SUBJECT` resolved against the roles file (RolesError when absent); without it, the
    operator (whole bank). The operator at the shell names a user, no identity provider vouches for one, so
    an entry is found by its subject or by its e-mail, also an entry that names a subject (hostile H188: the
    users docs/security.md recommends setting up by subject could not be named at all)."""
    if email is None:
        return operator_principal()
    if not email.strip():  # `--user ''` is a mistake, not a request for the whole bank
        raise RolesError("--user 不能为空：请填写角色文件中的邮箱或账号；不加 --user 则以命令行操作员身份出全行报告")
    path = roles_path(data_dir)
    entries = load(path)
    named = email.strip()
    entry = next((e for e in entries if e.sub == named), None) or next(
        (e for e in entries if e.email == named.lower()), None
    )
    if entry is None:
        raise RolesError(f"角色文件 {path} 中没有用户 {email}（按账号 sub 或邮箱查找）")
    return Principal(user=entry.email or named, role=entry.role, org=entry.org, name=entry.name)


# --- The roles file ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    email: str | None
    sub: str | None
    role: str
    org: str | None
    name: str | None


def roles_path(data_dir: Path | None = None) -> Path:
    """$COMPLAINTS_ROLES_FILE, else roles.toml in the data folder."""
    explicit = os.environ.get("COMPLAINTS_ROLES_FILE")
    if explicit:
        return Path(explicit).resolve()
    return (data_dir or config.data_dir()) / "roles.toml"


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")
_UNQUOTED = re.compile(r"^\s*([A-Za-z_]+)\s*=\s*([^\s\"'\[{][^#]*?)\s*(#.*)?$")


def _toml_error(text: str, source: str, error: tomllib.TOMLDecodeError) -> RolesError:
    """tomllib's English message as a sentence for the administrator who edits the file (hostile H69): the
    file, the line, the line as written and what to write instead."""
    found = _TOML_AT.search(str(error))
    lines = text.splitlines()
    line = int(found.group(1)) if found and found.group(1) else max(len(lines), 1)
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    said = str(error)
    unquoted = _UNQUOTED.match(shown)
    if unquoted:
        key, value = unquoted.group(1), unquoted.group(2).strip().strip("\"'")
        fix = f'值要加英文双引号，应写成 {key} = "{value}"（机构代码加引号才能保留前导 0）'
    elif "array declaration" in said or "table declaration" in said:
        fix = "表头的方括号不完整，每个用户应以一行 [[users]] 开始"
    elif "Expected '='" in said:
        fix = '每行应写成 键 = "值"，中间用 = 连接，例如 role = "消保部"'
    elif "Illegal character" in said or "Unterminated string" in said or "string" in said:
        fix = '字符串的引号没有闭合：值的两端都要有英文双引号，例如 email = "zhang@bank.test"'
    elif "twice" in said or "overwrite" in said:
        fix = "同一个键在一个 [[users]] 中只能写一次"
    else:
        fix = '请按 键 = "值" 的格式改正（每个用户以一行 [[users]] 开始）'
    quoted = f"“{shown}”" if shown else "（空行或文件末尾）"
    return RolesError(f"角色文件 {source} 第 {line} 行有误（不是有效的 TOML）：{quoted}。{fix}")


def _users_lines(text: str) -> list[int]:
    """The line number of each [[users]] header, in order (for messages about an entry)."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[\s*users\s*\]\]", line)]


def parse(text: str, source: str = "roles.toml") -> tuple[Entry, ...]:
    """Entries of a roles file; RolesError naming the file, the line and the fix for anything ambiguous."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _toml_error(text, source, error) from error
    unknown = set(doc) - {"users"}
    if unknown:
        raise RolesError(
            f"角色文件 {source}：未知的顶层键 {'、'.join(sorted(unknown))}，应只有 [[users]]（每个用户以一行 [[users]] 开始）"
        )
    users = doc.get("users", [])
    if not isinstance(users, list):
        raise RolesError(f"角色文件 {source}：users 应写成 [[users]] 表数组（每个用户以一行 [[users]] 开始）")
    entries, seen = [], set()
    starts = _users_lines(text)
    for i, raw in enumerate(users, start=1):
        at = f"第 {starts[i - 1]} 行起的" if i <= len(starts) else ""
        where = f"角色文件 {source} {at}第 {i} 个 [[users]]"
        if not isinstance(raw, dict):
            raise RolesError(f"{where}：应是一个表")
        extra = set(raw) - {"email", "sub", "role", "org", "name"}
        if extra:
            raise RolesError(f"{where}：未知的键 {sorted(extra)}")
        for key in ("email", "sub", "role", "org", "name"):
            if key in raw and not isinstance(raw[key], str):
                hint = "（机构代码要加引号，以保留前导 0）" if key == "org" else ""
                raise RolesError(f"{where}：{key} 应是字符串{hint}")
        email = (raw.get("email") or "").strip().lower() or None
        sub = (raw.get("sub") or "").strip() or None
        if not email and not sub:
            raise RolesError(f"{where}：需要 email 或 sub")
        role = (raw.get("role") or "").strip()
        if role not in ROLES:
            raise RolesError(f"{where}：角色 {role!r} 无效，应为 {'、'.join(ROLES)} 之一")
        org = (raw.get("org") or "").strip() or None
        if role == BRANCH and not org:
            raise RolesError(f"{where}：分行角色必须填写 org（机构代码）")
        if role != BRANCH and org:  # an org the admin meant as a scope would be ignored: fail closed (H196)
            raise RolesError(
                f"{where}：角色 {role} 的可见范围是全行，不能填写 org（{org}）；"
                f"如该用户只应看到机构 {org} 及下辖机构，请将角色设为 {BRANCH}，否则删除 org"
            )
        for key in (("email", email), ("sub", sub)):
            if key[1] and key in seen:
                raise RolesError(f"{where}：{key[0]} {key[1]} 重复出现")
            if key[1]:
                seen.add(key)
        entries.append(Entry(email=email, sub=sub, role=role, org=org, name=(raw.get("name") or None)))
    return tuple(entries)


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> tuple[Entry, ...]:
    # Any file that cannot be read is a RolesError, so the gate refuses with a sentence, not a traceback
    # (hostile H44: Notepad's "ANSI" on a Chinese Windows is GBK; a folder given for the file)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError as error:
        raise RolesError(f"角色文件路径是一个文件夹，而不是文件：{path}") from error
    except OSError as error:
        raise RolesError(f"角色文件无法读取：{path}（{error.strerror or error}）") from error
    try:
        text = raw.decode("utf-8-sig")  # a BOM (Notepad's "UTF-8 with BOM") is fine
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise RolesError(f"角色文件不是 UTF-8 编码（第 {line} 行）：请用 UTF-8 编码另存后重试") from error
    return parse(text, Path(path).name)


def load(path: Path) -> tuple[Entry, ...]:
    """The roles file's entries, re-read whenever the file changes (no restart needed)."""
    try:
        stat = path.stat()
    except FileNotFoundError as error:
        raise RolesError(f"角色文件不存在：{path}") from error
    except OSError as error:
        raise RolesError(f"角色文件无法读取：{path}（{error.strerror or error}）") from error
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


def _verified(claim) -> bool:
    """An e-mail counts as verified when the provider says so (True, or "true" as some send it as text) or
    says nothing (many providers send no such claim for addresses they manage). Anything else, "false", 0,
    "no" included, is not verified (hostile H198: the string "false" counted as verified): fail closed."""
    if claim is None or claim is True:
        return True
    return isinstance(claim, str) and claim.strip().lower() == "true"


def resolve(
    entries: tuple[Entry, ...],
    email: str | None,
    sub: str | None,
    email_verified: bool | str | None = None,
    name: str | None = None,
) -> Principal | None:
    """The principal for a signed-in identity, or None when the roles file has no entry for it.

    The subject is matched first (it never changes); then the e-mail, case-insensitively, unless the
    provider says it is not verified, and only for an entry without a subject: an entry that names its
    subject is that identity alone, whatever e-mail another identity carries (hostile H85: a second IdP
    account with the leader's address signed in as the leader)."""
    email = (email or "").strip().lower() or None
    entry = next((e for e in entries if sub and e.sub == sub), None)
    if entry is None and email and _verified(email_verified):
        entry = next((e for e in entries if e.email == email and not e.sub), None)
    if entry is None:
        return None
    return Principal(user=email or sub or "", role=entry.role, org=entry.org, name=entry.name or name)


def find(email: str | None = None, sub: str | None = None, path: Path | None = None) -> Principal | None:
    """Resolve against the roles file at `path` (default roles_path())."""
    return resolve(load(path or roles_path()), email, sub)
