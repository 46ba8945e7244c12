"""The rectification ledger (整改台账): durable items, their change history, optimistic locking.

Storage: one SQLite database per data folder, ``<data_dir>/ledger/ledger.sqlite``, beside the snapshot store
and never inside a snapshot, so items survive app restarts and re-imports (an import replaces snapshots,
not this file). SQLite in WAL mode lets any number of app processes read while one writes; a write waits
up to ``BUSY_TIMEOUT_S`` for another to finish. Every statement is a file in queries/ledger_*.sql (SQLite
SQL), bound by name like every other query.

Two people editing one item: each save names the ``version`` it was made on. The read-compare-write runs in
one ``BEGIN IMMEDIATE`` transaction (the database's write lock), and the UPDATE only matches that version;
when someone else saved first the version has moved on, nothing is written and :class:`ConflictError`
says so in Chinese. Nothing is silently overwritten.

Every change is kept: creating an item records each field given; each save records each field that changed
(who, when, field, old value, new value) under the version it produced. Times are Asia/Shanghai.

Who may do what (docs/security.md, enforced here, below the pages): a ledger opened for a user
(``Ledger(data_dir, principal)``) shows 分行 users only the items whose organisation is inside their subtree,
and lets them create, edit and close only those, citing only complaints of that subtree; 消保部 (and the demo
user) everything; 行领导 reads the whole
ledger and writes nothing. ``Ledger(data_dir)`` without a user is the operator's (command line, tests): the
person who holds the data files.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import pandas as pd

from dashboard import clock, db, schema
from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, Principal, can_reveal
from dashboard.filters import add_months, month_start
from dashboard.metrics import DONE_STATUSES, follows_org_itself  # DONE: never overdue (the one definition)
from dashboard.text import search_guard
from dashboard.text.masking import mask

STATUSES = ("待整改", "整改中", "已整改", "已验证")
VERIFY_FIRST = "须先标记为“已整改”，整改后满一个完整月份、评估整改成效后，再由消保部标记为“已验证”。"
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])  # str.translate: removed
VERIFIED_STATUS = "已验证"  # the effect was checked: after 已整改, a complete month on, by 消保部 (H110)
FIXED_STATUS = "已整改"  # the date an item reaches this is its fix date (fixed_at)
SOURCES = {
    "recurring": "反复出现的问题",
    "similar": "相似投诉",
    "surge": "投诉激增",
    "hotspot": "热点切片",
    "complaint": "单笔投诉",
    "event": "本月新情况",
    "manual": "手工建立",
}
EDITABLE = ("title", "root_cause", "owner_dept", "action", "due_date", "status", "fixed_at", "key_terms")
LIST_FIELDS = ("complaint_ids", "key_terms")
FIELD_LABELS = {
    "title": "事项名称",
    "source": "来源",
    "branch_code": "机构代码",
    "business_category": "业务类别",
    "reason": "投诉原因",
    "complaint_ids": "涉及投诉编号",
    "key_terms": "关键词",
    "source_note": "来源说明",
    "root_cause": "根因分类",
    "owner_dept": "责任部门",
    "action": "整改措施",
    "due_date": "整改期限",
    "status": "整改状态",
    "fixed_at": "整改完成日期",
    "withdrawn": "撤销",  # the history's row of a withdrawal (new value: the reason) or a restore (old value)
}
BUSY_TIMEOUT_S = 15
# Sane sizes and dates (hostile finding H16: the store, not only the form, refuses the absurd)
TITLE_MAX = 200  # characters of an item's name
TEXT_MAX = {"owner_dept": 100, "action": 4000, "source_note": 4000}  # the other free texts
KEY_TERMS_MAX, KEY_TERM_MAX = 30, 40  # key terms, characters of one
COMPLAINT_IDS_MAX = 5000  # complaints cited by one item
DUE_YEARS_MAX = 3  # a due date at most this many years after the item was created
WITHDRAW_REASON_MIN = 4  # characters of a withdrawal's reason, as a reveal's


class LedgerError(ValueError):
    """A save that cannot be made; the message is for the user (Chinese)."""


class ConflictError(LedgerError):
    """Someone else saved the item after it was read."""


class ForbiddenError(LedgerError):
    """The user's role or organisation does not allow this change."""


def ledger_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / "ledger" / "ledger.sqlite"


def _now() -> str:
    return clock.local_now().isoformat(sep=" ", timespec="seconds")


