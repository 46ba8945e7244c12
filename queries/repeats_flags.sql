-- repeats_flags: table macro repeat_flags(month_from, month_to, org, scope, categories, reasons, channels,
-- referred, window_days, same_category [, flags_only := false, stored_window_days := null]): the complaints
-- that pass the global filter set, with the repeat rule made adjustable. The one definition of the
-- adjustable rule; with window_days = 30 and same_category = true it gives exactly the is_repeat stored at
-- import (queries/import_derive_complaints.sql, contract 6; tested in tests/test_repeats_stored.py).
-- Arguments: the global filter set (as filtered_complaints), and
--   window_days    INTEGER  a complaint is a repeat when the same customer_id had a complaint at most this
--                           many calendar days before it (exactly window_days apart counts)
--   same_category  BOOLEAN  true: the earlier complaint must be in the same business_category
--   flags_only     BOOLEAN  true when the caller reads is_repeat only (not previous_at): if the rule is
--                           the one the import stored (window stored_window_days, same category), is_repeat
--                           is then the stored flag and the look-back is not read at all (previous_at and
--                           days_since_previous are NULL)
--   stored_window_days  INTEGER  the window of the stored is_repeat (repeats.rule_params passes the import's)
-- Whether the stored flag is used is decided from the arguments alone (queries/macro_stored_repeat_rule.sql):
-- with bound parameters it is a constant, DuckDB plans only the branch that runs (reading it from a table
-- cost 100-175 ms of planning per query at 10M, more than the query itself).
-- Returns every column of filtered_complaints, with is_repeat replaced by the adjustable flag, plus
--   previous_at          the customer's previous complaint (in the same category when same_category)
--   days_since_previous  calendar days from previous_at to received_at
-- The look-back reads the complaints of the caller's scope (every organisation in it, category, reason,
-- channel) from the month that holds month_from - window_days: a repeat of a complaint outside the filters or
-- the period still counts, one outside the scope does not (a branch's numbers come from its own complaints).
-- For the same reason the stored flag (computed over the whole bank at import) is used only without a scope.
create or replace macro repeat_flags(
    month_from, month_to, org, scope, categories, reasons, channels, referred, window_days, same_category,
    flags_only := false, stored_window_days := null
) as table
with history as (
    select
        h.file_row_number,
        h.customer_id,
        lag(h.received_at) over (
            partition by h.customer_id, case when same_category then h.business_category end
            order by h.received_at, h.complaint_id
        ) as previous_at
    from filtered_complaints(date_trunc('month', month_from::date - to_days(window_days::integer))::date,
                             month_to, null, scope, null, null, null, null) h
    where not (flags_only and scope is null and stored_repeat_rule(window_days, same_category, stored_window_days))
)
-- The stored flag: no look-back and no join. (One left join for both cases made DuckDB build its hash
-- table on the shown complaints even with the look-back empty: 340 of 410 ms for 12 months at 10M.)
select shown.*, null::timestamp as previous_at, null::bigint as days_since_previous
from filtered_complaints(month_from, month_to, org, scope, categories, reasons, channels, referred) shown
where (flags_only and scope is null and stored_repeat_rule(window_days, same_category, stored_window_days))
union all
select
    shown.* replace (
        within_repeat_window(history.previous_at, shown.received_at, window_days) as is_repeat
    ),
    history.previous_at,
    date_diff('day', history.previous_at::date, shown.received_at::date) as days_since_previous
from filtered_complaints(month_from, month_to, org, scope, categories, reasons, channels, referred) shown
-- history holds every shown complaint (same months and more, no filters): the left join keeps them all.
-- A complaint is matched by its row in the complaints file (an integer key, cheaper than complaint_id);
-- joining on customer_id too lets a filter on one customer (the timeline) reach the look-back's scan.
left join history using (file_row_number, customer_id)
where not (flags_only and scope is null and stored_repeat_rule(window_days, same_category, stored_window_days))
