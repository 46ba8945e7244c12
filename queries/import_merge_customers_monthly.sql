-- import_merge_customers_monthly: stored customer bases with an extract's rows upserted by
-- (branch_code, month). Tables: stored, incoming. An empty elderly_customer_count (contract section 7,
-- optional) keeps the stored value.
select stored.* from stored
anti join incoming using (branch_code, month)
union all by name
select incoming.* replace (
    coalesce(incoming.elderly_customer_count, stored.elderly_customer_count) as elderly_customer_count)
from incoming
left join stored using (branch_code, month)
