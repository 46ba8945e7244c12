-- import_merge_branches: stored organisations with an extract's rows upserted by branch_code.
-- Tables: stored, incoming. An empty is_outlet (contract section 7, optional) keeps the stored value.
select * from stored where branch_code not in (select branch_code from incoming)
union all by name
select incoming.* replace (coalesce(incoming.is_outlet, stored.is_outlet) as is_outlet)
from incoming
left join stored using (branch_code)
