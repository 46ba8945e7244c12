-- ledger_withdrawn_items: the withdrawn items with when, by whom and why, newest withdrawal first (SQLite).
-- No parameters.
select ledger_items.*, w.withdrawn_at, w.withdrawn_by, w.reason as withdrawal_reason
from ledger_items
join ledger_withdrawals as w on w.item_id = ledger_items.id
order by w.withdrawn_at desc, ledger_items.id desc
