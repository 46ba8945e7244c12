-- macro_tier1: table macro tier1_branches(): each organisation's tier-1 branch (一级分行), the one definition
-- of the breakdowns' tier1_branch dimension (annual_disclosure, outcomes_breakdown, trends_breakdown). Each
-- organisation has at most one tier-1 ancestor (itself, when it is one); one under none (the head office)
-- has no row, so a left join gives it NULL.
-- Returns: branch_code, tier1_code, tier1_name.
create or replace macro tier1_branches() as table
select t.branch_code, t.ancestor_code as tier1_code, b.branch_name as tier1_name
from branch_tree t
join branches b on b.branch_code = t.ancestor_code
where t.ancestor_level = '一级分行'
