-- ledger_complaints_outside_scope: which of the complaint numbers a rectification item is to cite lie
-- outside a 分行 user's subtree (or are not in the data at all): such an item may cite none of them.
-- Params: $complaint_ids (a list of complaint numbers), $scope (the user's organisation).
-- Returns: complaint_id, one row per number given that is not a complaint inside the subtree, in order.
with given as (
    select id as complaint_id, ordinality as position
    from unnest($complaint_ids::varchar[]) with ordinality as u(id, ordinality)
)
select given.complaint_id
from given
where given.complaint_id not in (
    select c.complaint_id
    from complaints c
    join branch_tree t on t.branch_code = c.branch_code
    where t.ancestor_code = $scope
)
order by given.position
