-- data_quarantine: quarantined rows (original values as a JSON record) with their reasons.
select imported_at, file_name, table_name, source_row, reason, record
from quarantine
order by imported_at desc, file_name, source_row
