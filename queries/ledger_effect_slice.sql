-- ledger_effect_slice: complaints per month in the slice a rectification item covers, for the before/after
-- comparison (dashboard/analysis/effect.py). Months without complaints included as zeros.
-- Params: the global filter set (pages pass the item's slice: org NULL, categories = [its category],
--         reasons = [its reason], channels and referred NULL, the period to compare) and
--   $branch_code  the complained-about organisation itself (not its subtree); NULL = any
-- Columns: month, complaints.
with slice as (
    select month
    from filtered_complaints($month_from, $month_to, $org, $scope,
                             $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
    where $branch_code::varchar is null or branch_code = $branch_code::varchar
),
months as (
    select unnest(generate_series($month_from::date, $month_to::date, interval 1 month))::date as month
)
select months.month, count(slice.month) as complaints
from months
left join slice using (month)
group by months.month
order by months.month
