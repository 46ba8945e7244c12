-- data_imports: the import log, newest first (file_row_number: the log's own order, for imports within
-- one second). warnings: the import summary's warnings of that file, one a line (a log written before
-- the column existed reads as NULL: the empty relation supplies the column by name).
select imported_at, user_name, file_name, table_name, rows_read, inserted, updated, unchanged,
       skipped_older, quarantined, warnings, sha256
from (
    select * from imports
    union all by name
    select null::varchar as warnings where false
)
order by imported_at desc, file_row_number desc
