-- surges_slice_counts: for every slice that could surge in $month_to, its complaints that month, the
-- total of the $baseline_months months before it, and its monthly counts over the last $series_months
-- months (for the small chart). The statistics (mean, ratio, Poisson p) are in dashboard/analysis/surges.py.
-- Slice kinds (contract 6, Surge):
--   category_reason         business_category x reason over the filtered complaints (bank-wide)
--   branch_category         an organisation's subtree x business_category, for every organisation at
--   branch_category_reason    the levels 一级分行 / 二级分行 / 支行 (its subtree) x category (x reason);
--                             organisations that hold the whole filtered set (the head office, the
--                             filter's organisation and its ancestors) are left out: they repeat category_reason
--   product                 product (complaints without a product are not a slice)
-- Params: the global filter set ($month_from is not used: the window is the months ending at $month_to),
--   $baseline_months (6), $series_months (12, >= $baseline_months + 1),
--   $min_complaints: slices with fewer complaints in $month_to are left out (a surge needs at least
--   min_extra complaints above a mean >= 0, so the page passes ceil(min_extra)).
-- Returns: kind, branch_code, branch_name, branch_level (NULL for non-organisation kinds),
--   business_category, reason, product, complaints, baseline_total, history (list of {month, n}, months
--   with complaints only).
-- Speed: complaints are counted per (organisation, category, reason, month) from complaint_cube (counts per
-- month and filtered value), so the subtree join works on at most organisations x 12 x 13 x months rows
-- whatever the volume; the history lists are only built for the candidate slices. Inside the query ''
-- stands for "not part of this kind of slice" (so that slices join on plain equality) and becomes NULL in
-- the result.
with per_branch as (
    -- from complaint_cube: complaint counts per month and filtered value
    select branch_code, business_category, reason, month, sum(complaints)::bigint as n
    from filtered_rows('complaint_cube', ($month_to::date - to_months($series_months::integer - 1))::date,
                       $month_to, $org, $scope, $categories, $reasons, $channels, $referred)
    group by branch_code, business_category, reason, month
),
per_product as (
    select product, month, count(*) as n
    from filtered_complaints(($month_to::date - to_months($series_months::integer - 1))::date, $month_to,
                             $org, $scope, $categories, $reasons, $channels, $referred)
    where product is not null
    group by product, month
),
covering as (
    -- organisations whose subtree holds every filtered complaint
    select ancestor_code from branch_tree where branch_code = $org
    union
    select ancestor_code from branch_tree where branch_code = $scope
),
slices as (
    select 'category_reason' as kind, '' as branch_code, business_category, reason, '' as product, month,
           sum(n) as n
    from per_branch
    group by business_category, reason, month
    union all
    select 'product', '', '', '', product, month, n
    from per_product
    union all
    select
        if(grouping(p.reason) = 0, 'branch_category_reason', 'branch_category'),
        t.ancestor_code, p.business_category, coalesce(p.reason, ''), '', p.month,
        sum(p.n)
    from per_branch p
    join branch_tree t on t.branch_code = p.branch_code
    where t.ancestor_level in ('一级分行', '二级分行', '支行')
      and t.ancestor_code not in (select ancestor_code from covering)
    group by grouping sets ((t.ancestor_code, p.business_category, p.month),
                            (t.ancestor_code, p.business_category, p.reason, p.month))
),
candidates as (
    select kind, branch_code, business_category, reason, product
    from slices
    where month = $month_to and n >= $min_complaints
),
per_slice as (
    select
        s.kind, s.branch_code, s.business_category, s.reason, s.product,
        coalesce(sum(s.n) filter (where s.month = $month_to), 0)::bigint as complaints,
        coalesce(sum(s.n) filter (where s.month >= ($month_to::date - to_months($baseline_months::integer))::date
                                    and s.month < $month_to), 0)::bigint as baseline_total,
        list({'month': s.month, 'n': s.n} order by s.month) as history
    from slices s
    join candidates c using (kind, branch_code, business_category, reason, product)
    group by s.kind, s.branch_code, s.business_category, s.reason, s.product
)
select
    s.kind, nullif(s.branch_code, '') as branch_code, br.branch_name, br.level as branch_level,
    nullif(s.business_category, '') as business_category, nullif(s.reason, '') as reason,
    nullif(s.product, '') as product,
    s.complaints, s.baseline_total, s.history
from per_slice s
left join branches br on br.branch_code = s.branch_code
order by s.kind, s.branch_code, s.business_category, s.reason, s.product
