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
with per_month as (
    -- from complaint_cube: complaint counts per month and filtered value
    select branch_code, business_category, reason, month, sum(complaints)::bigint as complaints
    from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope,
                       $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
    group by all
),
recurring as (
    select branch_code, business_category, reason,
           count(*) as months_present,
           sum(complaints) as complaints,
           coalesce(sum(complaints) filter (where month = $month_to::date), 0) as last_month_complaints
    from per_month
    group by all
    having count(*) >= $min_months
),
ranked as (
    select *, count(*) over () as issues
    from recurring
    order by months_present desc, complaints desc, branch_code, business_category, reason
    limit $limit
),
months as (
    select unnest(generate_series($month_from::date, $month_to::date, interval 1 month))::date as month
),
history as (
    select r.branch_code, r.business_category, r.reason,
           list(coalesce(p.complaints, 0) order by m.month) as history
    from ranked r
    cross join months m
    left join per_month p
           on p.branch_code = r.branch_code and p.business_category = r.business_category
          and p.reason = r.reason and p.month = m.month
    group by all
)
select r.branch_code, b.branch_name, b.level, r.business_category, r.reason, r.months_present,
       r.complaints, r.last_month_complaints, h.history, r.issues
from ranked r
join history h using (branch_code, business_category, reason)
left join branches b using (branch_code)
order by r.months_present desc, r.complaints desc, r.branch_code, r.business_category, r.reason
