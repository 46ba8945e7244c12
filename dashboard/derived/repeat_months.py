"""Derived table `repeat_months`: the whole bank's complaints, repeats and repeat customers per month under
the rule the import stores in is_repeat.

The repeats page opens on a 12-month trend whose repeat customers are a distinct count over a year of
complaints (150 ms at ten million). With no filter and the import's rule the counts are stored once at
import (queries/import_repeat_months.sql); queries/repeats_by_month.sql reads them then and counts live
otherwise, both through the one definition in queries/macro_repeat_months.sql.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from dashboard import db
from dashboard.config import REPEAT_WINDOW_DAYS
from dashboard.ingest.store import Snapshot

NAME = "repeat_months"


def build(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> pa.Table:
    db.create_macros(con)
    params = {"repeat_window_days": REPEAT_WINDOW_DAYS}
    return con.sql(db.load_sql("import_repeat_months"), params=params).to_arrow_table()
