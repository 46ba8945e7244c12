-- snapshot_customer_gaps: the table customer_gaps_all, every (branch_code, month) pair of the snapshot whose
-- customer base is missing from that month's customer file, by the rules of queries/macro_customer_gaps.sql
-- (which reads it, for a range of months). Whether a pair is a gap depends on its month alone (its complaints
-- that month, the branch's first and last customer rows, the latest loaded months), never on the range asked,
-- so the pairs are found once when a connection gets the macros (dashboard/db.py create_macros: a read
-- connection opening the snapshot, an import's derived tables)
-- instead of in every headline, ranking and regulator query (the derivation planned inside each of them cost
-- more than the query's own scan at 1M, docs/performance.md "Planning cost"). A table of the connection, not
-- of the snapshot's files: no change of SNAPSHOT_FORMAT. A complete customer file gives no rows.
create or replace table customer_gaps_all as
with loaded as (
    select distinct month from customers_monthly
),
spans as (
    select branch_code, min(month) as first_row, max(month) as last_row from customers_monthly group by branch_code
),
latest as (
    select max(month) as latest, (select max(month) from loaded where month < (select max(month) from loaded)) as before
    from loaded
),
expected as (
    select branch_code from spans
    union
    select b.branch_code from branches b anti join branches child on child.parent_code = b.branch_code
),
missing as (
    select b.branch_code, m.month
    from expected b
    cross join loaded m
    anti join customers_monthly cm on cm.branch_code = b.branch_code and cm.month = m.month
)
select missing.branch_code, missing.month
from missing
semi join complaint_cube c on c.branch_code = missing.branch_code and c.month = missing.month
union
select missing.branch_code, missing.month
from missing
join spans s on s.branch_code = missing.branch_code
cross join latest
where (s.first_row < missing.month and missing.month < s.last_row)
   or (missing.month = latest.latest and s.last_row = latest.before)
