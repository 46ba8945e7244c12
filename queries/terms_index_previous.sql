-- terms_index_previous: the rows of the previous snapshot an import may reuse for complaint_terms and
-- complaint_masked (dashboard/derived/terms_index.py): its complaint_terms joined to its complaint_masked on
-- complaint id, narrative MD5 and tokenizer (both are written by one pass; a row missing from either is cut again).
-- Import-time query (views: previous_terms_file, previous_masked_file: the two Parquet files). No parameters.
-- Returns: complaint_id, content_md5, tokenizer, terms, masked.
select t.complaint_id, t.content_md5, t.tokenizer, t.terms, m.masked
from previous_terms_file t
join previous_masked_file m
  on m.complaint_id = t.complaint_id
 and m.content_md5 is not distinct from t.content_md5
 and m.tokenizer = t.tokenizer
