-- import_merge_complaints: the stored complaints with one extract's clean rows upserted by complaint_id.
-- Tables: stored, incoming (both with the contract's complaint columns).
-- The incoming row wins unless both rows carry extracted_at and the stored one is newer.
with winners as (
    select incoming.*
    from incoming
    left join stored using (complaint_id)
    where stored.complaint_id is null
       or incoming.extracted_at is null
       or stored.extracted_at is null
       or incoming.extracted_at >= stored.extracted_at
)
select * from stored
where complaint_id not in (select complaint_id from winners)
union all by name
select * from winners
