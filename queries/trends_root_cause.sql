-- trends_root_cause: complaints per month and root cause (根因分类, set after investigation), in the shape of
-- trends_breakdown's rows so that the trend chart and the month-over-month decomposition take it as a fifth
-- dimension. Every complaint falls in exactly one slice: no root cause yet is its own slice (value NULL).
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred).
-- Returns month, dimension ('root_cause'), value (the root cause or NULL), label (= value), complaints.
select
    month,
    'root_cause'        as dimension,
    root_cause          as value,
    root_cause          as label,
    count(*)::bigint    as complaints
from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                          basis := $basis, age_group := $age_group)
group by month, root_cause
order by month, complaints desc, value