def _iso_date(value, field: str) -> str | None:
    """A date as YYYY-MM-DD text, or None; anything else is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise LedgerError(f"{FIELD_LABELS[field]}不是有效日期：{value}") from None


def _created_date(stamp: str | None) -> date:
    """The date of a created_at stamp (YYYY-MM-DD HH:MM:SS), today when none."""
    if not stamp:
        return clock.today()
    return date.fromisoformat(str(stamp)[:10])


def filter_items(items: pd.DataFrame, org_members: set[str] | None, categories=None, reasons=None) -> pd.DataFrame:
    """The items the page's sidebar filters keep: an organisation (org_members: its subtree's codes; None = no
    organisation chosen) keeps the items about an organisation inside it; categories and reasons keep the
    items of those (an item that covers no category, or no reason, is kept only when that filter is off)."""
    keep = pd.Series(True, index=items.index)
    if org_members is not None:
        keep &= items["branch_code"].isin(org_members)
    if categories:
        keep &= items["business_category"].isin(list(categories))
    if reasons:
        keep &= items["reason"].isin(list(reasons))
    return items[keep]


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value) if value.startswith("[") else [value]
    return [str(v).strip() for v in value if str(v).strip()]


def _key_terms(value) -> list[str]:
    # NFKC-folded when saved: the effect counts a term on the masked narratives, whose full-width digits the
    # mask folds, so ＡＴＭ or １２月 counts like ATM or 12月 (hostile H19's leftover); duplicates after folding drop
    terms = list(dict.fromkeys(unicodedata.normalize("NFKC", t) for t in _as_list(value)))
    if len(terms) > KEY_TERMS_MAX or any(len(t) > KEY_TERM_MAX for t in terms):
        raise LedgerError(f"关键词最多 {KEY_TERMS_MAX} 个，每个不超过 {KEY_TERM_MAX} 字。")
    return terms


def _check_no_mask_symbol(terms: list[str]) -> None:
    """A key term holding '*' (or its full-width form), copied from the masked list, would count no complaint
    ever and say nothing why: refused as the hotspots search refuses it (hostile H233, H250)."""
    masked = next((t for t in terms if "*" in unicodedata.normalize("NFKC", t)), None)
    if masked is not None:
        raise LedgerError(
            f"关键词“{masked}”含 *：* 是列表中隐藏个人信息的符号，不是通配符，整改成效按它检索不到任何投诉。"
            "请改用投诉内容中的业务关键词（如：年费、征信、催收）。"
        )


def _text(value) -> str | None:
    """A value as stored in history: text, lists as JSON, None kept."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


