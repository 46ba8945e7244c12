-- import_derive_complaints: the complaints as stored in a snapshot, with the columns every page needs.
-- Table: merged (contract columns and seen_at, queries/import_merged.sql). Params: $repeat_window_days,
-- $default_deadline_days (contract 7: an empty deadline_days is this many days), $elderly_age (contract 2: an
-- elderly customer is this old or older).
-- month          calendar month of received_at (contract 6)
-- is_repeat      within_repeat_window (queries/macro_repeat_window.sql) of the customer's previous complaint in
--                the same business_category, window $repeat_window_days (contract 6). Only the nearest earlier
--                complaint can be the closest, so lag() over the customer's complaints in that category decides.
-- repeat_depth   for the counting basis 合并重复后 inside a user's scope (issue 19): over the customer's earlier
--                complaints in the same business_category within the window (each one that makes this a
--                repeat), the greatest depth below the head office (0) of the organisation that is the nearest
--                common ancestor of both complaints' branches; NULL when no earlier complaint is in the window.
--                Inside the subtree of an organisation at depth d the complaint is a repeat exactly when
--                repeat_depth >= d (an earlier complaint lies in that subtree), so a branch user's count never
--                depends on complaints outside the scope; for the whole bank it is is_repeat (d = 0).
--                Reads branch_tree (queries/import_branch_tree.sql) of the same import.
-- handling_days  closed_at - received_at in days; NULL while open
-- seen_at        when the complaint was last seen in an extract (queries/import_incoming_seen.sql: the row's
--                extracted_at, else that file's own as-of time), never later than the data's as-of time.
-- open_days      for an open complaint, days from receipt to its seen_at; NULL once closed. What is known
--                about an open complaint is as of the last extract that carried it: one branch's newer file
--                moves the store's as-of time, but says nothing about another branch's complaints, which
--                must not turn overdue for days nobody extracted (hostile H201; contract 6 is silent, see
--                docs/data_contract.md). Where every row came with the latest extract this is the as-of
--                time, as before. Fixed per snapshot; with handling_days it turns every deadline rule into a
--                comparison of two numbers, and a rule judged at a cut-off time takes the lesser of the
--                cut-off and this (queries/macro_open_age.sql).
-- granted_days   the complaint's deadline in days (contract 7): deadline_days, else $default_deadline_days.
--                On time: handling_days <= granted_days; overdue: handling_days > granted_days, or
--                open_days > granted_days; a deadline warning: open, open_days <= granted_days and
--                open_days >= 0.8 x granted_days.
-- is_elderly     customer_age >= $elderly_age; NULL when the age is unknown
-- search_text    the narrative as the hotspots page's search reads it: search_fold(content)
--                (queries/macro_search_fold.sql: full-width ASCII forms as ASCII, lower case), folded once here
--                so that a search reads it as cheaply as the plain text (issue 21). Not for display: it is the
--                narrative unmasked (complaints_detail.sql leaves it out).
-- Sorted by received_at so that a month filter reads only that month's row groups.
with as_of as (
    select greatest(max(received_at), max(closed_at)) as as_of from merged
),
depth_of as (   -- each organisation's depth below the head office: its distance to its furthest ancestor
    select branch_code, max(depth) as depth from branch_tree group by branch_code
),
earlier as (    -- (complaint, an earlier complaint of the same customer and category within the window)
    select c.complaint_id, c.branch_code, p.branch_code as earlier_branch
    from merged c
    join merged p
      on p.customer_id = c.customer_id and p.business_category = c.business_category
     and (p.received_at < c.received_at or (p.received_at = c.received_at and p.complaint_id < c.complaint_id))
     and within_repeat_window(p.received_at, c.received_at, $repeat_window_days)
),
repeat_depths as (
    select e.complaint_id, max(d.depth)::integer as repeat_depth
    from earlier e
    join branch_tree a on a.branch_code = e.branch_code
    join branch_tree b on b.branch_code = e.earlier_branch and b.ancestor_code = a.ancestor_code
    join depth_of d on d.branch_code = a.ancestor_code
    group by e.complaint_id
)
select
    merged.* replace (least(merged.seen_at, as_of.as_of) as seen_at),
    date_trunc('month', received_at)::date as month,
    within_repeat_window(lag(received_at) over (partition by customer_id, business_category
                                                order by received_at, complaint_id),
                         received_at, $repeat_window_days) as is_repeat,
    repeat_depths.repeat_depth,
    epoch(closed_at - received_at) / 86400.0 as handling_days,
    case when closed_at is null then epoch(least(merged.seen_at, as_of.as_of) - received_at) / 86400.0 end as open_days,
    coalesce(deadline_days, $default_deadline_days)::integer as granted_days,
    customer_age >= $elderly_age as is_elderly,
    search_fold(content) as search_text
from merged
cross join as_of
left join repeat_depths using (complaint_id)
order by received_at, complaint_id
