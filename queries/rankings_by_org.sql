-- rankings_by_org: one row per organisation of level $level inside the filtered subtree ($org, $scope),
-- every organisation counted over its own subtree (itself and all its members), for $month_from..$month_to.
-- Organisations without complaints or without a customer base are listed too (zeros / NULL).
-- The headline metrics are summed from complaint_cube as in kpis_by_month (one definition each:
-- queries/import_complaint_cube.sql).
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred, $basis, $age_group), $repeat_window_days (the stored repeat rule's window),
--         $level (一级分行 | 二级分行 | 支行).
--   branch_code, branch_name, level, parent_code, parent_name
--   complaints          distinct complaints received in the period
--   closed, on_time, open, open_overdue, on_time_rate, avg_handling_days, repeats, repeat_rate,
--   regulator_referred  as in kpis_by_month, over the period (with a scope, repeats recomputed from the
--                       complaints inside it: queries/repeats_flags.sql, the stored rule)
--   satisfied           satisfaction 满意 or 基本满意
--   surveyed            satisfaction recorded and not 未回访
--   satisfaction_rate   satisfied / surveyed
--   resolved, with_result, resolution_rate, amount_total, redress_total, extended, elderly,
--   elderly_share       as in kpis_by_month, over the period
--   age_known           complaints with a customer_age (the elderly outlier test's denominator)
--   elderly_customers   mean monthly elderly customer base of the subtree (contract 7 elderly_customer_count),
--                       NULL unless every member with a customer base gives one in every month with a base
--   elderly_per_10k     elderly / elderly_customers x 10,000 (NULL without that base)
--   customers           mean monthly customer base of the subtree (sum over its members' own
--                       customer_count each month, as subtree_customers), over the months with a base loaded
--   base_months         months of the period with a customer base loaded (0: no base, customers NULL)
--   per_10k             complaints / customers x 10,000 (contract: over a span, sum over the mean base)
with orgs as (
    select b.branch_code, b.branch_name, b.level, b.parent_code, parent.branch_name as parent_name
    from branches b
    left join branches parent on parent.branch_code = b.parent_code
    where b.level = $level
      and ($org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
),
per_org as (
    -- summed from complaint_cube (counted at import with the same expressions as kpis_by_month:
    -- queries/import_complaint_cube.sql), which the global filter set selects from as from the complaints
    select
        t.ancestor_code                                           as org_code,
        sum(c.complaints)::bigint                                 as complaints,
        sum(c.closed)::bigint                                     as closed,
        sum(c.on_time)::bigint                                    as on_time,
        sum(c.complaints - c.closed)::bigint                      as open,
        sum(c.open_overdue)::bigint                               as open_overdue,
        sum(c.handling_days) / nullif(sum(c.closed), 0)           as avg_handling_days,
        sum(c.repeats)::bigint                                    as repeats,
        coalesce(sum(c.complaints) filter (where c.regulator_referred), 0)::bigint as regulator_referred,
        sum(c.satisfied)::bigint                                  as satisfied,
        sum(c.surveyed)::bigint                                   as surveyed,
        sum(c.resolved)::bigint                                   as resolved,
        sum(c.with_result)::bigint                                as with_result,
        sum(c.amount_total)                                       as amount_total,
        sum(c.redress_total)                                      as redress_total,
        sum(c.extended)::bigint                                   as extended,
        coalesce(sum(c.complaints) filter (where c.is_elderly), 0)::bigint as elderly,
        coalesce(sum(c.complaints) filter (where c.is_elderly is not null), 0)::bigint as age_known
    from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope,
                       $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group) c
    join branch_tree t on t.branch_code = c.branch_code and t.ancestor_level = $level
    group by t.ancestor_code
),
scoped_repeats as (
    -- only with a scope ($scope is a bound constant: without one this reads nothing), as kpis_by_month
    select t.ancestor_code as org_code, count(*) filter (where f.is_repeat)::bigint as repeats
    from repeat_flags($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                      $repeat_window_days, true, flags_only := true, stored_window_days := $repeat_window_days, basis := $basis, age_group := $age_group) f
    join branch_tree t on t.branch_code = f.branch_code and t.ancestor_level = $level
    where $scope is not null
    group by t.ancestor_code
),
monthly_base as (
    -- the subtree-sum rule of subtree_customers, grouped by the organisation at $level
    select t.ancestor_code as org_code, cm.month, group_customers(cm.customer_count, cm.elderly_customer_count, $age_group) as customers,
           sum(cm.elderly_customer_count) as elderly_customers,
           count(*) = count(cm.elderly_customer_count) as elderly_complete
    from customers_monthly cm
    join branch_tree t on t.branch_code = cm.branch_code and t.ancestor_level = $level
    where cm.month between $month_from and $month_to
      and ($org is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
    group by t.ancestor_code, cm.month
),
base as (
    select org_code, avg(customers) as customers, count(*) as base_months,
           case when bool_and(elderly_complete) then avg(elderly_customers) end as elderly_customers
    from monthly_base
    group by org_code
)
select
    orgs.branch_code,
    orgs.branch_name,
    orgs.level,
    orgs.parent_code,
    orgs.parent_name,
    coalesce(p.complaints, 0)          as complaints,
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
    coalesce(p.satisfied, 0)           as satisfied,
    coalesce(p.surveyed, 0)            as surveyed,
    satisfaction_rate_of(p.satisfied, p.surveyed) as satisfaction_rate,
    coalesce(p.resolved, 0)            as resolved,
    coalesce(p.with_result, 0)         as with_result,
    resolution_rate_of(p.resolved, p.with_result) as resolution_rate,
    coalesce(p.amount_total, 0)        as amount_total,
    coalesce(p.redress_total, 0)       as redress_total,
    coalesce(p.extended, 0)            as extended,
    coalesce(p.elderly, 0)             as elderly,
    elderly_share_of(p.elderly, p.complaints) as elderly_share,
    coalesce(p.age_known, 0)           as age_known,
    base.elderly_customers::double     as elderly_customers,
    per_10k_of(coalesce(p.elderly, 0), base.elderly_customers) as elderly_per_10k,
    base.customers::double             as customers,
    coalesce(base.base_months, 0)      as base_months,
    per_10k_of(coalesce(p.complaints, 0), base.customers) as per_10k
from orgs
left join per_org p on p.org_code = orgs.branch_code
left join base on base.org_code = orgs.branch_code
left join scoped_repeats s on s.org_code = orgs.branch_code
order by orgs.branch_code
