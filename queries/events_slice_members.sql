-- events_slice_members: the complaints of $month_to in each of the given surge slices (kinds of
-- queries/macro_surge_slices.sql), for grouping slices that share their complaints into one event
-- (dashboard/analysis/events.py).
-- Params: the global filter set ($month_from is not used: the month is $month_to) and five aligned lists
--   describing the slices, '' = not part of the slice: $kinds, $codes (organisation: its subtree),
--   $cats, $slice_reasons, $products.
-- Returns: slice (0-based index into the lists), complaint_id, customer_id.
with slices as (
    select unnest(range(len($kinds::varchar[]))) as slice,
           unnest($kinds::varchar[]) as kind, unnest($codes::varchar[]) as code,
           unnest($cats::varchar[]) as cat, unnest($slice_reasons::varchar[]) as slice_reason,
           unnest($products::varchar[]) as prod
),
month_rows as (
    select complaint_id, customer_id, branch_code, business_category, reason, product
    from filtered_complaints($month_to, $month_to, $org, $scope, $categories, $reasons, $channels, $referred)
)
select s.slice, c.complaint_id, c.customer_id
from slices s
join month_rows c
  on (s.cat = '' or c.business_category = s.cat)
 and (s.slice_reason = '' or c.reason = s.slice_reason)
 and (s.prod = '' or c.product = s.prod)
left join branch_tree t on s.code <> '' and t.branch_code = c.branch_code and t.ancestor_code = s.code
where s.code = '' or t.ancestor_code is not null
order by s.slice, c.complaint_id
