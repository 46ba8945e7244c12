-- snapshot_as_of: the data's as-of time (contract 6), fixed when the snapshot was written.
select as_of from snapshot_meta
