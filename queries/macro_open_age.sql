-- macro_open_age: open_age_at(received_at, open_days, judged_at): a complaint's age in days at judged_at as far
-- as the data knows it. For a complaint still open in the data, least(judged_at, seen_at) - received_at (open_days is
-- counted to the time it was last seen, seen_at, queries/import_derive_complaints.sql): a rule judged at a
-- cut-off (queries/handling_at_cutoff.sql) must not call a complaint open on a day no extract carried it
-- (hostile H201: a branch whose data stop on 11-04 was judged open on 11-30 because another branch's file
-- reached 11-30). A complaint closed after judged_at was open then, which is known: judged_at - received_at
-- (least() ignores the NULL open_days of a closed complaint).
create or replace macro open_age_at(received_at, open_days, judged_at) as
    least(epoch(judged_at::timestamp - received_at) / 86400.0, open_days)
