-- complaints_search_hidden: for a user who may not reveal personal data, the narratives of the page's drilled
-- selection (the global filter set and the hotspots drill-down $d_org, $d_product, $d_province, $d_city; the
-- rest of the page's search is not applied) in which $search (case-insensitive, full-width ASCII forms read as
-- ASCII as queries/macro_search_match.sql reads them) occurs only inside what the mask hides: the stored
-- narrative contains it (its stored fold, complaints.search_text), its masked text (complaint_masked) does not.
-- Those count as not containing it (dashboard/text/search_guard.py, ui/complaint_list.py). Both are read folded
-- as stored (complaints.search_text, complaint_masked.masked_search: queries/macro_search_fold.sql); a NULL masked
-- text (the mask changed nothing) is the narrative's fold. A hit whose masked
-- text is not stored for this narrative and this masking ($tokenizer: the running code's fingerprint) is returned
-- unchecked with its narrative, for the guard to mask in Python: at most $limit of those (more: the search is
-- refused).
-- Returns: complaint_id, content (raw, NULL where the stored masked text decided), unchecked.
select f.complaint_id,
       case when m.complaint_id is null then f.content end as content,
       m.complaint_id is null as unchecked
from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                        $d_org, $d_product, $d_province, $d_city, null::varchar[][], null::boolean[][], basis := $basis, age_group := $age_group) f
left join complaint_masked m
       on m.complaint_id = f.complaint_id
      and m.month between $month_from::date and $month_to::date
      and m.content_md5 = md5(f.content)
      and m.tokenizer = $tokenizer::varchar
where contains(coalesce(f.search_text, ''), lower($search::varchar))
  and (m.complaint_id is null
       or not contains(coalesce(m.masked_search, f.search_text), lower($search::varchar)))
qualify not unchecked or row_number() over (partition by unchecked) <= $limit
