-- import_stored_case_variants: an extract's complaint numbers (table file_ids: complaint_id) that differ only
-- in upper / lower case from a number the store holds (C001 in the file, c001 stored). Numbers are compared
-- as written (two complaints), and the import summary warns with each pair (hostile H123).
-- Returns: complaint_id (the file's), stored_id (the store's), one row per pair.
select f.complaint_id, s.complaint_id as stored_id
from file_ids f
join stored_complaints s on lower(s.complaint_id) = lower(f.complaint_id) and s.complaint_id <> f.complaint_id
order by f.complaint_id, s.complaint_id
