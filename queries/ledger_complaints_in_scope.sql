-- ledger_complaints_in_scope: the complaints a rectification item is to cite, as the data spells them,
-- among the complaints inside the user's subtree (the ledger refuses a 分行 user's item citing any other,
-- and anyone's citing a number that is no complaint). Numbers are matched ignoring case (hxp0000 = HXP0000);
-- every spelling is returned, and the ledger takes the exact one, else the only one, else refuses (H123).
-- Params: $complaint_ids (a list of complaint numbers, trimmed), $scope (the user's organisation; NULL = all),
--   $org (the item's organisation; NULL = none given).
-- Returns: given (the number, lower case), complaint_id (as stored), in_org (inside $org's subtree, true
--   without $org), one row per number found there.
select distinct lower(complaint_id) as given, complaint_id,
       ($org::varchar is null
        or branch_code in (select branch_code from branch_tree where ancestor_code = $org::varchar)) as in_org
from complaints
where lower(complaint_id) in (select lower(unnest($complaint_ids::varchar[])))
  and ($scope is null or branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
