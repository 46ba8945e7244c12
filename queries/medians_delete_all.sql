-- medians_delete_all: empties the published medians before the edited table is written back (one transaction (SQLite)
-- with medians_insert). No parameters.
delete from regulator_medians
