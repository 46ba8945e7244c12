-- complaints_count: how many complaints complaints_list pages through (same selection, same parameters
-- apart from the order and the page).
-- Params: the global filter set, $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg, $term.
-- Returns: complaints.
select count(*) as complaints
from drilled_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                        $d_org, $d_product, $d_province, $d_city, $s_terms, $s_neg, basis := $basis, age_group := $age_group,
                            s_hidden := $s_hidden) f
where ($term is null or f.complaint_id in (
          select complaint_id from complaint_terms
          where month between $month_from and $month_to and list_contains(terms, $term::varchar)))
