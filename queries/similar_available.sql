-- similar_available: whether the snapshot has the similar-group tables (a snapshot imported with the
-- narrative analysis deferred, or written before the feature or before the members' narratives were stored
-- beside them, has not: `python -m dashboard rebuild` computes them). Columns: available (boolean).
select count(*) > 0 as available
from information_schema.columns
where table_name = 'similar_groups' and column_name = 'content'
