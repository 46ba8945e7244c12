-- trends_data_start: when the loaded data starts inside the user's scope. A first month that starts days after
-- its first day (a bank's go-live, an export of "the last 12 months" from a mid-month date) is part of a month:
-- nothing is compared with it (hostile H211; dashboard/analysis/trends.py Coverage.partial_first, which also asks
-- whether the days missing would have held complaints, judged by the month after).
-- Params: $scope (the signed-in user's organisation; NULL = whole bank).
-- Returns one row: first_received (NULL when nothing is loaded), next_month_complaints (complaints received in
-- the calendar month after the first one).
with scoped as (
    select received_at
    from complaints c
    where ($scope is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
),
start as (
    select min(received_at) as first_received from scoped
)
select
    first_received,
    (select count(*) from scoped
     where received_at >= date_trunc('month', first_received) + interval 1 month
       and received_at < date_trunc('month', first_received) + interval 2 month)::bigint as next_month_complaints
from start
