"""Derived table `surge_slice_months`: every slice's complaints per month for the whole bank, unfiltered.

The surges of a month compare each slice (queries/macro_surge_slices.sql) with its previous six months,
which rolls every organisation x category x reason x month of a year up the organisation tree: half a
second at ten million complaints, on the page's default view and in every report. The unfiltered slices
are stored once at import (queries/import_surge_slice_months.sql); queries/surges_slice_counts.sql reads
them when no filter is set and counts live otherwise.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from dashboard import db
from dashboard.ingest.store import Snapshot

NAME = "surge_slice_months"


def build(con: duckdb.DuckDBPyConnection, previous: Snapshot | None) -> pa.Table:
    db.create_macros(con)  # here: they bind complaint_cube, which the import has only just written
    return con.sql(db.load_sql("import_surge_slice_months")).to_arrow_table()
