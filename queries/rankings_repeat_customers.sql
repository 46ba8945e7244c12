-- rankings_repeat_customers: customers with repeat complaints (contract 6) inside an organisation's
-- subtree, over $month_from..$month_to; the $limit customers with the most repeat complaints. Aggregates
-- per customer, so the page never loads a complaint list. A repeat is the is_repeat flagged at import
-- without a scope, and recomputed from the complaints inside the scope with one (queries/repeats_flags.sql,
-- the stored rule): a branch user's customer is a repeat complainant only because of complaints there.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--         $referred), $repeat_window_days (the stored rule's window), $limit.
--   customer_id
--   complaints        the customer's complaints there in the period
--   repeats           of which flagged as repeat complaints
--   categories        the business categories of those complaints, comma separated
--   branches          how many organisations of the subtree they were made against
--   first_received, last_received
--   latest_content    the narrative of the latest one (unmasked: the caller masks it before showing)
--   total_customers   how many customers with repeat complaints there are in all (before $limit)
with filtered as (
    select customer_id, complaint_id, business_category, branch_code, received_at, content, is_repeat
    from repeat_flags($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                      $repeat_window_days, true, flags_only := true, stored_window_days := $repeat_window_days, basis := $basis, age_group := $age_group)
),
per_customer as (
    select
        customer_id,
        count(*)                                             as complaints,
        count(*) filter (where is_repeat)                    as repeats,
        string_agg(distinct business_category, '、' order by business_category) as categories,
        count(distinct branch_code)                          as branches,
        min(received_at)                                     as first_received,
        max(received_at)                                     as last_received,
        arg_max(content, (received_at, complaint_id))        as latest_content
    from filtered
    group by customer_id
    having count(*) filter (where is_repeat) > 0
)
select *, count(*) over () as total_customers
from per_customer
order by repeats desc, complaints desc, last_received desc, customer_id
limit $limit
