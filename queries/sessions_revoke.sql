-- sessions_revoke: end a session ($id, $now, $reason: signout | idle); a revoked one stays revoked. (SQLite)
update sessions set revoked_at = $now, reason = $reason where id = $id and revoked_at is null
