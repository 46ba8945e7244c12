-- no_customer_key: complaints, in the user's scope, of a source whose mapping declared no customer key
-- (customer_id is the marker prefix + complaint_id); any such complaint makes repeat numbers unknowable.
select count(*) as complaints
from complaints
where starts_with(customer_id, $prefix)
  and ($scope is null or branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
