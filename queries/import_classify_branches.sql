-- import_classify_branches: what an extract's organisation rows would do to the stored ones.
-- Tables: stored, incoming. Returns one row: inserted, updated, unchanged, skipped_older.
with compared as (
    select
        stored.branch_code is null as is_new,
        (incoming.branch_name, incoming.parent_code, incoming.level, incoming.province, incoming.city)
        is distinct from
        (stored.branch_name, stored.parent_code, stored.level, stored.province, stored.city) as is_changed
    from incoming
    left join stored using (branch_code)
)
select
    count(*) filter (where is_new)                        as inserted,
    count(*) filter (where not is_new and is_changed)     as updated,
    count(*) filter (where not is_new and not is_changed) as unchanged,
    0                                                     as skipped_older
from compared
