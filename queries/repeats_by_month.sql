-- repeats_by_month: repeat complaints and the repeat rate for each month from $month_from to $month_to,
-- months without complaints included as zeros.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred) and the repeat rule: $repeat_window_days, $same_category, $stored_window_days (see repeats_flags.sql).
--   complaints    complaints received in the month
--   repeats       of them, repeats under the rule
--   repeat_rate   repeats / complaints (NULL when there are no complaints)
--   repeat_customers  distinct customers with at least one repeat in the month
with flagged as (
    select * from repeat_flags($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
                               $referred, $repeat_window_days, $same_category, flags_only := true,
                               stored_window_days := $stored_window_days)
),
per_month as (
    select month,
           count(*) as complaints,
           count(*) filter (where is_repeat) as repeats,
           count(distinct if(is_repeat, customer_id, null)) as repeat_customers   -- only repeats' ids are hashed
    from flagged
    group by month
),
months as (
    select unnest(generate_series($month_from::date, $month_to::date, interval 1 month))::date as month
)
select
    months.month,
    coalesce(p.complaints, 0) as complaints,
    coalesce(p.repeats, 0) as repeats,
    p.repeats / nullif(p.complaints, 0)::double as repeat_rate,
    coalesce(p.repeat_customers, 0) as repeat_customers
from months
left join per_month p using (month)
order by months.month
