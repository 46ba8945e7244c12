-- kpis_by_month: the headline metrics (contract 6) for each month from $month_from to $month_to,
-- months without complaints included as zeros. The counts and rates are headline_of's (queries/macro_headline.sql,
-- the one definition of each headline metric, shared with rankings_by_org); this adds the month's customer base.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons,
--         $channels, $referred, $basis, $age_group) and $repeat_window_days (the stored repeat rule's window).
--   complaints          distinct complaints received in the month
--   customers           the subtree's customer base that month, of the customer group $age_group
--                       (group_customers; NULL when not loaded)
--   per_10k             complaints / customers x 10,000
--   branches_without_base  members with complaints that month and no customer row although they have one in
--                       other months (queries/macro_customer_gaps.sql): customers and per_10k are then NULL
--                       (客户数不全), never the other members' base alone
--   closed, on_time     closed complaints; those closed within their granted deadline (contract 7:
--                       deadline_days, 15 when empty) of receipt
--   open                not yet closed (status <> 已办结)
--   open_overdue        open and the as-of time is past the complaint's granted deadline
--   (handling_days and open_days are derived at import: queries/import_derive_complaints.sql; the
--   counts per month come from the derived table complaint_cube, queries/import_complaint_cube.sql)
--   on_time_rate        on_time / (closed + open_overdue)
--   avg_handling_days   mean of closed_at - received_at over closed complaints, in days
--   repeats, repeat_rate  repeat complaints / complaints: without a scope the is_repeat flagged at import
--                       (summed in the cube); with one, recomputed from the complaints inside the scope
--                       (queries/repeats_flags.sql, the stored rule: $repeat_window_days, same category), as
--                       the stored flag spans the whole bank (docs/security.md: a branch's numbers are its own)
--   regulator_referred  complaints with regulator_referred = true
--   extended, extended_closed, extended_on_time, extended_open_overdue   complaints granted more than 15
--                       days (contract 7), and their counts as above; extension_on_time_rate
--                       on_time_rate_of over them (how often an extension ended on time)
--   resolved, with_result, resolution_rate   处理结果 已解决 / complaints with a 处理结果
--   satisfied, surveyed, satisfaction_rate   满意+基本满意 / surveyed (not 未回访)
--   amount_total, with_amount, redress_total, redressed   涉及金额 and 补偿金额 (yuan), complaints with each
--   elderly, age_unknown, elderly_share   customers aged 60+; without an age; elderly / complaints
select
    h.month,
    h.complaints,
    customers.customers,
    per_10k_of(h.complaints, customers.customers) as per_10k,
    coalesce(customers.branches_without_base, 0) as branches_without_base,
    h.* exclude (month, org_code, complaints)
from headline_of($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                 $repeat_window_days, basis := $basis, age_group := $age_group) h
left join subtree_customers($org, $scope, $month_from, $month_to, age_group := $age_group) customers using (month)
order by h.month
