-- macro_repeat_window: scalar macro within_repeat_window(previous_at, received_at, window_days): the repeat
-- rule of contract 6 for one complaint, given the customer's previous complaint (in the same
-- business_category when the rule asks for it): at most window_days calendar days before it, exactly
-- window_days apart counting; no previous complaint is no repeat. The one definition, used by the import's
-- stored flag (queries/import_derive_complaints.sql) and the adjustable rule (queries/repeats_flags.sql).
create or replace macro within_repeat_window(previous_at, received_at, window_days) as
    coalesce(date_diff('day', previous_at::date, received_at::date) <= window_days::integer, false)
