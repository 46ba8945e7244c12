-- hotspots_elderly_profile: the elderly customers' profile (老年客户, customer_age >= 60, contract 2) against
-- everyone's, by channel, business category and reason, in the hotspots page's selection (issue 19).
-- Selection: the global filter set narrowed by the drill-down ($d_org, $d_product, $d_province, $d_city) and
-- the narrative search ($s_terms, $s_neg), as every query of the page; the customer group is this query's
-- comparison, so $age_group is not applied ($age_group is bound, like every query taking the filter set, and
-- ignored). Complaints without an age are left out of both sides and counted apart.
-- Returns: dimension ('total' | 'channel' | 'business_category' | 'reason'), value (NULL for the total),
--   elderly (elderly complaints), everyone (complaints with an age), elderly_share (elderly / all elderly
--   complaints of the selection), everyone_share (everyone / all complaints with an age), age_unknown (the
--   selection's complaints without an age; on every row).
with hits as (
    select f.channel, f.business_category, f.reason, f.is_elderly
    from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                            $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg,
                            basis := $basis, s_hidden := $s_hidden,
                            -- the comparison is the customer group: never narrowed to one (always NULL)
                            age_group := nullif($age_group, $age_group)) f
),
unknown as (
    select count(*) filter (where is_elderly is null)::bigint as age_unknown from hits
),
grouped as (
    select
        case
            when grouping(channel) = 0 then 'channel'
            when grouping(business_category) = 0 then 'business_category'
            when grouping(reason) = 0 then 'reason'
            else 'total'
        end as dimension,
        coalesce(channel, business_category, reason) as value,
        count(*) filter (where is_elderly)::bigint as elderly,
        count(*)::bigint as everyone
    from hits
    where is_elderly is not null
    group by grouping sets ((), (channel), (business_category), (reason))
)
select g.dimension, g.value, g.elderly, g.everyone,
       g.elderly / nullif(sum(g.elderly) filter (where g.dimension = 'total') over (), 0)::double as elderly_share,
       g.everyone / nullif(sum(g.everyone) filter (where g.dimension = 'total') over (), 0)::double as everyone_share,
       unknown.age_unknown
from grouped g, unknown
order by g.dimension, g.everyone desc, g.value
