-- repeats_flags: table macro repeat_flags(month_from, month_to, org, scope, categories, reasons, channels,
-- referred, window_days, same_category [, flags_only := false]): the complaints that pass the global
-- filter set, with the repeat rule made adjustable. The one definition of the adjustable rule; with
-- window_days = 30 and same_category = true it gives exactly the is_repeat stored at import
-- (queries/import_derive_complaints.sql, contract 6; tested in tests/test_repeats.py).
-- Arguments: the global filter set (as filtered_complaints), and
--   window_days    INTEGER  a complaint is a repeat when the same customer_id had a complaint at most this
--                           many calendar days before it (exactly window_days apart counts)
--   same_category  BOOLEAN  true: the earlier complaint must be in the same business_category
--   flags_only     BOOLEAN  true when the caller reads is_repeat only (not previous_at): if the rule is
--                           the one the import stored (snapshot_meta.repeat_window_days, same category),
--                           is_repeat is then the stored flag and the look-back is not read at all
--                           (previous_at and days_since_previous are NULL)
-- Returns every column of filtered_complaints, with is_repeat replaced by the adjustable flag, plus
--   previous_at          the customer's previous complaint (in the same category when same_category)
--   days_since_previous  calendar days from previous_at to received_at
-- The look-back reads all complaints (every organisation, category, reason, channel) from the month that
-- holds month_from - window_days: like the stored flag, a repeat of a complaint outside the filters or the
-- period still counts; the filters only choose which complaints are counted.
create or replace macro repeat_flags(
    month_from, month_to, org, scope, categories, reasons, channels, referred, window_days, same_category,
    flags_only := false
) as table
with rule as (
    select coalesce(flags_only and same_category and window_days::integer = m.repeat_window_days, false) as stored
    from snapshot_meta m
),
history as (
    select
        h.file_row_number,
        h.customer_id,
        lag(h.received_at) over (
            partition by h.customer_id, case when same_category then h.business_category end
            order by h.received_at, h.complaint_id
        ) as previous_at
    from filtered_complaints(date_trunc('month', month_from::date - to_days(window_days::integer))::date,
                             month_to, null, null, null, null, null, null) h, rule
    where not rule.stored   -- with the stored flag, this side is empty and the look-back is never read
)
-- The stored flag: no look-back and no join. (One left join for both cases made DuckDB build its hash
-- table on the shown complaints even with the look-back empty: 340 of 410 ms for 12 months at 10M.)
select shown.*, null::timestamp as previous_at, null::bigint as days_since_previous
from filtered_complaints(month_from, month_to, org, scope, categories, reasons, channels, referred) shown
semi join rule on rule.stored
union all
select
    shown.* replace (
        coalesce(date_diff('day', history.previous_at::date, shown.received_at::date) <= window_days::integer,
                 false) as is_repeat
    ),
    history.previous_at,
    date_diff('day', history.previous_at::date, shown.received_at::date) as days_since_previous
from filtered_complaints(month_from, month_to, org, scope, categories, reasons, channels, referred) shown
semi join rule on not rule.stored
-- history holds every shown complaint (same months and more, no filters): the left join keeps them all.
-- A complaint is matched by its row in the complaints file (an integer key, cheaper than complaint_id);
-- joining on customer_id too lets a filter on one customer (the timeline) reach the look-back's scan.
left join history using (file_row_number, customer_id)
