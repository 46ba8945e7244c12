-- regulator_trend: the total row of regulator_ratios (queries/regulator_ratios.sql) for each month from
-- $month_from to $month_to, each month counted on its own (its complaints, its customer base, its gaps), as
-- regulator_ratios gives it with month_from = month_to = that month: the 监管指标 page's 12-month trend in one
-- statement instead of twelve (each was planned anew: docs/performance.md "Planning cost").
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--   $referred, $basis, $age_group).
-- Returns: month, then regulator_ratios' columns for unit 'total' (branch_code NULL, branch_name 合计):
--   complaints, referred, customers (the month's base of the selection; NULL with a customer gap that month),
--   base_months (1 with a base that month, else 0), base_gaps, outlets, per_10m, per_1k_outlets.
--   No rows when the selection has no organisation (as regulator_ratios has no total row then).
with members as (
    select b.branch_code
    from branches b
    where ($org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
),
months as (
    select unnest(generate_series($month_from::date, $month_to::date, interval 1 month))::date as month
    where exists (select 1 from members)
),
counted as (
    select c.month, sum(c.complaints)::bigint as complaints,
           coalesce(sum(c.complaints) filter (where c.regulator_referred), 0)::bigint as referred
    from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope,
                       $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group) c
    join members m on m.branch_code = c.branch_code
    group by c.month
),
monthly as (
    select cm.month, sum(cm.customer_count) as customers
    from customers_monthly cm
    join members m on m.branch_code = cm.branch_code
    where cm.month between $month_from and $month_to
    group by cm.month
),
gaps as (
    select g.month, count(*) as base_gaps
    from customer_gaps($month_from, $month_to) g
    join members m on m.branch_code = g.branch_code
    group by g.month
),
base as (
    -- regulator_ratios' base over a one-month period: that month's sum, unless a member has a gap in it
    select monthly.month,
           case when any_value(gaps.base_gaps) is null then avg(customers) end as customers,
           count(*) as base_months
    from monthly
    left join gaps using (month)
    group by monthly.month
),
outlets as (
    select count(*) filter (where coalesce(b.is_outlet, b.level = '支行'))::bigint as outlets
    from members m join branches b on b.branch_code = m.branch_code
)
select
    months.month,
    'total' as unit,
    null::varchar as branch_code,
    '合计' as branch_name,
    coalesce(c.complaints, 0) as complaints,
    coalesce(c.referred, 0) as referred,
    base.customers::double as customers,
    coalesce(base.base_months, 0) as base_months,
    coalesce(g.base_gaps, 0) as base_gaps,
    coalesce(o.outlets, 0) as outlets,
    per_10m_of(coalesce(c.referred, 0), base.customers) as per_10m,
    per_1k_outlets_of(coalesce(c.referred, 0), o.outlets) as per_1k_outlets
from months
left join counted c using (month)
left join base using (month)
left join gaps g using (month)
cross join outlets o
order by months.month
