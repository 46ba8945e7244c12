-- macro_last_seen: last_seen_at(received_at, open_days): when an open complaint was last seen in an extract
-- (its seen_at: open_days is counted to it at import, queries/import_derive_complaints.sql); NULL once closed.
-- Read from open_days rather than the stored seen_at so that a store written before seen_at was kept (whose
-- open_days run to its as-of time) answers the same without a rebuild.
create or replace macro last_seen_at(received_at, open_days) as
    received_at + to_microseconds(round(open_days * 86400e6)::bigint)
