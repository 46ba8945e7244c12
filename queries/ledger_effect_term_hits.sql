-- ledger_effect_term_hits: the complaints queries/ledger_effect_terms.sql counts (the same selection and
-- the same match: every key term contained in the narrative as stored), with their narratives, at most $limit.
-- Read before counting so that a term found only inside what the mask hides does not count there
-- (analysis/effect.hidden_hits, issue 15).
-- Params: those of ledger_effect_terms, plus $limit.
-- Returns: complaint_id, content (raw).
select complaint_id, content
from filtered_complaints($month_from, $month_to, $org, $scope,
                         $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
where len($terms::varchar[]) > 0
  and len(list_filter($terms::varchar[], lambda t: contains(coalesce(content, ''), t)))
      = len($terms::varchar[])
limit $limit
