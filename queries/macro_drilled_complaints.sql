-- macro_drilled_complaints: the complaints of the hotspots page's selection: the global filter set
-- (filtered_complaints) narrowed by the page's drill-down. One definition for every query of the page
-- (hotspots_by_*, terms_hot, complaints_list, complaints_count).
-- Arguments: those of filtered_complaints, then
--   d_org       branch_code whose subtree the drill-down keeps; NULL = no restriction
--   d_product   product; d_province, d_city: the organisation's province and city (NULL = no restriction)
--   s_terms, s_neg  the page's narrative search (queries/macro_search_match.sql; NULL = no search): a filter
--               of the whole page like the drill-down; s_hidden: the ids where a text of it is masked (ibid.)
-- Returns: the complaints' columns plus branch_name, province and city of their organisation.
create or replace macro drilled_complaints(
    month_from, month_to, org, scope, categories, reasons, channels, referred, d_org, d_product, d_province, d_city,
    s_terms, s_neg,
    basis := null, age_group := null, s_hidden := null
) as table
select f.*, b.branch_name, b.province, b.city
from filtered_complaints(month_from, month_to, org, scope, categories, reasons, channels, referred, basis := basis, age_group := age_group) f
left join branches b on b.branch_code = f.branch_code
where (d_org is null or f.branch_code in (select branch_code from branch_tree where ancestor_code = d_org))
  and (d_product is null or f.product = d_product)
  and (d_province is null or b.province = d_province)
  and (d_city is null or b.city = d_city)
  and search_match(f.search_text, s_terms, s_neg, cid := f.complaint_id, s_hidden := s_hidden)
