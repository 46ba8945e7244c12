-- import_stored_ids: which of some ids (table candidate_ids: column_name 'complaint_id' or 'customer_id', id)
-- the store holds as they are (import_lost_zero_ids' candidates: an id stored as is is no lost zero).
select distinct c.column_name, c.id
from candidate_ids c
join stored_complaints s on s.complaint_id = c.id
where c.column_name = 'complaint_id'
union all
select distinct c.column_name, c.id
from candidate_ids c
join stored_complaints s on s.customer_id = c.id
where c.column_name = 'customer_id'
