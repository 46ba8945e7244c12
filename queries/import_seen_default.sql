-- import_seen_default: a store written before seen_at was kept: each complaint was last seen at that
-- snapshot's as-of time (what its open_days were counted to), so its figures stay as they were.
-- Table: stored_seen. Param: $as_of (the previous snapshot's as-of time).
update stored_seen set seen_at = $as_of::timestamp where seen_at is null
