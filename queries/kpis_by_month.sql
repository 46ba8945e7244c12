-- kpis_by_month: the headline metrics (contract 6) for each month from $month_from to $month_to,
-- months without complaints included as zeros. The one definition of each headline metric.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons,
--         $channels, $referred, $basis, $age_group) and $repeat_window_days (the stored repeat rule's window).
--   complaints          distinct complaints received in the month
--   customers           the subtree's customer base that month, of the customer group $age_group
--                       (group_customers; NULL when not loaded)
--   per_10k             complaints / customers x 10,000
--   closed, on_time     closed complaints; those closed within their granted deadline (contract 7:
--                       deadline_days, 15 when empty) of receipt
--   open                not yet closed (status <> 已办结)
--   open_overdue        open and the as-of time is past the complaint's granted deadline
--   (handling_days and open_days are derived at import: queries/import_derive_complaints.sql; the
--   counts per month come from the derived table complaint_cube, queries/import_complaint_cube.sql)
--   on_time_rate        on_time / (closed + open_overdue)
--   avg_handling_days   mean of closed_at - received_at over closed complaints, in days
--   repeats, repeat_rate  repeat complaints / complaints: without a scope the is_repeat flagged at import
--                       (summed in the cube); with one, recomputed from the complaints inside the scope
--                       (queries/repeats_flags.sql, the stored rule: $repeat_window_days, same category), as
--                       the stored flag spans the whole bank (docs/security.md: a branch's numbers are its own)
--   regulator_referred  complaints with regulator_referred = true
--   extended, extended_closed, extended_on_time, extended_open_overdue   complaints granted more than 15
--                       days (contract 7), and their counts as above; extension_on_time_rate
--                       on_time_rate_of over them (how often an extension ended on time)
--   resolved, with_result, resolution_rate   处理结果 已解决 / complaints with a 处理结果
--   satisfied, surveyed, satisfaction_rate   满意+基本满意 / surveyed (not 未回访)
--   amount_total, with_amount, redress_total, redressed   涉及金额 and 补偿金额 (yuan), complaints with each
--   elderly, age_unknown, elderly_share   customers aged 60+; without an age; elderly / complaints
with per_month as (
    -- summed from complaint_cube (counted at import with the same expressions: handling_days <=
    -- granted_days, open_days > granted_days; queries/import_complaint_cube.sql), which the global
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
        coalesce(sum(complaints) filter (where regulator_referred), 0)::bigint as regulator_referred,
        sum(extended)::bigint                                     as extended,
        sum(extended_closed)::bigint                              as extended_closed,
        sum(extended_on_time)::bigint                             as extended_on_time,
        sum(extended_open_overdue)::bigint                        as extended_open_overdue,
        sum(resolved)::bigint                                     as resolved,
        sum(with_result)::bigint                                  as with_result,
        sum(satisfied)::bigint                                    as satisfied,
        sum(surveyed)::bigint                                     as surveyed,
        sum(amount_total)                                         as amount_total,
        sum(with_amount)::bigint                                  as with_amount,
        sum(redress_total)                                        as redress_total,
        sum(redressed)::bigint                                    as redressed,
        coalesce(sum(complaints) filter (where is_elderly), 0)::bigint as elderly,
        coalesce(sum(complaints) filter (where is_elderly is null), 0)::bigint as age_unknown
    from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope,
                       $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
    group by month
),
scoped_repeats as (
    -- only with a scope ($scope is a bound constant: without one this reads nothing)
    select month, count(*) filter (where is_repeat)::bigint as repeats
    from repeat_flags($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                      $repeat_window_days, true, flags_only := true, stored_window_days := $repeat_window_days, basis := $basis, age_group := $age_group)
    where $scope is not null
    group by month
),
months as (
    select unnest(generate_series($month_from::date, $month_to::date, interval 1 month))::date as month
),
customers as (
    select * from subtree_customers($org, $scope, $month_from, $month_to, age_group := $age_group)
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
    coalesce(p.regulator_referred, 0)  as regulator_referred,
    coalesce(p.extended, 0)            as extended,
    coalesce(p.extended_closed, 0)     as extended_closed,
    coalesce(p.extended_on_time, 0)    as extended_on_time,
    coalesce(p.extended_open_overdue, 0) as extended_open_overdue,
    on_time_rate_of(p.extended_on_time, p.extended_closed, p.extended_open_overdue) as extension_on_time_rate,
    coalesce(p.resolved, 0)            as resolved,
    coalesce(p.with_result, 0)         as with_result,
    resolution_rate_of(p.resolved, p.with_result) as resolution_rate,
    coalesce(p.satisfied, 0)           as satisfied,
    coalesce(p.surveyed, 0)            as surveyed,
    satisfaction_rate_of(p.satisfied, p.surveyed) as satisfaction_rate,
    coalesce(p.amount_total, 0)        as amount_total,
    coalesce(p.with_amount, 0)         as with_amount,
    coalesce(p.redress_total, 0)       as redress_total,
    coalesce(p.redressed, 0)           as redressed,
    coalesce(p.elderly, 0)             as elderly,
    coalesce(p.age_unknown, 0)         as age_unknown,
    elderly_share_of(p.elderly, p.complaints) as elderly_share
from months
left join per_month p using (month)
left join customers using (month)
left join scoped_repeats s using (month)
order by months.month
