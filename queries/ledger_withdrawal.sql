-- ledger_withdrawal: an item's withdrawal (no row: not withdrawn) (SQLite). Params: $item_id.
select * from ledger_withdrawals where item_id = $item_id
