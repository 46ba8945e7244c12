-- trends_reporting_outlets: how many organisations had complaints in each month, under the global filter set:
-- a month in which far fewer did than the month before is likely a partial extract (one system's or one
-- branch's file), not a fall (hostile H192; the rule: dashboard/analysis/completeness.py).
-- Read from complaint_cube (a row per month and organisation with complaints, among other values).
-- Params: the global filter set ($month_from .. $month_to: the months to count).
-- Returns one row per month with complaints: month, outlets (distinct branch_code with at least one complaint).
select
    month,
    count(distinct branch_code)::bigint as outlets
from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
                   $referred, basis := $basis, age_group := $age_group)
group by month
order by month
