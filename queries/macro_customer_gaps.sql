-- macro_customer_gaps: table macro customer_gaps(month_from, month_to): the (branch_code, month) pairs whose
-- customer base is missing from a month's customer file: customer rows were loaded for that month, the
-- branch has complaints that month but no row, and it has a row in some other month. A subtree's base that
-- lacks such a member is incomplete (客户数不全): dividing the whole subtree's complaints by the other
-- members' customers would overstate its rate (hostile H50: a customer file covering one 分行 made the
-- bank's rate twelve times as high). The contract (section 6) is silent on partial coverage. Not gaps, as
-- before: a month with no customer file at all (no base anyway), a branch that never has a customer row (a
-- head office), a branch without complaints that month.
create or replace macro customer_gaps(month_from, month_to) as table
select distinct c.branch_code, c.month
from complaint_cube c
where c.month between month_from and month_to
  and c.month in (select month from customers_monthly)
  and c.branch_code in (select branch_code from customers_monthly)
  and not exists (
      select 1 from customers_monthly cm where cm.branch_code = c.branch_code and cm.month = c.month
  )
