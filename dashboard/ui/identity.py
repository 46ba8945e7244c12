"""Who is using the app: the one place that answers who the user is, their role and their scope.

- `current_user()`: the name written into import logs, audit lines and the ledger's history (who changed
  what): the signed-in user's e-mail (else subject, else name), or 演示用户 in demo mode. Safe outside a
  script run (bare mode).
- `gate()` (the app shell calls it first) fails closed: sign-in through st.login when [auth] is complete
  in the secrets, the user's role from the roles file, a server-side session record
  (dashboard/sessions.py: 退出登录 and the idle timeout end it for every copy of the cookie), the
  audit line. Without a working sign-in configuration the app shows a configuration page saying what is
  missing and reads no data, unless demo mode was asked for and the data is the demo bank
  (dashboard/auth/demo_mode.py): then a 消保部 demo user, under a banner.
- `principal()` / `current_scope()`: the decided user (role, organisation, scope) for pages and helpers.
- `allowed_pages(...)`: the navigation a role may see (data management and the audit log are 消保部's).

The rules themselves (roles, capabilities, sessions, the audit file) live in dashboard/auth/, shared with
the CLI.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import streamlit as st

from dashboard import config, fmt, sessions
from dashboard.auth import audit, demo_mode, roles
from dashboard.auth.roles import Principal
from dashboard.ingest.store import current_snapshot

DEMO_USER = "演示用户"
DEMO_BANNER = (
    "演示模式（COMPLAINTS_DEMO=1，演示数据）：未配置登录，所有访问者均以“消保部”演示用户身份查看全行"
    "演示数据（可查看个人信息）。正式使用前请按 docs/security.md 配置登录和角色文件。"
)
PAGES = Path(__file__).resolve().parent.parent / "app_pages"
_KEY = "_principal"
_SIGNIN_KEY = "_audit_signin"
_SESSION_KEY = "_session_id"
# What st.login needs: at the top of [auth], and per provider (in [auth] itself or in [auth.<name>]).
AUTH_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
MIN_COOKIE_SECRET_CHARS = audit.MIN_KEY_CHARS  # as for the audit key: it signs every identity cookie


# --- Reading the decision -----------------------------------------------------------------------------
def principal() -> Principal | None:
    """The user this session runs as (set by gate() on every run); None before the gate."""
    try:
        return st.session_state.get(_KEY)
    except Exception:  # no script context (bare mode)
        return None


def current_user() -> str:
    """The signed-in user's e-mail (else subject, else name); 演示用户 when nobody is signed in."""
    decided = principal()
    if decided is not None:
        return decided.user
    try:
        user = st.user
        if user.get("is_logged_in"):
            return str(user.get("email") or user.get("sub") or user.get("name") or DEMO_USER)
    except Exception:  # no script context (bare mode) or authentication not configured
        pass
    return DEMO_USER


def current_scope() -> str | None:
    """The organisation whose subtree bounds this user's queries; None = whole bank."""
    decided = principal()
    return decided.scope if decided is not None else None


# --- The sign-in configuration ------------------------------------------------------------------------
def _secrets() -> dict:
    """The secrets as a plain dict ({} when no secrets file could be read)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return st.secrets.to_dict()
    except Exception:  # a secrets file that is not valid TOML
        return {}


def _server_log(text: str) -> None:
    """A configuration detail for the administrator, on the server's standard error (its log)."""
    print(f"[complaints sign-in] {text}", file=sys.stderr, flush=True)


def _missing_secret_files() -> list[str]:
    return [f for f in st.get_option("secrets.files") if not Path(f).exists()]


