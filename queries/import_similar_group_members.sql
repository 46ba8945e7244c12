-- import_similar_group_members: the derived table similar_groups (dashboard/derived/similar_index.py): the
-- groups as merged (new_similar_groups, registered by the build) with the member complaint's columns the
-- pages filter on and show, narrative included, so that listing groups and members never reads
-- complaints.parquet: the global filter set applies to this table directly (filtered_rows('similar_groups',
-- ...)), and a month's few hundred representatives no longer mean decompressing every narrative of the month.
-- Returns: group_id, complaint_id, is_representative, group_size, window_month, and the member's month,
--   received_at, customer_id, branch_code, business_category, reason, channel, regulator_referred, is_repeat,
--   repeat_depth, is_elderly (the counting basis and customer group of filtered_rows), product,
--   status, content (raw: readers mask it). Sorted by month, so that a period filter skips row groups.
select g.group_id, g.complaint_id, g.is_representative, g.group_size, g.window_month,
       c.month, c.received_at, c.customer_id, c.branch_code, c.business_category, c.reason, c.channel,
       c.regulator_referred, c.is_repeat, c.repeat_depth, c.is_elderly, c.product, c.status, c.content
from new_similar_groups g
join complaints c using (complaint_id)
order by c.month, g.group_id, g.complaint_id
