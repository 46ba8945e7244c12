-- ledger_touch_item: a new version of an item whose fields did not change (withdrawn or restored), if nobody
-- saved it since it was read (SQLite). Returns the new version (no row when refused).
-- Params: $id, $version (the version read), $user, $now.
update ledger_items
set version = version + 1,
    updated_at = $now,
    updated_by = $user
where id = $id and version = $version
returning version
