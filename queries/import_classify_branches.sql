-- import_classify_branches: what each of an extract's organisation rows would do to the stored ones.
-- Tables: stored, incoming. One row per incoming row: branch_code, outcome (inserted, updated, unchanged).
-- An empty is_outlet (contract section 7, optional) keeps the stored value: no change.
select
    incoming.branch_code,
    case
        when stored.branch_code is null then 'inserted'
        when (incoming.branch_name, incoming.parent_code, incoming.level, incoming.province, incoming.city,
              coalesce(incoming.is_outlet, stored.is_outlet))
             is distinct from
             (stored.branch_name, stored.parent_code, stored.level, stored.province, stored.city,
              stored.is_outlet) then 'updated'
        else 'unchanged'
    end as outcome
from incoming
left join stored using (branch_code)
