-- import_complaint_cube: the derived table complaint_cube (dashboard/derived/complaint_cube.py), built at
-- import from the new snapshot's complaints. One row per month and value of every column the global filter
-- set reads (branch_code, business_category, reason, channel, regulator_referred), so that
-- filtered_rows('complaint_cube', ...) keeps exactly the rows whose complaints filtered_complaints keeps.
-- Params: $deadline_days (contract 6; the app's DEADLINE_DAYS, kept in every row so that a query asking for
--   another deadline can tell).
-- Returns the counts kpis_by_month and rankings_by_org sum (same expressions): complaints, closed, on_time,
--   open_overdue, handling_days (total over closed complaints, NULL when none), repeats, satisfied,
--   surveyed, deadline_days.
-- Sorted by month, so that a period filter reads only that period's row groups.
select
    month, branch_code, business_category, reason, channel, regulator_referred,
    count(*)                                                  as complaints,
    count(handling_days)                                      as closed,
    count(*) filter (where handling_days <= $deadline_days)   as on_time,
    count(*) filter (where open_days > $deadline_days)        as open_overdue,
    sum(handling_days)                                        as handling_days,
    count(*) filter (where is_repeat)                         as repeats,
    count(*) filter (where satisfaction in ('满意', '基本满意')) as satisfied,
    count(*) filter (where satisfaction is not null and satisfaction <> '未回访') as surveyed,
    $deadline_days::integer                                   as deadline_days
from complaints
group by month, branch_code, business_category, reason, channel, regulator_referred
order by month, branch_code, business_category, reason, channel, regulator_referred
