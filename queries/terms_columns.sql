-- terms_columns: the columns of the hot-term derived tables (complaint_terms, term_postings,
-- term_month_docs) in this
-- snapshot's connection (none for a table the snapshot was written without). No parameters.
-- Returns: table_name, column_name.
select table_name, column_name
from duckdb_columns()
where table_name in ('complaint_terms', 'term_postings', 'term_month_docs')
