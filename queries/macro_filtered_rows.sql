-- macro_filtered_rows: the global filter set, the one definition of what every filter means. Table macro
-- filtered_rows(source, month_from, month_to, org, scope, categories, reasons, channels, referred): the rows
-- of table `source` (its name: 'complaints'; the derived 'complaint_cube', which counts complaints per
-- month and value of every filtered column; or 'similar_groups', whose rows carry their complaint's
-- filtered columns) that pass. Pages read it through filtered_complaints or on those derived tables, so a
-- filter means the same thing on every page, export and report.
-- Arguments:
--   source                VARCHAR, a table with month, branch_code, business_category, reason, channel,
--                         regulator_referred, is_repeat, repeat_depth and is_elderly
--   month_from, month_to  DATE, first days of months, inclusive (month of received_at)
--   org                   branch_code whose subtree is shown; NULL = whole bank
--   scope                 the signed-in user's organisation; its subtree bounds everything; NULL = whole bank
--   categories, reasons, channels   VARCHAR[]; NULL = no restriction
--   referred              BOOLEAN; NULL = both
--   basis                 the counting basis (issue 19, contract 7): NULL or 'all' = 全部受理; 'referred' =
--                         监管转送 (regulator_referred); 'merged' = 合并重复后: without a scope not is_repeat (the
--                         stored whole-bank rule); inside a scope the repeat rule applied among the scope's
--                         complaints only (repeat_depth >= the scope's depth, import_derive_complaints.sql), so
--                         the count never depends on complaints outside the scope
--   age_group             the customer group: NULL or 'all'; 'elderly' = 老年客户 (is_elderly: age >= 60);
--                         'non_elderly' = 非老年客户 (age known and under 60; complaints without an age are in
--                         neither group)
-- basis and age_group are named, with defaults, so that queries that do not take the user's filter set
-- (the data's coverage, one complaint's detail) need not name them; every query binding $referred binds
-- them too (tests/test_basis.py checks every file).
create or replace macro filtered_rows(
    source, month_from, month_to, org, scope, categories, reasons, channels, referred,
    basis := null, age_group := null
) as table
select c.*
from query_table(source) c
where c.month between month_from and month_to
  and (org is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = org))
  and (scope is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = scope))
  and (categories is null or list_contains(categories, c.business_category))
  and (reasons is null or list_contains(reasons, c.reason))
  and (channels is null or list_contains(channels, c.channel))
  and (referred is null or c.regulator_referred = referred)
  and (basis is null or basis = 'all'
       or (basis = 'referred' and c.regulator_referred)
       or (basis = 'merged' and scope is null and not c.is_repeat)
       or (basis = 'merged' and scope is not null
           and not coalesce(c.repeat_depth >= (select max(depth) from branch_tree where branch_code = scope), false)))
  and (age_group is null or age_group = 'all'
       or (age_group = 'elderly' and c.is_elderly)
       or (age_group = 'non_elderly' and not c.is_elderly))
