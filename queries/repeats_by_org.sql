-- repeats_by_org: repeat complaints and the repeat rate per organisation at one level of the tree, over
-- the period. Each complaint counts for the organisation at level $level above (or at) its branch_code;
-- complaints of organisations above that level are left out.
-- Params: the global filter set, the repeat rule ($repeat_window_days, $same_category, $stored_window_days), and
--   $level  机构层级 to group by: 一级分行, 二级分行 or 支行
-- Columns: branch_code, branch_name, complaints, repeats, repeat_rate, repeat_customers; ordered by
-- repeats, then complaints (descending), then branch_code.
with flagged as (
    select * from repeat_flags($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
                               $referred, $repeat_window_days, $same_category, flags_only := true,
                               stored_window_days := $stored_window_days, basis := $basis, age_group := $age_group)
),
per_org as (
    select tree.ancestor_code as branch_code,
           count(*) as complaints,
           count(*) filter (where flagged.is_repeat) as repeats,
           count(distinct flagged.customer_id) filter (where flagged.is_repeat) as repeat_customers
    from flagged
    join branch_tree tree on tree.branch_code = flagged.branch_code and tree.ancestor_level = $level
    group by tree.ancestor_code
)
select per_org.branch_code,
       branches.branch_name,
       per_org.complaints,
       per_org.repeats,
       per_org.repeats / per_org.complaints::double as repeat_rate,
       per_org.repeat_customers
from per_org
join branches using (branch_code)
order by per_org.repeats desc, per_org.complaints desc, per_org.branch_code
