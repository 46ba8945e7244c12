-- medians_create: the regulator's published medians as typed in by the user (issue 19), in their own (SQLite)
-- SQLite file beside the ledger (data/ledger/regulator_medians.sqlite). No parameters.
--   quarter        'YYYY-Qn' (e.g. 2026-Q3)
--   peer_group     the bulletin's group the bank is compared with (e.g. 全国性股份制商业银行)
--   median_per_10m  median of regulator-referred complaints per 10 million personal customers
--   median_per_1k_outlets  median per 1,000 business outlets
--   updated_at, updated_by
create table if not exists regulator_medians (
    quarter varchar not null,
    peer_group varchar not null,
    median_per_10m double,
    median_per_1k_outlets double,
    updated_at varchar not null,
    updated_by varchar,
    primary key (quarter, peer_group)
)