def sign_in_problems(secrets: dict, missing_files: list[str] = ()) -> list[str]:
    """What a working sign-in configuration lacks, one Chinese sentence each; [] when complete.
    `secrets` as read (a dict), `missing_files` the configured secrets files that do not exist."""
    problems = []
    auth = secrets.get("auth")
    if auth is None:
        if not secrets:
            # The paths go to the server's log, not to the page: it is shown to anyone who opens the address
            # before signing in, and they tell the install folder and the account it runs as (hostile H33).
            if missing_files:
                _server_log(f"secrets files not found: {', '.join(missing_files)}")
            problems.append(
                "未读取到任何密钥配置（secrets.toml）"
                + (f"：所配置的 {len(missing_files)} 个密钥文件均不存在（路径见服务器日志）" if missing_files else "")
                + "。若用 --secrets.files 指定了路径，请核对路径。"
            )
        near = [
            k
            for k in secrets
            if k != "auth" and ("auth" in k.lower() or difflib.get_close_matches("auth", [k.lower()], cutoff=0.6))
        ]
        problems.append(
            "缺少登录配置段 [auth]"
            + (f"；找到了 {'、'.join(f'[{k}]' for k in near)}，是否拼写错误？应为 [auth]" if near else "")
            + "。"
        )
        return problems
    if not hasattr(auth, "get") or not auth:
        return ["登录配置段 [auth] 为空：需要 " + "、".join(AUTH_KEYS + PROVIDER_KEYS) + "。"]
    missing = [k for k in AUTH_KEYS if not str(auth.get(k) or "").strip()]
    providers = (
        {"[auth]": auth}
        if any(k in auth for k in PROVIDER_KEYS)
        else {f"[auth.{name}]": value for name, value in auth.items() if hasattr(value, "get")}
    )
    if not providers:
        missing += list(PROVIDER_KEYS)
    for where, section in providers.items():
        lacking = [k for k in PROVIDER_KEYS if not str(section.get(k) or "").strip()]
        if lacking:
            problems.append(f"{where} 缺少 {'、'.join(lacking)}。")
        metadata = str(section.get("server_metadata_url") or "").strip()
        if metadata and not _url_problem_free(metadata, "/.well-known/openid-configuration"):
            problems.append(
                f"{where} 的 server_metadata_url 应为身份认证服务的 https 地址，以 /.well-known/openid-configuration"
                "结尾（http 仅限本机）。"
            )
    if missing:
        problems.insert(0, f"[auth] 缺少 {'、'.join(missing)}。")
    for where, section in {"[auth]": auth, **providers}.items():
        for name in AUTH_KEYS + PROVIDER_KEYS:
            value = str(section.get(name) or "")
            if value and (audit.is_placeholder(value) or _example_host(value)):
                problems.append(f"{where} 的 {name} 仍是示例文件中的占位值：请填写本行的实际配置（密钥请随机生成）。")
    # Present is not enough (hostile H39): a value that cannot work sends every user to Streamlit's bare
    # English "Authentication error", and a guessable cookie secret lets anyone forge a signed-in cookie.
    redirect = str(auth.get("redirect_uri") or "").strip()
    if redirect and not _url_problem_free(redirect, "/oauth2callback"):
        problems.append("[auth] 的 redirect_uri 应为本系统的 https 地址，以 /oauth2callback 结尾（http 仅限本机）。")
    cookie_secret = str(auth.get("cookie_secret") or "").strip()
    if cookie_secret and len(cookie_secret) < MIN_COOKIE_SECRET_CHARS:
        # It signs every identity cookie (and a valid cookie not seen before gets a session record).
        problems.append(
            f"[auth] 的 cookie_secret 太短：至少 {MIN_COOKIE_SECRET_CHARS} 个随机字符"
            f"（现为 {len(cookie_secret)} 个），否则登录凭证可被伪造。"
        )
    elif cookie_secret and len(set(cookie_secret)) < audit.MIN_DISTINCT_KEY_CHARS:
        problems.append(
            f"[auth] 的 cookie_secret 过于简单（只有 {len(set(cookie_secret))} 种不同字符），否则登录凭证可被伪造："
            "请使用随机生成的值。"
        )
    return problems


def _example_host(value: str) -> bool:
    """An address on the reserved .example domain (RFC 2606), as in the example secrets file."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(value.strip()).hostname or ""
    except ValueError:
        return False
    return host == "example" or host.endswith(".example")


def _url_problem_free(url: str, path_end: str) -> bool:
    """An https URL ending in `path_end`; http only for this machine (a test or a demo behind no proxy)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    return (
        (parts.scheme == "https" or (parts.scheme == "http" and local))
        and bool(parts.hostname)
        and parts.path.rstrip("/").endswith(path_end)
    )


def _deployment_problems(secrets: dict) -> list[str]:
    """What a signed-in deployment needs besides [auth]: the audit key, a valid idle timeout."""
    problems = []
    if audit.key_source() in (None, "demo"):
        problems.append(
            f"未配置审计日志密钥：请在 secrets.toml 的 [audit] 中设置 key（至少 {audit.MIN_KEY_CHARS} 个"
            f"随机字符），或设置环境变量 {audit.KEY_ENV}。没有密钥，审计日志无法防篡改，因此暂停服务。"
        )
    else:
        try:
            audit.key()
        except audit.AuditError as error:
            problems.append(str(error))
    try:
        sessions.idle_minutes((secrets.get("session") or {}).get("idle_minutes"))
    except ValueError as error:
        problems.append(f"[session] {error}")
    return problems


