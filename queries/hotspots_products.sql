-- hotspots_products: the distinct product names of the global selection ($month_from, $month_to, $org,
-- $scope, $categories, $reasons, $channels, $referred, $basis, $age_group). A hotspots link names a
-- product by a keyed digest (dashboard/analysis/hotspots.product_key); the page maps it back with these.
-- Returns: product, in name order.
select distinct product
from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                         basis := $basis, age_group := $age_group)
where product is not null
order by product
