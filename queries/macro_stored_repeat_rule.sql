-- macro_stored_repeat_rule: scalar macro stored_repeat_rule(window_days, same_category, stored_window_days):
-- whether the repeat rule asked for is the one the import stored in is_repeat (the same category within
-- stored_window_days; queries/repeats_flags.sql). With bound parameters it is a constant, so DuckDB plans
-- only the branch of a query that it guards (reading it from a table cost 100+ ms of planning at 10M).
create or replace macro stored_repeat_rule(window_days, same_category, stored_window_days) as
    coalesce(same_category and window_days::integer = stored_window_days::integer, false)
