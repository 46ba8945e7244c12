-- import_derive_complaints: the complaints as stored in a snapshot, with the columns every page needs.
-- Table: merged (contract columns). Params: $repeat_window_days.
-- month: calendar month of received_at (contract 6).
-- is_repeat: the same customer had a complaint in the same business_category within
--   $repeat_window_days calendar days before this one (contract 6). Only the nearest earlier complaint
--   can be the closest, so lag() over the customer's complaints in that category decides it.
-- Sorted by received_at so that a month filter reads only that month's row groups.
select
    merged.*,
    date_trunc('month', received_at)::date as month,
    coalesce(
        date_diff('day',
                  lag(received_at) over (partition by customer_id, business_category
                                         order by received_at, complaint_id)::date,
                  received_at::date) <= $repeat_window_days,
        false) as is_repeat
from merged
order by received_at, complaint_id
