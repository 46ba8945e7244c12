-- macro_subtree_customers: the customer base per month of an organisation subtree (contract 4: a
-- subtree's base is the sum over its members' own customer_count). Denominator of every rate.
-- Arguments: org, scope (as in filtered_complaints), month_from, month_to; age_group (named, default NULL):
-- the customer group's base (group_customers, queries/macro_group_customers.sql).
-- Returns: month (months with a customer row in the subtree), customers (NULL when the base is incomplete),
--   branches_without_base (members with complaints but no customer row that month: customer_gaps; 0 = complete).
create or replace macro subtree_customers(org, scope, month_from, month_to, age_group := null) as table
with members as (
    select branch_code from branches
    where (org is null or branch_code in (select branch_code from branch_tree where ancestor_code = org))
      and (scope is null or branch_code in (select branch_code from branch_tree where ancestor_code = scope))
),
gaps as (
    select month, count(*) as branches_without_base
    from customer_gaps(month_from, month_to)
    where branch_code in (select branch_code from members)
    group by month
)
select cm.month,
       case when any_value(gaps.branches_without_base) is null
            then group_customers(cm.customer_count, cm.elderly_customer_count, age_group) end as customers,
       coalesce(any_value(gaps.branches_without_base), 0) as branches_without_base
from customers_monthly cm
left join gaps using (month)
where cm.month between month_from and month_to
  and cm.branch_code in (select branch_code from members)
group by cm.month
