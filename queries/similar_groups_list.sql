-- similar_groups_list: the groups of similar complaints (相似投诉; near-duplicate narratives from different
-- customers, found at import: table similar_groups, see dashboard/derived/similar_index.py) with members
-- among the complaints that pass the global filter set. Counts are over those members.
-- Params: the global filter set and
--   $min_size  groups with fewer members passing the filters are left out
--   $limit     how many groups to return
-- Columns: group_id, size (members passing the filters), group_size (all members, whatever the filters, but
--   within the caller's scope: a branch user counts only the members they may see),
--   customers, branches (distinct branch_code), branch_codes (list), channels (list), categories (list),
--   business_category (the most common), reason (the most common), first_received_at, last_received_at,
--   days_spanned (calendar days from the first to the last, both included), representative_id and
--   representative (the group's representative narrative if it passes the filters, else the member with the
--   smallest complaint_id; raw: callers mask it), groups (how many groups qualify, the same on every row).
-- Ordered by size (descending), then the first complaint.
-- Speed: similar_groups holds each member's filtered columns and narrative (stored at import), so the
-- global filter set applies to it directly and complaints.parquet is not read at all.
with members as (
    select group_id, is_representative, group_size, complaint_id, customer_id, branch_code, channel,
           business_category, reason, received_at
    from filtered_rows('similar_groups', $month_from, $month_to, $org, $scope,
                       $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group)
),
per_group as (
    select group_id,
           count(*) as size,
           any_value(group_size) as group_size,
           count(distinct customer_id) as customers,
           count(distinct branch_code) as branches,
           list(distinct branch_code order by branch_code) as branch_codes,
           list(distinct channel order by channel) as channels,
           list(distinct business_category order by business_category) as categories,
           mode(business_category order by business_category) as business_category,
           mode(reason order by reason) as reason,
           min(received_at) as first_received_at,
           max(received_at) as last_received_at,
           date_diff('day', min(received_at)::date, max(received_at)::date) + 1 as days_spanned,
           arg_min(complaint_id, (not is_representative, complaint_id)) as representative_id
    from members
    group by group_id
    having count(*) >= $min_size
),
listed as (
    select *, count(*) over () as groups
    from per_group
    order by size desc, first_received_at, group_id
    limit $limit
),
-- a scoped user's group sizes: the listed groups' members inside the scope (any month, any filter)
scoped_sizes as (
    select s.group_id, count(*) as group_size
    from similar_groups s
    where $scope is not null
      and ($scope is null or s.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
      and s.group_id in (select group_id from listed)
    group by s.group_id
)
-- the listed representatives' narratives (one row each, a member that passed the filters)
select l.group_id, l.size, l.customers, l.branches, l.branch_codes, l.channels, l.categories,
       l.business_category, l.reason, l.first_received_at, l.last_received_at, l.days_spanned,
       l.representative_id, g.content as representative, coalesce(z.group_size, l.group_size) as group_size,
       l.groups
from listed l
left join scoped_sizes z on z.group_id = l.group_id
join filtered_rows('similar_groups', $month_from, $month_to, $org, $scope,
                   $categories, $reasons, $channels, $referred, basis := $basis, age_group := $age_group) g
  on g.group_id = l.group_id and g.complaint_id = l.representative_id
order by l.size desc, l.first_received_at, l.group_id
