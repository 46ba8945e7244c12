-- repeats_by_month: repeat complaints and the repeat rate for each month from $month_from to $month_to,
-- months without complaints included as zeros.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred) and the repeat rule: $repeat_window_days, $same_category, $stored_window_days (see
--         repeats_flags.sql).
--   complaints    complaints received in the month
--   repeats       of them, repeats under the rule
--   repeat_rate   repeats / complaints (NULL when there are no complaints)
--   repeat_customers  distinct customers with at least one repeat in the month
-- Speed: with no filter and the import's rule (the default view, the report) the counts come from
-- repeat_months, stored at import; otherwise they are counted live (queries/macro_repeat_months.sql).
-- Exactly one branch reads anything: their conditions are constants once the parameters are bound.
with per_month as (
    select month, complaints, repeats, repeat_customers
    from repeat_months
    where unfiltered($org, $scope, $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
      and stored_repeat_rule($repeat_window_days, $same_category, $stored_window_days)
      and month between $month_from and $month_to
    union all
    select *
    from repeat_months_of($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                          $repeat_window_days, $same_category, $stored_window_days, basis := $basis, age_group := $age_group)
    where not (unfiltered($org, $scope, $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
               and stored_repeat_rule($repeat_window_days, $same_category, $stored_window_days))
),
months as (
    select unnest(generate_series($month_from::date, $month_to::date, interval 1 month))::date as month
)
select
    months.month,
    coalesce(p.complaints, 0) as complaints,
    coalesce(p.repeats, 0) as repeats,
    repeat_rate_of(p.repeats, p.complaints) as repeat_rate,
    coalesce(p.repeat_customers, 0) as repeat_customers
from months
left join per_month p using (month)
order by months.month
