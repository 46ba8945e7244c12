-- surges_data_start: the first month with any complaint the user may see (the data's start within the
-- $scope subtree). A surge's baseline needs the 6 months before its month to lie inside the data;
-- months before the start are unknown, not zero.
-- Read from complaint_cube (a row per month and organisation with complaints, among other values).
-- Params: $scope.
select min(month) as first_month
from filtered_rows('complaint_cube', date '1900-01-01', date '2999-12-01', null, $scope, null, null, null, null)
