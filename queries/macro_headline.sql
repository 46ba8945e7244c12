-- macro_headline: table macro headline_of(month_from, month_to, org, scope, categories, reasons, channels,
-- referred, repeat_window_days; named basis, age_group, at_level, split_at): the headline metrics (contract 6) under the global
-- filter set, summed from complaint_cube (counted at import: queries/import_complaint_cube.sql). The one
-- definition of every headline count and rate but the rate per 10,000 customers, whose base the two callers
-- take differently (a month's base; a period's mean base):
--   at_level NULL   a row per month from month_from to month_to, months without complaints as zeros
--                (month set, org_code NULL; queries/kpis_by_month.sql)
--   at_level set   a row per organisation of that level inside the org and scope subtrees, each counted over
--                its own subtree for the whole period (org_code set, month NULL; queries/rankings_by_org.sql);
--                with split_at (a month after month_from) two rows per organisation, one per period: month
--                month_from for month_from .. the month before split_at, month split_at for split_at ..
--                month_to (a ranking and its previous period in one statement)
-- Without a scope, repeats are the is_repeat flagged at import (summed in the cube); with one, the stored rule
-- applied among the complaints inside the scope, as the stored flag spans the whole bank (docs/security.md: a
-- branch's numbers are its own): a complaint is a repeat there exactly when its repeat_depth (also counted in
-- the cube, queries/import_derive_complaints.sql) reaches the scope's depth. That is what repeat_flags
-- (queries/repeats_flags.sql) recomputes from the complaints with the stored window, which repeat_window_days
-- is (the import's); reading it from the cube spares every headline query binding and planning repeat_flags'
-- three scans of the complaints (tests/test_headline_planning.py compares both forms).
-- Columns: month, org_code, complaints, closed, on_time, open, open_overdue, on_time_rate, avg_handling_days,
--   repeats, repeat_rate, regulator_referred, extended, extended_closed, extended_on_time,
--   extended_open_overdue, extension_on_time_rate, resolved, with_result, resolution_rate, satisfied,
--   surveyed, satisfaction_rate, amount_total, with_amount, redress_total, redressed, elderly, age_unknown,
--   age_known, elderly_share (column meanings: queries/kpis_by_month.sql).
create or replace macro headline_of(
    month_from, month_to, org, scope, categories, reasons, channels, referred, repeat_window_days,
    basis := null, age_group := null, at_level := null, split_at := null
) as table
with keys as (
    select unnest(generate_series(month_from::date, month_to::date, interval 1 month))::date as month,
           null::varchar as org_code
    where at_level is null
    union all
    select p.month, b.branch_code
    from branches b
    cross join (select unnest(case when split_at is null then [null::date]
                                   else [month_from::date, split_at::date] end) as month) p
    where b.level = at_level
      and (org is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = org))
      and (scope is null or b.branch_code in (select branch_code from branch_tree where ancestor_code = scope))
),
cube as (
    -- a cube row keyed by its month, or by its ancestor at at_level (a cube row is one branch's) and its period
    select case when at_level is null then c.month
                when split_at is null then null
                when c.month >= split_at then split_at::date
                else month_from::date end as key_month,
           t.ancestor_code as key_org, c.*
    from filtered_rows('complaint_cube', month_from, month_to, org, scope,
                       categories, reasons, channels, referred, basis := basis, age_group := age_group) c
    left join branch_tree t on at_level is not null and t.branch_code = c.branch_code and t.ancestor_level = at_level
),
scope_depth as (
    -- the scope's depth below the head office (NULL without a scope): inside it a complaint is a repeat
    -- exactly when its repeat_depth reaches it (queries/import_derive_complaints.sql)
    select max(depth) as depth from branch_tree where branch_code = scope
),
sums as (
    select
        key_month as month,
        key_org as org_code,
        sum(complaints)::bigint                                   as complaints,
        sum(closed)::bigint                                       as closed,
        sum(on_time)::bigint                                      as on_time,
        sum(complaints - closed)::bigint                          as open,
        sum(open_overdue)::bigint                                 as open_overdue,
        sum(handling_days) / nullif(sum(closed), 0)               as avg_handling_days,
        sum(repeats)::bigint                                      as repeats,
        coalesce(sum(complaints) filter (where repeat_depth >= scope_depth.depth), 0)::bigint as scoped_repeats,
        coalesce(sum(complaints) filter (where regulator_referred), 0)::bigint as regulator_referred,
        sum(extended)::bigint                                     as extended,
        sum(extended_closed)::bigint                              as extended_closed,
        sum(extended_on_time)::bigint                             as extended_on_time,
        sum(extended_open_overdue)::bigint                        as extended_open_overdue,
        sum(resolved)::bigint                                     as resolved,
        sum(with_result)::bigint                                  as with_result,
        sum(satisfied)::bigint                                    as satisfied,
        sum(surveyed)::bigint                                     as surveyed,
        sum(amount_total)                                         as amount_total,
        sum(with_amount)::bigint                                  as with_amount,
        sum(redress_total)                                        as redress_total,
        sum(redressed)::bigint                                    as redressed,
        coalesce(sum(complaints) filter (where is_elderly), 0)::bigint as elderly,
        coalesce(sum(complaints) filter (where is_elderly is null), 0)::bigint as age_unknown
    from cube
    cross join scope_depth
    group by key_month, key_org
)
select
    keys.month,
    keys.org_code,
    coalesce(p.complaints, 0)          as complaints,
    coalesce(p.closed, 0)              as closed,
    coalesce(p.on_time, 0)             as on_time,
    coalesce(p.open, 0)                as open,
    coalesce(p.open_overdue, 0)        as open_overdue,
    on_time_rate_of(p.on_time, p.closed, p.open_overdue) as on_time_rate,
    p.avg_handling_days,
    coalesce(case when scope is null then p.repeats else p.scoped_repeats end, 0) as repeats,
    repeat_rate_of(case when scope is null then p.repeats else coalesce(p.scoped_repeats, 0) end,
                   p.complaints) as repeat_rate,
    coalesce(p.regulator_referred, 0)  as regulator_referred,
    coalesce(p.extended, 0)            as extended,
    coalesce(p.extended_closed, 0)     as extended_closed,
    coalesce(p.extended_on_time, 0)    as extended_on_time,
    coalesce(p.extended_open_overdue, 0) as extended_open_overdue,
    on_time_rate_of(p.extended_on_time, p.extended_closed, p.extended_open_overdue) as extension_on_time_rate,
    coalesce(p.resolved, 0)            as resolved,
    coalesce(p.with_result, 0)         as with_result,
    resolution_rate_of(p.resolved, p.with_result) as resolution_rate,
    coalesce(p.satisfied, 0)           as satisfied,
    coalesce(p.surveyed, 0)            as surveyed,
    satisfaction_rate_of(p.satisfied, p.surveyed) as satisfaction_rate,
    coalesce(p.amount_total, 0)        as amount_total,
    coalesce(p.with_amount, 0)         as with_amount,
    coalesce(p.redress_total, 0)       as redress_total,
    coalesce(p.redressed, 0)           as redressed,
    coalesce(p.elderly, 0)             as elderly,
    coalesce(p.age_unknown, 0)         as age_unknown,
    coalesce(p.complaints - p.age_unknown, 0) as age_known,
    elderly_share_of(p.elderly, p.complaints, p.age_unknown) as elderly_share
from keys
left join sums p on p.month is not distinct from keys.month and p.org_code is not distinct from keys.org_code
