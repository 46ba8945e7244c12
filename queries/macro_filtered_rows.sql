-- macro_filtered_rows: the global filter set, the one definition of what every filter means. Table macro
-- filtered_rows(source, month_from, month_to, org, scope, categories, reasons, channels, referred): the rows
-- of table `source` (its name: 'complaints'; the derived 'complaint_cube', which counts complaints per
-- month and value of every filtered column; or 'similar_groups', whose rows carry their complaint's
-- filtered columns) that pass. Pages read it through filtered_complaints or on those derived tables, so a
-- filter means the same thing on every page, export and report.
-- Arguments:
--   source                VARCHAR, a table with month, branch_code, business_category, reason, channel and
--                         regulator_referred
--   month_from, month_to  DATE, first days of months, inclusive (month of received_at)
--   org                   branch_code whose subtree is shown; NULL = whole bank
--   scope                 the signed-in user's organisation; its subtree bounds everything; NULL = whole bank
--   categories, reasons, channels   VARCHAR[]; NULL = no restriction
--   referred              BOOLEAN; NULL = both
create or replace macro filtered_rows(
    source, month_from, month_to, org, scope, categories, reasons, channels, referred
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
