"""`rectifications` in the report command: the open ledger items, overdue first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from dashboard import config, db
from dashboard.filters import Filters
from dashboard.ledger.store import DONE_STATUSES, Ledger
from dashboard.text.masking import mask


def report_section(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    month: date,
    today: date | None = None,
    data_dir: Path | None = None,
    **_options,
) -> list[dict]:
    """Open items (status neither 已整改 nor 已验证), overdue ones first, as of today. The ledger is the
    bank's whole list: the report's dimension filters do not narrow it, but a user's scope does (only
    items about organisations inside it)."""
    items = Ledger(data_dir or config.data_dir()).items(today)
    items = items[~items["status"].isin(DONE_STATUSES)]
    if filters.scope:
        members = set(db.run(con, "branch_options", scope=filters.scope)["branch_code"])
        items = items[items["branch_code"].isin(members)]
    return [
        {
            "id": int(r.id),
            "title": mask(r.title),
            "source": r.source,
            "branch_code": r.branch_code,
            "business_category": r.business_category,
            "reason": r.reason,
            "complaint_ids": list(r.complaint_ids),
            "key_terms": list(r.key_terms),
            "root_cause": r.root_cause,
            "owner_dept": r.owner_dept,
            "due_date": r.due_date,
            "status": r.status,
            "overdue": bool(r.overdue),
            "version": int(r.version),
            "updated_by": r.updated_by,
            "updated_at": r.updated_at,
        }
        for r in items.itertuples()
    ]
