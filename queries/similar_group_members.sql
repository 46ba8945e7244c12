-- similar_group_members: the members of one group of similar complaints that pass the global filter set,
-- in time order. The narrative (content) is returned raw: callers mask it before showing.
-- Params: the global filter set and
--   $group_id  the group (similar_groups.group_id of the current snapshot)
--   $limit     at most this many members
-- Speed: members are found on the narrow columns; the narratives are read by (complaint_id, received_at),
-- so the scan reads only the row groups of the group's days, not the whole period's narratives.
with members as (
    select f.complaint_id, f.received_at, f.customer_id, f.branch_code, b.branch_name, f.channel,
           f.business_category, f.reason, f.product, f.status, g.is_representative
    from similar_groups g
    join filtered_complaints($month_from, $month_to, $org, $scope,
                             $categories, $reasons, $channels, $referred) f using (complaint_id)
    left join branches b on b.branch_code = f.branch_code
    where g.group_id = $group_id
    order by f.received_at, f.complaint_id
    limit $limit
)
select m.*, c.content
from members m
join complaints c on c.complaint_id = m.complaint_id and c.received_at = m.received_at
where c.month between $month_from and $month_to
  and ($scope is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
order by m.received_at, m.complaint_id
