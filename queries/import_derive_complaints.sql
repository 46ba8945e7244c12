-- import_derive_complaints: the complaints as stored in a snapshot, with the columns every page needs.
-- Table: merged (contract columns). Params: $repeat_window_days.
-- month          calendar month of received_at (contract 6)
-- is_repeat      within_repeat_window (queries/macro_repeat_window.sql) of the customer's previous complaint in
--                the same business_category, window $repeat_window_days (contract 6). Only the nearest earlier
--                complaint can be the closest, so lag() over the customer's complaints in that category decides.
-- handling_days  closed_at - received_at in days; NULL while open
-- open_days      for an open complaint, days from receipt to the data's as-of time; NULL once closed.
--                The as-of time (latest received_at or closed_at) is fixed per snapshot, so this is too;
--                with handling_days it turns every deadline rule into a comparison of two numbers.
-- Sorted by received_at so that a month filter reads only that month's row groups.
with as_of as (
    select greatest(max(received_at), max(closed_at)) as as_of from merged
)
select
    merged.*,
    date_trunc('month', received_at)::date as month,
    within_repeat_window(lag(received_at) over (partition by customer_id, business_category
                                                order by received_at, complaint_id),
                         received_at, $repeat_window_days) as is_repeat,
    epoch(closed_at - received_at) / 86400.0 as handling_days,
    case when closed_at is null then epoch(as_of.as_of - received_at) / 86400.0 end as open_days
from merged, as_of
order by received_at, complaint_id
