-- data_coverage: per loaded month, complaints received and whether a customer base is loaded.
with complaint_months as (
    select month, count(*) as complaints, count(*) filter (where closed_at is null) as open
    from complaints
    group by month
),
customer_months as (
    select month, count(*) as organisations, sum(customer_count) as customers
    from customers_monthly
    group by month
)
select month, coalesce(c.complaints, 0) as complaints, coalesce(c.open, 0) as open,
       coalesce(m.organisations, 0) as organisations_with_customers, m.customers
from complaint_months c
full join customer_months m using (month)
order by month
