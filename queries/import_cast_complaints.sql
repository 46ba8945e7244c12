-- import_cast_complaints: an extract's validated complaint rows in the stored column types.
-- Table: extract_rows (the validator's clean frame).
select
    complaint_id::varchar           as complaint_id,
    received_at::timestamp          as received_at,
    closed_at::timestamp            as closed_at,
    branch_code::varchar            as branch_code,
    channel::varchar                as channel,
    business_category::varchar      as business_category,
    reason::varchar                 as reason,
    product::varchar                as product,
    customer_id::varchar            as customer_id,
    customer_age::integer           as customer_age,
    amount::decimal(18, 2)          as amount,
    content::varchar                as content,
    status::varchar                 as status,
    result::varchar                 as result,
    satisfaction::varchar           as satisfaction,
    regulator_referred::boolean     as regulator_referred,
    root_cause::varchar             as root_cause,
    extracted_at::timestamp         as extracted_at,
    -- contract section 7 (optional): NULL when the extract lacks them
    deadline_days::integer          as deadline_days,
    referral_source::varchar        as referral_source,
    redress_amount::decimal(18, 2)  as redress_amount
from extract_rows
