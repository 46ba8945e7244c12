-- open_seen_earlier: the open complaints in the user's scope ($org's subtree inside $scope; every month, no
-- other filter) last seen more than one day before the data's as-of time: their organisations' latest extract
-- is older than another's (a branch loaded weekly beside one loaded monthly, hostile H201), so whether they
-- are overdue is judged at the time they were last seen (queries/macro_open_age.sql), which the pages say.
-- Params: $org, $scope. Returns one row: complaints (count), first_seen, last_seen (the earliest and the
-- latest of their seen times; NULL when there are none).
with seen as (
    select last_seen_at(received_at, open_days) as seen_at
    from filtered_complaints(date '1900-01-01', date '2999-12-01', $org, $scope, null, null, null, null)
    where open_days is not null
)
select count(*)::bigint as complaints, min(seen_at) as first_seen, max(seen_at) as last_seen
from seen
where seen_at < (select as_of from snapshot_meta) - interval 1 day
