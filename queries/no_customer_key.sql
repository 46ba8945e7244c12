-- no_customer_key: complaints of a source whose mapping declared no customer key (customer_id is the
-- marker prefix + complaint_id); any such complaint makes repeat numbers unknowable.
select count(*) as complaints
from complaints
where starts_with(customer_id, $prefix)
