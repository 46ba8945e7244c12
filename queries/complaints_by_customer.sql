-- complaints_by_customer: every complaint of one customer ($customer_id) that the user's scope lets them
-- see, whatever the period, organisation or dimension filters, newest first, except $complaint_id
-- (the one being shown).
-- Params: $customer_id, $complaint_id, $scope, $repeat_window_days (with a scope, is_repeat is recomputed
--   from the complaints inside it, as in complaints_detail.sql).
-- Returns: complaint_id, received_at, closed_at, status, branch_code, branch_name, business_category,
--   reason, product, is_repeat, content (raw: mask it before showing).
select f.complaint_id, f.received_at, f.closed_at, f.status, f.branch_code, b.branch_name,
       f.business_category, f.reason, f.product,
       scoped_is_repeat($scope, f.is_repeat, f.customer_id, f.business_category, f.received_at, f.complaint_id,
                         $repeat_window_days) as is_repeat,
       f.content
from filtered_complaints(date '1900-01-01', date '2999-12-01', null, $scope, null, null, null, null) f
left join branches b on b.branch_code = f.branch_code
where f.customer_id = $customer_id
  and f.complaint_id <> $complaint_id
order by f.received_at desc, f.complaint_id
