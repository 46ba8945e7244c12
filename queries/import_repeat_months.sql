-- import_repeat_months: the derived table repeat_months (dashboard/derived/repeat_months.py), built at
-- import: the whole bank's complaints, repeats and repeat customers per month under the rule the import
-- stores in is_repeat (queries/macro_repeat_months.sql), so that the repeats page's 12-month trend needs no
-- distinct count over a year of complaints when nothing is filtered.
-- Params: $repeat_window_days (the stored rule's window).
-- Returns: month, complaints, repeats, repeat_customers; sorted by month.
select *
from repeat_months_of((select min(month) from complaints), (select max(month) from complaints),
                      null, null, null, null, null, null, $repeat_window_days, true, $repeat_window_days)
order by month
