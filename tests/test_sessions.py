"""Server-side sessions (dashboard/sessions.py): 退出登录 and the idle timeout end a sign-in for every
copy of its cookie. The browser round trip (copy the cookie, sign out, replay) is in test_login_browser.py."""

from __future__ import annotations

import time

from dashboard import sessions
from dashboard.sessions import ACTIVE, EXPIRED, NEW, REVOKED, Sessions
from tests.test_auth import audit_lines, auth_env, signed_in  # noqa: F401 (fixture)

CLAIMS = {"iss": "https://sso.test", "sub": "cp-1", "email": "cp@bank.test", "iat": 1_700_000_000, "nonce": "n1"}


def test_a_sign_in_is_new_then_active_and_stays_revoked_after_sign_out(tmp_path):
    store, sid, t0 = Sessions(tmp_path, idle_minutes=30), sessions.session_id(CLAIMS), CLAIMS["iat"] + 5
    assert store.check(sid, "cp@bank.test", CLAIMS["iat"], now=t0) == NEW
    assert store.check(sid, "cp@bank.test", CLAIMS["iat"], now=t0 + 600) == ACTIVE
    store.revoke(sid, now=t0 + 700)
    assert store.check(sid, "cp@bank.test", CLAIMS["iat"], now=t0 + 701) == REVOKED
    assert Sessions(tmp_path).check(sid, "cp@bank.test", CLAIMS["iat"], now=t0 + 702) == REVOKED  # another process
    other = sessions.session_id({**CLAIMS, "iat": CLAIMS["iat"] + 800, "nonce": "n2"})  # signing in again
    assert store.check(other, "cp@bank.test", CLAIMS["iat"] + 800, now=t0 + 801) == NEW


def test_idle_past_the_timeout_expires_and_an_interaction_within_it_keeps_the_session(tmp_path):
    store, sid, t0 = Sessions(tmp_path, idle_minutes=10), sessions.session_id(CLAIMS), CLAIMS["iat"]
    assert store.check(sid, "u", t0, now=t0) == NEW
    assert store.check(sid, "u", t0, now=t0 + 9 * 60) == ACTIVE  # 9 minutes idle: still on
    assert store.check(sid, "u", t0, now=t0 + 18 * 60) == ACTIVE  # 9 more since the last interaction
    assert store.check(sid, "u", t0, now=t0 + 29 * 60) == EXPIRED  # 11 minutes idle
    assert store.check(sid, "u", t0, now=t0 + 29 * 60 + 1) == REVOKED  # and it stays ended


def test_a_token_never_seen_and_older_than_the_timeout_is_refused(tmp_path):
    store = Sessions(tmp_path, idle_minutes=30)
    assert store.check(sessions.session_id(CLAIMS), "u", CLAIMS["iat"], now=CLAIMS["iat"] + 31 * 60) == EXPIRED


def test_the_timeout_is_the_deployments_and_must_be_positive(monkeypatch):
    assert sessions.idle_minutes() == sessions.DEFAULT_IDLE_MINUTES
    monkeypatch.setenv("COMPLAINTS_SESSION_IDLE_MINUTES", "5")
    assert sessions.idle_minutes() == 5 and sessions.idle_minutes(45) == 45
    for bad in ("0", "-1", "半小时", "nan", "inf", float("inf")):  # nan and inf would never expire
        try:
            sessions.idle_minutes(bad)
        except ValueError as error:
            assert "应为 1 至 1,440 之间的分钟数" in str(error)
        else:
            raise AssertionError(bad)


def test_after_sign_out_the_same_cookie_is_refused_and_no_session_is_logged(small_store, app_env, auth_env):
    app_env(small_store)
    claims = {"email": "cp@bank.test", "sub": "cp-1", "iat": int(time.time()), "nonce": "n-1"}
    at = signed_in(claims, query={"from": "2026-10", "to": "2026-10"})
    assert {m.label: m.value for m in at.metric}["投诉量"] == "5 件"
    next(b for b in at.button if b.label == "退出登录").click().run()
    replay = signed_in(claims, query={"from": "2026-10", "to": "2026-10"})  # the copied cookie, a new session
    assert "您已退出登录" in replay.warning[0].value
    assert not replay.metric and not replay.dataframe and not replay.selectbox
    assert [b.label for b in replay.button] == ["重新登录"]
    events = [(e["event"], e["detail"].get("reason")) for e in audit_lines(auth_env)]
    assert events == [("signin", None), ("signout", None), ("denied", "会话已结束")]
