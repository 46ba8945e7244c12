-- ledger_item: one rectification item by id (SQLite). Params: $id.
select * from ledger_items where id = $id
