-- similar_available: whether the snapshot has the similar-group table with every column the pages read (a
-- snapshot imported with the narrative analysis deferred, or written before the feature or before the
-- members' columns were stored beside them, has not: `python -m dashboard rebuild` computes them).
-- Params: $columns VARCHAR[], the columns needed (dashboard/derived/similar_index.py: MEMBER_COLUMNS).
-- Returns: available (boolean).
select count(distinct column_name) = len($columns::varchar[]) as available   -- a view and its resident table both list them
from information_schema.columns
where table_name = 'similar_groups' and list_contains($columns::varchar[], column_name)
