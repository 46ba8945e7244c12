-- hotspots_by_region: complaints of the page's selection by province and by province x city, with their
-- shares and rates per 10,000 customers.
-- Selection: as in hotspots_by_dimension (global filter set + $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg).
-- Customer base (contract 4 and 6): the own customer_count of every organisation located in the
-- province (city) that the organisation filters keep ($org, $scope, $d_org subtrees, $d_province,
-- $d_city), summed per month, then the mean over the months of the period that have a base. Complaint
-- filters on category, reason, channel, product and regulator referral narrow the complaints, not the
-- base. (subtree_customers gives one subtree's base; a province is not a subtree, so the same sum is
-- written out here.)
-- A region with a customer gap in the period (queries/macro_customer_gaps.sql) has no base (客户数不全).
-- Returns: level ('province' | 'city'), province, city, complaints, share, customers (mean monthly base,
--   NULL when none is loaded or it has a gap), base_gaps, per_10k (complaints / customers x 10,000). Organisations without a city
--   count in their province only.
-- The head office's own complaints (level 总行: bank-wide functions, customers everywhere) are in no region:
--   they were Beijing's, over Beijing's customers (hostile H220). They come as one row of level 'head_office'
--   (province and city NULL) so the page can say how many were left out; shares stay over every hit.
with hits as (
    select f.*
    from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                            $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg, basis := $basis, age_group := $age_group,
                            s_hidden := $s_hidden) f
),
head_office as (
    select branch_code from branches where level = '总行'
),
counted as (
    select if(grouping(city) = 0, 'city', 'province') as level, province, city, count(*) as complaints
    from hits
    where branch_code not in (select branch_code from head_office)
    group by grouping sets ((province), (province, city))
    union all
    select 'head_office', null, null, count(*)
    from hits
    where branch_code in (select branch_code from head_office)
    having count(*) > 0
),
members as (
    select b.branch_code, b.province, b.city
    from branches b
    where b.level <> '总行'  -- its customers are no region's either (its own rows, if a bank loads any)
      and ($org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $org))
      and ($scope is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
      and ($d_org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = $d_org))
      and ($d_province is null or b.province = $d_province)
      and ($d_city is null or b.city = $d_city)
),
monthly_base as (
    select if(grouping(m.city) = 0, 'city', 'province') as level, m.province, m.city, cm.month,
           group_customers(cm.customer_count, cm.elderly_customer_count, $age_group) as customers
    from customers_monthly cm
    join members m using (branch_code)
    where cm.month between $month_from and $month_to
    group by grouping sets ((m.province, cm.month), (m.province, m.city, cm.month))
),
gaps as (
    -- members kept by the filters without a row in a month they should have one (customer_gaps): no base
    select if(grouping(m.city) = 0, 'city', 'province') as level, m.province, m.city, count(*) as base_gaps
    from customer_gaps($month_from, $month_to) g
    join members m using (branch_code)
    group by grouping sets ((m.province), (m.province, m.city))
),
base as (
    select level, province, city, avg(customers) as customers
    from monthly_base
    group by level, province, city
)
select c.level, c.province, c.city, c.complaints,
       c.complaints / (select count(*) from hits)::double as share,
       case when gaps.base_gaps is null then base.customers end as customers,
       coalesce(gaps.base_gaps, 0) as base_gaps,
       per_10k_of(c.complaints, case when gaps.base_gaps is null then base.customers end) as per_10k
from counted c
left join base on base.level = c.level and base.province is not distinct from c.province
              and base.city is not distinct from c.city
left join gaps on gaps.level = c.level and gaps.province is not distinct from c.province
              and gaps.city is not distinct from c.city
where c.level in ('province', 'head_office') or c.city is not null
order by c.level desc, c.complaints desc, c.province, c.city
