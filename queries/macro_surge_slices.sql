-- macro_surge_slices: the slices that can surge (contract 6, Surge) and their complaints per month, the one
-- definition of a slice. Table macro surge_slices(month_from, month_to, org, scope, categories, reasons,
-- channels, referred, s_terms, s_neg), arguments as in queries/macro_filtered_rows.sql, plus the hotspots
-- page's narrative search (queries/macro_search_match.sql; NULL = none: counted from complaint_cube; a search
-- counts the matching complaints themselves; s_hidden: for a user who may not reveal personal data, the ids
-- where a text of it occurs only inside what the mask hides, checked on this window and the global filters,
-- not the page's drill-down: there it counts as absent, as on the page, hostile H237). Slice kinds:
--   category_reason         business_category x reason over the filtered complaints (bank-wide)
--   branch_category         an organisation's subtree x business_category, for every organisation at
--   branch_category_reason    the levels 一级分行 / 二级分行 / 支行 (its subtree) x category (x reason);
--                             organisations that hold the whole filtered set (the head office, the
--                             filter's organisation and its ancestors) are left out: they repeat category_reason
--   product                 product (complaints without a product are not a slice)
-- Returns: kind, branch_code, business_category, reason, product, month, n (complaints; months without
--   complaints have no row). '' stands for "not part of this kind of slice", so that slices join on plain
--   equality.
-- Read live by queries/surges_slice_counts.sql for a filtered view; stored for the unfiltered bank at import
-- (surge_slice_months, queries/import_surge_slice_months.sql).
-- Speed: organisation slices count from complaint_cube (counts per month and filtered value), so the subtree
-- join works on at most organisations x categories x reasons x months rows whatever the volume.
create or replace macro surge_slices(
    month_from, month_to, org, scope, categories, reasons, channels, referred, s_terms, s_neg,
    basis := null, age_group := null, s_hidden := null
) as table
with per_branch as (
    select branch_code, business_category, reason, month, sum(complaints)::bigint as n
    from filtered_rows('complaint_cube', month_from, month_to, org, scope, categories, reasons, channels, referred, basis := basis, age_group := age_group)
    where s_terms is null
    group by branch_code, business_category, reason, month
    union all
    select branch_code, business_category, reason, month, count(*)::bigint as n
    from filtered_complaints(month_from, month_to, org, scope, categories, reasons, channels, referred, basis := basis, age_group := age_group)
    where s_terms is not null and search_match(search_text, s_terms, s_neg, cid := complaint_id, s_hidden := s_hidden)
    group by branch_code, business_category, reason, month
),
per_product as (
    select product, month, count(*) as n
    from filtered_complaints(month_from, month_to, org, scope, categories, reasons, channels, referred, basis := basis, age_group := age_group)
    where product is not null and search_match(search_text, s_terms, s_neg, cid := complaint_id, s_hidden := s_hidden)
    group by product, month
),
covering as (
    -- organisations whose subtree holds every filtered complaint
    select ancestor_code from branch_tree where branch_code = org
    union
    select ancestor_code from branch_tree where branch_code = scope
)
select 'category_reason' as kind, '' as branch_code, business_category, reason, '' as product, month,
       sum(n)::bigint as n
from per_branch
group by business_category, reason, month
union all
select 'product', '', '', '', product, month, n
from per_product
union all
select
    if(grouping(p.reason) = 0, 'branch_category_reason', 'branch_category'),
    t.ancestor_code, p.business_category, coalesce(p.reason, ''), '', p.month,
    sum(p.n)::bigint
from per_branch p
join branch_tree t on t.branch_code = p.branch_code
where t.ancestor_level in ('一级分行', '二级分行', '支行')
  and t.ancestor_code not in (select ancestor_code from covering)
group by grouping sets ((t.ancestor_code, p.business_category, p.month),
                        (t.ancestor_code, p.business_category, p.reason, p.month))
