-- annual_disclosure: the year's complaints for the annual complaint report (年度投诉情况), on a counting
-- basis (contract 7), in one scan: totals and the shares' counts by business category, reason and tier-1 branch.
-- Params: the global filter set ($month_from = January, $month_to = December of the year; $org, $scope,
--         $categories, $reasons, $channels, $referred, and the counting basis $basis and customer group
--         $age_group, which filtered_complaints applies as on every page: queries/macro_filtered_rows.sql)
-- Returns rows (dimension, value, label, complaints, regulator_referred, elderly):
--   dimension  'total' (one row, value NULL) | 'business_category' | 'reason' | 'tier1_branch'
--   value      the category / reason / tier-1 branch code (NULL for complaints under no tier-1 branch)
--   label      display name (the tier-1 branch's name)
--   complaints            complaints on the basis
--   regulator_referred    of those, regulator_referred = true
--   elderly               of those, customer_age >= 60 (老年客户)
with counted as (
    select business_category, reason, branch_code, regulator_referred, customer_age
    from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                             basis := $basis, age_group := $age_group)
),
labelled as (
    select c.*, t.tier1_code, t.tier1_name
    from counted c
    left join tier1_branches() t using (branch_code)  -- queries/macro_tier1.sql
),
grouped as (
    select
        business_category, reason, tier1_code, tier1_name,
        grouping(business_category) as g_category,
        grouping(reason)            as g_reason,
        grouping(tier1_code)        as g_tier1,
        count(*)::bigint                                         as complaints,
        count(*) filter (where regulator_referred)::bigint       as regulator_referred,
        count(*) filter (where customer_age >= 60)::bigint       as elderly
    from labelled
    group by grouping sets ((), (business_category), (reason), (tier1_code, tier1_name))
)
select
    case when g_category = 0 then 'business_category'
         when g_reason = 0   then 'reason'
         when g_tier1 = 0    then 'tier1_branch'
         else 'total' end                                              as dimension,
    case when g_category = 0 then business_category
         when g_reason = 0   then reason
         when g_tier1 = 0    then tier1_code end                       as value,
    case when g_category = 0 then business_category
         when g_reason = 0   then reason
         when g_tier1 = 0    then tier1_name end                       as label,
    complaints, regulator_referred, elderly
from grouped
order by dimension, complaints desc, value
