-- ledger_item_history: the change history of one item, newest first (SQLite). Params: $item_id.
select version, changed_at, changed_by, field, old_value, new_value
from ledger_history
where item_id = $item_id
order by version desc, rowid
