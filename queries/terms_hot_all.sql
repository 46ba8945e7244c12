-- terms_hot_all: terms_hot (same parameters, same columns) for a selection that is every complaint of the
-- period: no organisation, scope, category, reason, channel, referral or drill-down restriction. The
-- caller (dashboard/analysis/hotspots.py terms_query) chooses it only then. Counts come from the derived
-- table term_month_docs and the totals from complaint_cube, so no complaint row is read.
-- Params: $month_from, $month_to, $prev_from, $min_docs (as terms_hot).
-- Returns: term, docs, prev_docs, n_current, n_previous.
with counted as (
    select term,
           coalesce(sum(docs) filter (where month >= $month_from), 0)::bigint as docs,
           coalesce(sum(docs) filter (where month < $month_from), 0)::bigint as prev_docs
    from term_month_docs
    where month between $prev_from and $month_to
    group by term
    having coalesce(sum(docs) filter (where month >= $month_from), 0) >= $min_docs
),
totals as (
    select coalesce(sum(complaints) filter (where month >= $month_from), 0)::bigint as n_current,
           coalesce(sum(complaints) filter (where month < $month_from), 0)::bigint as n_previous
    from complaint_cube
    where month between $prev_from and $month_to
)
select c.term, c.docs, c.prev_docs, totals.n_current, totals.n_previous
from counted c, totals
order by c.docs desc, c.term
