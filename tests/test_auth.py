"""Sign-in gate, roles file and capabilities (docs/security.md).

AppTest stands in for the identity provider here (`at.user`); tests/test_login_browser.py runs the real
OpenID Connect flow. The small bank (tests/conftest.py): 总行 0000; 北京分行 0100 with 0101, 0102; 上海分行
0200 with 0201.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import roles
from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, LEADER, Principal, RolesError
from tests.apptest_support import APP, run_app

# A sign-in configuration as in .streamlit/secrets.example.toml; AppTest never contacts the provider.
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-0123456789abcdef",
    "client_id": "complaint-dashboard",
    "client_secret": "test-client-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}

AUDIT_KEY = "test-audit-key-0123456789abcdef-0123456789"

ROLES_TOML = """
[[users]]
email = "cp@bank.test"
role = "消保部"
name = "张消保"

[[users]]
email = "Lead@Bank.test"
role = "行领导"

[[users]]
email = "sh@bank.test"
role = "分行"
org = "0200"

[[users]]
sub = "bj-haidian-001"
role = "分行"
org = "0101"
"""


@pytest.fixture
def auth_env(tmp_path, monkeypatch):
    """A roles file and an audit log of the test's own; returns the audit log's path."""
    roles_file = tmp_path / "roles.toml"
    roles_file.write_text(ROLES_TOML, encoding="utf-8")
    monkeypatch.setenv("COMPLAINTS_ROLES_FILE", str(roles_file))
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(tmp_path / "audit" / "audit.jsonl"))
    monkeypatch.setenv("COMPLAINTS_AUDIT_KEY", AUDIT_KEY)
    monkeypatch.delenv("COMPLAINTS_DEMO", raising=False)
    return tmp_path / "audit" / "audit.jsonl"


def signed_in(user: dict | None, page: str | None = None, query: dict | None = None) -> AppTest:
    """The app with sign-in configured, as `user` (st.user's claims; None = not signed in)."""

    def sign_in(at: AppTest) -> None:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **user}

    return run_app(page, query, timeout=60, setup=sign_in)


def audit_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# --- The roles file --------------------------------------------------------------------------------------
def test_roles_file_resolves_by_email_case_insensitively_and_by_subject():
    entries = roles.parse(ROLES_TOML)
    assert roles.resolve(entries, "CP@bank.test", "x") == Principal("cp@bank.test", CONSUMER_PROTECTION, None, "张消保")
    leader = roles.resolve(entries, "lead@bank.test", None)
    assert (leader.role, leader.scope) == (LEADER, None)
    branch = roles.resolve(entries, "sh@bank.test", None)
    assert (branch.role, branch.org, branch.scope) == (BRANCH, "0200", "0200")
    by_sub = roles.resolve(entries, "someone.else@bank.test", "bj-haidian-001")
    assert (by_sub.role, by_sub.scope, by_sub.user) == (BRANCH, "0101", "someone.else@bank.test")
    assert roles.resolve(entries, "nobody@bank.test", "nobody") is None
    assert roles.resolve(entries, None, None) is None


def test_an_unverified_email_is_not_matched():
    entries = roles.parse(ROLES_TOML)
    assert roles.resolve(entries, "cp@bank.test", "s", email_verified=False) is None
    assert roles.resolve(entries, "cp@bank.test", "s", email_verified=True).role == CONSUMER_PROTECTION


@pytest.mark.parametrize("claim", ["false", "False", " FALSE ", 0, 1, "0", "no", "", [], {}])
def test_an_email_verified_claim_other_than_true_is_not_verified(claim):
    # hostile H198: some providers send the claim as text; the string "false" counted as verified
    assert roles.resolve(roles.parse(ROLES_TOML), "cp@bank.test", "s", email_verified=claim) is None


@pytest.mark.parametrize("claim", [True, "true", "True", None])
def test_a_true_or_absent_email_verified_claim_matches_the_email(claim):
    assert roles.resolve(roles.parse(ROLES_TOML), "cp@bank.test", "s", email_verified=claim).role == CONSUMER_PROTECTION


def test_an_entry_naming_its_subject_is_not_matched_by_another_subject_with_its_email():
    # hostile H85: {"sub": "evil-9", "email": "LEAD@bank.test"} signed in as the leader pinned to lead-0001
    entries = roles.parse('[[users]]\nemail = "lead@bank.test"\nsub = "lead-0001"\nrole = "行领导"\n')
    assert roles.resolve(entries, "LEAD@bank.test", "evil-9") is None
    assert roles.resolve(entries, "LEAD@bank.test", None) is None
    assert roles.resolve(entries, "other@bank.test", "lead-0001").role == LEADER  # the subject it names


