-- referral_sources: regulator-referred complaints by where they came from (contract 7: 12378, 12363,
-- 地方监管局, 其他; NULL when the extract does not say), per month of $month_from..$month_to.
-- Params: the global filter set ($month_from, $month_to, $org, $scope, $categories, $reasons, $channels,
--   $referred, $basis, $age_group). Returns: month, referral_source, complaints.
select f.month, f.referral_source, count(*)::bigint as complaints
from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred,
                         basis := $basis, age_group := $age_group) f
where f.regulator_referred
group by f.month, f.referral_source
order by f.month, complaints desc
