-- data_imports: the import log, newest first (file_row_number: the log's own order, for imports within
-- one second).
select imported_at, user_name, file_name, table_name, rows_read, inserted, updated, unchanged,
       skipped_older, quarantined, sha256
from imports
order by imported_at desc, file_row_number desc
