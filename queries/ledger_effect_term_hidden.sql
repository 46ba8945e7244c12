-- ledger_effect_term_hidden: the complaints queries/ledger_effect_terms.sql would count (the same selection and
-- the same match: every key term contained in the narrative as stored) in which one of $check (the terms
-- counted on the masked text, analysis/effect.masked_terms) occurs only inside what the mask hides: the stored
-- narrative contains it, its masked text (complaint_masked) does not. They do not count there (issue 15). A
-- match whose masked text is not stored for this narrative and this masking ($tokenizer) is returned unchecked
-- with its narrative, for analysis/effect.hidden_hits to mask in Python: at most $limit of those.
-- Params: those of ledger_effect_terms, plus $check VARCHAR[], $tokenizer, $limit.
-- Returns: complaint_id, content (raw, NULL where the stored masked text decided), unchecked.
select f.complaint_id,
       case when m.complaint_id is null then f.content end as content,
       m.complaint_id is null as unchecked
from filtered_complaints($month_from, $month_to, $org, $scope,
                         $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group) f
left join complaint_masked m
       on m.complaint_id = f.complaint_id
      and m.month between $month_from::date and $month_to::date
      and m.content_md5 = md5(f.content)
      and m.tokenizer = $tokenizer::varchar
where len($terms::varchar[]) > 0
  and len(list_filter($terms::varchar[], lambda t: contains(coalesce(f.content, ''), t)))
      = len($terms::varchar[])
  and (m.complaint_id is null
       or len(list_filter($check::varchar[],
                          lambda t: contains(f.content, t) and not contains(coalesce(m.masked, f.content), t))) > 0)
qualify not unchecked or row_number() over (partition by unchecked) <= $limit
