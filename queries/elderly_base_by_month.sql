-- elderly_base_by_month: the subtree's elderly customer base per month (contract 7: elderly_customer_count,
-- of customer_count those aged 60 and over), for the rate per 10,000 elderly customers.
-- Params: $org, $scope, $month_from, $month_to (as subtree_customers).
-- Returns: month, elderly_customers (sum over the subtree's members that give one), base_rows (members with a
--   customer base that month), elderly_rows (of them, those that give an elderly count), base_gaps (members
--   with a customer gap that month, queries/macro_customer_gaps.sql: elderly_customers is then NULL). The rate is shown
--   only where elderly_rows = base_rows (a partial base would overstate it).
with gaps as (
    -- members without a row in a month they should have one (customer_gaps): that month has no base
    select month, count(*) as base_gaps
    from customer_gaps($month_from, $month_to) g
    where ($org is null or g.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or g.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
    group by month
)
select cm.month,
       case when any_value(gaps.base_gaps) is null then sum(cm.elderly_customer_count) end as elderly_customers,
       count(*) as base_rows,
       count(cm.elderly_customer_count) as elderly_rows,
       coalesce(any_value(gaps.base_gaps), 0) as base_gaps
from customers_monthly cm
left join gaps using (month)
where cm.month between $month_from and $month_to
  and ($org is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
  and ($scope is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
group by cm.month
order by cm.month
