"""The real sign-in: a local OpenID Connect provider (oidc-provider-mock), the app with [auth] configured,
and headless Chromium going through the provider's form, as a user would.

Everything runs on 127.0.0.1 and is started and stopped here: the provider, a Streamlit server whose
secrets file (secrets.files) is a temporary one, and the browser. Screenshots: tests/screenshots/signin.png,
signin_branch.png, signin_audit.png, signin_denied.png.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench.serve import free_port, streamlit_command, wait_answers, wait_healthy
from tests.browser_support import ROOT, SCREENSHOTS, exceptions_on, wait_until_rendered

BRANCH = "0200"  # 上海分行 in the demo bank (dashboard/demo/org.py)
USERS = [
    {"sub": "cp-0001", "email": "cp@bank.test", "name": "张消保"},
    {"sub": "sh-0002", "email": "sh@bank.test", "name": "李分行"},
]
ROLES = f"""
[[users]]
email = "cp@bank.test"
role = "消保部"

[[users]]
sub = "sh-0002"
role = "分行"
org = "{BRANCH}"
"""


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock on a free localhost port, with the test users offered on its form."""
    port = free_port()
    claims = [arg for user in USERS for arg in ("--user-claims", json.dumps(user, ensure_ascii=False))]
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port), *claims],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_answers(f"{url}/.well-known/openid-configuration", process, 60)
    yield url
    _stop(process)


@pytest.fixture(scope="module")
def signin_server(provider, demo_store, tmp_path_factory):
    """The app with sign-in configured against the provider; yields (url, audit log path)."""
    folder = tmp_path_factory.mktemp("signin")
    port = free_port()
    (folder / "secrets.toml").write_text(
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{os.urandom(32).hex()}"
client_id = "complaint-dashboard"
client_secret = "test-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""",
        encoding="utf-8",
    )
    (folder / "roles.toml").write_text(ROLES, encoding="utf-8")
    audit_log = folder / "audit.jsonl"
    env = {
        **os.environ,
        "COMPLAINTS_DATA_DIR": str(demo_store),
        "COMPLAINTS_ROLES_FILE": str(folder / "roles.toml"),
        "COMPLAINTS_AUDIT_LOG": str(audit_log),
        "COMPLAINTS_AUDIT_KEY": os.urandom(32).hex(),
    }
    env.pop("COMPLAINTS_DEMO", None)
    process = subprocess.Popen(
        streamlit_command(port, "--secrets.files", str(folder / "secrets.toml")),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, 60)
    yield url, audit_log
    _stop(process)


