-- elderly_base_by_month: the subtree's elderly customer base per month (contract 7: elderly_customer_count,
-- of customer_count those aged 60 and over), for the rate per 10,000 elderly customers.
-- Params: $org, $scope, $month_from, $month_to (as subtree_customers).
-- Returns: month, elderly_customers (sum over the subtree's members that give one), base_rows (members with a
--   customer base that month), elderly_rows (of them, those that give an elderly count). The rate is shown
--   only where elderly_rows = base_rows (a partial base would overstate it).
select cm.month,
       sum(cm.elderly_customer_count) as elderly_customers,
       count(*) as base_rows,
       count(cm.elderly_customer_count) as elderly_rows
from customers_monthly cm
where cm.month between $month_from and $month_to
  and ($org is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
  and ($scope is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
group by cm.month
order by cm.month
