-- kpis_by_month: the headline metrics (contract 6) for each month from $month_from to $month_to,
-- months without complaints included as zeros. The one definition of each headline metric.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons,
--         $channels, $referred), $deadline_days and $repeat_window_days (the stored repeat rule's window).
--   complaints          distinct complaints received in the month
--   customers           the subtree's customer base that month (NULL when not loaded)
--   per_10k             complaints / customers x 10,000
--   closed, on_time     closed complaints; those closed within $deadline_days of receipt
--   open                not yet closed (status <> 已办结)
--   open_overdue        open and the as-of time is past the deadline
--   (handling_days and open_days are derived at import: queries/import_derive_complaints.sql; the
--   counts per month come from the derived table complaint_cube, queries/import_complaint_cube.sql)
--   on_time_rate        on_time / (closed + open_overdue)
--   avg_handling_days   mean of closed_at - received_at over closed complaints, in days
--   repeats, repeat_rate  repeat complaints / complaints: without a scope the is_repeat flagged at import
--                       (summed in the cube); with one, recomputed from the complaints inside the scope
--                       (queries/repeats_flags.sql, the stored rule: $repeat_window_days, same category), as
--                       the stored flag spans the whole bank (docs/security.md: a branch's numbers are its own)
--   regulator_referred  complaints with regulator_referred = true
with per_month as (
    -- summed from complaint_cube (counted at import with the same expressions: handling_days <=
    -- $deadline_days, open_days > $deadline_days; queries/import_complaint_cube.sql), which the global
    -- filter set selects from exactly as from the complaints
    select
        month,
        sum(complaints)::bigint                                   as complaints,
        sum(closed)::bigint                                       as closed,
        sum(on_time)::bigint                                      as on_time,
        sum(complaints - closed)::bigint                          as open,
        sum(open_overdue)::bigint                                 as open_overdue,
        sum(handling_days) / nullif(sum(closed), 0)               as avg_handling_days,
        sum(repeats)::bigint                                      as repeats,
        coalesce(sum(complaints) filter (where regulator_referred), 0)::bigint as regulator_referred
    from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope,
                       $categories, $reasons, $channels, $referred)
    where deadline_days = $deadline_days
       or error('complaint_cube counts on-time complaints for another deadline: run python -m dashboard rebuild')
    group by month
),
scoped_repeats as (
    -- only with a scope ($scope is a bound constant: without one this reads nothing)
    select month, count(*) filter (where is_repeat)::bigint as repeats
    from repeat_flags($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                      $repeat_window_days, true, flags_only := true, stored_window_days := $repeat_window_days)
    where $scope is not null
    group by month
),
months as (
    select unnest(generate_series($month_from::date, $month_to::date, interval 1 month))::date as month
),
customers as (
    select * from subtree_customers($org, $scope, $month_from, $month_to)
)
select
    months.month,
    coalesce(p.complaints, 0)          as complaints,
    customers.customers,
    per_10k_of(coalesce(p.complaints, 0), customers.customers) as per_10k,
    coalesce(p.closed, 0)              as closed,
    coalesce(p.on_time, 0)             as on_time,
    coalesce(p.open, 0)                as open,
    coalesce(p.open_overdue, 0)        as open_overdue,
    on_time_rate_of(p.on_time, p.closed, p.open_overdue) as on_time_rate,
    p.avg_handling_days,
    coalesce(case when $scope is null then p.repeats else s.repeats end, 0) as repeats,
    repeat_rate_of(case when $scope is null then p.repeats else coalesce(s.repeats, 0) end,
                   p.complaints) as repeat_rate,
    coalesce(p.regulator_referred, 0)  as regulator_referred
from months
left join per_month p using (month)
left join customers using (month)
left join scoped_repeats s using (month)
order by months.month
