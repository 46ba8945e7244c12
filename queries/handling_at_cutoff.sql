-- handling_at_cutoff: one month's handling figures as they stood at a cut-off time, so that a young month
-- can be compared with an older one at the same age (the as-of lag after month-end; contract 6 rules with
-- the cut-off in place of the as-of time).
-- Params: the global filter set ($month_from = $month_to = the month; $org, $scope, $categories, $reasons,
--         $channels, $referred, $basis, $age_group), $cutoff (TIMESTAMP: month-end + the as-of lag). Each
--         complaint is held to its own granted deadline (granted_days, contract 7), as everywhere.
-- Returns one row:
--   complaints         complaints of the month received by $cutoff
--   closed, on_time    closed by $cutoff; those closed within their granted_days of receipt
--   open               not closed by $cutoff
--   open_overdue       not closed by $cutoff and $cutoff is past the deadline; a complaint still open in the
--                      data is judged at least($cutoff, the time it was last seen) (queries/macro_open_age.sql)
--   young              received less than their granted_days before that time (their outcome is not yet known)
--   on_time_rate       on_time / (closed + open_overdue)
--   avg_handling_days  mean of closed_at - received_at over those closed by $cutoff, in days
with month_rows as (
    select
        received_at,
        case when closed_at <= $cutoff::timestamp then epoch(closed_at - received_at) / 86400.0 end as handling_days,
        open_age_at(received_at, open_days, $cutoff) as age_days,   -- still open: to least(cutoff, seen_at)
        granted_days
    from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                             basis := $basis, age_group := $age_group)
    where received_at <= $cutoff::timestamp
),
counted as (
    select
        count(*)::bigint                                                           as complaints,
        count(handling_days)::bigint                                               as closed,
        count(*) filter (where handling_days <= granted_days)::bigint            as on_time,
        count(*) filter (where handling_days is null)::bigint                      as open,
        count(*) filter (where handling_days is null and age_days > granted_days)::bigint as open_overdue,
        count(*) filter (where age_days < granted_days)::bigint                  as young,
        avg(handling_days)                                                         as avg_handling_days
    from month_rows
)
select
    complaints, closed, on_time, open, open_overdue, young,
    on_time_rate_of(on_time, closed, open_overdue) as on_time_rate,
    avg_handling_days
from counted
