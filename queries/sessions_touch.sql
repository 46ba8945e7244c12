-- sessions_touch: an interaction within the idle timeout moves last_seen on ($id, $now). (SQLite)
update sessions set last_seen = $now where id = $id and revoked_at is null
