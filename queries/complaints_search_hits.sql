-- complaints_search_hits: narratives that contain $search (case-insensitive) under the global filter
-- set, at most $limit of them. The complaint list checks them before searching for a user who may not
-- reveal personal data: if the text occurs in one only inside what the mask hides, the search is refused
-- (dashboard/text/search_guard.py).
-- Returns: content (raw).
select f.content
from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group) f
where contains(lower(f.content), lower($search::varchar))
limit $limit
