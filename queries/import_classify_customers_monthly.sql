-- import_classify_customers_monthly: what an extract's customer-base rows would do to the stored ones.
-- Tables: stored, incoming. Returns one row: inserted, updated, unchanged, skipped_older.
select
    count(*) filter (where stored.branch_code is null)                                  as inserted,
    count(*) filter (where stored.branch_code is not null
                       and incoming.customer_count is distinct from stored.customer_count) as updated,
    count(*) filter (where stored.branch_code is not null
                       and incoming.customer_count = stored.customer_count)              as unchanged,
    0                                                                                    as skipped_older
from incoming
left join stored using (branch_code, month)
