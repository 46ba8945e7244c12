-- ledger_create_withdrawals: rectification items withdrawn (撤销) by 消保部, in the ledger's SQLite database.
-- No parameters. A withdrawn item is kept with its history but leaves every list and count (ledger_items):
-- an item opened in error or twice is neither open nor done. Restoring it deletes its row here.
--   item_id                      the item (ledger_items.id)
--   withdrawn_at, withdrawn_by   when and by whom (Asia/Shanghai)
--   reason                       why, as typed (at least 4 characters)
create table if not exists ledger_withdrawals (
    item_id integer primary key,
    withdrawn_at varchar not null,
    withdrawn_by varchar not null,
    reason varchar not null
)
