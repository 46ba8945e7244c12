-- sessions_get: one session by id ($id). (SQLite)
select id, user, issued_at, last_seen, revoked_at, reason from sessions where id = $id
