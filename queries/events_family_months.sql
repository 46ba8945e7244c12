-- events_family_months: complaints per dictionary piece in $month_to and in the $baseline_months months before
-- it, a complaint counting under a piece when its narrative has the piece or a dictionary compound made of it
-- (住房贷款利率 counts under 住房贷款 and 利率): the waves' counts (dashboard/analysis/events.py), so that one
-- problem written as 利率, 住房贷款利率 and 存量房贷利率 is one rising family while hot terms keep each whole.
-- Params: the global filter set ($month_from is not used), $baseline_months (6), and the pairs $compounds /
--   $pieces (VARCHAR[] of the same length: compound i is made of piece i; dashboard/text/terms.py pieces()).
-- Returns: term (the piece), docs (complaints of $month_to), baseline_docs (complaints of the baseline months).
with pairs as (
    select unnest($compounds::varchar[]) as term, unnest($pieces::varchar[]) as piece
),
families as (
    select distinct piece as term, piece from pairs
    union
    select term, piece from pairs
),
hits as (
    select f.file_row_number
    from filtered_complaints(($month_to::date - to_months($baseline_months::integer))::date, $month_to, $org, $scope,
                             $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group) f
),
docs as (
    select fm.piece, p.month, count(distinct p.position)::bigint as docs
    from term_postings p
    join families fm on fm.term = p.term
    where p.month between ($month_to::date - to_months($baseline_months::integer))::date and $month_to
      and p.position in (select file_row_number from hits)
    group by fm.piece, p.month
)
select piece as term,
       coalesce(sum(docs) filter (where month = $month_to), 0)::bigint as docs,
       coalesce(sum(docs) filter (where month < $month_to), 0)::bigint as baseline_docs
from docs
group by piece
order by docs desc, term
