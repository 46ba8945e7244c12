-- repeats_customer_timeline: one customer's complaints in the period, in time order, each with its repeat
-- flag under the adjustable rule. The narrative (content) is returned raw: callers mask it before showing.
-- Params: the global filter set, the repeat rule ($repeat_window_days, $same_category), and
--   $customer_id  the customer
--   $limit        at most this many complaints (the earliest first)
with flagged as (
    select * from repeat_flags($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
                               $referred, $repeat_window_days, $same_category, basis := $basis, age_group := $age_group)
)
select flagged.complaint_id, flagged.received_at, flagged.closed_at, flagged.branch_code,
       branches.branch_name, flagged.channel, flagged.business_category, flagged.reason, flagged.product,
       flagged.status, flagged.result, flagged.is_repeat, flagged.previous_at, flagged.days_since_previous,
       flagged.content
from flagged
left join branches using (branch_code)
where flagged.customer_id = $customer_id
order by flagged.received_at, flagged.complaint_id
limit $limit
