-- hotspots_elderly_terms: narrative terms among elderly customers' complaints (customer_age >= 60) against
-- among all complaints with an age, in the hotspots page's selection ($month_from..$month_to; the global
-- filter set, drill-down and search as terms_hot; $age_group is bound and not applied: the customer group is
-- the comparison). Complaints without an age are on neither side. For the over-represented terms of the
-- elderly profile (dashboard/analysis/hotspots.py elderly_terms).
-- Params: the global filter set, the drill-down, the search, $min_docs (terms in fewer elderly narratives are
--   left out).
-- Returns: term, elderly_docs (elderly complaints whose narrative contains it), docs (complaints with an age
--   whose narrative contains it), n_elderly, n_everyone (elderly complaints / complaints with an age, with or
--   without a narrative: every row repeats them).
with hits as (
    select f.file_row_number, f.is_elderly
    from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                            $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg,
                            basis := $basis, s_hidden := $s_hidden,
                            -- the comparison is the customer group: never narrowed to one (always NULL)
                            age_group := nullif($age_group, $age_group)) f
    where f.is_elderly is not null
),
totals as (
    select count(*) filter (where is_elderly) as n_elderly, count(*) as n_everyone from hits
),
counted as (
    select p.term,
           count(*) filter (where h.is_elderly) as elderly_docs,
           count(*) as docs
    from hits h
    join term_postings p on p.position = h.file_row_number
    where p.month between $month_from and $month_to   -- reads only the period's row groups
    group by p.term
    having count(*) filter (where h.is_elderly) >= $min_docs
)
select c.term, c.elderly_docs, c.docs, totals.n_elderly, totals.n_everyone
from counted c, totals
order by c.elderly_docs desc, c.term
