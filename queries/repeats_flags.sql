-- repeats_flags: table macro repeat_flags(month_from, month_to, org, scope, categories, reasons, channels,
-- referred, window_days, same_category): the complaints that pass the global filter set, with the
-- repeat rule made adjustable. The one definition of the adjustable rule; with window_days = 30 and
-- same_category = true it gives exactly the is_repeat stored at import (queries/import_derive_complaints.sql,
-- contract 6; tested in tests/test_repeats.py).
-- Arguments: the global filter set (as filtered_complaints), and
--   window_days    INTEGER  a complaint is a repeat when the same customer_id had a complaint at most this
--                           many calendar days before it (exactly window_days apart counts)
--   same_category  BOOLEAN  true: the earlier complaint must be in the same business_category
-- Returns every column of filtered_complaints, with is_repeat replaced by the adjustable flag, plus
--   previous_at          the customer's previous complaint (in the same category when same_category)
--   days_since_previous  calendar days from previous_at to received_at
-- The look-back reads all complaints (every organisation, category, reason, channel) from the month that
-- holds month_from - window_days: like the stored flag, a repeat of a complaint outside the filters or the
-- period still counts; the filters only choose which complaints are counted.
create or replace macro repeat_flags(
    month_from, month_to, org, scope, categories, reasons, channels, referred, window_days, same_category
) as table
with history as (
    select
        complaint_id,
        lag(received_at) over (
            partition by customer_id, case when same_category then business_category end
            order by received_at, complaint_id
        ) as previous_at
    from filtered_complaints(date_trunc('month', month_from::date - to_days(window_days::integer))::date,
                             month_to, null, null, null, null, null, null)
),
shown as (
    select * from filtered_complaints(month_from, month_to, org, scope, categories, reasons, channels, referred)
)
select
    shown.* replace (
        coalesce(date_diff('day', history.previous_at::date, shown.received_at::date) <= window_days::integer,
                 false) as is_repeat
    ),
    history.previous_at,
    date_diff('day', history.previous_at::date, shown.received_at::date) as days_since_previous
from shown
join history using (complaint_id)
