-- similar_groups_member_ids: the ids of the members of several groups of similar complaints that pass the
-- global filter set (the report lists them for every group it lists, in one query).
-- Params: the global filter set and
--   $group_ids  INTEGER[] the groups (similar_groups.group_id of the current snapshot)
--   $limit      at most this many members per group (the first in time order)
-- Returns: group_id, complaint_id, ordered by group, receipt time, complaint_id.
select group_id, complaint_id
from filtered_rows('similar_groups', $month_from, $month_to, $org, $scope,
                   $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
where list_contains($group_ids, group_id)
qualify row_number() over (partition by group_id order by received_at, complaint_id) <= $limit
order by group_id, received_at, complaint_id
