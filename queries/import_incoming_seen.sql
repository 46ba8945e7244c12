-- import_incoming_seen: when each of an extract's clean rows was seen (seen_at): the row's extracted_at
-- when it has one, else the file's own as-of time (contract 6's rule over this file alone: its latest
-- received_at or closed_at). What is known about a complaint is as of the extract that last carried it:
-- a branch's newer file must not make another branch's complaints, last seen in an older file, open
-- until the newer file's time (hostile H201). Read before import_keep_absent_complaints fills absent
-- columns from the stored rows, so the file's time is the file's alone.
-- Table: incoming (import_cast_complaints). Returns: complaint_id, seen_at.
with file_as_of as (
    select greatest(max(received_at), max(closed_at)) as as_of from incoming
)
select complaint_id, coalesce(extracted_at, file_as_of.as_of) as seen_at
from incoming
cross join file_as_of
