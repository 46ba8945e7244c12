-- similar_fingerprints: per receipt month, a fingerprint of everything the similar-complaint grouping reads
-- (complaint_id, customer_id, received_at, content), used at import to reuse the previous snapshot's groups
-- of months whose complaints did not change. Import time only. Table: complaints. No parameters.
--   month        first day of the receipt month
--   complaints   rows in the month
--   fingerprint  count and an order-independent XOR of row hashes, as text
select month,
       count(*) as complaints,
       count(*)::varchar || ':' || bit_xor(hash(complaint_id, customer_id, received_at, content))::varchar
           as fingerprint
from complaints
group by month
order by month
