-- import_merge_branches: stored organisations with an extract's rows upserted by branch_code.
-- Tables: stored, incoming.
select * from stored where branch_code not in (select branch_code from incoming)
union all by name
select * from incoming
