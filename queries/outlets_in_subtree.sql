-- outlets_in_subtree: the business outlets (营业网点, contract 7) of the selected organisation's subtree,
-- the base of the regulator's per-1,000-outlet ratio: organisations with is_outlet true, or with it empty
-- and level 支行. The organisation tree has no history, so the count is the same for every month.
-- Params: $org, $scope (as filtered_complaints). Returns: outlets, flagged (how many carry is_outlet).
select
    count(*) filter (where coalesce(b.is_outlet, b.level = '支行'))::bigint as outlets,
    count(b.is_outlet)::bigint as flagged
from branches b
where ($org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
  and ($scope is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
