-- complaints_search_hits: narratives that contain $search (case-insensitive) in the page's drilled selection
-- (the global filter set and the hotspots drill-down $d_org, $d_product, $d_province, $d_city; the rest of
-- the page's search is not applied), at most $limit of them. Checked before searching for a user who may not
-- reveal personal data: where the text occurs only inside what the mask hides, it counts as absent; in more
-- narratives than can be checked, the search is refused (dashboard/text/search_guard.py, ui/complaint_list.py).
-- Returns: complaint_id, content (raw).
select f.complaint_id, f.content
from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                        $d_org, $d_product, $d_province, $d_city, null::varchar[][], null::boolean[][], basis := $basis, age_group := $age_group) f
where contains(lower(f.content), lower($search::varchar))
limit $limit
