-- import_branch_tree: every (ancestor, member) pair of the organisation tree, each organisation
-- being its own ancestor at depth 0. Table: branches. A subtree filter is then one lookup:
--   branch_code in (select branch_code from branch_tree where ancestor_code = :org)
with recursive tree(ancestor_code, branch_code, depth) as (
    select branch_code, branch_code, 0 from branches
    union all
    select tree.ancestor_code, child.branch_code, tree.depth + 1
    from tree
    join branches child on child.parent_code = tree.branch_code
    where tree.depth < 10   -- a malformed tree with a cycle cannot loop forever
)
select
    tree.ancestor_code,
    ancestor.level as ancestor_level,
    tree.branch_code,
    tree.depth
from tree
join branches ancestor on ancestor.branch_code = tree.ancestor_code
order by tree.ancestor_code, tree.branch_code
