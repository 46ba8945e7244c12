-- ledger_insert_item: a new rectification item at version 1 (SQLite). Returns its id.
-- Params: $source, $branch_code, $business_category, $reason, $complaint_ids, $key_terms, $source_note,
--   $title, $root_cause, $owner_dept, $action, $due_date, $status, $fixed_at, $user, $now.
insert into ledger_items (version, source, branch_code, business_category, reason, complaint_ids, key_terms,
                          source_note, title, root_cause, owner_dept, action, due_date, status, fixed_at,
                          created_at, created_by, updated_at, updated_by)
values (1, $source, $branch_code, $business_category, $reason, $complaint_ids, $key_terms, $source_note,
        $title, $root_cause, $owner_dept, $action, $due_date, $status, $fixed_at, $now, $user, $now, $user)
returning id
