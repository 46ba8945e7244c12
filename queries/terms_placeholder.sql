-- terms_placeholder: an empty complaint_terms view, for a snapshot written before the derived table
-- existed (or in an older layout), so that the queries naming it still bind; the hotspots page then says
-- that hot terms need a new import. It has no tokenizer column: that is how terms_index.ready() tells
-- it from a real table. Run once on such a snapshot's connection. No parameters.
create or replace view complaint_terms as
select null::varchar as complaint_id, null::date as month, []::varchar[] as terms
where false
