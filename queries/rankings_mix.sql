-- rankings_mix: an organisation's complaint mix beside the bank's, by business category and by reason,
-- over $month_from..$month_to. The organisation is $org (its subtree); the bank is every organisation
-- within $scope (the same filters but no organisation restriction).
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred).
--   dimension        'business_category' or 'reason'
--   value            the category or reason
--   org_complaints   the organisation's complaints with that value
--   bank_complaints  the bank's complaints with that value
with org_rows as (
    select business_category, reason
    from filtered_complaints($month_from, $month_to, $org, $scope,
                             $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
),
bank_rows as (
    select business_category, reason
    from filtered_complaints($month_from, $month_to, null, $scope,
                             $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
),
tagged as (
    select business_category, reason, 1 as in_org, 0 as in_bank from org_rows
    union all
    select business_category, reason, 0 as in_org, 1 as in_bank from bank_rows
),
counted as (
    select 'business_category' as dimension, business_category as value,
           sum(in_org) as org_complaints, sum(in_bank) as bank_complaints
    from tagged
    group by business_category
    union all
    select 'reason' as dimension, reason as value,
           sum(in_org) as org_complaints, sum(in_bank) as bank_complaints
    from tagged
    group by reason
)
select dimension, value, org_complaints::bigint as org_complaints, bank_complaints::bigint as bank_complaints
from counted
order by dimension, bank_complaints desc, value
