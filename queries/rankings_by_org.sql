-- rankings_by_org: one row per organisation of level $level inside the filtered subtree ($org, $scope),
-- every organisation counted over its own subtree (itself and all its members), for $month_from..$month_to;
-- with $previous_from also one per organisation for the period before it ($previous_from .. the month before
-- $month_from: the ranking's previous period, rankings.previous_period), each period on its own exactly as if
-- asked alone (its base, gaps and period_months its own), in one statement: the two were two statements,
-- each planned anew (docs/performance.md, twelfth session). Rows ordered by period_from, branch_code.
-- Organisations without complaints or without a customer base are listed too (zeros / NULL).
-- The headline counts and rates are headline_of's (queries/macro_headline.sql, the one definition of each,
-- shared with kpis_by_month), per organisation; this adds the organisation's names and its customer base.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred, $basis, $age_group), $repeat_window_days (the stored repeat rule's window),
--         $level (一级分行 | 二级分行 | 支行), $previous_from (NULL: the period alone; Filters.params' default).
--   period_from         the row's period: $month_from, or $previous_from for the previous period's rows
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
--                       NULL unless every member with a customer base gives one in every month with a base,
--                       and NULL with a customer gap (base_gaps > 0)
--   elderly_per_10k     elderly / elderly_customers x 10,000 (NULL without that base)
--   customers           mean monthly customer base of the subtree (sum over its members' own
--                       customer_count each month, as subtree_customers), over the months with a base loaded
--   base_months         months of the period with a customer base loaded (0: no base, customers NULL)
--   base_gaps           (member, month) pairs of the period with complaints and no customer row although the
--                       member has one in other months (queries/macro_customer_gaps.sql): customers and
--                       per_10k are then NULL (客户数不全)
--   period_months       months of the period with a customer file loaded (any organisation)
--   opened_in_period    its first month with a base is after the period's first such month (期内新设)
--   exposure            customers x base_months / period_months: the period-equivalent base (customer-months
--                       / period_months); = customers for an organisation with a base in every such month;
--                       less for one opened or closed in the period (期内新设 / 期内撤并, hostile H95)
--   per_10k             complaints / exposure x 10,000 (contract: over a span, sum over the mean base; an
--                       organisation present part of the period is compared on the months it existed)
with periods as (
    -- the period and, with $previous_from, the one before it; a month's period is the latest start <= it
    select unnest(case when $previous_from is null then [$month_from::date]
                       else [$previous_from::date, $month_from::date] end) as period_from
),
orgs as (
    select b.branch_code, b.branch_name, b.level, b.parent_code, parent.branch_name as parent_name
    from branches b
    left join branches parent on parent.branch_code = b.parent_code
),
monthly_base as (
    -- the subtree-sum rule of subtree_customers, grouped by the organisation at $level
    select t.ancestor_code as org_code, cm.month,
           case when cm.month >= $month_from then $month_from::date else $previous_from::date end as period_from,
           group_customers(cm.customer_count, cm.elderly_customer_count, $age_group) as customers,
           sum(cm.elderly_customer_count) as elderly_customers,
           count(*) = count(cm.elderly_customer_count) as elderly_complete
    from customers_monthly cm
    join branch_tree t on t.branch_code = cm.branch_code and t.ancestor_level = $level
    where cm.month between coalesce($previous_from, $month_from) and $month_to
      and ($org is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
    group by all
),
gaps as (
    -- members without a base in a month they should have one (customer_gaps): the period's base is incomplete
    -- (whether a month is a gap depends on that month alone, so one call covers both periods)
    select t.ancestor_code as org_code,
           case when g.month >= $month_from then $month_from::date else $previous_from::date end as period_from,
           count(*) as base_gaps
    from customer_gaps(coalesce($previous_from, $month_from), $month_to) g
    join branch_tree t on t.branch_code = g.branch_code and t.ancestor_level = $level
    group by all
),
period as (
    -- the months of each period with a customer file loaded: a span's rates are per this many months
    select periods.period_from, count(distinct cm.month) as period_months, min(cm.month) as period_first
    from periods
    left join (
        select month, case when month >= $month_from then $month_from::date else $previous_from::date end as period_from
        from customers_monthly where month between coalesce($previous_from, $month_from) and $month_to
    ) cm on cm.period_from = periods.period_from
    group by periods.period_from
),
base as (
    select org_code,
           period_from,
           case when any_value(gaps.base_gaps) is null then avg(customers) end as customers,
           count(*) as base_months,
           min(month) as first_base_month,
           case when bool_and(elderly_complete) and any_value(gaps.base_gaps) is null
                then avg(elderly_customers) end as elderly_customers
    from monthly_base
    left join gaps using (org_code, period_from)
    group by org_code, period_from
),
headline as (
    select coalesce(month, $month_from::date) as period_from, *
    from headline_of(coalesce($previous_from, $month_from), $month_to, $org, $scope, $categories, $reasons,
                     $channels, $referred, $repeat_window_days, basis := $basis, age_group := $age_group,
                     at_level := $level,
                     split_at := case when $previous_from is null then null else $month_from::date end)
)
select
    orgs.branch_code,
    orgs.branch_name,
    orgs.level,
    orgs.parent_code,
    orgs.parent_name,
    h.* exclude (period_from, month, org_code),
    base.elderly_customers::double     as elderly_customers,
    per_10k_of(h.elderly, base.elderly_customers * base.base_months / period.period_months) as elderly_per_10k,
    base.customers::double             as customers,
    coalesce(base.base_months, 0)      as base_months,
    coalesce(gaps.base_gaps, 0)        as base_gaps,  -- also where no member has a row at all (H76)
    coalesce(period.period_months, 0)  as period_months,
    base.first_base_month > period.period_first as opened_in_period,
    (base.customers * base.base_months / period.period_months)::double as exposure,
    -- over its own months: an organisation with a base in k of the period's N months (opened or closed in
    -- the period, hostile H95) has k months of complaints; over its mean base they would be compared with
    -- N months of everyone else's. The exposure (customer-months / N) puts it on the period's footing.
    per_10k_of(h.complaints, base.customers * base.base_months / period.period_months) as per_10k,
    h.period_from
from headline h
join orgs on orgs.branch_code = h.org_code
left join base on base.org_code = h.org_code and base.period_from = h.period_from
left join gaps on gaps.org_code = h.org_code and gaps.period_from = h.period_from
join period on period.period_from = h.period_from
order by h.period_from, orgs.branch_code
