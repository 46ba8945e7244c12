-- macro_per_10k: the rate per 10,000 customers (contract 6: 万人投诉率), one definition for every query that
-- shows it; NULL when there is no customer base. Arguments: complaints (or another count), customers.
create or replace macro per_10k_of(complaints, customers) as complaints * 10000.0 / nullif(customers, 0)
