-- import_as_of: the data's as-of time (contract 6): the latest received_at or closed_at loaded.
-- Table: complaints.
select greatest(max(received_at), max(closed_at)) as as_of,
       min(month) as first_month,
       max(month) as last_month,
       count(*) as complaints
from complaints