def test_whole_bank_roles_refuse_an_organisation_and_branch_roles_need_one():
    # hostile H196: an org on a 行领导 or 消保部 entry was ignored, and a user set up for one branch saw the whole bank
    for role in ("行领导", "消保部"):
        with pytest.raises(
            RolesError,
            match=f"第 1 个 \\[\\[users\\]\\]：角色 {role} 的可见范围是全行，不能填写 org（0100）.*请将角色设为 分行",
        ):
            roles.parse(f'[[users]]\nemail = "a@b.c"\nrole = "{role}"\norg = "0100"\n')
    assert (
        roles.resolve(roles.parse('[[users]]\nemail = "a@b.c"\nrole = "行领导"\norg = ""\n'), "a@b.c", None).scope
        is None
    )
    with pytest.raises(RolesError, match="分行角色必须填写 org"):
        roles.parse('[[users]]\nemail = "a@b.c"\nrole = "分行"\n')


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[users]]\nemail = "a@b.c"\nrole = "管理员"\n', "角色 '管理员' 无效"),
        ('[[users]]\nrole = "消保部"\n', "需要 email 或 sub"),
        ('[[users]]\nemail = "a@b.c"\nrole = "分行"\norg = 200\n', "机构代码要加引号"),
        (
            '[[users]]\nemail = "a@b.c"\nrole = "消保部"\n[[users]]\nemail = "A@b.c"\nrole = "分行"\norg = "0200"\n',
            "重复",
        ),
        ('[[users]]\nemail = "a@b.c"\nrole = "消保部"\nscope = "0200"\n', "未知的键"),
        ('[user]\nemail = "a@b.c"\n', "未知的顶层键"),
        ("[[users]\n", "不是有效的 TOML"),
    ],
)
def test_a_wrong_roles_file_is_refused_with_the_reason(text, message):
    with pytest.raises(RolesError, match=message):
        roles.parse(text)


@pytest.mark.parametrize(
    "text, line, fix",
    [
        ('[[users]]\nemail = "b@bank.test"\nrole = "分行"\norg = 0100\n', 4, 'org = "0100"'),
        ('[[users]]\nemail = b@bank.test\nrole = "消保部"\n', 2, 'email = "b@bank.test"'),
        ('[[users]\nemail = "b@bank.test"\n', 1, "[[users]]"),
        ('[[users]]\nemail "b@bank.test"\n', 2, "="),
        ('[[users]]\nemail = "b@bank.test\nrole = "消保部"\n', 2, "引号"),
    ],
)
def test_a_roles_file_toml_error_is_said_in_chinese_with_its_file_line_and_fix(text, line, fix):
    """Hostile H69: every roles-file error names the file and the line and says what to write instead, in
    Chinese (tomllib's "Expected newline or end of document after a statement" is not for a 消保部 admin)."""
    with pytest.raises(RolesError) as refused:
        roles.parse(text, "roles.toml")
    message = str(refused.value)
    assert message.startswith("角色文件 roles.toml 第 ") and f"第 {line} 行" in message and fix in message
    assert not re.search(r"Expected|Invalid|Illegal|line \d|column", message), message


@pytest.mark.parametrize(
    "text, line",
    [
        ('[[users]]\nemail = "a@b.c"\nrole = "消保部"\n\n[[users]]\nemail = "d@b.c"\nrole = "管理员"\n', 5),
        ('[[users]]\nemail = "a@b.c"\nrole = "分行"\n', 1),
    ],
)
def test_a_wrong_entry_names_the_line_of_its_users_table(text, line):
    with pytest.raises(RolesError, match=f"roles.toml 第 {line} 行"):
        roles.parse(text, "roles.toml")


def test_capabilities_follow_the_role():
    cp, leader, branch = (Principal("u", r, "0200") for r in (CONSUMER_PROTECTION, LEADER, BRANCH))
    assert roles.can_reveal(cp) and not roles.can_reveal(leader) and not roles.can_reveal(branch)
    assert roles.can_view_audit(cp) and not roles.can_view_audit(leader) and not roles.can_view_audit(branch)
    assert roles.can_manage_data(cp) and not roles.can_manage_data(leader) and not roles.can_manage_data(branch)
    assert not roles.can_reveal(None)
    assert roles.demo_principal("演示用户").scope is None and roles.can_reveal(roles.demo_principal("演示用户"))


