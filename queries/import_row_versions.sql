-- import_row_versions: a fingerprint of each complaint row in the stored column types.
-- Table: version_rows (incoming rows after import_cast_complaints, or the stored complaints).
-- Hashing the typed row makes the same rows read from CSV, Excel or Parquet hash equal; any change of
-- any contract column (extracted_at included) makes a new version. A row whose optional columns of
-- contract section 7 are all empty hashes as it did before those columns existed, so an old extract
-- sent again after the upgrade is still recognised (older_version).
select
    complaint_id,
    md5(case
        when deadline_days is null and referral_source is null and redress_amount is null
        then json_merge_patch(to_json(version_rows),
                              '{"deadline_days": null, "referral_source": null, "redress_amount": null}')
        else to_json(version_rows)
    end) as row_hash
from version_rows
