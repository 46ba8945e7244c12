-- macro_customer_gaps: table macro customer_gaps(month_from, month_to): the (branch_code, month) pairs whose
-- customer base is missing from a month's customer file: customer rows were loaded for that month, the
-- branch has complaints that month but no row, and it has a row in some other month or is a leaf of the
-- organisation tree (a 支行 serves its customers itself, so a leaf with complaints and never a row is
-- missing from every month's file: hostile H76, a file covering one 分行 in every month). A subtree's base that
-- lacks such a member is incomplete (客户数不全): dividing the whole subtree's complaints by the other
-- members' customers would overstate its rate (hostile H50: a customer file covering one 分行 made the
-- bank's rate twelve times as high). The contract (section 6) is silent on partial coverage. Not gaps, as
-- before: a month with no customer file at all (no base anyway), a parent that never has a customer row of
-- its own (a head office, a 分行 whose customers its 支行 hold), a branch without complaints that month.
-- Built from the few missing (branch, month) pairs of the customer file, then checked against the cube, so
-- a complete file (the usual case) costs a few milliseconds: this runs inside every headline query.
create or replace macro customer_gaps(month_from, month_to) as table
with expected as (
    select distinct branch_code from customers_monthly
    union
    select b.branch_code from branches b anti join branches child on child.parent_code = b.branch_code
),
missing as (
    select b.branch_code, m.month
    from expected b
    cross join (select distinct month from customers_monthly where month between month_from and month_to) m
    anti join customers_monthly cm on cm.branch_code = b.branch_code and cm.month = m.month
)
select missing.branch_code, missing.month
from missing
semi join complaint_cube c on c.branch_code = missing.branch_code and c.month = missing.month
