-- macro_filtered_complaints: the complaints that pass the global filter set (queries/macro_filtered_rows.sql).
-- Every page query reads complaints through this macro, so a filter means the same thing on every page,
-- export and report.
-- Arguments:
--   month_from, month_to  DATE, first days of months, inclusive (month of received_at)
--   org                   branch_code whose subtree is shown; NULL = whole bank
--   scope                 the signed-in user's organisation; its subtree bounds everything; NULL = whole bank
--   categories, reasons, channels   VARCHAR[]; NULL = no restriction
--   referred              BOOLEAN; NULL = both
create or replace macro filtered_complaints(
    month_from, month_to, org, scope, categories, reasons, channels, referred,
    basis := null, age_group := null
) as table
select *
from filtered_rows('complaints', month_from, month_to, org, scope, categories, reasons, channels, referred, basis := basis, age_group := age_group)
