-- import_row_versions: a fingerprint of each complaint row in the stored column types.
-- Table: version_rows (incoming rows after import_cast_complaints, or the stored complaints).
-- Hashing the typed row makes the same rows read from CSV, Excel or Parquet hash equal; any change of
-- any contract column (extracted_at included) makes a new version.
select complaint_id, md5(to_json(version_rows)) as row_hash
from version_rows
