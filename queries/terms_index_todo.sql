-- terms_index_todo: the complaints whose narrative must be tokenized for the derived table
-- complaint_terms: those with no terms in the previous snapshot for the same content (by MD5) and the
-- same tokenizer version. Import-time query (tables: complaints of the new snapshot, previous_terms).
-- Params: $tokenizer (fingerprint of the tokenizer, its dictionary and stop words).
-- Returns: complaint_id, content_md5 (NULL when there is no narrative), content.
select c.complaint_id, md5(c.content) as content_md5, c.content
from complaints c
left join previous_terms p
       on p.complaint_id = c.complaint_id
      and p.content_md5 is not distinct from md5(c.content)
      and p.tokenizer = $tokenizer
where p.complaint_id is null
