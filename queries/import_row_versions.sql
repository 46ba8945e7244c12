-- import_row_versions: fingerprints of each complaint row in the stored column types.
-- Table: version_rows (incoming rows after import_cast_complaints, or the stored complaints).
-- Hashing the typed row makes the same rows read from CSV, Excel or Parquet hash equal; any change of
-- any contract column (extracted_at included) makes a new version. A row whose optional columns of
-- contract section 7 are all empty hashes as it did before those columns existed, so an old extract
-- sent again after the upgrade is still recognised (older_version).
--   row_hash     the row exactly
--   minute_hash  the row with its times cut to the minute: an old extract re-saved in Excel writes 09:15 for
--                09:15:37 and is still recognised by it (hostile H193; import_classify_complaints uses it only
--                for rows whose times are all whole minutes). NULL for versions stored before it was kept.
with typed as (
    select
        complaint_id,
        case
            when deadline_days is null and referral_source is null and redress_amount is null
            then json_merge_patch(to_json(version_rows),
                                  '{"deadline_days": null, "referral_source": null, "redress_amount": null}')
            else to_json(version_rows)
        end as row_json,
        json_object('received_at', date_trunc('minute', received_at),
                    'closed_at', date_trunc('minute', closed_at),
                    'extracted_at', date_trunc('minute', extracted_at)) as minute_times
    from version_rows
)
select
    complaint_id,
    md5(row_json) as row_hash,
    md5(json_merge_patch(row_json, minute_times)) as minute_hash
from typed
