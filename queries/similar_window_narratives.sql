-- similar_window_narratives: the narratives one similarity window compares: complaints received from
-- $window_start (inclusive) to $window_end (exclusive). Import time only. Table: complaints.
-- Params: $window_start, $window_end (timestamps).
-- Columns: complaint_id, customer_id, received_at, content (raw; never shown).
select complaint_id, customer_id, received_at, content
from complaints
where received_at >= $window_start::timestamp and received_at < $window_end::timestamp
order by complaint_id
