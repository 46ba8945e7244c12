-- ledger_insert_withdrawal: withdraw an item (SQLite). Params: $item_id, $withdrawn_at, $withdrawn_by, $reason.
insert into ledger_withdrawals (item_id, withdrawn_at, withdrawn_by, reason)
values ($item_id, $withdrawn_at, $withdrawn_by, $reason)
