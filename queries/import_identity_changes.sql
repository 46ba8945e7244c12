-- import_identity_changes: the complaints an extract updates (tables incoming, stored, classified) whose 客户号
-- or 受理时间 change: a ticket's identity, not its progress (another system's numbering, an id reused after a
-- migration), named in the summary (hostile H162). Each with which of the two changed. A receipt time that
-- differs only within its minute is no identity change (a file re-saved in Excel keeps 09:01 of 09:01:37,
-- hostile H178): seconds_only says so, and the summary counts those apart.
select
    i.complaint_id,
    i.customer_id is distinct from s.customer_id as customer_changed,
    date_trunc('minute', i.received_at) is distinct from date_trunc('minute', s.received_at) as received_changed,
    i.received_at is distinct from s.received_at
        and date_trunc('minute', i.received_at) = date_trunc('minute', s.received_at) as seconds_only
from incoming i
join stored s using (complaint_id)
join classified c using (complaint_id)
where c.outcome = 'updated'
    and (i.customer_id is distinct from s.customer_id or i.received_at is distinct from s.received_at)
order by i.complaint_id
