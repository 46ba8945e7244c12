-- import_merge_complaints: the stored complaints with one extract's clean rows upserted by complaint_id.
-- Tables: stored, incoming (both with the contract's complaint columns), classified (the outcome of
-- each incoming row, import_classify_complaints): only inserted and updated rows are written.
-- An incoming row without extracted_at keeps the stored one (a missing value never erases a known one),
-- and so do the optional columns of contract section 7 (deadline_days, referral_source, redress_amount).
with winners as (
    select incoming.* replace (
        coalesce(incoming.extracted_at, stored.extracted_at) as extracted_at,
        coalesce(incoming.deadline_days, stored.deadline_days) as deadline_days,
        coalesce(incoming.referral_source, stored.referral_source) as referral_source,
        coalesce(incoming.redress_amount, stored.redress_amount) as redress_amount)
    from incoming
    join classified using (complaint_id)
    left join stored using (complaint_id)
    where classified.outcome in ('inserted', 'updated')
)
select * from stored
where complaint_id not in (select complaint_id from winners)
union all by name
select * from winners
