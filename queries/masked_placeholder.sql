-- masked_placeholder: an empty complaint_masked view for a snapshot without that table (its narrative analysis
-- deferred, `ingest --defer-text`, or written before the table existed), so that the search guard's queries
-- (complaints_search_hidden, ledger_effect_term_hidden) bind and find no stored masked text: every hit is then
-- masked in Python, capped (dashboard/derived/masked_text.py). Run by dashboard/db.py when the connection opens.
-- No parameters.
create or replace view complaint_masked as
select null::varchar as complaint_id, null::date as month, null::varchar as content_md5,
       null::varchar as tokenizer, null::varchar as masked, null::varchar as masked_search
where false
