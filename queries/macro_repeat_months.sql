-- macro_repeat_months: table macro repeat_months_of(month_from, month_to, org, scope, categories, reasons,
-- channels, referred, window_days, same_category, stored_window_days): per month, the complaints that pass
-- the global filter set and how many of them are repeats under the rule (queries/repeats_flags.sql), the one
-- definition of these counts. Read live by queries/repeats_by_month.sql for a filtered view or another rule;
-- stored for the whole bank under the import's rule (repeat_months, queries/import_repeat_months.sql).
-- Returns: month (months with complaints only), complaints, repeats, repeat_customers (distinct customers
--   with at least one repeat that month).
create or replace macro repeat_months_of(
    month_from, month_to, org, scope, categories, reasons, channels, referred, window_days, same_category,
    stored_window_days,
    basis := null, age_group := null
) as table
select month,
       count(*) as complaints,
       count(*) filter (where is_repeat) as repeats,
       count(distinct if(is_repeat, customer_id, null)) as repeat_customers   -- only repeats' ids are hashed
from repeat_flags(month_from, month_to, org, scope, categories, reasons, channels, referred, window_days,
                  same_category, flags_only := true, stored_window_days := stored_window_days, basis := basis, age_group := age_group)
group by month
