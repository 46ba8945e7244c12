-- terms_columns: the columns of the derived table complaint_terms in this snapshot's connection (none
-- when the snapshot was written before the table existed). No parameters. Returns: column_name.
select column_name
from information_schema.columns
where table_name = 'complaint_terms'
