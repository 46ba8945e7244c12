-- ledger_update_item: save an edited item if nobody saved it since it was read (SQLite). The save names the
-- version it edited; a stored version that has moved on matches no row and nothing changes (the caller
-- then refuses the save). Returns the new version (no row when refused).
-- Params: $id, $version (the version edited), $title, $root_cause, $owner_dept, $action, $due_date,
--   $status, $fixed_at, $key_terms, $user, $now.
update ledger_items
set version = version + 1,
    title = $title,
    root_cause = $root_cause,
    owner_dept = $owner_dept,
    action = $action,
    due_date = $due_date,
    status = $status,
    fixed_at = $fixed_at,
    key_terms = $key_terms,
    updated_at = $now,
    updated_by = $user
where id = $id and version = $version
returning version
