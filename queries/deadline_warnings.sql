-- deadline_warnings: 临期预警 (contract 7): the open complaints that are not yet overdue and have used at
-- least $warn_share of their granted deadline (granted_days: deadline_days, 15 when empty) at the data's
-- as-of time (open_days is counted to it at import), the least time left first.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--   $referred, $basis, $age_group; the caller passes the months that can still hold such a complaint),
--   $warn_share (0..1), $limit (rows).
-- Returns: complaint_id, received_at, branch_code, branch_name, tier1_code, tier1_name (the 一级分行 above
--   it, NULL when it has none), business_category, reason, channel, regulator_referred, granted_days,
--   extended (granted more than 15 days), deadline_at, open_days, days_left (granted_days - open_days),
--   used_share (open_days / granted_days).
with open_near as (
    select f.complaint_id, f.received_at, f.branch_code, f.business_category, f.reason, f.channel,
           f.regulator_referred, f.granted_days, f.open_days
    from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                             basis := $basis, age_group := $age_group) f
    where f.open_days is not null
      and f.open_days <= f.granted_days                  -- not yet overdue
      and f.open_days >= $warn_share * f.granted_days    -- at least that share of the deadline used
)
select
    o.complaint_id, o.received_at, o.branch_code, b.branch_name,
    t.ancestor_code as tier1_code, tier1.branch_name as tier1_name,
    o.business_category, o.reason, o.channel, o.regulator_referred,
    o.granted_days, o.granted_days > 15 as extended,
    o.received_at + to_days(o.granted_days) as deadline_at,
    o.open_days,
    o.granted_days - o.open_days as days_left,
    o.open_days / o.granted_days as used_share
from open_near o
left join branches b on b.branch_code = o.branch_code
left join branch_tree t on t.branch_code = o.branch_code and t.ancestor_level = '一级分行'
left join branches tier1 on tier1.branch_code = t.ancestor_code
order by days_left, o.complaint_id
limit $limit
