-- similar_group_members: the members of one group of similar complaints that pass the global filter set,
-- in time order. The narrative (content) is returned raw: callers mask it before showing.
-- Params: the global filter set and
--   $group_id  the group (similar_groups.group_id of the current snapshot)
--   $limit     at most this many members
-- Speed: similar_groups holds each member's columns and narrative (stored at import): complaints.parquet
-- is not read.
select g.complaint_id, g.received_at, g.customer_id, g.branch_code, b.branch_name, g.channel,
       g.business_category, g.reason, g.product, g.status, g.is_representative, g.content
from filtered_rows('similar_groups', $month_from, $month_to, $org, $scope,
                   $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group) g
left join branches b on b.branch_code = g.branch_code
where g.group_id = $group_id
order by g.received_at, g.complaint_id
limit $limit
