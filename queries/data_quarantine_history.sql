-- data_quarantine_history: every quarantined row ever kept, with when a later reading superseded it.
select imported_at, superseded_at, file_name, table_name, record_key, source_row, reason, record
from quarantine
order by record_key, imported_at desc, file_name, source_row
