-- medians_list: every stored published median (queries/medians_create.sql), newest quarter first. (SQLite)
-- No parameters. Returns: quarter, peer_group, median_per_10m, median_per_1k_outlets, updated_at, updated_by.
select quarter, peer_group, median_per_10m, median_per_1k_outlets, updated_at, updated_by
from regulator_medians
order by quarter desc, peer_group
