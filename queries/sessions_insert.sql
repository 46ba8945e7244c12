-- sessions_insert: a new sign-in's session ($id, $user, $now: epoch seconds). (SQLite)
insert into sessions (id, user, issued_at, last_seen) values ($id, $user, $now, $now)
