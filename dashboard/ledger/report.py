"""`rectifications` in the report command: the open ledger items as the ledger page shows them (an item
whose effect is 未见下降 is open again, 待重开), overdue first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb

from dashboard import config, db
from dashboard.analysis import ledger as ledger_data
from dashboard.analysis.source import Source
from dashboard.filters import Filters
from dashboard.fmt import json_scalar
from dashboard.ledger.store import DONE_STATUSES, Ledger
from dashboard.ledger.verdict import WATCHING
from dashboard.text.masking import mask


def report_section(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    month: date,
    today: date | None = None,
    data_dir: Path | None = None,
    span: tuple[date, date] | None = None,
    **_options,
) -> list[dict]:
    """Open items by the ledger page's rule (analysis/ledger.load: status neither 已整改 nor 已验证 as
    shown, so 待重开 counts), overdue ones first, as of today; `span` (data_span of the snapshot) lets
    the fixed items' effect be evaluated. The ledger is the bank's whole list: the report's dimension
    filters do not narrow it, but a user's scope does (only items about organisations inside it)."""
    items = Ledger(data_dir or config.data_dir()).items(today)
    if filters.scope:
        members = set(db.run(con, "branch_options", scope=filters.scope)["branch_code"])
        items = items[items["branch_code"].isin(members)]
    whole_list = replace(filters, org=None, categories=None, reasons=None)
    listed = ledger_data.load(Source.of(con, filters), whole_list, ledger_data.LedgerState(items, span))
    shown = listed.status
    return [
        {
            "id": int(r.id),
            "title": mask(r.title),
            "source": r.source,
            "branch_code": json_scalar(r.branch_code),
            "business_category": json_scalar(r.business_category),
            "reason": json_scalar(r.reason),
            "complaint_ids": list(r.complaint_ids),
            "key_terms": [mask(t) for t in r.key_terms],  # a term can be personal data (H146)
            "root_cause": json_scalar(r.root_cause),
            "owner_dept": _masked(r.owner_dept),
            "due_date": json_scalar(r.due_date),
            "status": shown[index],
            "stored_status": r.status,
            "effect": listed.verdicts.get(int(r.id), WATCHING) if r.status in DONE_STATUSES else None,
            "overdue": bool(r.overdue),
            "version": int(r.version),
            "updated_by": r.updated_by,
            "updated_at": r.updated_at,
        }
        for index, r in zip(listed.items.index, listed.items.itertuples())
        if shown[index] not in DONE_STATUSES
    ]


def _masked(text) -> str | None:
    """A free-text field (责任部门 may name a person and a phone) masked like the title."""
    value = json_scalar(text)
    return mask(value) if isinstance(value, str) and value else None
