-- complaints_detail: every field of one complaint ($complaint_id) with its organisation and handling
-- timeline, if the global filter set's organisation and scope let the user see it (its period and
-- dimensions are not applied: a complaint picked from a list stays visible).
-- Params: $complaint_id, $org, $scope (on time = closed within the complaint's granted deadline,
--   granted_days: deadline_days, 15 when empty, contract 7; overdue = closed later, or still open when the
--   time it was last seen is past it: open_days > granted_days, queries/import_derive_complaints.sql),
--   $repeat_window_days (the stored rule's window: with a scope, is_repeat is recomputed from the
--   complaints inside it, contract 6's rule as in import_derive_complaints.sql).
-- Returns (one row or none): the stored complaint columns (contract columns, month, is_repeat,
--   handling_days, open_days; not search_text, the narrative's search fold), branch_name, branch_level,
--   branch_path (names from the head office down), province, city, deadline_at, as_of, last_seen_at (an open
--   complaint's seen_at, queries/macro_last_seen.sql; NULL once closed), timeliness ('on_time' | 'late' | 'open_overdue' | 'open').
with one as (
    select f.* exclude (search_text) replace (
        scoped_is_repeat($scope, f.is_repeat, f.customer_id, f.business_category, f.received_at, f.complaint_id,
                         $repeat_window_days) as is_repeat)
    from filtered_complaints(date '1900-01-01', date '2999-12-01', $org, $scope, null, null, null, null) f
    where f.complaint_id = $complaint_id
),
path as (
    select string_agg(a.branch_name, ' / ' order by t.depth desc) as branch_path
    from one
    join branch_tree t on t.branch_code = one.branch_code
    join branches a on a.branch_code = t.ancestor_code
)
select
    one.*,
    b.branch_name, b.level as branch_level, (select branch_path from path) as branch_path,
    b.province, b.city,
    one.received_at + to_days(one.granted_days) as deadline_at,
    (select as_of from snapshot_meta) as as_of,
    last_seen_at(one.received_at, one.open_days) as last_seen_at,
    case
        when one.closed_at is not null and one.closed_at <= one.received_at + to_days(one.granted_days)
            then 'on_time'
        when one.closed_at is not null then 'late'
        when one.open_days > one.granted_days then 'open_overdue'
        else 'open'
    end as timeliness,
    one.granted_days > 15 as extended
from one
left join branches b on b.branch_code = one.branch_code
