-- surges_slice_counts: for every slice that could surge in $month_to (queries/macro_surge_slices.sql), its
-- complaints that month, the total of the $baseline_months months before it, and its monthly counts over the
-- last $series_months months (for the small chart). The statistics (mean, ratio, Poisson p) are in
-- dashboard/analysis/surges.py.
-- Params: the global filter set ($month_from is not used: the window is the months ending at $month_to),
--   the hotspots page's narrative search $s_terms, $s_neg (NULL = none; a search is always counted live) and
--   $s_hidden (queries/macro_search_match.sql: checked on this query's window, analysis/hotspots.surge_selection),
--   $baseline_months (6), $series_months (12, >= $baseline_months + 1),
--   $min_complaints: slices with fewer complaints in $month_to are left out (a surge needs at least
--   min_extra complaints above a mean >= 0, so the page passes ceil(min_extra)).
-- Returns: kind, branch_code, branch_name, branch_level (NULL for non-organisation kinds),
--   business_category, reason, product, complaints, baseline_total, history_months and history_counts
--   (the slice's months with complaints in the window, oldest first, and their complaints; two plain lists
--   convert to Python far faster than a list of structs: docs/performance.md).
-- Speed: with no filter (the default view, the report) the slices come from surge_slice_months, stored at
-- import; otherwise they are counted live. Exactly one of the two branches below reads anything: their
-- conditions are constants once the parameters are bound, and DuckDB drops the other branch (10M, unfiltered:
-- 476 ms live, 90 ms stored).
with window_slices as (
    select kind, branch_code, business_category, reason, product, month, n
    from surge_slice_months
    where unfiltered($org, $scope, $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
      and $s_terms is null
      and month between ($month_to::date - to_months($series_months::integer - 1))::date and $month_to
    union all
    select *
    from surge_slices(($month_to::date - to_months($series_months::integer - 1))::date, $month_to,
                      $org, $scope, $categories, $reasons, $channels, $referred, $s_terms, $s_neg, basis := $basis, age_group := $age_group,
                      s_hidden := $s_hidden)
    where not (unfiltered($org, $scope, $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
               and $s_terms is null)
),
per_slice as (
    -- one pass over the window: a join of the candidates back to it cost more than the aggregate
    select
        kind, branch_code, business_category, reason, product,
        coalesce(sum(n) filter (where month = $month_to), 0)::bigint as complaints,
        coalesce(sum(n) filter (where month >= ($month_to::date - to_months($baseline_months::integer))::date
                                  and month < $month_to), 0)::bigint as baseline_total,
        -- one unordered list of (month, n) sorted afterwards: two ordered aggregates (list ... order by)
        -- were most of the query's time
        list_sort(list({'month': month, 'n': n})) as history
    from window_slices
    group by kind, branch_code, business_category, reason, product
    having coalesce(sum(n) filter (where month = $month_to), 0) >= $min_complaints
)
select
    s.kind, nullif(s.branch_code, '') as branch_code, br.branch_name, br.level as branch_level,
    nullif(s.business_category, '') as business_category, nullif(s.reason, '') as reason,
    nullif(s.product, '') as product,
    s.complaints, s.baseline_total,
    list_transform(s.history, lambda h: h.month) as history_months, list_transform(s.history, lambda h: h.n) as history_counts
from per_slice s
left join branches br on br.branch_code = s.branch_code
order by s.kind, s.branch_code, s.business_category, s.reason, s.product
