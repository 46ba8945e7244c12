-- import_surge_slice_months: the derived table surge_slice_months (dashboard/analysis/surges.py), built at
-- import: every slice's complaints per month for the whole bank, unfiltered (queries/macro_surge_slices.sql),
-- so that the surges of the default view (and the report's) need no roll-up of the organisation tree.
-- Returns: kind, branch_code, business_category, reason, product, month, n; sorted by month, so that the
--   12-month window of a surge reads only its row groups.
select *
from surge_slices((select min(month) from complaints), (select max(month) from complaints),
                  null, null, null, null, null, null, null::varchar[][], null::boolean[][])
order by month, kind, branch_code, business_category, reason, product
