-- regulator_ratios: regulator-referred complaints per 10 million personal customers and per 1,000 outlets
-- (contract 7) for the selection (the sidebar's organisation, else the user's scope, else the bank) and each
-- tier-1 branch wholly inside it (none for a selection below tier 1), over $month_from..$month_to (sum of complaints over the mean monthly base).
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--   $referred, $basis, $age_group): the ratios count the regulator-referred complaints the filters keep.
-- Returns: unit ('total' | 'tier1'), branch_code (NULL for the total), branch_name, complaints (all the
--   filters keep), referred (regulator_referred), customers (mean monthly base of the subtree over the months
--   with one; NULL when a member has a customer gap, queries/macro_customer_gaps.sql), base_months, base_gaps, outlets (is_outlet, or 支行 when empty; the tree has no history), per_10m
--   (per_10m_of), per_1k_outlets (per_1k_outlets_of).
with members as (
    select 'total' as unit, null::varchar as unit_code, b.branch_code
    from branches b
    where ($org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
    union all
    select 'tier1', t.ancestor_code, t.branch_code
    from branch_tree t
    where t.ancestor_level = '一级分行'
      -- a tier-1 branch only when all of it is inside the selection and the scope: a sub-branch user's own
      -- figures are not labelled with its tier-1 branch's name (hostile finding H13)
      and ($org is null or t.ancestor_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or t.ancestor_code in (select branch_code from branch_tree where ancestor_code = $scope))
),
units as (
    select distinct unit, unit_code from members
),
counted as (
    select m.unit, m.unit_code, sum(c.complaints)::bigint as complaints,
           coalesce(sum(c.complaints) filter (where c.regulator_referred), 0)::bigint as referred
    from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope,
                       $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group) c
    join members m on m.branch_code = c.branch_code
    group by m.unit, m.unit_code
),
monthly as (
    select m.unit, m.unit_code, cm.month, sum(cm.customer_count) as customers
    from customers_monthly cm
    join members m on m.branch_code = cm.branch_code
    where cm.month between $month_from and $month_to
    group by m.unit, m.unit_code, cm.month
),
gaps as (
    -- members without a row in a month they should have one (customer_gaps): the unit has no base
    select m.unit, m.unit_code, count(*) as base_gaps
    from customer_gaps($month_from, $month_to) g
    join members m on m.branch_code = g.branch_code
    group by m.unit, m.unit_code
),
base as (
    select monthly.unit, monthly.unit_code,
           case when any_value(gaps.base_gaps) is null then avg(customers) end as customers,
           count(*) as base_months
    from monthly
    left join gaps on gaps.unit = monthly.unit and gaps.unit_code is not distinct from monthly.unit_code
    group by monthly.unit, monthly.unit_code
),
outlets as (
    select m.unit, m.unit_code, count(*) filter (where coalesce(b.is_outlet, b.level = '支行'))::bigint as outlets
    from members m join branches b on b.branch_code = m.branch_code
    group by m.unit, m.unit_code
)
select
    u.unit, u.unit_code as branch_code,
    coalesce(named.branch_name, '合计') as branch_name,
    coalesce(c.complaints, 0) as complaints,
    coalesce(c.referred, 0) as referred,
    base.customers::double as customers,
    coalesce(base.base_months, 0) as base_months,
    coalesce(g.base_gaps, 0) as base_gaps,
    coalesce(o.outlets, 0) as outlets,
    per_10m_of(coalesce(c.referred, 0), base.customers) as per_10m,
    per_1k_outlets_of(coalesce(c.referred, 0), o.outlets) as per_1k_outlets
from units u
left join counted c on c.unit = u.unit and c.unit_code is not distinct from u.unit_code
left join base on base.unit = u.unit and base.unit_code is not distinct from u.unit_code
left join gaps g on g.unit = u.unit and g.unit_code is not distinct from u.unit_code
left join outlets o on o.unit = u.unit and o.unit_code is not distinct from u.unit_code
left join branches named on named.branch_code = u.unit_code
order by u.unit desc, u.unit_code
