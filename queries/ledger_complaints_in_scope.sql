-- ledger_complaints_in_scope: which of the complaint numbers a rectification item is to cite are
-- complaints inside the user's subtree (the ledger refuses a 分行 user's item citing any other).
-- Params: $complaint_ids (a list of complaint numbers), $scope (the user's organisation; NULL = all).
-- Returns: complaint_id, one row per number given that is a complaint there.
select distinct complaint_id
from complaints
where complaint_id in (select unnest($complaint_ids::varchar[]))
  and ($scope is null or branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
