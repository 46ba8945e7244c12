-- import_identity_changes: the complaints an extract updates (tables incoming, stored, classified) whose 客户号
-- or 受理时间 change: a ticket's identity, not its progress (another system's numbering, an id reused after a
-- migration), named in the summary (hostile H162). Each with which of the two changed.
select
    i.complaint_id,
    i.customer_id is distinct from s.customer_id as customer_changed,
    i.received_at is distinct from s.received_at as received_changed
from incoming i
join stored s using (complaint_id)
join classified c using (complaint_id)
where c.outcome = 'updated'
    and (i.customer_id is distinct from s.customer_id or i.received_at is distinct from s.received_at)
order by i.complaint_id
