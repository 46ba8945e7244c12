-- data_quarantine: each quarantined record's latest outcome (rows not superseded by a later reading of
-- the same record or file), original values as a JSON record, with the reasons.
select imported_at, file_name, table_name, source_row, reason, record
from quarantine
where superseded_at is null
order by imported_at desc, file_name, source_row
