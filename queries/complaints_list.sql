-- complaints_list: one page of the complaints behind the page's selection, sorted in SQL.
-- Selection: the global filter set, the drill-down ($d_org, $d_product, $d_province, $d_city) and the
-- narrative search ($s_terms, $s_neg: queries/macro_search_match.sql) as in hotspots_by_dimension, plus
-- $term (the narrative's terms in complaint_terms contain it); NULL = no restriction.
-- Order: $sort_key, one of received_at, closed_at, handling_days, amount, branch_code,
--   business_category, complaint_id (anything else: by complaint_id only), $sort_desc (BOOLEAN);
--   complaint_id breaks ties. Page: $limit rows from $offset.
-- Returns: complaint_id, received_at, closed_at, handling_days (stored: closed_at - received_at in
--   days, NULL while open), status, branch_code, branch_name, channel, business_category, reason, product, amount,
--   regulator_referred, content (raw: mask it before showing or exporting).
-- Speed: the page is chosen on the narrow columns; only its rows' narratives are read (the narrative
-- column is most of the file: reading it for the whole selection cost more than everything else).
with hits as (
    select f.complaint_id, f.month, f.received_at, f.closed_at, f.handling_days, f.status, f.branch_code,
           f.branch_name, f.channel, f.business_category, f.reason, f.product, f.amount, f.regulator_referred
    from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                            $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg, basis := $basis, age_group := $age_group,
                            s_hidden := $s_hidden) f
    where ($term is null or f.complaint_id in (
              select complaint_id from complaint_terms
              where month between $month_from and $month_to and list_contains(terms, $term::varchar)))
),
page as (
    select *
    from hits
    order by
        case when $sort_key = 'received_at' and not $sort_desc then received_at end asc nulls last,
        case when $sort_key = 'received_at' and $sort_desc then received_at end desc nulls last,
        case when $sort_key = 'closed_at' and not $sort_desc then closed_at end asc nulls last,
        case when $sort_key = 'closed_at' and $sort_desc then closed_at end desc nulls last,
        case when $sort_key = 'handling_days' and not $sort_desc then handling_days end asc nulls last,
        case when $sort_key = 'handling_days' and $sort_desc then handling_days end desc nulls last,
        case when $sort_key = 'amount' and not $sort_desc then amount end asc nulls last,
        case when $sort_key = 'amount' and $sort_desc then amount end desc nulls last,
        case when $sort_key = 'branch_code' and not $sort_desc then branch_code end asc nulls last,
        case when $sort_key = 'branch_code' and $sort_desc then branch_code end desc nulls last,
        case when $sort_key = 'business_category' and not $sort_desc then business_category end asc nulls last,
        case when $sort_key = 'business_category' and $sort_desc then business_category end desc nulls last,
        case when $sort_key = 'complaint_id' and $sort_desc then complaint_id end desc nulls last,
        complaint_id
    limit $limit offset $offset
),
numbered as (
    -- the page's order, kept through the narrative lookup below
    select *, row_number() over (
        order by
            case when $sort_key = 'received_at' and not $sort_desc then received_at end asc nulls last,
            case when $sort_key = 'received_at' and $sort_desc then received_at end desc nulls last,
            case when $sort_key = 'closed_at' and not $sort_desc then closed_at end asc nulls last,
            case when $sort_key = 'closed_at' and $sort_desc then closed_at end desc nulls last,
            case when $sort_key = 'handling_days' and not $sort_desc then handling_days end asc nulls last,
            case when $sort_key = 'handling_days' and $sort_desc then handling_days end desc nulls last,
            case when $sort_key = 'amount' and not $sort_desc then amount end asc nulls last,
            case when $sort_key = 'amount' and $sort_desc then amount end desc nulls last,
            case when $sort_key = 'branch_code' and not $sort_desc then branch_code end asc nulls last,
            case when $sort_key = 'branch_code' and $sort_desc then branch_code end desc nulls last,
            case when $sort_key = 'business_category' and not $sort_desc then business_category end asc nulls last,
            case when $sort_key = 'business_category' and $sort_desc then business_category end desc nulls last,
            case when $sort_key = 'complaint_id' and $sort_desc then complaint_id end desc nulls last,
            complaint_id) as position
    from page
)
select n.complaint_id, n.received_at, n.closed_at, n.handling_days, n.status, n.branch_code, n.branch_name,
       n.channel, n.business_category, n.reason, n.product, n.amount, n.regulator_referred, c.content
from numbered n
join complaints c on c.complaint_id = n.complaint_id and c.received_at = n.received_at
where c.month between $month_from and $month_to   -- with received_at (the file order): reads only the page's row groups
  and ($scope is null or c.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
order by n.position
