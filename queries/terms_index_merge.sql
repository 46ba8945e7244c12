-- terms_index_merge: the derived table complaint_terms, one row per complaint of the new snapshot.
-- Import-time query (tables: complaints, previous_terms, fresh_terms = the rows just tokenized).
-- Params: $tokenizer (fingerprint stored with every row, so a changed dictionary retokenizes).
-- Returns: complaint_id, month, content_md5, tokenizer, terms (VARCHAR[]: the narrative's distinct
-- terms, in order of first occurrence; [] when there is no narrative), masked (the narrative as masked
-- for complaint_masked, NULL when the mask changes nothing). Reused terms come from the
-- previous snapshot where complaint_id, content MD5 and tokenizer all match; the rest from fresh_terms.
-- Sorted like complaints (by received_at), so a filter on month reads only that period's row groups.
select
    c.complaint_id,
    c.month,
    md5(c.content) as content_md5,
    $tokenizer::varchar as tokenizer,
    coalesce(f.terms, p.terms, []::varchar[]) as terms,
    case when f.complaint_id is not null then f.masked else p.masked end as masked
from complaints c
left join previous_terms p
       on p.complaint_id = c.complaint_id
      and p.content_md5 is not distinct from md5(c.content)
      and p.tokenizer = $tokenizer
left join fresh_terms f on f.complaint_id = c.complaint_id
order by c.received_at, c.complaint_id
