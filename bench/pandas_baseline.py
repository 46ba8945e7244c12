"""The usual Streamlit approach, as a baseline: load the extracts into pandas, compute the numbers there.

Written independently of queries/ (straight from the contract's definitions), so it doubles as the
second method that tests compare the SQL against.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

DEADLINE = pd.Timedelta(days=15)


def load(extracts: Path) -> dict[str, pd.DataFrame]:
    """Read the three extract files the way a plain pandas app would at start-up."""
    complaints = pd.read_parquet(extracts / "complaints.parquet")
    complaints["received_at"] = pd.to_datetime(complaints["received_at"])
    complaints["closed_at"] = pd.to_datetime(complaints["closed_at"])
    complaints["month"] = complaints["received_at"].dt.to_period("M")
    # Repeat flag: previous complaint of the same customer and category within 30 calendar days.
    complaints = complaints.sort_values(["customer_id", "business_category", "received_at", "complaint_id"])
    previous = complaints.groupby(["customer_id", "business_category"], sort=False)["received_at"].shift()
    gap = complaints["received_at"].dt.normalize() - previous.dt.normalize()
    complaints["is_repeat"] = (gap <= pd.Timedelta(days=30)).fillna(False).astype(bool)
    branches = pd.read_parquet(extracts / "branches.parquet")
    customers = pd.read_parquet(extracts / "customers_monthly.parquet")
    customers["month"] = pd.PeriodIndex(customers["month"].astype(str), freq="M")
    return {"complaints": complaints, "branches": branches, "customers": customers}


def subtree(branches: pd.DataFrame, org: str | None) -> set[str] | None:
    if org is None:
        return None
    children = branches.groupby(branches["parent_code"].fillna(""))["branch_code"].apply(list).to_dict()
    members, frontier = {org}, [org]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, [])]
        members.update(frontier)
    return members


def month_kpis(data: dict[str, pd.DataFrame], month: date, org: str | None = None,
               categories: list[str] | None = None, as_of: pd.Timestamp | None = None) -> dict:
    c, customers = data["complaints"], data["customers"]
    members = subtree(data["branches"], org)
    period = pd.Period(month, freq="M")
    if as_of is None:
        as_of = max(c["received_at"].max(), c["closed_at"].max())

    def counts(p: pd.Period) -> pd.DataFrame:
        rows = c[c["month"] == p]
        if members is not None:
            rows = rows[rows["branch_code"].isin(members)]
        if categories:
            rows = rows[rows["business_category"].isin(categories)]
        return rows

    this = counts(period)
    prev_n, year_n = len(counts(period - 1)), len(counts(period - 12))
    base = customers[customers["month"] == period]
    if members is not None:
        base = base[base["branch_code"].isin(members)]
    n_customers = base["customer_count"].sum()
    closed = this["closed_at"].notna()
    on_time = (this["closed_at"] <= this["received_at"] + DEADLINE) & closed
    overdue_open = ~closed & (as_of > this["received_at"] + DEADLINE)
    denominator = closed.sum() + overdue_open.sum()
    handling = (this["closed_at"] - this["received_at"]).dt.total_seconds() / 86400
    pct = lambda now, before: None if before == 0 else (now - before) / before * 100  # noqa: E731
    return {
        "complaints": len(this),
        "mom_pct": pct(len(this), prev_n),
        "yoy_pct": pct(len(this), year_n),
        "per_10k": len(this) / n_customers * 10000 if n_customers else None,
        "on_time_rate": on_time.sum() / denominator if denominator else None,
        "avg_handling_days": handling[closed].mean() if closed.any() else None,
        "regulator_referred": int(this["regulator_referred"].sum()),
        "open": int((~closed).sum()),
        "open_overdue": int(overdue_open.sum()),
        "repeat_rate": this["is_repeat"].mean() if len(this) else None,
    }


def as_float(value) -> float:
    return np.nan if value is None else float(value)
