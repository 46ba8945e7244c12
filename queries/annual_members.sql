-- annual_members: the complaints behind every figure of the annual disclosure (annual_disclosure.sql), one
-- row each, so that each cell of the downloads can be traced to its complaints offline: the same filtered
-- set on the same counting basis, with the values the cells group by.
-- Params: as annual_disclosure ($month_from = January, $month_to = December of the year, the global filter
--         set, $basis, $age_group).
-- Returns rows (complaint_id, received_at, business_category, reason, tier1_code, tier1_name,
--               regulator_referred, elderly), ordered by complaint_id:
--   tier1_code / tier1_name  the tier-1 branch above the complained-about organisation (NULL: none)
--   elderly                  customer_age >= 60 (NULL age: false, as the disclosure counts it)
with counted as (
    select complaint_id, received_at, business_category, reason, branch_code, regulator_referred, customer_age
    from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                             basis := $basis, age_group := $age_group)
),
tier1 as (
    select t.branch_code, t.ancestor_code as tier1_code, b.branch_name as tier1_name
    from branch_tree t
    join branches b on b.branch_code = t.ancestor_code
    where t.ancestor_level = '一级分行'
)
select
    c.complaint_id,
    c.received_at,
    c.business_category,
    c.reason,
    t.tier1_code,
    t.tier1_name,
    coalesce(c.regulator_referred, false)   as regulator_referred,
    coalesce(c.customer_age >= 60, false)   as elderly
from counted c
left join tier1 t using (branch_code)
order by c.complaint_id
