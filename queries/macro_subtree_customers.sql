-- macro_subtree_customers: the customer base per month of an organisation subtree (contract 4: a
-- subtree's base is the sum over its members' own customer_count). Denominator of every rate.
-- Arguments: org, scope (as in filtered_complaints), month_from, month_to; age_group (named, default NULL):
-- the customer group's base (group_customers, queries/macro_group_customers.sql).
create or replace macro subtree_customers(org, scope, month_from, month_to, age_group := null) as table
select cm.month, group_customers(cm.customer_count, cm.elderly_customer_count, age_group) as customers
from customers_monthly cm
where cm.month between month_from and month_to
  and (org is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = org))
  and (scope is null or cm.branch_code in (select branch_code from branch_tree where ancestor_code = scope))
group by cm.month
