-- hotspots_by_dimension: complaints of the page's selection by business category x reason, by channel
-- and by product, in one pass (grouping sets), plus the selection's total.
-- Selection: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
-- $referred) narrowed by the page's drill-down: $d_org (an organisation's subtree), $d_product,
-- $d_province, $d_city (NULL = no restriction; category, reason, channel and month drill-downs arrive
-- through the global parameters), and by the narrative search $s_terms, $s_neg (queries/macro_search_match.sql).
-- Returns: dimension ('total' | 'category_reason' | 'channel' | 'product'), business_category, reason,
--   channel, product, complaints, share (complaints / the selection's total). Complaints without a
--   product are not a product row.
with hits as (
    select f.*
    from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                            $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg, basis := $basis, age_group := $age_group,
                            s_hidden := $s_hidden) f
),
grouped as (
    select
        case
            when grouping(business_category, reason) = 0 then 'category_reason'
            when grouping(channel) = 0 then 'channel'
            when grouping(product) = 0 then 'product'
            else 'total'
        end as dimension,
        business_category, reason, channel, product,
        count(*) as complaints
    from hits
    group by grouping sets ((), (business_category, reason), (channel), (product))
)
select dimension, business_category, reason, channel, product, complaints,
       complaints / nullif(sum(complaints) filter (where dimension = 'total') over (), 0)::double as share
from grouped
where dimension <> 'product' or product is not null
order by dimension, complaints desc, business_category, reason, channel, product
