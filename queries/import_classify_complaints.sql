-- import_classify_complaints: what each of an extract's clean rows would do to the stored complaints.
-- Tables: stored, incoming, stored_row_versions (every row version ever imported, per complaint),
-- incoming_versions (import_row_versions of incoming). Parameter: force (re-apply known old versions).
-- One row per incoming row: complaint_id, outcome (inserted, updated, unchanged, older_extracted, older_unordered,
-- older_status, older_version).
-- extracted_at alone does not make a row "updated": re-importing the same content changes nothing.
-- A row is older when both rows carry extracted_at and the stored one is later; a changed row without
-- extracted_at does not replace a stored row that has one (older_unordered, unless $force: nothing says
-- which is newer, and the row would claim the stored time: hostile H116, an old extract re-sent without
-- the column turned a referred complaint into one not referred); when the stored row lacks it too,
-- when the row would move the complaint's status backwards (已办结 -> 处理中 -> 已受理): a re-sent old
-- extract must not reopen what a later one closed. A changed row identical to a version imported before
-- (not the current one) is an older extract come back, perhaps re-saved in another format: older_version.
-- An extract re-saved in Excel loses its seconds (09:15 for 09:15:37, hostile H193): a row whose times are all
-- whole minutes is compared with the stored times cut to the minute (seconds lost are no change: unchanged, the
-- stored seconds kept) and matches a version imported before by its minute_hash (older_version), so an old
-- extract re-saved does not overwrite a newer outcome. A row with seconds is compared exactly (hostile H178).
-- The optional columns of contract section 7 (deadline_days, referral_source, redress_amount) keep the
-- stored value when the incoming row leaves them empty (an extract without them imports as before), so an
-- empty one is no change.
with compared as (
    select
        incoming.complaint_id,
        stored.complaint_id is null as is_new,
        incoming.extracted_at < stored.extracted_at as is_older_extract,
        not $force and incoming.extracted_at is null and stored.extracted_at is not null as is_unordered,
        (incoming.extracted_at is null or stored.extracted_at is null)
        and (case incoming.status when '已受理' then 1 when '处理中' then 2 when '已办结' then 3 end)
          < (case stored.status when '已受理' then 1 when '处理中' then 2 when '已办结' then 3 end)
            as is_status_regress,
        not $force and exists (
            select 1 from stored_row_versions v
            where v.complaint_id = incoming.complaint_id
              and (v.row_hash = incoming_versions.row_hash
                   or (is_whole_minutes and v.minute_hash = incoming_versions.minute_hash))
        ) as is_known_version,
        (incoming.received_at, incoming.closed_at, incoming.branch_code, incoming.channel,
         incoming.business_category, incoming.reason, incoming.product, incoming.customer_id,
         incoming.customer_age, incoming.amount, incoming.content, incoming.status, incoming.result,
         incoming.satisfaction, incoming.regulator_referred, incoming.root_cause,
         coalesce(incoming.deadline_days, stored.deadline_days),
         coalesce(incoming.referral_source, stored.referral_source),
         coalesce(incoming.redress_amount, stored.redress_amount))
        is distinct from
        (case when is_whole_minutes then date_trunc('minute', stored.received_at) else stored.received_at end,
         case when is_whole_minutes then date_trunc('minute', stored.closed_at) else stored.closed_at end,
         stored.branch_code, stored.channel,
         stored.business_category, stored.reason, stored.product, stored.customer_id,
         stored.customer_age, stored.amount, stored.content, stored.status, stored.result,
         stored.satisfaction, stored.regulator_referred, stored.root_cause,
         stored.deadline_days, stored.referral_source, stored.redress_amount) as is_changed
    from incoming
    join incoming_versions using (complaint_id)
    left join stored using (complaint_id)
    cross join lateral (
        select date_trunc('minute', incoming.received_at) = incoming.received_at
               and (incoming.closed_at is null or date_trunc('minute', incoming.closed_at) = incoming.closed_at)
               as is_whole_minutes
    )
)
select
    complaint_id,
    case
        when is_new then 'inserted'
        when is_older_extract then 'older_extracted'
        when is_changed and is_unordered then 'older_unordered'
        when is_status_regress then 'older_status'
        when is_changed and is_known_version then 'older_version'
        when is_changed then 'updated'
        else 'unchanged'
    end as outcome
from compared
