"""Who is using the app: the one place that answers who the user is, their role and their scope.

- `current_user()`: the name written into import logs, audit lines and the ledger's history (who changed
  what): the signed-in user's e-mail (else subject, else name), or 演示用户 in demo mode. Safe outside a
  script run (bare mode).
- `gate()` (the app shell calls it first): sign-in through st.login when [auth] is configured in
  .streamlit/secrets.toml, the user's role from the roles file, the sign-in audit line; it stops the
  script, before any query, for anyone who is not signed in or has no role. Without [auth] the app runs
  in demo mode as a 消保部 demo user, under a banner that says so.
- `principal()` / `current_scope()`: the decided user (role, organisation, scope) for pages and helpers.
- `allowed_pages(...)`: the navigation a role may see (data management and the audit log are 消保部's).

The rules themselves (roles, capabilities, the audit file) live in dashboard/auth/, shared with the CLI.
"""
from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from dashboard.auth import audit, roles
from dashboard.auth.roles import Principal

DEMO_USER = "演示用户"
DEMO_BANNER = ("演示模式：未配置登录，所有访问者均以“消保部”演示用户身份查看全行数据（可查看个人信息）。"
               "正式使用前请按 docs/security.md 配置登录（.streamlit/secrets.toml 的 [auth]）和角色文件。")
PAGES = Path(__file__).resolve().parent.parent / "app_pages"
_KEY = "_principal"
_SIGNIN_KEY = "_audit_signin"


# --- Reading the decision -----------------------------------------------------------------------------
def principal() -> Principal | None:
    """The user this session runs as (set by gate() on every run); None before the gate."""
    try:
        return st.session_state.get(_KEY)
    except Exception:   # no script context (bare mode)
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
    except Exception:   # no script context (bare mode) or authentication not configured
        pass
    return DEMO_USER


def current_scope() -> str | None:
    """The organisation whose subtree bounds this user's queries; None = whole bank."""
    decided = principal()
    return decided.scope if decided is not None else None


