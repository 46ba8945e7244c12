-- ledger_items: every rectification item, overdue ones first (SQLite); withdrawn items (ledger_withdrawals)
-- are left out: they count nowhere.
-- Params: $today (YYYY-MM-DD).
--   overdue  1 when the due date has passed ($today is after it) and the status is neither 已整改 nor 已验证
-- Ordered: overdue first (longest overdue first), then open items by due date (no date last), then done
-- items, newest id first within ties.
select ledger_items.*,
       case when due_date is not null and due_date < $today
                 and status not in ('已整改', '已验证') then 1 else 0 end as overdue
from ledger_items
where not exists (select 1 from ledger_withdrawals where ledger_withdrawals.item_id = ledger_items.id)
order by overdue desc,
         case when status in ('已整改', '已验证') then 1 else 0 end,
         due_date is null,
         due_date,
         id desc
