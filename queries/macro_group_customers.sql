-- macro_group_customers: scalar (aggregate) macro group_customers(customer_count, elderly_customer_count,
-- age_group): the customer base of the customer group (hostile finding H45: elderly complaints were divided by
-- all customers) summed over customers_monthly rows: NULL or 'all' = customer_count; 'elderly' =
-- elderly_customer_count (contract 7); 'non_elderly' = customer_count - elderly_customer_count. NULL when a row
-- lacks the elderly count a group needs (a partial base would overstate the rate), so the rate shows —.
-- The denominator of every per-10,000 rate that follows the sidebar's customer group.
create or replace macro group_customers(customer_count, elderly_customer_count, age_group) as
    case when age_group is null or age_group = 'all' then sum(customer_count)
         when count(*) > count(elderly_customer_count) then null
         when age_group = 'elderly' then sum(elderly_customer_count)
         else sum(customer_count - elderly_customer_count)
    end
