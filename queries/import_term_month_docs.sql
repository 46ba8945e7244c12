-- import_term_month_docs: the derived table term_month_docs (dashboard/derived/term_postings.py), built at
-- import from term_postings (a row per complaint and distinct narrative term).
-- Returns: month, term, docs (complaints received that month whose narrative contains the term).
select month, term, count(*)::bigint as docs
from term_postings
group by month, term
order by month, term
