-- import_complaint_cube: the derived table complaint_cube (dashboard/derived/complaint_cube.py), built at
-- import from the new snapshot's complaints. One row per month and value of every column the global filter
-- set reads (branch_code, business_category, reason, channel, regulator_referred, and for the counting
-- basis and the customer group is_repeat, repeat_depth (合并重复后 inside a scope) and is_elderly), so that filtered_rows('complaint_cube', ...)
-- keeps exactly the rows whose complaints filtered_complaints keeps.
-- Params: $default_deadline_days (contract 7: the deadline by rule; a complaint granted more was extended).
-- Returns the counts kpis_by_month and rankings_by_org sum (same expressions), each against the
--   complaint's own granted deadline (granted_days, contract 7; import_derive_complaints.sql):
--   complaints, closed, on_time (handling_days <= granted_days), open_overdue (open_days > granted_days),
--   handling_days (total over closed complaints, NULL when none), repeats, satisfied, surveyed,
--   extended (granted_days > $default_deadline_days), extended_closed, extended_on_time,
--   extended_open_overdue, resolved (处理结果 已解决), with_result (处理结果 given), amount_total (涉及金额,
--   yuan), with_amount, redress_total (补偿金额, yuan), redressed (补偿金额 > 0).
-- Sorted by month, so that a period filter reads only that period's row groups.
select
    month, branch_code, business_category, reason, channel, regulator_referred, is_repeat, repeat_depth, is_elderly,
    count(*)                                                  as complaints,
    count(handling_days)                                      as closed,
    count(*) filter (where handling_days <= granted_days)     as on_time,
    count(*) filter (where open_days > granted_days)          as open_overdue,
    sum(handling_days)                                        as handling_days,
    count(*) filter (where is_repeat)                         as repeats,
    count(*) filter (where satisfaction in ('满意', '基本满意')) as satisfied,
    count(*) filter (where satisfaction is not null and satisfaction <> '未回访') as surveyed,
    count(*) filter (where granted_days > $default_deadline_days) as extended,
    count(handling_days) filter (where granted_days > $default_deadline_days) as extended_closed,
    count(*) filter (where granted_days > $default_deadline_days
                       and handling_days <= granted_days)     as extended_on_time,
    count(*) filter (where granted_days > $default_deadline_days
                       and open_days > granted_days)          as extended_open_overdue,
    count(*) filter (where result = '已解决')                  as resolved,
    count(result)                                             as with_result,
    sum(amount)                                               as amount_total,
    count(amount)                                             as with_amount,
    sum(redress_amount)                                       as redress_total,
    count(*) filter (where redress_amount > 0)                as redressed
from complaints
group by month, branch_code, business_category, reason, channel, regulator_referred, is_repeat, repeat_depth, is_elderly
order by month, branch_code, business_category, reason, channel, regulator_referred, is_repeat, repeat_depth, is_elderly
