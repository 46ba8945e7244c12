-- import_classify_customers_monthly: what each of an extract's customer-base rows would do to the stored
-- ones. Tables: stored, incoming. One row per incoming row: branch_code, month, outcome (inserted,
-- updated, unchanged). An empty elderly_customer_count (contract section 7, optional) keeps the stored value.
select
    incoming.branch_code,
    incoming.month,
    case
        when stored.branch_code is null then 'inserted'
        when (incoming.customer_count, coalesce(incoming.elderly_customer_count, stored.elderly_customer_count))
             is distinct from (stored.customer_count, stored.elderly_customer_count) then 'updated'
        else 'unchanged'
    end as outcome
from incoming
left join stored using (branch_code, month)
