-- macro_customer_gaps: table macro customer_gaps(month_from, month_to): the (branch_code, month) pairs whose
-- customer base is missing from a month's customer file: customer rows were loaded for that month, the
-- branch has complaints that month but no row, and it has a row in some other month. A subtree's base that
-- lacks such a member is incomplete (客户数不全): dividing the whole subtree's complaints by the other
-- members' customers would overstate its rate (hostile H50: a customer file covering one 分行 made the
-- bank's rate twelve times as high). The contract (section 6) is silent on partial coverage. Not gaps, as
-- before: a month with no customer file at all (no base anyway), a branch that never has a customer row (a
-- head office), a branch without complaints that month.
-- Built from the few missing (branch, month) pairs of the customer file, then checked against the cube, so
-- a complete file (the usual case) costs a few milliseconds: this runs inside every headline query.
create or replace macro customer_gaps(month_from, month_to) as table
with missing as (
    select b.branch_code, m.month
    from (select distinct branch_code from customers_monthly) b
    cross join (select distinct month from customers_monthly where month between month_from and month_to) m
    anti join customers_monthly cm on cm.branch_code = b.branch_code and cm.month = m.month
)
select missing.branch_code, missing.month
from missing
semi join complaint_cube c on c.branch_code = missing.branch_code and c.month = missing.month
