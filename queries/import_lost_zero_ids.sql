-- import_lost_zero_ids: an extract's numeric ids (table file_ids: column_name 'complaint_id' or 'customer_id',
-- id, digits only) that are a stored id of the same column with leading zeros added or taken away (7001
-- against a stored 007001): one of the two exports went through Excel as numbers (hostile H143).
-- Candidates only: whether the file's id is itself stored as it is is import_stored_ids' question, asked
-- of these few. Cheap on a large store: each file id is turned into the few stored ids it could stand for
-- (to the widths stored ids have) and those are looked up by equality, one stored column at a time.
with
    widths as (
        select distinct 'complaint_id' as column_name, strlen(complaint_id) as width, starts_with(complaint_id, '0') as padded
        from stored_complaints
        union all
        select distinct 'customer_id', strlen(customer_id), starts_with(customer_id, '0')
        from stored_complaints
    ),
    probes as (
        -- zeros added: a stored id with leading zeros that is the file's id padded to its width
        select f.column_name, f.id, lpad(f.id, w.width::integer, '0') as probe
        from file_ids f
        join widths w on w.column_name = f.column_name and w.padded and w.width > length(f.id)
        union all
        -- zeros taken away: a stored id that is the file's id without some of its leading zeros
        select f.column_name, f.id, right(f.id, w.width::integer)
        from file_ids f
        join widths w on w.column_name = f.column_name and w.width < length(f.id)
        where starts_with(f.id, '0') and w.width >= length(ltrim(f.id, '0')) and w.width > 0
    )
select distinct p.column_name, p.id, s.complaint_id as stored_id
from probes p
join stored_complaints s on s.complaint_id = p.probe
where p.column_name = 'complaint_id'
union all
select distinct p.column_name, p.id, s.customer_id
from probes p
join stored_complaints s on s.customer_id = p.probe
where p.column_name = 'customer_id'
order by 1, 2, 3
