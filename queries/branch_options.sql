-- branch_options: organisations for the organisation selector, in tree order (each after its parent).
-- Params: $scope (the user's organisation: only its subtree; NULL = all).
with recursive walk(branch_code, sort_path, depth) as (
    select branch_code, branch_code, 0
    from branches
    where parent_code is null or parent_code not in (select branch_code from branches)
    union all
    select child.branch_code, walk.sort_path || '/' || child.branch_code, walk.depth + 1
    from walk
    join branches child on child.parent_code = walk.branch_code
    where walk.depth < 10
)
select b.branch_code, b.branch_name, b.level, b.parent_code, b.province, b.city, walk.depth
from walk
join branches b using (branch_code)
where $scope is null
   or b.branch_code in (select branch_code from branch_tree where ancestor_code = $scope)
order by walk.sort_path
