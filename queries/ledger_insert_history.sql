-- ledger_insert_history: one changed field of one save (SQLite).
-- Params: $item_id, $version, $changed_at, $changed_by, $field, $old_value, $new_value.
insert into ledger_history (item_id, version, changed_at, changed_by, field, old_value, new_value)
values ($item_id, $version, $changed_at, $changed_by, $field, $old_value, $new_value)
