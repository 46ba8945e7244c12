-- sessions_create: server-side sign-in sessions (data/sessions/sessions.sqlite, SQLite). No parameters.
-- One row per sign-in (an ID token): issued at its first app session, last_seen moved on at every
-- interaction, revoked_at set by 退出登录 or when found idle past the deployment's timeout. A signed cookie
-- whose row is revoked is refused (dashboard/sessions.py).
create table if not exists sessions (
    id         text primary key,   -- sha256 of the token's issuer, subject, e-mail, issue time and nonce
    user       text not null,
    issued_at  real not null,      -- epoch seconds
    last_seen  real not null,
    revoked_at real,
    reason     text                -- signout | idle
)
