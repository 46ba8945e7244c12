-- recurring_issues: recurring issues (反复出现的问题, contract 6): each (branch_code, business_category,
-- reason) with complaints in at least $min_months of the months $month_from .. $month_to (the last N months
-- ending at the report month; the caller sets $month_from = $month_to - (N - 1) months).
-- Organisation = the complained-about branch_code itself (支行 mostly), not its subtree.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred) and
--   $min_months  months with at least one complaint needed (contract default 3)
--   $limit       how many issues to return
-- Columns: branch_code, branch_name, level, business_category, reason,
--   months_present  months of the window with at least one complaint in the slice
--   complaints      complaints in the slice over the window
--   last_month_complaints  complaints in $month_to
--   history         complaints per month of the window, oldest first (zeros included)
--   issues          how many slices meet the rule (the same on every row; the list may be cut by $limit)
-- Ranked by months_present, then complaints (descending), then branch_code, business_category, reason.
-- The rule: the table macro recurring_of (queries/macro_recurring.sql), as recurring_issues_scored.
with ranked as (
    select *, count(*) over () as issues
    from recurring_of($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                      $min_months, $month_to, basis := $basis, age_group := $age_group)
    order by months_present desc, complaints desc, branch_code, business_category, reason
    limit $limit
)
select branch_code, branch_name, level, business_category, reason, months_present,
       complaints, last_month_complaints, history, issues
from ranked
order by months_present desc, complaints desc, branch_code, business_category, reason