def _configuration_page(problems: list[str]) -> None:
    st.title("消保投诉分析")
    st.error("登录配置不完整，系统暂停服务，不显示任何数据。", icon=":material/block:")
    st.markdown("**缺少或有误的配置：**\n\n" + "\n".join(f"- {p}" for p in problems))
    st.markdown(
        "请系统管理员按 `docs/security.md` 在 `.streamlit/secrets.toml`（或 `--secrets.files` 指定的文件）"
        "中配置 `[auth]`（统一身份认证）与 `[audit]`（审计日志密钥），并在角色文件中配置用户，然后重启应用。"
        "仅在本机演示时，可用 `make run`（演示数据、演示模式，只监听本机）。"
    )
    st.stop()


# --- The gate -----------------------------------------------------------------------------------------
def gate() -> Principal:
    """Decide who this session runs as, or show why not and stop before any data is read."""
    secrets = _secrets()
    audit.use_key(str((secrets.get("audit") or {}).get("key") or "") or None)
    problems = sign_in_problems(secrets, _missing_secret_files())
    if problems:
        if demo_mode.active(config.data_dir()):
            decided = roles.demo_principal(DEMO_USER)
            st.session_state[_KEY] = decided
            st.warning(DEMO_BANNER, icon=":material/warning:")
            return decided
        st.session_state[_KEY] = None
        if demo_mode.requested():
            problems.append(
                f"已设置 {demo_mode.ENV}=1，但已加载的数据不是演示数据（由 python -m dashboard demo 生成）："
                "演示模式只用于演示数据。"
            )
        _configuration_page(problems)
    problems = _deployment_problems(secrets)
    if problems:
        st.session_state[_KEY] = None
        _configuration_page(problems)

    user = st.user
    if not user.get("is_logged_in"):
        st.session_state[_KEY] = None
        _signin_screen()
        st.stop()

    email, sub = user.get("email"), user.get("sub")
    try:
        entries = roles.load(roles.roles_path())
    except roles.RolesError as error:
        st.session_state[_KEY] = None
        _server_log(f"roles file: {error}")
        shown = str(error).replace(str(roles.roles_path()), roles.roles_path().name)  # the path: in the log
        _refuse(f"暂时无法确定您的权限：{shown}。请联系消保部系统管理员。")
    decided = roles.resolve(entries, email, sub, user.get("email_verified"), user.get("name"))
    if decided is None:
        st.session_state[_KEY] = None
        who = email or sub
        _audit_once("denied", who, {"email": email, "sub": sub})
        _refuse(
            f"您的账号（{who}）已通过身份认证，但尚未被授权使用本系统，因此不显示任何数据。"
            "如需使用，请联系消保部系统管理员在角色文件中为您配置角色和所属机构。"
        )
    claims = user.to_dict()
    sid = sessions.session_id(claims)
    store = sessions.Sessions(
        config.data_dir(), sessions.idle_minutes((secrets.get("session") or {}).get("idle_minutes"))
    )
    state = store.check(sid, decided.user, claims.get("iat"))
    if state in (sessions.REVOKED, sessions.EXPIRED):
        st.session_state[_KEY] = None
        _audit_once(
            "denied", decided, {"reason": "会话已结束" if state == sessions.REVOKED else "会话已超时", "sub": sub}
        )
        _ended(state)
    _check_scope(decided)
    _audit_once(
        "signin" if state == sessions.NEW else "session",
        decided,
        {"sub": sub, "name": user.get("name"), "provider": _provider() or "default", "token_iat": claims.get("iat")},
    )
    st.session_state[_KEY] = decided
    st.session_state[_SESSION_KEY] = sid
    return decided


def _provider() -> str | None:
    """The provider name to pass to st.login: None for a single provider written directly in [auth],
    else the first [auth.<name>] section."""
    section = st.secrets.get("auth") or {}
    if "client_id" in section or "server_metadata_url" in section:
        return None
    named = [key for key, value in section.items() if hasattr(value, "get") and "client_id" in value]
    return named[0] if named else None


def _audit_once(event: str, who: Principal | str, detail: dict) -> None:
    """A sign-in, a new session of one, or a refusal is recorded once per app session; without the
    record, no access."""
    marker = (
        "denied" if event == "denied" else "signin",
        who.user if isinstance(who, Principal) else who,
        who.role if isinstance(who, Principal) else None,
        who.org if isinstance(who, Principal) else None,
    )
    if st.session_state.get(_SIGNIN_KEY) == marker:
        return
    try:
        audit.record(event, who, detail)
    except (OSError, audit.AuditError) as error:
        _refuse(f"审计日志无法写入（{error}），为保证可追溯，暂停访问。请联系系统管理员。")
    st.session_state[_SIGNIN_KEY] = marker


