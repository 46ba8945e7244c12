-- macro_filtered_complaints: the complaints that pass the global filter set. Every page query reads
-- complaints through this macro, so a filter means the same thing on every page, export and report.
-- Arguments:
--   month_from, month_to  DATE, first days of months, inclusive (month of received_at)
--   org                   branch_code whose subtree is shown; NULL = whole bank
--   scope                 the signed-in user's organisation; its subtree bounds everything; NULL = whole bank
--   categories, reasons, channels   VARCHAR[]; NULL = no restriction
--   referred              BOOLEAN; NULL = both
create or replace macro filtered_complaints(
    month_from, month_to, org, scope, categories, reasons, channels, referred
) as table
select c.*
from complaints c
where c.month between month_from and month_to
  and (org is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = org))
  and (scope is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = scope))
  and (categories is null or list_contains(categories, c.business_category))
  and (reasons is null or list_contains(reasons, c.reason))
  and (channels is null or list_contains(channels, c.channel))
  and (referred is null or c.regulator_referred = referred)
