-- events_complaints: the complaints of an event (dashboard/analysis/events.py) that pass the global filter set,
-- for its list and its typical case. Narratives are raw here: callers mask them.
-- Params: the global filter set and $complaint_ids (VARCHAR[]), $limit.
-- Returns: complaint_id, received_at, branch_code, branch_name, business_category, reason, product, channel,
--   customer_id, status, content; ordered by receipt time, complaint_id.
select f.complaint_id, f.received_at, f.branch_code, b.branch_name, f.business_category, f.reason, f.product,
       f.channel, f.customer_id, f.status, f.content
from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred) f
left join branches b using (branch_code)
where list_contains($complaint_ids::varchar[], f.complaint_id)
order by f.received_at, f.complaint_id
limit $limit
