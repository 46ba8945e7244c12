-- import_seen_moves: the seen_at (queries/import_incoming_seen.sql) each complaint takes from one extract:
-- every row the file carries that is stored now, as it is (inserted, updated) or as it was (unchanged: a row
-- sent again unchanged was seen again), moves its seen_at forward, never back (greatest). Rows kept out
-- (quarantined, or older than the stored row: older_*) say nothing new about the complaint and leave it.
-- Only rows whose seen_at changes are returned.
-- Tables: incoming_seen, classified (import_classify_complaints), stored_seen (complaint_id, seen_at).
-- Returns: complaint_id, seen_at.
select i.complaint_id, greatest(s.seen_at, i.seen_at) as seen_at
from incoming_seen i
join classified c using (complaint_id)
left join stored_seen s using (complaint_id)
where c.outcome in ('inserted', 'updated', 'unchanged')
  and greatest(s.seen_at, i.seen_at) is distinct from s.seen_at
