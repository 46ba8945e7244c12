-- events_term_postings: which complaints of $month_to have which of the given narrative terms, for the
-- co-occurrence of rising terms and a wave's members (dashboard/analysis/events.py).
-- Params: the global filter set ($month_from is not used: the month is $month_to) and $terms (VARCHAR[]).
-- Returns: complaint_id, customer_id, received_at, term.
select f.complaint_id, f.customer_id, f.received_at, p.term
from filtered_complaints($month_to, $month_to, $org, $scope, $categories, $reasons, $channels, $referred) f
join term_postings p on p.position = f.file_row_number
where p.month = $month_to and list_contains($terms::varchar[], p.term)
order by f.complaint_id, p.term
