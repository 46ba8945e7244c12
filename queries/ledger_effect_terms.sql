-- ledger_effect_terms: complaints per month whose narrative contains every one of the key terms of a
-- similar-complaint group a rectification item covers (its story told again after the fix). Months without
-- such complaints included as zeros.
-- Params: the global filter set (pages pass categories = [the group's business category], the period to
--         compare, the other filters NULL) and
--   $terms  VARCHAR[]: key terms; a complaint counts when its content contains all of them
--   $hidden VARCHAR[]: complaint ids that do not count although they hold them, a term there only inside
--           what the mask hides (analysis/effect.hidden_hits; NULL = none)
-- Columns: month, complaints.
with matching as (
    select month
    from filtered_complaints($month_from, $month_to, $org, $scope,
                             $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
    where len($terms::varchar[]) > 0
      and len(list_filter($terms::varchar[], lambda t: contains(coalesce(content, ''), t)))
          = len($terms::varchar[])
      and not list_contains(coalesce($hidden::varchar[], []::varchar[]), complaint_id)
),
months as (
    select unnest(generate_series($month_from::date, $month_to::date, interval 1 month))::date as month
)
select months.month, count(matching.month) as complaints
from months
left join matching using (month)
group by months.month
order by months.month