class Ledger:
    """The ledger of one data folder. Cheap to create: every call opens (and closes) its own connection,
    so an instance may be shared across threads and a new process sees everything saved before."""

    def __init__(self, data_dir: Path | str, principal: Principal | None = None):
        self.path = ledger_path(data_dir)
        self.data_dir = Path(data_dir)
        self.principal = principal
        self._orgs: frozenset[str] | None = None
        self._snapshot = None  # db.current(data_dir), once there is one (_opened)

    # --- who may do what --------------------------------------------------------------------------
    def _opened(self):
        """The published snapshot and its connection (db.current), looked up once per Ledger once there is
        one: an item's create checks its scope, its dimensions and its cited complaints against it."""
        if self._snapshot is None:
            self._snapshot = db.current(self.data_dir)
        return self._snapshot

    def _scope_orgs(self) -> frozenset[str] | None:
        """The organisations a 分行 user's items may be about (their subtree); None = any (whole bank)."""
        if self.principal is None or self.principal.scope is None:
            return None
        if self._orgs is None:
            opened = self._opened()
            codes = db.run(opened[1], "branch_options", scope=self.principal.scope)["branch_code"] if opened else []
            self._orgs = frozenset(str(c) for c in codes) | {self.principal.scope}
        return self._orgs

    def may_see(self, branch_code: str | None) -> bool:
        orgs = self._scope_orgs()
        return orgs is None or (branch_code is not None and branch_code in orgs)

    def may_write(self, branch_code: str | None = None) -> bool:
        """Whether this user may create, edit or close an item about `branch_code` (None = whole bank)."""
        who = self.principal
        if who is None or who.role == CONSUMER_PROTECTION:
            return True
        return who.role == BRANCH and self.may_see(branch_code)

    def may_withdraw(self, branch_code: str | None = None) -> bool:
        """Whether this user may withdraw (撤销) or restore an item (about `branch_code`, None = whole bank):
        消保部 and the operator, any item; nobody else (a branch could make its own overdue items vanish)."""
        return self.principal is None or self.principal.role == CONSUMER_PROTECTION

    def _check_write(self, branch_code: str | None) -> str | None:
        """The user name for the history; ForbiddenError when this user may not write this item."""
        who = self.principal
        if self.may_write(branch_code):
            return who.user if who is not None else None
        if who.role == BRANCH:
            raise ForbiddenError(
                f"您（{who.role}，{who.scope} 及下辖机构）只能为本机构及下辖机构建立和修改整改事项"
                + ("；全行事项由消保部维护。" if branch_code is None else f"，机构 {branch_code} 不在其中。")
            )
        raise ForbiddenError(f"您的角色（{who.role}）可以查看整改台账，不能建立或修改整改事项。")

    def _check_dimensions(self, branch_code: str | None, business_category: str | None, reason: str | None) -> None:
        """An item is about an organisation of the published snapshot (none loaded: no organisation can be
        checked, so none is accepted) and a business category and a reason of the data contract."""
        if business_category and business_category not in schema.BUSINESS_CATEGORIES:
            raise LedgerError(
                f"未知的业务类别：{business_category[:40]}（应为{'、'.join(schema.BUSINESS_CATEGORIES)}之一）。"
            )
        if reason and reason not in schema.REASONS:
            raise LedgerError(f"未知的投诉原因：{reason[:40]}（应为数据规范第 5 节所列原因之一）。")
        if not branch_code:
            return
        opened = self._opened()
        if not opened:
            raise LedgerError(
                f"尚未导入机构数据，无法核对机构代码 {branch_code[:40]}：请先导入数据，或建立全行事项（不填机构）。"
            )
        known = db.run(opened[1], "branch_options", scope=None)["branch_code"]
        if branch_code not in set(known.astype(str)):
            raise LedgerError(f"机构代码 {branch_code[:40]} 不在已导入的机构中，请核对。")

    def _check_cited(self, complaint_ids: list[str], branch_code: str | None = None) -> list[str]:
        """The cited complaint numbers as the data spells them (typed in any case, blanks trimmed), or a
        refusal: LedgerError naming numbers that are no complaint (hostile H42: its effect could never be
        computed), ForbiddenError naming, for a 分行 user, those outside their subtree (the ids feed the
        item's before/after effect that 消保部 reads), and LedgerError, for anyone, naming those outside the
        item's own organisation and its subtree (hostile H175: the branch the item is filed under would read
        another branch's complaint numbers)."""
        if not complaint_ids:
            return complaint_ids
        opened = self._opened()
        if not opened:
            raise LedgerError("尚无已导入的投诉数据，不能列入投诉编号。")
        scope = self.principal.scope if self.principal is not None else None
        found = db.run(
            opened[1], "ledger_complaints_in_scope", complaint_ids=complaint_ids, scope=scope, org=branch_code
        )
        # Numbers are complaints as written (C001 and c001 are two: the store's rule, hostile H123). A number
        # typed in another case is read as the one complaint so spelt; with several, the user must choose.
        exact = set(found["complaint_id"])
        spellings: dict[str, list[str]] = {}
        for given, stored_id in zip(found["given"], found["complaint_id"]):
            spellings.setdefault(given, []).append(stored_id)
        ambiguous = [c for c in complaint_ids if c not in exact and len(spellings.get(c.lower(), [])) > 1]
        if ambiguous:
            raise LedgerError(
                "这些投诉编号在数据中有仅大小写不同的多件投诉，请按数据中的写法填写："
                + "；".join(f"{c}（{'、'.join(sorted(spellings[c.lower()]))}）" for c in ambiguous[:10])
                + "。"
            )
        stored = {c: (c if c in exact else spellings[c.lower()][0]) for c in complaint_ids if c.lower() in spellings}
        outside = [c for c in complaint_ids if c not in stored]
        scoped = self._scope_orgs() is not None
        if outside and not scoped:
            raise LedgerError(
                "这些投诉编号在数据中不存在，请核对："
                + "、".join(outside[:10])
                + ("等" if len(outside) > 10 else "")
                + "。"
            )
        if outside:  # a scoped user is not told which numbers exist outside the scope
            raise ForbiddenError(
                f"这些投诉不存在或不在您的机构（{scope}）及下辖机构中，不能列入整改事项："
                + "、".join(outside[:10])
                + ("等" if len(outside) > 10 else "")
                + "。"
            )
        elsewhere = sorted(set(found.loc[~found["in_org"].astype(bool), "complaint_id"]) & set(stored.values()))
        if elsewhere:
            raise LedgerError(
                f"这些投诉不属于事项的机构（{branch_code}）及其下辖机构，请核对机构或投诉编号："
                + "、".join(elsewhere[:10])
                + ("等" if len(elsewhere) > 10 else "")
                + "。"
            )
        return list(dict.fromkeys(stored[c] for c in complaint_ids))

    # --- plumbing ---------------------------------------------------------------------------------
    @contextmanager
    def _connect(self, write: bool = True):
        """A connection to the ledger; reading a ledger that was never written uses an empty in-memory
        one instead of creating the file."""
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        target = self.path if (write or self.path.exists()) else ":memory:"
        con = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            if target != ":memory:":
                con.execute("pragma journal_mode = wal")
                con.execute("pragma synchronous = normal")
            for name in ("ledger_create_items", "ledger_create_history", "ledger_create_withdrawals"):
                con.execute(db.load_sql(name))
            yield con
        finally:
            con.close()

    @staticmethod
    def _run(con: sqlite3.Connection, name: str, **params) -> sqlite3.Cursor:
        return con.execute(db.load_sql(name), db.bind(name, params))

    @staticmethod
    def _decode(row: sqlite3.Row | dict) -> dict:
        item = dict(row)
        for field in LIST_FIELDS:
            item[field] = _as_list(item.get(field))
        return item

    # --- reading ----------------------------------------------------------------------------------
    def get(self, item_id: int) -> dict | None:
        """One item, or None when it does not exist or is outside the user's scope."""
        with self._connect(write=False) as con:
            row = self._run(con, "ledger_item", id=int(item_id)).fetchone()
        if row is None or not self.may_see(row["branch_code"]):
            return None
        return self._decode(row)

    def same_issue(
        self,
        branch_code: str | None,
        business_category: str | None,
        reason: str | None,
        complaint_ids=(),
        exclude: int | None = None,
    ) -> pd.DataFrame:
        """The items the user may see about the same issue and scope (hostile H133: a second item for it was
        accepted without a word): the same organisation, business category and reason, and for an item citing
        complaints, one citing any of the same; 已验证 ones left out (a closed fix may need a new item)."""
        items = self.items()
        if items.empty:
            return items
        same = (
            (items["branch_code"].fillna("") == (branch_code or ""))
            & (items["business_category"].fillna("") == (business_category or ""))
            & (items["reason"].fillna("") == (reason or ""))
            & (items["status"] != VERIFIED_STATUS)
        )
        cited = set(_as_list(complaint_ids))
        if cited:
            same &= items["complaint_ids"].map(lambda ids: bool(cited & set(_as_list(ids))))
        if exclude is not None:
            same &= items["id"] != int(exclude)
        return items[same].reset_index(drop=True)

    def items(self, today: date | None = None) -> pd.DataFrame:
        """Every item the user may see, overdue ones first (column ``overdue``: due date passed, not
        已整改/已验证)."""
        frame = self._items_in_scope("ledger_items", today=(today or clock.today()).isoformat())
        frame["overdue"] = frame["overdue"].astype(bool)
        for field in LIST_FIELDS:
            frame[field] = frame[field].map(_as_list)
        return frame

    def _frame(self, name: str, **params) -> pd.DataFrame:
        with self._connect(write=False) as con:
            cursor = self._run(con, name, **params)
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        return pd.DataFrame([tuple(r) for r in rows], columns=columns)

    def _items_in_scope(self, name: str, **params) -> pd.DataFrame:
        """The rows of a query of items whose organisation the user may see."""
        frame = self._frame(name, **params)
        orgs = self._scope_orgs()
        return frame if orgs is None else frame[frame["branch_code"].isin(orgs)].reset_index(drop=True)

    def history(self, item_id: int) -> pd.DataFrame:
        if self._scope_orgs() is not None and self.get(item_id) is None:
            item_id = -1  # outside the scope: an empty history, as for an unknown item
        return self._frame("ledger_item_history", item_id=int(item_id))

    def history_of(self, item_ids) -> pd.DataFrame:
        """The change history of several items (item_id column included), oldest first per item."""
        ids = [int(i) for i in item_ids]
        if self._scope_orgs() is not None:
            ids = [i for i in ids if self.get(i) is not None]
        return self._frame("ledger_history_of_items", item_ids=json.dumps(ids))

    # --- writing ----------------------------------------------------------------------------------
    def create(
        self,
        *,
        source: str,
        title: str,
        user: str | None = None,
        branch_code: str | None = None,
        business_category: str | None = None,
        reason: str | None = None,
        complaint_ids=(),
        key_terms=(),
        source_note: str | None = None,
        root_cause: str | None = None,
        owner_dept: str | None = None,
        action: str | None = None,
        due_date=None,
        status: str = "待整改",
        fixed_at=None,
        now: str | None = None,
        today: date | None = None,
    ) -> int:
        """Open an item (version 1); returns its id. Its fields go into the history as the first change.
        With a user, they are the one recorded (`user` is then ignored), and they must be allowed to."""
        user = self._check_write(branch_code or None) or user
        if not user:
            raise LedgerError("缺少操作人。")
        if status == VERIFIED_STATUS:
            raise LedgerError(VERIFY_FIRST)
        if source not in SOURCES:
            raise LedgerError(f"未知的来源：{source}")
        self._check_dimensions(branch_code or None, business_category or None, reason or None)
        if len(_as_list(complaint_ids)) > COMPLAINT_IDS_MAX:
            raise LedgerError(f"一个整改事项最多列入 {COMPLAINT_IDS_MAX:,} 件投诉，请拆分。")
        if len(source_note or "") > TEXT_MAX["source_note"]:
            raise LedgerError(
                f"来源说明过长（{len(source_note or ''):,} 字），请控制在 {TEXT_MAX['source_note']:,} 字以内。"
            )
        complaint_ids = self._check_cited(_as_list(complaint_ids), branch_code or None)
        key_terms = _key_terms(key_terms)
        _check_no_mask_symbol(key_terms)
        self._check_key_terms(key_terms)
        values = {
            "source": source,
            "branch_code": branch_code or None,
            "business_category": business_category or None,
            "reason": reason or None,
            "complaint_ids": _as_list(complaint_ids),
            "key_terms": key_terms,
            "source_note": source_note or None,
        }
        values.update(
            self._checked(
                {
                    "title": title,
                    "root_cause": root_cause,
                    "owner_dept": owner_dept,
                    "action": action,
                    "due_date": due_date,
                    "status": status,
                    "fixed_at": fixed_at,
                },
                previous_status=None,
                today=today,
                fixed_given=fixed_at not in (None, ""),
                created=_created_date(now) if now else today,
                earliest=lambda: self._first_complaint(
                    complaint_ids, branch_code or None, business_category or None, reason or None, source
                ),
            )
        )
        stamp = now or _now()
        params = {k: (json.dumps(v, ensure_ascii=False) if k in LIST_FIELDS else v) for k, v in values.items()}
        with self._connect() as con:
            con.execute("begin immediate")
            try:
                item_id = self._run(con, "ledger_insert_item", **params, user=user, now=stamp).fetchone()[0]
                for field, value in values.items():
                    if value not in (None, []):
                        self._run(
                            con,
                            "ledger_insert_history",
                            item_id=item_id,
                            version=1,
                            changed_at=stamp,
                            changed_by=user,
                            field=field,
                            old_value=None,
                            new_value=_text(value),
                        )
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        return int(item_id)

    def update(
        self,
        item_id: int,
        version: int,
        changes: dict,
        user: str | None = None,
        now: str | None = None,
        today: date | None = None,
    ) -> int:
        """Save ``changes`` (editable fields only) made on ``version`` of the item; returns the version the
        item now has. Raises ConflictError when the item was saved by someone else since ``version``."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise LedgerError(f"这些字段不能修改：{'、'.join(sorted(unknown))}")
        stamp = now or _now()
        with self._connect() as con:
            con.execute("begin immediate")
            try:
                row = self._run(con, "ledger_item", id=int(item_id)).fetchone()
                if row is None or not self.may_see(row["branch_code"]):
                    raise LedgerError(f"整改事项 #{item_id} 不存在（可能已被删除）。")
                user = self._check_write(row["branch_code"]) or user
                current = self._decode(row)
                self._check_not_withdrawn(con, int(item_id))
                if int(current["version"]) != int(version):
                    raise ConflictError(
                        f"保存失败：整改事项 #{item_id} 已被 {current['updated_by']} 于 {current['updated_at']} "
                        f"修改（当前为第 {current['version']} 版，您编辑的是第 {version} 版）。"
                        "为避免覆盖他人的修改，本次未保存；请重新载入后在最新内容上修改。"
                    )
                merged = {f: current[f] for f in EDITABLE}
                merged.update(changes)
                if "key_terms" in changes:
                    merged["key_terms"] = _key_terms(changes["key_terms"])
                    added = [t for t in merged["key_terms"] if t not in (current["key_terms"] or [])]
                    _check_no_mask_symbol(added)  # only what is added: an item saved before stays editable
                    self._check_key_terms(added)
                merged.update(
                    self._checked(
                        {f: merged[f] for f in EDITABLE if f != "key_terms"},
                        previous_status=current["status"],
                        today=today,
                        fixed_given="fixed_at" in changes,
                        created=_created_date(current["created_at"]),
                        earliest=lambda: self._first_complaint(
                            current["complaint_ids"],
                            current["branch_code"],
                            current["business_category"],
                            current["reason"],
                            current["source"],
                        ),
                    )
                )
                self._check_recorded_fix(current, merged)
                self._check_due_moved(current, merged)
                self._check_late_fix_backdated(current, merged, today or clock.today())
                if merged["status"] == VERIFIED_STATUS and current["status"] != VERIFIED_STATUS:
                    self._check_verification(current["status"], merged["fixed_at"], today or clock.today())
                changed = [f for f in EDITABLE if _text(merged[f]) != _text(current[f])]
                if not changed:
                    con.execute("rollback")
                    return int(current["version"])
                params = {f: merged[f] for f in EDITABLE}
                params["key_terms"] = json.dumps(merged["key_terms"], ensure_ascii=False)
                saved = self._run(
                    con, "ledger_update_item", id=int(item_id), version=int(version), **params, user=user, now=stamp
                ).fetchone()
                if saved is None:  # cannot happen under the write lock; refuse rather than overwrite
                    raise ConflictError(f"保存失败：整改事项 #{item_id} 已被他人修改，请重新载入后再改。")
                new_version = int(saved[0])
                for field in changed:
                    self._run(
                        con,
                        "ledger_insert_history",
                        item_id=int(item_id),
                        version=new_version,
                        changed_at=stamp,
                        changed_by=user,
                        field=field,
                        old_value=_text(current[field]),
                        new_value=_text(merged[field]),
                    )
                con.execute("commit")
            except BaseException:
                if con.in_transaction:
                    con.execute("rollback")
                raise
        return new_version

    # --- withdrawal (撤销): an item opened in error or twice leaves every list and count -------------------
    def withdrawn(self) -> pd.DataFrame:
        """The withdrawn items the user may see, with withdrawn_at, withdrawn_by and withdrawal_reason."""
        return self._items_in_scope("ledger_withdrawn_items")

    def withdraw(self, item_id: int, version: int, reason: str, user: str | None = None, now: str | None = None) -> int:
        """Withdraw an item (撤销) made on ``version``, with the reason; returns the item's new version. 消保部
        only (a branch could otherwise make its overdue items vanish), and recorded in the history."""
        reason = unicodedata.normalize("NFC", str(reason or "")).translate(BIDI_CONTROLS).strip()
        if len(reason) < WITHDRAW_REASON_MIN:
            raise LedgerError(f"请填写撤销原因（至少 {WITHDRAW_REASON_MIN} 个字），例如“与 #12 重复”“误建”。")
        if len(reason) > TEXT_MAX["action"]:
            raise LedgerError(f"撤销原因过长（{len(reason)} 个字，最多 {TEXT_MAX['action']} 个字）。")
        return self._withdrawal(item_id, version, user, now, reason)

    def restore(self, item_id: int, version: int, user: str | None = None, now: str | None = None) -> int:
        """Put a withdrawn item back in the lists and counts, as it was; 消保部 only, recorded."""
        return self._withdrawal(item_id, version, user, now, None)

    def _withdrawal(self, item_id: int, version: int, user: str | None, now: str | None, reason: str | None) -> int:
        who = self.principal
        if not self.may_withdraw():
            raise ForbiddenError("撤销和恢复整改事项由消保部确认；如事项误建或重复，请联系消保部。")
        user = (who.user if who is not None else None) or user
        if not user:
            raise LedgerError("缺少操作人。")
        stamp = now or _now()
        with self._connect() as con:
            con.execute("begin immediate")
            try:
                row = self._run(con, "ledger_item", id=int(item_id)).fetchone()
                if row is None:
                    raise LedgerError(f"整改事项 #{item_id} 不存在（可能已被删除）。")
                held = self._run(con, "ledger_withdrawal", item_id=int(item_id)).fetchone()
                if reason is not None and held is not None:
                    raise LedgerError(
                        f"整改事项 #{item_id} 已于 {held['withdrawn_at']} 由 {held['withdrawn_by']} 撤销。"
                    )
                if reason is None and held is None:
                    raise LedgerError(f"整改事项 #{item_id} 未被撤销，无需恢复。")
                saved = self._run(con, "ledger_touch_item", id=int(item_id), version=int(version), user=user, now=stamp)
                new = saved.fetchone()
                if new is None:
                    raise ConflictError(
                        f"操作未完成：整改事项 #{item_id} 已被 {row['updated_by']} 于 {row['updated_at']} 修改"
                        f"（当前为第 {row['version']} 版，您看到的是第 {version} 版），请重新载入后再操作。"
                    )
                if reason is not None:
                    self._run(
                        con,
                        "ledger_insert_withdrawal",
                        item_id=int(item_id),
                        withdrawn_at=stamp,
                        withdrawn_by=user,
                        reason=reason,
                    )
                else:
                    self._run(con, "ledger_delete_withdrawal", item_id=int(item_id))
                self._run(
                    con,
                    "ledger_insert_history",
                    item_id=int(item_id),
                    version=int(new[0]),
                    changed_at=stamp,
                    changed_by=user,
                    field="withdrawn",
                    old_value=None if reason is not None else held["reason"],
                    new_value=reason,
                )
                con.execute("commit")
            except BaseException:
                if con.in_transaction:
                    con.execute("rollback")
                raise
        return int(new[0])

    def _check_not_withdrawn(self, con: sqlite3.Connection, item_id: int) -> None:
        held = self._run(con, "ledger_withdrawal", item_id=item_id).fetchone()
        if held is not None:
            raise LedgerError(
                f"整改事项 #{item_id} 已于 {held['withdrawn_at']} 由 {held['withdrawn_by']} 撤销，不能再修改；"
                "如需继续跟踪，请先由消保部恢复。"
            )

    def _check_key_terms(self, terms: list[str]) -> None:
        """Refuse key terms that look like personal data (a phone, an ID, a name: dashboard.text.search_guard.
        refusal) to a user who may not reveal it: the effect counts complaints whose narrative holds them, so a
        phone saved as a key term told a 分行 user whether and when that person complained (hostile H146). Any
        other word is saved: the effect counts it on the masked narratives (analysis/effect.masked_terms), so a
        word found only inside a masked name counts as absent there; no check of the narratives, whose refusal
        told, term by term, what the masked names of the item's slice hold (issue 15)."""
        if not terms or self.principal is None or can_reveal(self.principal):
            return
        for term in terms:
            refused = search_guard.refusal(term)
            if refused:
                raise LedgerError(f"关键词“{mask(term)}”不能使用（整改成效按关键词检索投诉内容）：{refused}")

    # --- rules ------------------------------------------------------------------------------------
    def _check_due_moved(self, current: dict, merged: dict) -> None:
        """A deadline once set is moved by 消保部 only (hostile H184: a 分行 user cleared an overdue item by
        moving its 整改期限 ten months on, and 已逾期 left the ledger, 月度趋势 and the briefing). The rectifying
        branch may set one where none was set."""
        if self.principal is None or self.principal.role == CONSUMER_PROTECTION:
            return
        before, after = _text(current.get("due_date")), _text(merged.get("due_date"))
        if before and after != before:
            raise ForbiddenError(
                f"整改期限已定为 {before}，调整期限须由消保部办理（整改机构不能自行延后或取消期限）；如需延期请联系消保部。"
            )

    def _check_late_fix_backdated(self, current: dict, merged: dict, today: date) -> None:
        """An item already overdue when its fix is recorded does not become "on time" by the branch's say-so
        (hostile H195: a 分行 marked an overdue item 已整改 with a completion date the day before its deadline,
        and 已逾期 left the ledger, 月度趋势 and the briefing). Such a date, on or before the deadline, is
        recorded by 消保部; the branch records the date it finished, after the deadline."""
        if self.principal is None or self.principal.role == CONSUMER_PROTECTION:
            return
        due, fixed = _text(current.get("due_date")), _text(merged.get("fixed_at"))
        newly_done = current["status"] not in DONE_STATUSES and merged["status"] in DONE_STATUSES
        if not (newly_done and due and fixed) or today.isoformat() <= due or fixed > due:
            return
        raise ForbiddenError(
            f"该事项的整改期限 {due} 已过，现在补记的整改完成日期 {fixed} 不晚于期限，须由消保部核实后记录；"
            f"请填写实际完成日期（晚于 {due}），或联系消保部。"
        )

    def _check_recorded_fix(self, current: dict, merged: dict) -> None:
        """A recorded fix is what the effect is measured from (hostile H144: a 分行 user moved a failed,
        verified item's 整改完成日期 four months on, and its 未见下降 became 待观察). 已验证 is 消保部's
        conclusion: only 消保部 takes an item out of it, and its date does not change while it is verified.
        The date of an item 已整改 is corrected by 消保部 only; the rectifying branch records it when it
        marks the item 已整改 (or reopens the item and rectifies again, which the history shows)."""
        by_cp = self.principal is None or self.principal.role == CONSUMER_PROTECTION
        if current["status"] == VERIFIED_STATUS and merged["status"] != VERIFIED_STATUS and not by_cp:
            raise ForbiddenError("“已验证”是消保部的评估结论，整改机构不能撤回；如有异议请联系消保部。")
        moved = current["status"] in DONE_STATUSES and merged["status"] in DONE_STATUSES
        if not moved or _text(merged["fixed_at"]) == _text(current["fixed_at"]):
            return
        if current["status"] == VERIFIED_STATUS:
            raise LedgerError(
                f"该事项已验证（整改完成日期 {current['fixed_at']}），整改成效自该日期起评估，不能修改日期；"
                "如需更正，请消保部先将状态改回“已整改”。"
            )
        if not by_cp:
            raise ForbiddenError(
                f"整改完成日期已记录为 {current['fixed_at']}，整改成效自该日期起评估；更正日期须由消保部办理。"
            )

    def _check_verification(self, previous_status: str, fixed_at: str | None, today: date) -> None:
        """已验证 says the effect was checked (hostile H110): only from 已整改, once the first complete month
        after the fix month has ended (the effect needs one), and by 消保部, not the rectifying branch."""
        if previous_status != FIXED_STATUS or not fixed_at:
            raise LedgerError(VERIFY_FIRST)
        first_after = add_months(month_start(date.fromisoformat(fixed_at)), 1)
        if today < add_months(first_after, 1):
            raise LedgerError(
                f"整改完成于 {fixed_at}，须待整改后第一个完整月份（{first_after.year}年{first_after.month}月）"
                "结束、可评估整改成效后再标记为“已验证”。"
            )
        if self.principal is not None and self.principal.role != CONSUMER_PROTECTION:
            raise ForbiddenError("“已验证”由消保部在评估整改成效后确认，整改机构不能自行验证。")

    def _first_complaint(self, complaint_ids, branch_code, business_category, reason, source) -> date | None:
        """The first receipt date of the item's complaints (its cited ones, else its slice: the organisation
        itself for a recurring issue, its subtree otherwise, as its effect counts them: analysis/effect.py
        item_slice; hostile H174), None without data."""
        opened = self._opened()
        if not opened:
            return None
        scope = self.principal.scope if self.principal is not None else None
        found = db.run(
            opened[1],
            "ledger_first_complaint",
            complaint_ids=list(complaint_ids or []),
            branch_code=branch_code,
            subtree=not follows_org_itself(source),
            business_category=business_category,
            reason=reason,
            scope=scope,
        )
        value = found["first_day"].iloc[0] if len(found) else None
        return None if value is None or pd.isna(value) else pd.Timestamp(value).date()

    @staticmethod
    def _checked(
        values: dict,
        previous_status: str | None,
        today: date | None,
        fixed_given: bool = False,
        created: date | None = None,
        earliest: Callable[[], date | None] | None = None,
    ) -> dict:
        """Validate editable values and apply the fix-date rule: reaching 已整改 (or 已验证 without a fix
        date) stamps fixed_at with today unless a date is given; going back to 待整改/整改中 clears it.
        Dates: the completion date is not in the future and not before the issue's first complaint
        (`earliest()`: a fix done last month can be recorded today, hostile H112; without complaints to
        date it, not before the item's creation); the due date not before the creation."""
        out = dict(values)
        # bidi controls make a title read otherwise than it is stored (hostile H111): removed; a title of
        # only invisible format characters (zero-width, BOM) is no title
        out["title"] = (out.get("title") or "").translate(BIDI_CONTROLS).strip()
        if not "".join(c for c in out["title"] if unicodedata.category(c) != "Cf").strip():
            raise LedgerError("请填写事项名称。")
        if len(out["title"]) > TITLE_MAX:
            raise LedgerError(f"事项名称过长（{len(out['title']):,} 字），请控制在 {TITLE_MAX} 字以内。")
        if out.get("status") not in STATUSES:
            raise LedgerError(f"整改状态应为{'、'.join(STATUSES)}之一：{out.get('status')}")
        if out.get("root_cause") in ("", None):
            out["root_cause"] = None
        elif out["root_cause"] not in schema.ROOT_CAUSES:
            raise LedgerError(f"根因分类应为{'、'.join(schema.ROOT_CAUSES)}之一：{out['root_cause']}")
        for field in ("owner_dept", "action"):
            out[field] = (out.get(field) or "").strip() or None
            if out[field] is not None and len(out[field]) > TEXT_MAX[field]:
                raise LedgerError(
                    f"{FIELD_LABELS[field]}过长（{len(out[field]):,} 字），请控制在 {TEXT_MAX[field]:,} 字以内。"
                )
        out["due_date"] = _iso_date(out.get("due_date"), "due_date")
        fixed = _iso_date(out.get("fixed_at"), "fixed_at")
        today_iso = (today or clock.today()).isoformat()
        if out["status"] in DONE_STATUSES:
            newly_fixed = out["status"] == FIXED_STATUS and previous_status not in DONE_STATUSES
            if fixed is None or (newly_fixed and not fixed_given):
                fixed = today_iso
        else:
            fixed = None
        created_iso = (created or clock.today()).isoformat()
        if fixed is not None and fixed < created_iso:
            first = earliest() if earliest is not None else None
            if first is None:
                raise LedgerError(
                    f"整改完成日期（{fixed}）早于事项建立日期（{created_iso}），且没有可据以核对的投诉，请核对。"
                )
            if fixed < first.isoformat():
                raise LedgerError(
                    f"整改完成日期（{fixed}）早于该问题最早一件投诉的受理日期（{first.isoformat()}），"
                    "整改不可能在问题出现之前完成，请核对。"
                )
        if fixed is not None and fixed > today_iso:
            raise LedgerError(f"整改完成日期（{fixed}）晚于今天（{today_iso}），不能预填完成日期。")
        if out["due_date"] is not None and out["due_date"] < created_iso:
            raise LedgerError(f"整改期限（{out['due_date']}）早于事项建立日期（{created_iso}），请核对。")
        created_day = created or clock.today()
        latest_due = created_day.replace(year=created_day.year + DUE_YEARS_MAX, day=min(created_day.day, 28))
        if out["due_date"] is not None and out["due_date"] > latest_due.isoformat():
            raise LedgerError(
                f"整改期限（{out['due_date']}）距事项建立日期（{created_iso}）超过 {DUE_YEARS_MAX} 年，请核对。"
            )
        out["fixed_at"] = fixed
        return out
