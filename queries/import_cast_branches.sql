-- import_cast_branches: an extract's validated organisation rows in the stored column types.
-- Table: extract_rows.
select
    branch_code::varchar  as branch_code,
    branch_name::varchar  as branch_name,
    nullif(parent_code::varchar, '') as parent_code,
    level::varchar        as level,
    province::varchar     as province,
    city::varchar         as city,
    is_outlet::boolean    as is_outlet   -- contract section 7: NULL = by level (支行), see macro_is_outlet
from extract_rows
