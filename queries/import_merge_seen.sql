-- import_merge_seen: the stored seen_at of every complaint with one extract's moves applied.
-- Tables: stored_seen (complaint_id, seen_at), seen_moves (queries/import_seen_moves.sql).
select complaint_id, coalesce(m.seen_at, s.seen_at) as seen_at
from stored_seen s
full outer join seen_moves m using (complaint_id)