def test_roles_file_changes_apply_without_restart(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text('[[users]]\nemail = "a@b.c"\nrole = "行领导"\n', encoding="utf-8")
    assert roles.find("a@b.c", path=path).role == LEADER
    path.write_text('[[users]]\nemail = "a@b.c"\nrole = "分行"\norg = "0200"\n', encoding="utf-8")
    assert roles.find("a@b.c", path=path).scope == "0200"


# --- The gate in the app -----------------------------------------------------------------------------------
def test_demo_mode_is_labelled_and_has_full_access(small_store, app_env, auth_env):
    app_env(small_store)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"from": "2026-10", "to": "2026-10"})
    at.run()
    assert not at.exception
    assert any(w.value.startswith("演示模式（COMPLAINTS_DEMO=1，演示数据）") for w in at.warning)
    assert {m.label: m.value for m in at.metric}["投诉量"] == "5 件"  # whole bank
    at.switch_page("app_pages/audit.py").run()  # 消保部 pages are there
    assert [t.value for t in at.title] == ["审计日志"]


def test_signed_out_user_sees_only_the_sign_in_screen(small_store, app_env, auth_env):
    app_env(small_store)
    at = signed_in(None)
    assert [t.value for t in at.title] == ["消保投诉分析"]
    assert [b.label for b in at.button] == ["使用统一身份认证登录"]
    assert not at.metric and not at.selectbox and not at.dataframe  # no data, no filters
    assert not any("演示模式" in w.value for w in at.warning)
    assert audit_lines(auth_env) == []


def test_signed_in_user_without_a_role_sees_a_message_and_no_data(small_store, app_env, auth_env):
    app_env(small_store)
    at = signed_in({"email": "stranger@bank.test", "sub": "s-1"})
    assert "尚未被授权使用本系统" in at.error[0].value and "stranger@bank.test" in at.error[0].value
    assert not at.metric and not at.selectbox and not at.dataframe
    assert [b.label for b in at.button] == ["退出登录"]
    (line,) = audit_lines(auth_env)
    assert (line["event"], line["user"], line["role"]) == ("denied", "stranger@bank.test", None)


@pytest.mark.parametrize(
    "write, said",
    [
        (lambda p: p.write_bytes(ROLES_TOML.encode("gbk")), "角色文件不是 UTF-8 编码"),  # Notepad's "ANSI"
        (lambda p: p.write_bytes(ROLES_TOML.encode("utf-16")), "角色文件不是 UTF-8 编码"),
        (lambda p: p.mkdir(), "角色文件路径是一个文件夹"),
        # hostile H69: an unquoted code stopped the app with tomllib's English message
        (lambda p: p.write_text('[[users]]\nemail = "b@bank.test"\nrole = "分行"\norg = 0100\n'), "第 4 行"),
    ],
)
def test_a_roles_file_that_cannot_be_read_refuses_with_a_sentence(
    small_store, app_env, auth_env, monkeypatch, tmp_path, write, said
):
    # hostile H44: a traceback on every page after sign-in, with the server's paths
    app_env(small_store)
    path = tmp_path / "roles_bad.toml"
    write(path)
    monkeypatch.setenv("COMPLAINTS_ROLES_FILE", str(path))
    at = signed_in({"email": "cp@bank.test"})
    assert not at.exception and said in at.error[0].value and str(tmp_path) not in at.error[0].value
    assert not at.metric and not at.selectbox


def test_a_missing_roles_file_refuses_access(small_store, app_env, auth_env, monkeypatch, tmp_path):
    app_env(small_store)
    monkeypatch.setenv("COMPLAINTS_ROLES_FILE", str(tmp_path / "absent.toml"))
    at = signed_in({"email": "cp@bank.test"})
    assert "角色文件不存在" in at.error[0].value and str(tmp_path) not in at.error[0].value
    assert not at.metric and not at.selectbox


def test_sign_in_is_audited_once_per_session(small_store, app_env, auth_env):
    app_env(small_store)
    at = signed_in(
        {"email": "cp@bank.test", "sub": "cp-1", "name": "张消保"}, query={"from": "2026-10", "to": "2026-10"}
    )
    assert {m.label: m.value for m in at.metric}["投诉量"] == "5 件"
    at.run()
    at.run()
    (line,) = audit_lines(auth_env)
    assert (line["event"], line["user"], line["role"], line["scope"]) == ("signin", "cp@bank.test", "消保部", None)
    assert line["detail"]["sub"] == "cp-1"