def auth_configured() -> bool:
    """Whether sign-in is configured: an [auth] section in the secrets (see docs/security.md)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and st.secrets.get("auth"))
    except FileNotFoundError:
        return False


def _provider() -> str | None:
    """The provider name to pass to st.login: None for a single provider written directly in [auth],
    else the first [auth.<name>] section."""
    section = st.secrets.get("auth") or {}
    if "client_id" in section or "server_metadata_url" in section:
        return None
    named = [key for key, value in section.items() if hasattr(value, "get") and "client_id" in value]
    return named[0] if named else None


# --- The gate -----------------------------------------------------------------------------------------
def gate() -> Principal:
    """Decide who this session runs as, or show why not and stop before any data is read."""
    if not auth_configured():
        decided = roles.demo_principal(DEMO_USER)
        st.session_state[_KEY] = decided
        st.warning(DEMO_BANNER, icon=":material/warning:")
        return decided

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
        _refuse(f"暂时无法确定您的权限：{error}。请联系消保部系统管理员。")
    decided = roles.resolve(entries, email, sub, user.get("email_verified"), user.get("name"))
    if decided is None:
        st.session_state[_KEY] = None
        who = email or sub
        _audit_once("denied", who, {"email": email, "sub": sub})
        _refuse(f"您的账号（{who}）已通过身份认证，但尚未被授权使用本系统，因此不显示任何数据。"
                "如需使用，请联系消保部系统管理员在角色文件中为您配置角色和所属机构。")
    _check_scope(decided)
    issued = user.get("iat")                 # the ID token's issue time: one sign-in, many sessions
    first = _first_session(decided.user, issued)
    _audit_once("signin" if first else "session", decided,
                {"sub": sub, "name": user.get("name"), "provider": _provider() or "default", "token_iat": issued})
    st.session_state[_KEY] = decided
    return decided


_seen_tokens: set[tuple[str, object]] = set()
_seen_lock = threading.Lock()


def _first_session(user: str, issued) -> bool:
    """Whether this is the first app session of a sign-in (an ID token) that this server has seen; a
    reload or a second tab opens another session of the same sign-in."""
    if issued is None:
        return True
    with _seen_lock:
        if (user, issued) in _seen_tokens:
            return False
        _seen_tokens.add((user, issued))
        return True


def _audit_once(event: str, who: Principal | str, detail: dict) -> None:
    """A sign-in, a new session of one, or a refusal is recorded once per app session; without the
    record, no access."""
    marker = ("denied" if event == "denied" else "signin", who.user if isinstance(who, Principal) else who,
              who.role if isinstance(who, Principal) else None,
              who.org if isinstance(who, Principal) else None)
    if st.session_state.get(_SIGNIN_KEY) == marker:
        return
    try:
        audit.record(event, who, detail)
    except (OSError, audit.AuditError) as error:
        _refuse(f"审计日志无法写入（{error}），为保证可追溯，暂停访问。请联系系统管理员。")
    st.session_state[_SIGNIN_KEY] = marker


def _check_scope(decided: Principal) -> None:
    """A 分行 user whose organisation is not in the loaded data would see nothing: say why."""
    if decided.scope is None:
        return
    names = _org_names(decided.scope)
    if names is not None and decided.scope not in names:
        _refuse(f"角色文件为您配置的机构代码 {decided.scope} 不在已加载的机构数据中，无法确定可查看的范围。"
                "请联系消保部系统管理员核对角色文件。")


def _org_names(scope: str | None) -> dict[str, str] | None:
    """Names of the organisations in a scope; None when no data is loaded yet."""
    from dashboard import db
    from dashboard.ui import context

    snapshot = context.snapshot()
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
    st.markdown("本系统包含投诉客户的个人信息，仅限经授权的工作人员使用。"
                "请使用行内统一身份认证登录；登录、查看个人信息、导出和导入均记入审计日志。")
    provider = _provider()
    st.button("使用统一身份认证登录", type="primary", icon=":material/login:",
              on_click=st.login, args=(provider,) if provider else ())


def _refuse(message: str) -> None:
    st.title("消保投诉分析")
    st.error(message, icon=":material/block:")
    if st.user.get("is_logged_in"):
        st.button("退出登录", on_click=st.logout)
    st.stop()


def _signout() -> None:
    decided = principal()
    if decided is not None:
        try:
            audit.record("signout", decided, {})
        except (OSError, audit.AuditError):
            pass   # signing out must always work
    st.session_state.pop(_SIGNIN_KEY, None)
    st.logout()


def sidebar_badge(decided: Principal) -> None:
    """Who is signed in, as what, seeing what; and the way out."""
    with st.sidebar:
        st.divider()
        st.caption(f":material/person: {decided.display} · {decided.role} · 可见范围：{scope_label(decided)}",
                   help=roles.ROLE_HELP.get(decided.role))
        if not decided.demo:
            st.button("退出登录", icon=":material/logout:", on_click=_signout, key="_signout")


# --- Navigation ---------------------------------------------------------------------------------------
def allowed_pages(sections: dict[str, list]) -> dict[str, list]:
    """The app's navigation for this user: data management only for those who may manage data, and the
    audit log (审计日志) added for those who may view it. Pages left out cannot be opened by URL."""
    decided = principal()
    kept = {}
    for section, pages in sections.items():
        visible = [p for p in pages
                   if (p.url_path != "data" or roles.can_manage_data(decided))
                   # the ledger is the bank's whole list: whole-bank roles only
                   and (p.url_path != "ledger" or decided.scope is None)]
        if visible:
            kept[section] = visible
    if roles.can_view_audit(decided):
        kept.setdefault("数据", []).append(
            st.Page(PAGES / "audit.py", title="审计日志", icon=":material/policy:", url_path="audit"))
    return kept
