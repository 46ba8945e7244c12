-- medians_insert: one published median (queries/medians_create.sql). Params: $quarter, $peer_group, (SQLite)
-- $median_per_10m, $median_per_1k_outlets, $updated_at, $updated_by.
insert into regulator_medians (quarter, peer_group, median_per_10m, median_per_1k_outlets, updated_at, updated_by)
values ($quarter, $peer_group, $median_per_10m, $median_per_1k_outlets, $updated_at, $updated_by)
