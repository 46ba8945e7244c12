-- macro_unfiltered: scalar macro unfiltered(org, scope, categories, reasons, channels, referred): whether
-- the global filter set keeps every complaint of its period (queries/macro_filtered_rows.sql), i.e. whether
-- a query may read what the import stored for the whole bank. With bound parameters it is a constant, so
-- DuckDB plans only the branch of a query that it guards.
-- basis and age_group (issue 19: the counting basis and the customer group) are named, NULL or 'all' by default.
create or replace macro unfiltered(org, scope, categories, reasons, channels, referred,
                                   basis := null, age_group := null) as
    org is null and scope is null and categories is null and reasons is null and channels is null
    and referred is null and coalesce(basis, 'all') = 'all' and coalesce(age_group, 'all') = 'all'
