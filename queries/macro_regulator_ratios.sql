-- macro_regulator_ratios: the regulator's ratios (contract 7, the quarterly 银行业消费投诉情况通报), one
-- definition each; NULL without a base. Over a span of months the caller passes the sum of complaints and the
-- mean monthly base.
--   per_10m_of(complaints, customers)     complaints / personal customers x 10,000,000 (每千万个人客户投诉量)
--   per_1k_outlets_of(complaints, outlets) complaints / business outlets x 1,000 (每千营业网点投诉量)
create or replace macro per_10m_of(complaints, customers) as complaints * 10000000.0 / nullif(customers, 0);
create or replace macro per_1k_outlets_of(complaints, outlets) as complaints * 1000.0 / nullif(outlets, 0);
