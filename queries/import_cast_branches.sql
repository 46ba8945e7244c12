-- import_cast_branches: an extract's validated organisation rows in the stored column types.
-- Table: extract_rows.
select
    branch_code::varchar  as branch_code,
    branch_name::varchar  as branch_name,
    nullif(parent_code::varchar, '') as parent_code,
    level::varchar        as level,
    province::varchar     as province,
    city::varchar         as city
from extract_rows
