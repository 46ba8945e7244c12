"""Derived table `complaint_cube`: complaint counts per month and value of every filtered column.

The global filter set only ever looks at month, branch_code, business_category, reason, channel,
regulator_referred, is_repeat (the counting basis 合并重复后) and is_elderly (the customer group), so counting complaints per combination of those once, at import, loses nothing:
filtered_rows('complaint_cube', ...) (queries/macro_filtered_rows.sql) keeps exactly the cube rows whose
complaints filtered_complaints keeps, and the sums of their counts are the counts of those complaints.
The headline metrics (kpis_by_month, rankings_by_org), the trend breakdown, the data's coverage and the
organisation slices of surges read it instead of every complaint of a period: 2.6 million rows at 10
million complaints (650,000 at one million), built in about two seconds by
queries/import_complaint_cube.sql and held compressed in memory by the read connection (about 35 MB;
dashboard/db.py). What needs a complaint's other columns (products, customers, narratives) stays on the
complaints.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from dashboard import db
from dashboard.ingest.store import Snapshot
from dashboard.schema import DEFAULT_DEADLINE_DAYS

NAME = "complaint_cube"


def build(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> pa.Table:
    params = {"default_deadline_days": DEFAULT_DEADLINE_DAYS}
    return con.sql(db.load_sql("import_complaint_cube"), params=params).to_arrow_table()
