-- data_quarantine: each quarantined record's latest outcome (rows not superseded by a later reading of
-- the same record or file), original values as a JSON record, with the reasons. The same row read again
-- (the same extract imported again under another file name) is listed once, from its latest import
-- (hostile H255); the history (data_quarantine_history) keeps both imports.
select imported_at, file_name, table_name, source_row, reason, record
from quarantine
where superseded_at is null
qualify row_number() over (
    partition by table_name, record_key, source_row, reason, record
    order by imported_at desc, file_name desc
) = 1
order by imported_at desc, file_name, source_row
