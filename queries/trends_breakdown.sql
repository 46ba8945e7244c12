-- trends_breakdown: complaints per month and slice, for four dimensions at once (one scan, grouping sets),
-- feeding the trend breakdown chart and the month-over-month decomposition ("what moved").
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred); the page passes the 24-month trend window as $month_from .. $month_to.
-- Returns one row per (month, dimension, value) with complaints > 0:
--   month        first day of the receipt month
--   dimension    'business_category' | 'reason' | 'channel' | 'tier1_branch'
--   value        the category / reason / channel, or the tier-1 branch (一级分行) code; for tier1_branch
--                NULL when the complained-about organisation lies under no tier-1 branch (the head
--                office itself), so that every complaint falls in exactly one slice of each dimension
--   label        display name: the value itself, or the tier-1 branch's name (NULL with a NULL value)
--   complaints   distinct complaints (complaint_id is unique after upserts)
with filtered as (
    -- complaint counts per month and filtered value (derived table complaint_cube)
    select month, business_category, reason, channel, branch_code, complaints
    from filtered_rows('complaint_cube', $month_from, $month_to, $org, $scope,
                       $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
),
labelled as (
    select f.month, f.business_category, f.reason, f.channel, t.tier1_code, t.tier1_name, f.complaints
    from filtered f
    left join tier1_branches() t using (branch_code)  -- queries/macro_tier1.sql
),
grouped as (
    select
        month, business_category, reason, channel, tier1_code, tier1_name,
        grouping(business_category) as g_category,
        grouping(reason)            as g_reason,
        grouping(channel)           as g_channel,
        sum(complaints)::bigint     as complaints
    from labelled
    group by grouping sets (
        (month, business_category),
        (month, reason),
        (month, channel),
        (month, tier1_code, tier1_name)
    )
)
select
    month,
    case when g_category = 0 then 'business_category'
         when g_reason = 0   then 'reason'
         when g_channel = 0  then 'channel'
         else 'tier1_branch' end                                     as dimension,
    case when g_category = 0 then business_category
         when g_reason = 0   then reason
         when g_channel = 0  then channel
         else tier1_code end                                         as value,
    case when g_category = 0 then business_category
         when g_reason = 0   then reason
         when g_channel = 0  then channel
         else tier1_name end                                         as label,
    complaints
from grouped
order by month, dimension, complaints desc, value
