-- import_merge_customers_monthly: stored customer bases with an extract's rows upserted by
-- (branch_code, month). Tables: stored, incoming.
select stored.* from stored
anti join incoming using (branch_code, month)
union all by name
select * from incoming
