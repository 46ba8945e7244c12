-- outcomes_breakdown: outcomes, redress and elderly customers per business category and per tier-1 branch
-- over the period (issue 19), from complaint_cube, for the trends page and the briefing.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred, $basis, $age_group).
-- Returns one row per (dimension, value):
--   dimension    'business_category' | 'tier1_branch'
--   value, label the category; or the tier-1 branch's code and name (NULL: under no tier-1 branch)
--   complaints, resolved, with_result, resolution_rate (resolution_rate_of), satisfied, surveyed,
--   satisfaction_rate (satisfaction_rate_of), amount_total, redress_total (yuan), redressed,
--   elderly, age_unknown, elderly_share (elderly_share_of: complaints without an age in the denominator)
with filtered as (
    select * from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope,
                                $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
),
labelled as (
    select f.*, t.tier1_code, t.tier1_name
    from filtered f
    left join tier1_branches() t using (branch_code)  -- queries/macro_tier1.sql
),
grouped as (
    select
        if(grouping(business_category) = 0, 'business_category', 'tier1_branch') as dimension,
        if(grouping(business_category) = 0, business_category, tier1_code) as value,
        if(grouping(business_category) = 0, business_category, tier1_name) as label,
        sum(complaints)::bigint  as complaints,
        sum(resolved)::bigint    as resolved,
        sum(with_result)::bigint as with_result,
        sum(satisfied)::bigint   as satisfied,
        sum(surveyed)::bigint    as surveyed,
        coalesce(sum(amount_total), 0) as amount_total,
        coalesce(sum(redress_total), 0) as redress_total,
        sum(redressed)::bigint   as redressed,
        coalesce(sum(complaints) filter (where is_elderly), 0)::bigint as elderly,
        coalesce(sum(complaints) filter (where is_elderly is null), 0)::bigint as age_unknown
    from labelled
    group by grouping sets ((business_category), (tier1_code, tier1_name))
)
select
    dimension, value, label, complaints, resolved, with_result,
    resolution_rate_of(resolved, with_result) as resolution_rate,
    satisfied, surveyed, satisfaction_rate_of(satisfied, surveyed) as satisfaction_rate,
    amount_total, redress_total, redressed,
    elderly, age_unknown, elderly_share_of(elderly, complaints, age_unknown) as elderly_share
from grouped
order by dimension, complaints desc, value
