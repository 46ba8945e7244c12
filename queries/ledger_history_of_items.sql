-- ledger_history_of_items: the change history of several items, for the ledger's export (SQLite).
-- Params: $item_ids (a JSON array of item ids, e.g. [3, 1, 2]).
-- Ordered by item id, then version, then the order the changes were written.
select item_id, version, changed_at, changed_by, field, old_value, new_value
from ledger_history
where item_id in (select value from json_each($item_ids))
order by item_id, version, rowid
