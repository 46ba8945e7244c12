-- snapshot_tables: the tables and views of a snapshot's read connection (dashboard/db.py tables): what the
-- snapshot offers. A derived table an import deferred is absent until `python -m dashboard rebuild`.
-- No parameters.
-- Returns: name.
select view_name as name from duckdb_views() where not internal and database_name = current_database()
union
select table_name from duckdb_tables() where database_name = current_database()
