-- ledger_delete_withdrawal: restore a withdrawn item to the lists and counts (SQLite). Params: $item_id.
delete from ledger_withdrawals where item_id = $item_id
