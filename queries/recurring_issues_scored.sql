-- recurring_issues_scored: every recurring issue (contract 6: a (branch_code, business_category, reason) with
-- complaints in at least $min_months of the months $month_from .. $month_to) with what the branch's size and
-- the bank's mix predict for it, for the ranking in dashboard/analysis/recurring.py (ranked()).
-- Expected count (independence of the margins over the window, under the same filters):
--   expected = branch's complaints (any category, any reason) x the bank's complaints in the category and
--              reason / the bank's complaints
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred) and $min_months (months with at least one complaint needed, contract default 3),
--         $recent_from (first month of the window's recent half, for "rising").
-- Columns: branch_code, branch_name, level, business_category, reason, months_present, complaints,
--   last_month_complaints (in $month_to), recent_complaints (months >= $recent_from),
--   earlier_complaints (months < $recent_from), expected, branch_complaints,
--   history (complaints per month of the window, oldest first, zeros included).
-- Order: branch_code, business_category, reason (the ranking is done in Python). The rule and the
-- expected count: the table macro recurring_of (queries/macro_recurring.sql).
select *
from recurring_of($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                  $min_months, $recent_from, basis := $basis, age_group := $age_group)
order by branch_code, business_category, reason
