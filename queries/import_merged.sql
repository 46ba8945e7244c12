-- import_merged: the stored complaints (contract columns) with the time each was last seen (seen_at,
-- queries/import_seen_moves.sql), what import_derive_complaints reads as `merged`.
-- Tables: stored_complaints, stored_seen.
select c.*, s.seen_at
from stored_complaints c
left join stored_seen s using (complaint_id)
