-- import_classify_complaints: what each of an extract's clean rows would do to the stored complaints.
-- Tables: stored, incoming. One row per incoming row: complaint_id, outcome (inserted, updated,
-- unchanged, older_extracted, older_status).
-- extracted_at alone does not make a row "updated": re-importing the same content changes nothing.
-- A row is older when both rows carry extracted_at and the stored one is later; when either lacks it,
-- when the row would move the complaint's status backwards (已办结 -> 处理中 -> 已受理): a re-sent old
-- extract must not reopen what a later one closed.
with compared as (
    select
        incoming.complaint_id,
        stored.complaint_id is null as is_new,
        incoming.extracted_at < stored.extracted_at as is_older_extract,
        (incoming.extracted_at is null or stored.extracted_at is null)
        and (case incoming.status when '已受理' then 1 when '处理中' then 2 when '已办结' then 3 end)
          < (case stored.status when '已受理' then 1 when '处理中' then 2 when '已办结' then 3 end)
            as is_status_regress,
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
    complaint_id,
    case
        when is_new then 'inserted'
        when is_older_extract then 'older_extracted'
        when is_status_regress then 'older_status'
        when is_changed then 'updated'
        else 'unchanged'
    end as outcome
from compared