def _ended(state: str) -> None:
    """A cookie of a sign-in that was signed out of, or left idle too long: sign in again."""
    st.title("消保投诉分析")
    st.warning(
        "您已退出登录，此登录凭据已失效。" if state == sessions.REVOKED else "您的会话因长时间未操作已超时。",
        icon=":material/lock_clock:",
    )
    st.button("重新登录", type="primary", icon=":material/login:", on_click=st.logout)
    st.stop()


def _check_scope(decided: Principal) -> None:
    """A 分行 user whose organisation is not in the loaded data would see nothing: say why."""
    if decided.scope is None:
        return
    names = _org_names(decided.scope)
    if names is not None and decided.scope not in names:
        _refuse(
            f"角色文件为您配置的机构代码 {decided.scope} 不在已加载的机构数据中，无法确定可查看的范围。"
            "请联系消保部系统管理员核对角色文件。"
        )


def _org_names(scope: str | None) -> dict[str, str] | None:
    """Names of the organisations in a scope; None when no data is loaded yet."""
    from dashboard import db

    snapshot = current_snapshot(config.data_dir())
    if snapshot is None:
        return None
    rows = db.run(db.connection_for(snapshot), "branch_options", scope=scope)
    return dict(zip(rows["branch_code"], rows["branch_name"]))


def scope_label(decided: Principal) -> str:
    if decided.scope is None:
        return "全行"
    name = (_org_names(decided.scope) or {}).get(decided.scope)
    return f"{name}（{decided.scope}）及下辖机构" if name else f"机构 {decided.scope} 及下辖机构"


def _signin_screen() -> None:
    st.title("消保投诉分析")
    st.markdown(
        "本系统包含投诉客户的个人信息，仅限经授权的工作人员使用。"
        "请使用行内统一身份认证登录；登录、查看个人信息、导出和导入均记入审计日志。"
    )
    provider = _provider()
    st.button(
        "使用统一身份认证登录",
        type="primary",
        icon=":material/login:",
        on_click=st.login,
        args=(provider,) if provider else (),
    )


def _refuse(message: str) -> None:
    st.title("消保投诉分析")
    st.error(message, icon=":material/block:")
    if st.user.get("is_logged_in"):
        st.button("退出登录", on_click=st.logout)
    st.stop()


def _signout() -> None:
    """End the sign-in for every copy of its cookie (the session record), then clear this browser's."""
    decided, sid = principal(), st.session_state.get(_SESSION_KEY)
    revoked = False
    if sid:
        try:
            sessions.Sessions(config.data_dir()).revoke(sid)
            revoked = True
        except Exception:  # noqa: BLE001 (signing out must always clear the cookie; the audit line says so)
            pass
    if decided is not None:
        try:
            audit.record("signout", decided, {"revoked": revoked})
        except (OSError, audit.AuditError):
            pass  # signing out must always work; the revoked record already refuses the cookie
    st.session_state.pop(_SIGNIN_KEY, None)
    st.session_state.pop(_SESSION_KEY, None)
    st.session_state[_KEY] = None
    st.logout()


def sidebar_badge(decided: Principal) -> None:
    """Who is signed in, as what, seeing what; and the way out."""
    with st.sidebar:
        st.divider()
        st.caption(
            f":material/person: {decided.display} · {decided.role} · 可见范围：{fmt.literal(scope_label(decided))}",
            help=roles.ROLE_HELP.get(decided.role),
        )
        if not decided.demo:
            st.button("退出登录", icon=":material/logout:", on_click=_signout, key="_signout")


# --- Navigation ---------------------------------------------------------------------------------------
def allowed_pages(sections: dict[str, list]) -> dict[str, list]:
    """The app's navigation for this user: data management only for those who may manage data, and the
    audit log (审计日志) added for those who may view it. Pages left out cannot be opened by URL."""
    decided = principal()
    kept = {}
    for section, pages in sections.items():
        # the ledger page shows a 分行 user the items of their subtree only (dashboard/ledger/store.py)
        visible = [p for p in pages if p.url_path != "data" or roles.can_manage_data(decided)]
        if visible:
            kept[section] = visible
    if roles.can_view_audit(decided):
        kept.setdefault("数据", []).append(
            st.Page(PAGES / "audit.py", title="审计日志", icon=":material/policy:", url_path="audit")
        )
    return kept
