-- terms_placeholder: an empty complaint_terms view for a snapshot imported with the narrative analysis
-- deferred (`ingest --defer-text`), so that the complaint list and count, whose term filter names the
-- table, and terms_tokenizer, still bind; the hotspots page says the hot terms need `python -m dashboard rebuild`. Run by
-- dashboard/db.py when the connection opens. No parameters.
create or replace view complaint_terms as
select null::varchar as complaint_id, null::date as month, []::varchar[] as terms, null::varchar as tokenizer
where false
