-- hotspots_by_org: complaints of the page's selection by organisation at one level ($org_level: 一级分行,
-- 二级分行 or 支行), each organisation counting its whole subtree (branch_tree), with shares and rates
-- per 10,000 customers.
-- Selection: as in hotspots_by_dimension (global filter set + $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg).
-- Customer base (contract 4 and 6): an organisation's subtree base, i.e. the sum of its members' own
-- customer_count (as subtree_customers), restricted to the members the organisation filters keep ($org,
-- $scope, $d_org subtrees, $d_province, $d_city), per month, then the mean over the months of the period
-- that have a base. subtree_customers cannot take those extra restrictions per organisation, so the same
-- sum is written out here.
-- A subtree with a customer gap in the period (queries/macro_customer_gaps.sql) has no base: customers and
-- per_10k NULL, base_gaps > 0 (客户数不全), never the other members' customers.
-- Returns: branch_code, branch_name, level, province, city, complaints, share (of the selection's total),
--   customers (mean monthly base, NULL when none is loaded or it has a gap), base_gaps, per_10k.
with hits as (
    select f.*
    from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                            $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg, basis := $basis, age_group := $age_group,
                            s_hidden := $s_hidden) f
),
per_org as (
    select t.ancestor_code as branch_code, count(*) as complaints
    from hits h
    join branch_tree t on t.branch_code = h.branch_code
    where t.ancestor_level = $org_level
    group by t.ancestor_code
),
members as (
    select b.branch_code
    from branches b
    where ($org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
      and ($d_org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $d_org))
      and ($d_province is null or b.province = $d_province)
      and ($d_city is null or b.city = $d_city)
),
monthly_base as (
    select t.ancestor_code as branch_code, cm.month, group_customers(cm.customer_count, cm.elderly_customer_count, $age_group) as customers
    from customers_monthly cm
    join members m on m.branch_code = cm.branch_code
    join branch_tree t on t.branch_code = cm.branch_code
    where t.ancestor_code in (select branch_code from per_org)
      and cm.month between $month_from and $month_to
    group by t.ancestor_code, cm.month
),
gaps as (
    -- members kept by the filters without a row in a month they should have one (customer_gaps): no base
    select t.ancestor_code as branch_code, count(*) as base_gaps
    from customer_gaps($month_from, $month_to) g
    join members m on m.branch_code = g.branch_code
    join branch_tree t on t.branch_code = g.branch_code
    where t.ancestor_code in (select branch_code from per_org)
    group by t.ancestor_code
),
base as (
    select branch_code, case when any_value(gaps.base_gaps) is null then avg(customers) end as customers,
           coalesce(any_value(gaps.base_gaps), 0) as base_gaps
    from monthly_base left join gaps using (branch_code)
    group by branch_code
)
select p.branch_code, br.branch_name, br.level, br.province, br.city, p.complaints,
       p.complaints / (select count(*) from hits)::double as share,
       base.customers,
       coalesce(gaps.base_gaps, 0) as base_gaps,
       per_10k_of(p.complaints, base.customers) as per_10k
from per_org p
join branches br on br.branch_code = p.branch_code
left join base on base.branch_code = p.branch_code
left join gaps on gaps.branch_code = p.branch_code
order by p.complaints desc, p.branch_code
