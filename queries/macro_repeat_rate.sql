-- macro_repeat_rate: 重复投诉率 (contract 6): repeat complaints over complaints; NULL when there are none.
-- Arguments: repeats, complaints (counts).
create or replace macro repeat_rate_of(repeats, complaints) as repeats / nullif(complaints, 0)::double
