-- similar_available: whether the snapshot has the similar-group tables (a snapshot imported with the
-- narrative analysis deferred, or written before the feature, has none). Columns: available (boolean).
select count(*) > 0 as available
from information_schema.tables
where table_name = 'similar_groups'
