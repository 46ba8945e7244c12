-- ledger_term_hits: narratives that contain a ledger item's key term (case-insensitive), among the complaints
-- of the item's organisation subtree and business category in every loaded month, at most $limit. A superset
-- of what the item's effect counts (queries/ledger_effect_terms.sql), checked before a user without the reveal
-- right saves the term: if the term occurs in one only inside what the mask hides, or in more narratives than
-- can be checked, it is refused (dashboard/ledger/store.py, dashboard/text/search_guard.py; hostile H146).
-- Params: $org (the item's organisation; NULL = whole bank), $scope (the user's organisation; NULL = whole
--         bank), $business_category (NULL = every category), $term, $limit.
-- Returns: content (raw).
select c.content
from complaints c
where ($org is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
  and ($scope is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
  and ($business_category is null or c.business_category = $business_category)
  and contains(lower(coalesce(c.content, '')), lower($term::varchar))
limit $limit
