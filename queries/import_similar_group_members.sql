-- import_similar_group_narratives: the derived table similar_groups (dashboard/analysis/similar_index.py)
-- with each member's narrative beside it, so that pages listing groups and members read no narrative from
-- complaints.parquet. Reads new_similar_groups, the groups as merged (registered by the build).
-- Returns: group_id, complaint_id, is_representative, group_size, window_month, content (raw: readers mask
--   it); each group's representative first, then by complaint_id.
select g.group_id, g.complaint_id, g.is_representative, g.group_size, g.window_month, c.content
from new_similar_groups g
left join complaints c using (complaint_id)
order by g.group_id, g.is_representative desc, g.complaint_id
