-- events_term_months: complaints per narrative term in $month_to and in each of the $baseline_months months
-- before it, for the rising terms a wave is made of (dashboard/analysis/events.py).
-- Params: the global filter set ($month_from is not used) and $baseline_months (6), $min_docs (terms in fewer
--   complaints of $month_to are left out).
-- Returns: term, docs (complaints of $month_to whose narrative has the term), baseline_docs (complaints of the
--   baseline months with it, in total).
-- Speed: with no filter the counts come from term_month_docs (stored at import); otherwise postings are
-- joined to the filtered complaints. Exactly one branch reads anything (their conditions are constants).
with stored as (
    select term, month, docs
    from term_month_docs
    where unfiltered($org, $scope, $categories, $reasons, $channels, $referred)
      and month between ($month_to::date - to_months($baseline_months::integer))::date and $month_to
),
hits as (
    select f.file_row_number, f.month
    from filtered_complaints(($month_to::date - to_months($baseline_months::integer))::date, $month_to, $org, $scope,
                             $categories, $reasons, $channels, $referred) f
    where not unfiltered($org, $scope, $categories, $reasons, $channels, $referred)
),
live as (
    select p.term, h.month, count(*)::bigint as docs
    from hits h
    join term_postings p on p.position = h.file_row_number
    where p.month between ($month_to::date - to_months($baseline_months::integer))::date and $month_to
    group by p.term, h.month
),
counts as (
    select * from stored
    union all
    select * from live
)
select term,
       coalesce(sum(docs) filter (where month = $month_to), 0)::bigint as docs,
       coalesce(sum(docs) filter (where month < $month_to), 0)::bigint as baseline_docs
from counts
group by term
having coalesce(sum(docs) filter (where month = $month_to), 0) >= $min_docs
order by docs desc, term
