-- import_classify_complaints: what an extract's clean rows would do to the stored complaints.
-- Tables: stored, incoming. Returns one row: inserted, updated, unchanged, skipped_older.
-- extracted_at alone does not make a row "updated": re-importing the same content changes nothing.
with compared as (
    select
        stored.complaint_id is null as is_new,
        incoming.extracted_at < stored.extracted_at as is_older,
        (incoming.received_at, incoming.closed_at, incoming.branch_code, incoming.channel,
         incoming.business_category, incoming.reason, incoming.product, incoming.customer_id,
         incoming.customer_age, incoming.amount, incoming.content, incoming.status, incoming.result,
         incoming.satisfaction, incoming.regulator_referred, incoming.root_cause)
        is distinct from
        (stored.received_at, stored.closed_at, stored.branch_code, stored.channel,
         stored.business_category, stored.reason, stored.product, stored.customer_id,
         stored.customer_age, stored.amount, stored.content, stored.status, stored.result,
         stored.satisfaction, stored.regulator_referred, stored.root_cause) as is_changed
    from incoming
    left join stored using (complaint_id)
)
select
    count(*) filter (where is_new)                                             as inserted,
    count(*) filter (where not is_new and coalesce(not is_older, true) and is_changed)     as updated,
    count(*) filter (where not is_new and coalesce(not is_older, true) and not is_changed) as unchanged,
    count(*) filter (where not is_new and is_older)                             as skipped_older
from compared