def _audit(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _sign_in(browser, app_url: str, provider_url: str, sub: str, screenshot: str | None = None):
    """A fresh browser (no cookies): the sign-in screen, the provider's form, back in the app."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(app_url)
    wait_until_rendered(page)
    button = page.get_by_role("button", name="使用统一身份认证登录")
    assert button.is_visible()
    assert "演示模式" not in page.inner_text("body")
    if screenshot:
        page.screenshot(path=str(SCREENSHOTS / screenshot))
    button.click()
    page.wait_for_url(f"{provider_url}/oauth2/authorize**")
    page.locator(f"button[name=sub][value='{sub}']").click()  # the provider's one-click user
    page.wait_for_url(f"{app_url}/**")
    wait_until_rendered(page)
    return context, page


def _organisations(data_dir: Path, scope: str) -> tuple[set[str], set[str]]:
    """Names of the organisations inside a scope, and of those outside it other than its ancestors (the
    head office is named in the briefing's notes on method), from the store's own tables."""
    from dashboard.ingest.store import current_snapshot

    folder = current_snapshot(data_dir).path
    branches = pd.read_parquet(folder / "branches.parquet")
    tree = pd.read_parquet(folder / "branch_tree.parquet")
    subtree = set(tree.loc[tree["ancestor_code"] == scope, "branch_code"])
    inside = set(branches.loc[branches["branch_code"].isin(subtree), "branch_name"])
    ancestors = set(tree.loc[tree["branch_code"] == scope, "ancestor_code"])
    outside = set(branches.loc[~branches["branch_code"].isin(subtree | ancestors), "branch_name"])
    return inside, {name for name in outside if not any(name in other for other in inside)}


def _complaints_in(data_dir: Path, scope: str) -> set[str]:
    """The ids of the complaints of a scope's subtree, read from the store's files (not through the app)."""
    from dashboard.ingest.store import current_snapshot

    folder = current_snapshot(data_dir).path
    tree = pd.read_parquet(folder / "branch_tree.parquet")
    complaints = pd.read_parquet(folder / "complaints.parquet", columns=["complaint_id", "branch_code"])
    subtree = set(tree.loc[tree["ancestor_code"] == scope, "branch_code"])
    return set(complaints.loc[complaints["branch_code"].isin(subtree), "complaint_id"])


def test_branch_user_signs_in_and_sees_only_its_subtree(browser, provider, signin_server, demo_store):
    app_url, audit_log = signin_server
    context, page = _sign_in(browser, app_url, provider, "sh-0002", screenshot="signin.png")
    try:
        body = page.inner_text("body")
        assert "可见范围：上海分行（0200）及下辖机构" in body and "sh@bank.test" in body
        assert "演示模式" not in body and not exceptions_on(page)
        assert "数据管理" not in page.inner_text('[data-testid="stSidebar"]')  # not in its navigation
        page.screenshot(path=str(SCREENSHOTS / "signin_branch.png"), full_page=True)

        # Editing the URL to another branch (北京分行 0100): ignored, the view stays 上海分行's.
        page.goto(f"{app_url}/?org=0100")
        wait_until_rendered(page)
        assert "org=0100" not in page.url
        assert page.locator('[data-testid="stSidebar"] input[aria-label="机构"]').input_value() == "上海分行全辖"

        # Opening a page outside its navigation by URL: not served.
        page.goto(f"{app_url}/audit")
        wait_until_rendered(page)
        assert "审计日志" not in page.inner_text('[data-testid="stMainBlockContainer"]')

        # The briefing export holds no organisation outside the subtree, and is audited.
        page.goto(f"{app_url}/")
        wait_until_rendered(page)
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name="下载 Excel 简报").click()
        workbook = pd.read_excel(io.BytesIO(Path(download.value.path()).read_bytes()), sheet_name=None, header=None)
        text = "\n".join(str(v) for sheet in workbook.values() for v in sheet.to_numpy().ravel() if isinstance(v, str))
        inside, outside = _organisations(demo_store, BRANCH)
        assert "上海" in text
        assert [name for name in outside if name in text] == []

        # The complaint list's export (热点分析): every exported complaint is one of the subtree's.
        page.goto(f"{app_url}/hotspots")
        wait_until_rendered(page)
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name="导出 CSV").first.click()
        exported = pd.read_csv(Path(download.value.path()), encoding="utf-8-sig", dtype=str)
        assert len(exported) > 0
        assert set(exported["投诉编号"]) <= _complaints_in(demo_store, BRANCH)
    finally:
        context.close()
    events = [(e["event"], e["user"], e["scope"]) for e in _audit(audit_log)]
    mine = [event for event, user, scope in events if user == "sh@bank.test" and scope == BRANCH]
    # One sign-in; each page opened by URL above is a new session of it; the two downloads.
    assert mine[0] == "signin" and mine.count("signin") == 1
    assert mine.count("session") == 4 and mine.count("export") == 2


def test_consumer_protection_signs_in_opens_and_exports_the_audit_log(browser, provider, signin_server):
    app_url, audit_log = signin_server
    context, page = _sign_in(browser, app_url, provider, "cp-0001")
    try:
        assert "可见范围：全行" in page.inner_text("body")
        page.goto(f"{app_url}/audit")
        wait_until_rendered(page)
        main = page.inner_text('[data-testid="stMainBlockContainer"]')
        assert "审计日志" in main and "完整性校验通过" in main and not exceptions_on(page)
        page.screenshot(path=str(SCREENSHOTS / "signin_audit.png"), full_page=True)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="下载审计日志（CSV）").click()
        exported = pd.read_csv(Path(download.value.path()), encoding="utf-8-sig", dtype=str)
        assert list(exported.columns) == ["序号", "时间", "事件", "用户", "角色", "可见范围", "内容", "校验"]
        assert ("登录", "cp@bank.test") in set(zip(exported["事件"], exported["用户"]))

        # Signing out clears the sign-in: the app asks to sign in again.
        page.get_by_role("button", name="退出登录", exact=True).click()
        page.wait_for_url(f"{provider}/oauth2/end_session**")  # the provider's own sign-out
        page.goto(app_url)
        wait_until_rendered(page)
        assert page.get_by_role("button", name="使用统一身份认证登录").is_visible()
    finally:
        context.close()
    export, signout = _audit(audit_log)[-2:]
    assert (export["event"], export["user"], export["detail"]["what"]) == ("export", "cp@bank.test", "审计日志")
    assert (signout["event"], signout["user"]) == ("signout", "cp@bank.test")


def test_a_signed_in_stranger_sees_no_data(browser, provider, signin_server):
    app_url, audit_log = signin_server
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(app_url)
        wait_until_rendered(page)
        page.get_by_role("button", name="使用统一身份认证登录").click()
        page.wait_for_url(f"{provider}/oauth2/authorize**")
        page.fill("input[name=sub]", "stranger@bank.test")  # typed: the provider's e-mail claim is the same
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{app_url}/**")
        wait_until_rendered(page)
        body = page.inner_text("body")
        assert "尚未被授权使用本系统" in body and "stranger@bank.test" in body
        page.screenshot(path=str(SCREENSHOTS / "signin_denied.png"))
        assert page.query_selector('[data-testid="stMetric"]') is None
        assert page.query_selector('[data-testid="stSidebar"] [data-testid="stSelectbox"]') is None
    finally:
        context.close()
    assert ("denied", "stranger@bank.test") in [(e["event"], e["user"]) for e in _audit(audit_log)]


def test_a_copied_cookie_is_refused_after_sign_out(browser, provider, signin_server):
    """Streamlit's identity cookie is stateless; the server-side session record is what 退出登录 revokes."""
    app_url, audit_log = signin_server
    context, page = _sign_in(browser, app_url, provider, "cp-0001")
    copied = [c for c in context.cookies() if c["domain"] in ("127.0.0.1", ".127.0.0.1")]
    assert copied
    thief = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        thief.add_cookies(copied)
        stolen = thief.new_page()
        stolen.goto(app_url)
        wait_until_rendered(stolen)
        assert "可见范围：全行" in stolen.inner_text("body")  # the copy works while signed in

        page.get_by_role("button", name="退出登录", exact=True).click()
        page.wait_for_url(f"{provider}/oauth2/end_session**")
        context.close()
        signed_out_at = len(_audit(audit_log))

        stolen.goto(app_url)  # replay the copied cookie
        wait_until_rendered(stolen)
        body = stolen.inner_text("body")
        stolen.screenshot(path=str(SCREENSHOTS / "signin_replay_refused.png"))
        assert "您已退出登录" in body and "可见范围" not in body
        assert stolen.query_selector('[data-testid="stMetric"]') is None
    finally:
        thief.close()
    after = [(e["event"], e["user"]) for e in _audit(audit_log)[signed_out_at - 1 :]]
    assert after[0] == ("signout", "cp@bank.test")
    assert ("session", "cp@bank.test") not in after and ("denied", "cp@bank.test") in after
