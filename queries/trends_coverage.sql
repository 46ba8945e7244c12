-- trends_coverage: which months the loaded data covers inside the user's scope, whatever the other
-- filters: a month before first_month has no data (环比/同比 against it cannot be computed), while a
-- month inside the span without complaints is a true zero.
-- Read from complaint_cube (a row per month and organisation with complaints, among other values).
-- Params: $scope (the signed-in user's organisation; NULL = whole bank).
-- Returns one row: first_month, last_month (NULL when nothing is loaded), months (distinct months).
select
    min(month)            as first_month,
    max(month)            as last_month,
    count(distinct month) as months
from filtered_rows('complaint_cube', date '1900-01-01', date '2999-12-01', null, $scope, null, null, null, null)
