"""Server-side sign-in sessions: what makes 退出登录 final.

Streamlit's identity cookie is signed but stateless: a copy of it stays valid for 30 days whatever the app
does. So every sign-in (one ID token: issuer, subject, issue time, nonce) gets a row here when the app
first sees it; each interaction moves `last_seen` on; 退出登录 revokes the row, and so does an interaction
after more than the idle timeout. The app refuses a cookie whose row is revoked (`check`), and a token
it never saw that is already older than the idle timeout (the database was lost, or the cookie is old).

Storage: <data dir>/sessions/sessions.sqlite (SQLite, WAL), beside the data like the ledger.
Idle timeout: [session] idle_minutes in the app's secrets, else $COMPLAINTS_SESSION_IDLE_MINUTES, else 30.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from dashboard import db

DEFAULT_IDLE_MINUTES = 30
MAX_IDLE_MINUTES = 1440  # a working day and night: a longer idle session is an open door
IDLE_ENV = "COMPLAINTS_SESSION_IDLE_MINUTES"
TOUCH_EVERY_S = 60
NEW, ACTIVE, REVOKED, EXPIRED = "new", "active", "revoked", "expired"


def idle_minutes(configured=None) -> float:
    """The deployment's idle timeout in minutes (a positive number; anything else is refused)."""
    value = configured if configured is not None else os.environ.get(IDLE_ENV, DEFAULT_IDLE_MINUTES)
    wrong = f"会话空闲超时（idle_minutes）应为 1 至 {MAX_IDLE_MINUTES:,} 之间的分钟数：{value!r}"
    if isinstance(value, bool):  # TOML `true` is not a number of minutes (float(True) would be 1.0)
        raise ValueError(wrong)
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        raise ValueError(wrong) from None
    # nan, inf or 1e12 would mean a session that never expires; under a minute, one that cannot be used
    if not math.isfinite(minutes) or not 1 <= minutes <= MAX_IDLE_MINUTES:
        raise ValueError(wrong)
    return minutes


def session_id(claims: dict) -> str:
    """One sign-in's identity: its ID token's issuer, subject, e-mail, issue time and nonce."""
    key = [claims.get(k) for k in ("iss", "sub", "email", "iat", "nonce")]
    return hashlib.sha256(json.dumps(key, default=str).encode("utf-8")).hexdigest()


class Sessions:
    def __init__(self, data_dir: Path | str, idle_minutes: float = DEFAULT_IDLE_MINUTES):
        self.path = Path(data_dir) / "sessions" / "sessions.sqlite"
        self.idle_s = idle_minutes * 60

    @contextmanager
    def _connect(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            con.execute("pragma journal_mode = wal")
            con.execute(db.load_sql("sessions_create"))
            con.execute("begin immediate")
            try:
                yield con
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        finally:
            con.close()

    @staticmethod
    def _run(con, name: str, **params):
        return con.execute(db.load_sql(name), db.bind(name, params))

    def check(self, sid: str, user: str, issued_at=None, now: float | None = None) -> str:
        """NEW (first seen: recorded), ACTIVE (seen, within the idle timeout: last_seen moved on), REVOKED
        (signed out, or expired before) or EXPIRED (idle too long: revoked now)."""
        now = time.time() if now is None else now
        with self._connect() as con:
            row = self._run(con, "sessions_get", id=sid).fetchone()
            if row is None:
                if isinstance(issued_at, (int, float)) and now - issued_at > self.idle_s:
                    return EXPIRED
                self._run(con, "sessions_insert", id=sid, user=user, now=now)
                return NEW
            last_seen, revoked_at = row[3], row[4]
            if revoked_at is not None:
                return REVOKED
            if now - last_seen > self.idle_s:
                self._run(con, "sessions_revoke", id=sid, now=now, reason="idle")
                return EXPIRED
            if now - last_seen > TOUCH_EVERY_S:  # one write a minute per session, not one per click
                self._run(con, "sessions_touch", id=sid, now=now)
            return ACTIVE

    def revoke(self, sid: str, now: float | None = None) -> None:
        with self._connect() as con:
            self._run(con, "sessions_revoke", id=sid, now=time.time() if now is None else now, reason="signout")
