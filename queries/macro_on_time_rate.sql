-- macro_on_time_rate: 按时办结率 (contract 6): complaints closed within the deadline over those closed plus
-- those still open past it; NULL when there are none. Arguments: on_time, closed, open_overdue (counts).
create or replace macro on_time_rate_of(on_time, closed, open_overdue) as on_time / nullif(closed + open_overdue, 0)::double
