-- terms_hot: document frequency of every narrative term (derived table term_postings: a row per complaint
-- and term of its narrative, see dashboard/derived/term_postings.py) in the page's
-- selection for the current period ($month_from..$month_to) and the previous period of the same length
-- ($prev_from..the month before $month_from), for the hot-topic statistics in dashboard/analysis/hotspots.py.
-- Selection: the global filter set narrowed by the drill-down ($d_org, $d_product, $d_province, $d_city) and
-- the narrative search ($s_terms, $s_neg), applied to both periods alike.
-- Params: the global filter set, the drill-down, $prev_from, $min_docs (terms in fewer current
--   narratives are left out).
-- Returns: term, docs (current complaints whose narrative contains it), prev_docs, n_current and
--   n_previous (complaints in each period, with or without a narrative: every row repeats them).
with hits as (
    select f.file_row_number, f.month >= $month_from as is_current
    from drilled_complaints($prev_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                            $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg, basis := $basis, age_group := $age_group,
                            s_hidden := $s_hidden) f
),
totals as (
    select count(*) filter (where is_current) as n_current,
           count(*) filter (where not is_current) as n_previous
    from hits
),
term_rows as (
    select p.term, h.is_current
    from hits h
    join term_postings p on p.position = h.file_row_number
    where p.month between $prev_from and $month_to   -- reads only the two periods' row groups
),
counted as (
    select term,
           count(*) filter (where is_current) as docs,
           count(*) filter (where not is_current) as prev_docs
    from term_rows
    group by term
    having count(*) filter (where is_current) >= $min_docs
)
select c.term, c.docs, c.prev_docs, totals.n_current, totals.n_previous
from counted c, totals
order by c.docs desc, c.term
