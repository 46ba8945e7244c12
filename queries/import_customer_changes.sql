-- import_customer_changes: the customer bases an extract changes (tables incoming, stored, classified): a
-- 客户数 that replaces another is a correction, or an old file sent again (hostile H213: a re-saved old file
-- replaced corrected counts and the summary said only 更新 2). Named in the summary with both values.
-- No parameters. One row per changed organisation and month, in order: branch_code, month, before, after.
select
    i.branch_code,
    strftime(i.month, '%Y-%m') as month,
    s.customer_count as before,
    i.customer_count as after
from incoming i
join stored s using (branch_code, month)
join classified c using (branch_code, month)
where c.outcome = 'updated' and i.customer_count is distinct from s.customer_count
order by i.branch_code, i.month
