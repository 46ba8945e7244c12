-- complaints_count: how many complaints complaints_list pages through (same selection, same parameters
-- apart from the order and the page).
-- Params: the global filter set, $d_org, $d_product, $d_province, $d_city, $term, $search.
-- Returns: complaints.
select count(*) as complaints
from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred) f
left join branches b on b.branch_code = f.branch_code
where ($d_org is null or f.branch_code in (select branch_code from branch_tree where ancestor_code = $d_org))
  and ($d_product is null or f.product = $d_product)
  and ($d_province is null or b.province = $d_province)
  and ($d_city is null or b.city = $d_city)
  and ($term is null or f.complaint_id in (
          select complaint_id from complaint_terms
          where month between $month_from and $month_to and list_contains(terms, $term::varchar)))
  and ($search is null or contains(lower(f.content), lower($search::varchar)))