def test_leader_sees_the_whole_bank_but_not_the_audit_log_nor_data_management(small_store, app_env, auth_env):
    app_env(small_store)
    at = signed_in({"email": "lead@bank.test"}, query={"from": "2026-10", "to": "2026-10"})
    assert {m.label: m.value for m in at.metric}["投诉量"] == "5 件"
    for page in ("app_pages/audit.py", "app_pages/data.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    assert not any("演示模式" in w.value for w in at.warning)


def test_consumer_protection_opens_the_audit_log(small_store, app_env, auth_env):
    app_env(small_store)
    at = signed_in({"email": "cp@bank.test"}, page="app_pages/audit.py")
    assert [t.value for t in at.title] == ["审计日志"]
    table = at.dataframe[0].value
    assert list(table["事件"]) == ["登录"] and list(table["用户"]) == ["cp@bank.test"]
    assert "完整性校验通过" in at.success[0].value


def test_a_branch_whose_code_is_not_loaded_is_told_so(small_store, app_env, auth_env, tmp_path, monkeypatch):
    app_env(small_store)
    roles_file = tmp_path / "roles2.toml"
    roles_file.write_text('[[users]]\nemail = "x@bank.test"\nrole = "分行"\norg = "0999"\n', encoding="utf-8")
    monkeypatch.setenv("COMPLAINTS_ROLES_FILE", str(roles_file))
    at = signed_in({"email": "x@bank.test"})
    assert "0999" in at.error[0].value and "不在已加载的机构数据中" in at.error[0].value
    assert not at.metric


# --- Fails closed without a working sign-in configuration (issue 16, section 1) ----------------------------
def configuration_page(secrets: dict | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["消保投诉分析"]
    assert "登录配置不完整" in at.error[0].value
    assert not at.metric and not at.selectbox and not at.dataframe and not at.button  # no data, no way in
    assert not any("演示模式" in w.value for w in at.warning)
    return at


def missing(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_no_auth_section_shows_the_configuration_page(small_store, app_env, auth_env):
    app_env(small_store, demo=False)
    at = configuration_page(None)
    assert "缺少登录配置段 [auth]" in missing(at)
    assert audit_lines(auth_env) == []


def test_an_empty_auth_section_shows_the_configuration_page(small_store, app_env, auth_env):
    app_env(small_store, demo=False)
    assert "[auth] 为空" in missing(configuration_page({"auth": {}}))


def test_a_misspelt_auth_section_is_named(small_store, app_env, auth_env):
    app_env(small_store, demo=False)
    text = missing(configuration_page({"oauth": AUTH}))
    assert "缺少登录配置段 [auth]" in text and "[oauth]" in text and "拼写错误" in text


def test_a_secrets_file_that_does_not_exist_is_named_in_the_log_not_on_the_page(
    small_store, app_env, auth_env, tmp_path, capsys
):
    from streamlit import config as st_config

    app_env(small_store, demo=False)
    absent = str(tmp_path / "etc" / "secrets.toml")
    saved = st_config.get_option("secrets.files")
    st_config.set_option("secrets.files", [absent])  # streamlit run ... --secrets.files <absent>
    try:
        text = missing(configuration_page(None))
    finally:
        st_config.set_option("secrets.files", saved)
    # the page is open to anyone before sign-in: it says what is wrong, the server's log says where
    assert absent not in text and str(tmp_path) not in text and "1 个密钥文件均不存在" in text
    assert absent in capsys.readouterr().err


def test_missing_keys_are_listed(small_store, app_env, auth_env):
    app_env(small_store, demo=False)
    partial = {k: v for k, v in AUTH.items() if k not in ("cookie_secret", "client_secret")}
    text = missing(configuration_page({"auth": partial}))
    assert "[auth] 缺少 cookie_secret" in text and "client_secret" in text


def test_a_short_cookie_secret_is_refused_on_the_configuration_page(small_store, app_env, auth_env):
    app_env(small_store, demo=False)
    text = missing(configuration_page({"auth": {**AUTH, "cookie_secret": "x"}}))
    assert "cookie_secret 太短" in text and "至少 32 个" in text and "现为 1 个" in text
    from dashboard.ui.identity import sign_in_problems

    assert sign_in_problems({"auth": {**AUTH, "cookie_secret": "0123456789abcdef0123456789abcde"}}) != []
    assert sign_in_problems({"auth": {**AUTH, "cookie_secret": "0123456789abcdef0123456789abcdef"}}) == []
    assert sign_in_problems({"auth": {**AUTH, "cookie_secret": "c" * 32}}) != []  # long, and guessable


@pytest.mark.parametrize(
    "key, value",
    [
        ("redirect_uri", "javascript:alert(1)"),
        ("redirect_uri", "http://complaints.mybank.com.cn/oauth2callback"),  # http beyond this machine
        ("redirect_uri", "https://complaints.mybank.com.cn/"),
        ("server_metadata_url", "not a url"),
        ("server_metadata_url", "https://sso.mybank.com.cn/authorize"),
    ],
)
def test_sign_in_settings_that_cannot_work_stop_the_app(key, value):
    # hostile H39: present but meaningless passed the check, and sign-in fell to Streamlit's English error
    from dashboard.ui.identity import sign_in_problems

    (problem,) = sign_in_problems({"auth": {**AUTH, key: value}})
    assert key in problem
    good = {
        "redirect_uri": "https://complaints.mybank.com.cn/oauth2callback",
        "server_metadata_url": "https://sso.mybank.com.cn/.well-known/openid-configuration",
    }
    assert sign_in_problems({"auth": {**AUTH, key: good[key]}}) == []


def test_an_audit_key_or_idle_timeout_that_means_nothing_is_refused(monkeypatch):
    from dashboard import sessions
    from dashboard.auth import audit

    for weak in (" " * 40, "a" * 40, "abab" * 10 + "  "):
        audit.use_key(weak)
        with pytest.raises(audit.AuditError):
            audit.key()
    audit.use_key("  " + AUDIT_KEY + "\n")
    assert audit.key() == AUDIT_KEY.encode()  # surrounding blanks are not part of the key
    audit.use_key(None)
    for bad in (True, 1e12, 0.5, 0, -5, float("nan"), "30分钟"):
        with pytest.raises(ValueError):
            sessions.idle_minutes(bad)
    assert sessions.idle_minutes(30) == 30 and sessions.idle_minutes("1440") == 1440


def test_a_named_provider_is_complete_and_one_without_its_secret_is_not():
    from dashboard.ui.identity import sign_in_problems

    top = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]}
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    assert sign_in_problems({"auth": {**top, "bank_sso": provider}}) == []
    assert sign_in_problems({"auth": AUTH}) == []
    lacking = {k: v for k, v in provider.items() if k != "client_secret"}
    assert sign_in_problems({"auth": {**top, "bank_sso": lacking}}) == ["[auth.bank_sso] 缺少 client_secret。"]


def test_a_signed_in_deployment_without_an_audit_key_serves_nothing(small_store, app_env, auth_env, monkeypatch):
    app_env(small_store, demo=False)
    monkeypatch.delenv("COMPLAINTS_AUDIT_KEY")
    at = configuration_page({"auth": AUTH})
    assert "未配置审计日志密钥" in missing(at)
    at = configuration_page({"auth": AUTH, "audit": {"key": "short"}})
    assert "密钥太短" in missing(at)


def test_demo_mode_asked_for_on_real_data_is_refused(small_store, app_env, auth_env, monkeypatch):
    from dashboard.auth import demo_mode

    app_env(small_store, demo=False)
    monkeypatch.setenv("COMPLAINTS_DEMO", "1")  # asked for, but the data was never marked
    assert "不是演示数据" in missing(configuration_page(None))
    app_env(small_store)  # marked: demo mode
    monkeypatch.delenv("COMPLAINTS_DEMO")  # ... but not asked for
    assert "缺少登录配置段 [auth]" in missing(configuration_page(None))
    assert demo_mode.holds_demo_bank(small_store)


def test_a_real_import_ends_demo_mode(small_store, app_env, auth_env, small_extracts):
    from dashboard.auth import demo_mode
    from dashboard.ingest.pipeline import import_files
    from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

    app_env(small_store)
    assert demo_mode.active(small_store)
    new = list(COMPLAINTS[0])
    new[0] = "C99"
    import_files([write_csv(small_extracts[0].parent / "more.csv", COMPLAINT_HEADERS_ZH, [new])], small_store)
    assert not demo_mode.active(small_store)
    assert "不是演示数据" in missing(configuration_page(None))


def test_a_store_emptied_by_hand_and_imported_again_is_not_the_demo_bank(small_store, small_extracts, app_env):
    # hostile H84: the snapshot folder and CURRENT deleted, the DEMO marker left; the next import numbers its
    # version v000001 again, the name the marker holds, but it is real data
    import shutil

    from dashboard.auth import demo_mode
    from dashboard.ingest.pipeline import import_files
    from dashboard.ingest.store import current_snapshot, store_dir

    app_env(small_store)
    demo = current_snapshot(small_store)
    assert demo_mode.active(small_store)
    shutil.rmtree(demo.path)
    (store_dir(small_store) / "CURRENT").unlink()
    import_files(small_extracts, small_store)
    again = current_snapshot(small_store)
    assert again.version == demo.version and demo_mode.marker_path(small_store).exists()
    assert not demo_mode.active(small_store)
    assert "不是演示数据" in missing(configuration_page(None))


def test_an_upcoming_demo_version_is_held_for_a_while_only(small_store, monkeypatch):
    import time

    from dashboard.auth import demo_mode
    from dashboard.ingest.store import Snapshot, current_snapshot

    current = current_snapshot(small_store)
    demo_mode.mark(small_store, current, upcoming="v000099")
    upcoming = Snapshot(path=current.path, version="v000099", meta={})
    assert demo_mode.holds_demo_bank(small_store) and demo_mode.holds_demo_bank(small_store, upcoming)
    later = time.time() + demo_mode.PENDING_SECONDS + 1
    monkeypatch.setattr(demo_mode.time, "time", lambda: later)
    assert demo_mode.holds_demo_bank(small_store) and not demo_mode.holds_demo_bank(small_store, upcoming)
    # a marker of the older form (the version alone) names no snapshot for certain
    demo_mode.marker_path(small_store).write_text(current.version, encoding="utf-8")
    assert not demo_mode.holds_demo_bank(small_store)


def test_the_demo_command_marks_its_data_and_make_run_binds_to_localhost_in_demo_mode(tmp_path, capsys):
    from dashboard import cli
    from dashboard.auth import demo_mode
    from dashboard.derived import registry

    assert cli.main(["demo", "--rows", "2000", "--data-dir", str(tmp_path / "d")]) == 0
    assert demo_mode.holds_demo_bank(tmp_path / "d")
    # `make run` on a fresh machine: every step of the generation and of the import says so as it goes, with
    # the seconds since the start (the generation used to be two silent minutes)
    lines = capsys.readouterr().out.splitlines()
    stamped = [line for line in lines if re.match(r"^\[\s*\d+ 秒\] ", line)]
    assert sum("：完成（" in line for line in stamped) == 6  # background, desurge, plants, handling, write, answers
    for table in registry.load_all():
        assert any(line.endswith(f"计算派生表 {table.name}") for line in stamped), table.name
    assert any("读取 complaints.parquet" in line for line in stamped) and stamped[-1].endswith("导入完成")
    makefile = (Path(APP).parent.parent / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "--server.address 127.0.0.1" in run and "COMPLAINTS_DEMO=1" in run


def test_the_demo_command_refuses_a_folder_holding_real_data(small_store, capsys):
    from dashboard import cli
    from dashboard.auth import demo_mode
    from dashboard.ingest.store import current_snapshot

    before = current_snapshot(small_store).version
    assert cli.main(["demo", "--rows", "2000", "--data-dir", str(small_store)]) == 2
    assert "已有非演示数据" in capsys.readouterr().err
    assert current_snapshot(small_store).version == before and not demo_mode.holds_demo_bank(small_store)


def test_the_example_secrets_file_copied_unchanged_stops_the_app():
    # hostile H55: its published cookie secret let anyone mint a signed-in cookie, its audit key sign the log
    import tomllib

    from dashboard.auth import audit
    from dashboard.ui.identity import sign_in_problems

    example = tomllib.loads((Path(APP).parent.parent / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
    problems = " ".join(sign_in_problems(example))
    for name in ("cookie_secret", "client_secret", "redirect_uri", "server_metadata_url"):
        assert f"{name} 仍是示例文件中的占位值" in problems, name
    audit.use_key(example["audit"]["key"])
    try:
        with pytest.raises(audit.AuditError, match="占位值"):
            audit.key()
    finally:
        audit.use_key(None)
