"""数据管理's data (the data page draws it): what the published snapshot holds per month, the import log
and the quarantined rows. These read the snapshot's stored tables (complaints, imports, quarantine)
whole: the page is for those who manage the data, and none of it depends on the sidebar's filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd


@dataclass(frozen=True)
class DataPageData:
    """coverage: per loaded month, complaints, open ones and the customer base (month as YYYY-MM);
    missing_customers: the months without any customer base; imports: the import log, newest first;
    quarantine: each quarantined record's latest outcome; history: every quarantined row ever kept."""

    coverage: pd.DataFrame
    missing_customers: list[str]
    imports: pd.DataFrame
    quarantine: pd.DataFrame
    history: pd.DataFrame


def load(run: Callable[[str], pd.DataFrame]) -> DataPageData:
    """`run(name)`: a query of the snapshot without parameters, uncached (the quarantine is rows, not an
    aggregate): the page passes ui.context.snapshot_run (the page shows before any complaint is loaded,
    when there are no filters), the tests db.Catalog.run."""
    coverage = run("data_coverage")
    missing: list[str] = []
    if len(coverage):
        coverage["month"] = pd.to_datetime(coverage["month"]).dt.strftime("%Y-%m")
        missing = coverage[coverage["organisations_with_customers"] == 0]["month"].tolist()
    return DataPageData(
        coverage=coverage,
        missing_customers=missing,
        imports=run("data_imports"),
        quarantine=run("data_quarantine"),
        history=run("data_quarantine_history"),
    )
