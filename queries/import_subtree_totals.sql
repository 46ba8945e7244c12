-- import_subtree_totals: the organisations of a customers file (table incoming, cast) that have children
-- with counts for the same month, each with its count and its direct children's sum: this file's rows
-- over the stored ones, children by the organisation tree of this import (stored_branches). A count at
-- least the children's sum is the mark of a 全辖 total, where the contract wants the organisation's own
-- customers (hostile H149).
with
    counts as (
        select branch_code, month, customer_count from incoming
        union all
        select s.branch_code, s.month, s.customer_count
        from stored_customers_monthly s
        where s.month in (select month from incoming)
            and not exists (select 1 from incoming i where i.branch_code = s.branch_code and i.month = s.month)
    ),
    children as (
        select b.parent_code as branch_code, c.month, sum(c.customer_count) as children_sum
        from counts c
        join stored_branches b on b.branch_code = c.branch_code
        where b.parent_code is not null
        group by b.parent_code, c.month
    )
select i.branch_code, i.month, i.customer_count, ch.children_sum
from incoming i
join children ch on ch.branch_code = i.branch_code and ch.month = i.month
order by i.month, i.branch_code
