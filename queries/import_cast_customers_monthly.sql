-- import_cast_customers_monthly: an extract's validated customer-base rows in the stored column types.
-- Table: extract_rows. month arrives as 'YYYY-MM' and is stored as the month's first day.
select
    branch_code::varchar                     as branch_code,
    strptime(month, '%Y-%m')::date           as month,
    customer_count::bigint                   as customer_count,
    elderly_customer_count::bigint           as elderly_customer_count   -- contract section 7, optional
from extract_rows
