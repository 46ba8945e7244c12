-- macro_recurring: table macro recurring_of(month_from, month_to, org, scope, categories, reasons, channels,
-- referred, min_months, recent_from, basis, age_group): the recurring-issue rule (contract 6), its one
-- definition: every (branch_code, business_category, reason) with complaints in at least min_months of the
-- months month_from .. month_to, under the global filter set, with what the branch's size and the bank's mix
-- predict for it. Read by queries/recurring_issues_scored.sql (every issue, for the ranking in
-- dashboard/analysis/recurring.py ranked()) and queries/recurring_issues.sql (the first issues by months and
-- complaints: an organisation's list on the rankings profile).
-- Expected count (independence of the margins over the window, under the same filters):
--   expected = branch's complaints (any category, any reason) x the bank's complaints in the category and
--              reason / the bank's complaints
-- Returns (unordered): branch_code, branch_name, level, business_category, reason, months_present,
--   complaints, last_month_complaints (in month_to), recent_complaints (months >= recent_from),
--   earlier_complaints (months < recent_from), expected, branch_complaints,
--   history (complaints per month of the window, oldest first, zeros included).
create or replace macro recurring_of(
    month_from, month_to, org, scope, categories, reasons, channels, referred, min_months, recent_from,
    basis := null, age_group := null
) as table
with per_month as (
    select branch_code, business_category, reason, month, sum(complaints)::bigint as complaints
    from filtered_rows('complaint_cube', month_from, month_to, org, scope,
                       categories, reasons, channels, referred, basis := basis, age_group := age_group)
    group by all
),
per_slice as (
    select branch_code, business_category, reason, sum(complaints)::bigint as complaints
    from per_month
    group by all
),
branch_totals as (
    select branch_code, sum(complaints)::bigint as branch_complaints from per_slice group by all
),
mix as (
    select business_category, reason, sum(complaints)::double as mix_complaints from per_slice group by all
),
total as (
    select sum(complaints)::double as n from per_slice
),
recurring as (
    select branch_code, business_category, reason,
           count(*) as months_present,
           sum(complaints)::bigint as complaints,
           coalesce(sum(complaints) filter (where month = month_to::date), 0)::bigint as last_month_complaints,
           coalesce(sum(complaints) filter (where month >= recent_from::date), 0)::bigint as recent_complaints,
           coalesce(sum(complaints) filter (where month < recent_from::date), 0)::bigint as earlier_complaints
    from per_month
    group by all
    having count(*) >= min_months
),
months as (
    select unnest(generate_series(month_from::date, month_to::date, interval 1 month))::date as month
),
history as (
    select r.branch_code, r.business_category, r.reason,
           list(coalesce(p.complaints, 0) order by m.month) as history
    from recurring r
    cross join months m
    left join per_month p
           on p.branch_code = r.branch_code and p.business_category = r.business_category
          and p.reason = r.reason and p.month = m.month
    group by all
)
select r.branch_code, b.branch_name, b.level, r.business_category, r.reason, r.months_present,
       r.complaints, r.last_month_complaints, r.recent_complaints, r.earlier_complaints,
       bt.branch_complaints * mx.mix_complaints / total.n as expected,
       bt.branch_complaints, h.history
from recurring r
join history h using (branch_code, business_category, reason)
join branch_totals bt using (branch_code)
join mix mx using (business_category, reason)
cross join total
left join branches b using (branch_code)
