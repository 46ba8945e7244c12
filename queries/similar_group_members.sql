-- similar_group_members: the members of one group of similar complaints that pass the global filter set,
-- in time order. The narrative (content) is returned raw: callers mask it before showing.
-- Params: the global filter set and
--   $group_id  the group (similar_groups.group_id of the current snapshot)
--   $limit     at most this many members
-- Speed: the narratives come from similar_groups (stored beside each member at import), not from
-- complaints.parquet.
select f.complaint_id, f.received_at, f.customer_id, f.branch_code, b.branch_name, f.channel,
       f.business_category, f.reason, f.product, f.status, g.is_representative, g.content
from similar_groups g
join filtered_complaints($month_from, $month_to, $org, $scope,
                         $categories, $reasons, $channels, $referred) f using (complaint_id)
left join branches b on b.branch_code = f.branch_code
where g.group_id = $group_id
order by f.received_at, f.complaint_id
limit $limit
