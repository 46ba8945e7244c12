"""The usual Streamlit approach, as a baseline: load the extracts into pandas, compute the numbers there.

Written independently of queries/ (straight from the contract's definitions in
/work/shared/contract/DATA_CONTRACT.md), so it doubles as the second method that tests compare the SQL
against (tests/test_bench_baseline.py).

One function per page computes that page's first-view numbers the way a plain pandas app would, on every
view (no result cache, as on our side's bench):

- trends     36 months of the headline metrics (24 shown, each with its 同比 month), 24 months by business
             category, the month's movers against the previous month (category, reason, tier-1 branch,
             channel)
- hotspots   category x reason, channel, product, province and city (with rates), the organisations one
             level below the selection, surge candidates of the month against the previous 6 months, the
             complaint list's count and first 50 rows by receipt (newest first). Out of scope: the hot
             terms (they need the narratives segmented into words, which the import does once for the
             app; a pandas app would have to do the same at start-up).
- rankings   per organisation at one level: volume, per 10,000 customers, on-time rate, average handling
             days, satisfaction, referred, repeat rate, for the month and the previous month; a rank
             (by the weighted mean of each metric's percentile) and its change
- repeats    repeat complaints by month (12 months) and by organisation, the top repeat customers and the
             first one's complaints
- recurring  (branch, category, reason) with complaints in at least 3 of the last 6 months
- similar    not implemented: near-duplicate narratives need an index built at import (as the app does)

Repeat flags are computed once at load with the contract's rule (the page's default); a pandas app that
lets the user change the rule would recompute them on each change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from scipy.stats import poisson

DEADLINE_DAYS = 15
REPEAT_WINDOW_DAYS = 30
LEVELS = ("一级分行", "二级分行", "支行")
DAY = pd.Timedelta(days=1)


# --- Loading ---------------------------------------------------------------------------------------
def load(extracts: Path) -> dict:
    """Read the three extract files the way a careful pandas app would at start-up: every column but the
    narratives, which no pandas page here analyses (10 million narratives would not fit in this
    machine's memory beside the rest)."""
    path = extracts / "complaints.parquet"
    columns = [c for c in pq.read_schema(path).names if c != "content"]
    complaints = pd.read_parquet(path, columns=columns)
    return prepare(
        complaints,
        pd.read_parquet(extracts / "branches.parquet"),
        pd.read_parquet(extracts / "customers_monthly.parquet"),
    )


def prepare(complaints: pd.DataFrame, branches: pd.DataFrame, customers: pd.DataFrame) -> dict:
    """Derived columns and the organisation tree; the frames as read (contract column names)."""
    c = complaints.copy()
    c["received_at"] = pd.to_datetime(c["received_at"])
    c["closed_at"] = pd.to_datetime(c["closed_at"])
    c["month"] = c["received_at"].dt.to_period("M")
    c["handling_days"] = (c["closed_at"] - c["received_at"]) / DAY
    # Repeat: the customer's previous complaint in the same category lies within 30 calendar days.
    c = c.sort_values(["customer_id", "business_category", "received_at", "complaint_id"])
    previous = c.groupby(["customer_id", "business_category"], sort=False)["received_at"].shift()
    gap_days = (c["received_at"].dt.normalize() - previous.dt.normalize()) / DAY
    c["is_repeat"] = (gap_days <= REPEAT_WINDOW_DAYS).fillna(False).astype(bool)
    c = c.sort_values("received_at", kind="stable").reset_index(drop=True)

    branches = branches.copy()
    branches["parent_code"] = branches["parent_code"].where(
        branches["parent_code"].notna() & (branches["parent_code"] != ""), None
    )
    customers = customers.copy()
    customers["month"] = pd.PeriodIndex(customers["month"].astype(str), freq="M")
    as_of = max(c["received_at"].max(), c["closed_at"].max())
    return {
        "complaints": c,
        "branches": branches,
        "customers": customers,
        "tree": ancestry(branches),
        "as_of": as_of,
        "first_month": c["month"].min(),
    }


def ancestry(branches: pd.DataFrame) -> pd.DataFrame:
    """One row per (organisation, each organisation above it or itself) with the ancestor's level."""
    parent = dict(zip(branches["branch_code"], branches["parent_code"]))
    level = dict(zip(branches["branch_code"], branches["level"]))
    rows = []
    for code in branches["branch_code"]:
        node, seen = code, set()
        while node is not None and node not in seen and node in parent:
            rows.append((code, node, level[node]))
            seen.add(node)
            node = parent[node]
    return pd.DataFrame(rows, columns=["branch_code", "ancestor_code", "ancestor_level"])


def members(data: dict, org: str | None) -> set[str] | None:
    """The organisation and everything below it; None for the whole bank."""
    if org is None:
        return None
    tree = data["tree"]
    return set(tree.loc[tree["ancestor_code"] == org, "branch_code"])


def ancestor_at(data: dict, level: str) -> pd.Series:
    """branch_code -> its organisation at `level` (itself when it is at that level)."""
    tree = data["tree"]
    at = tree[tree["ancestor_level"] == level]
    return pd.Series(at["ancestor_code"].to_numpy(), index=at["branch_code"].to_numpy())


def period(month: date) -> pd.Period:
    return pd.Period(month, freq="M")


def select(data: dict, first: pd.Period, last: pd.Period, org: str | None = None, categories=None) -> pd.DataFrame:
    """Complaints received from month `first` to `last` inside the organisation's subtree and categories."""
    c = data["complaints"]
    keep = (c["month"] >= first) & (c["month"] <= last)
    scope = members(data, org)
    if scope is not None:
        keep &= c["branch_code"].isin(scope)
    if categories:
        keep &= c["business_category"].isin(list(categories))
    return c[keep]


def customer_base(data: dict, first: pd.Period, last: pd.Period, org: str | None = None) -> pd.DataFrame:
    """customers_monthly rows of the subtree and months (a subtree's base is the sum over its members)."""
    cm = data["customers"]
    keep = (cm["month"] >= first) & (cm["month"] <= last)
    scope = members(data, org)
    if scope is not None:
        keep &= cm["branch_code"].isin(scope)
    return cm[keep]


def level_of(data: dict, org: str | None) -> str | None:
    if org is None:
        return None
    b = data["branches"]
    return b.loc[b["branch_code"] == org, "level"].iloc[0]


def level_below(level: str | None) -> str | None:
    """The organisation level one below `level` (None = whole bank: 一级分行)."""
    if level is None or level == "总行":
        return LEVELS[0]
    return LEVELS[LEVELS.index(level) + 1] if level in LEVELS[:-1] else None


def pct_change(now, before):
    return None if not before else (now - before) / before * 100


# --- Headline metrics --------------------------------------------------------------------------------
def metrics(rows: pd.DataFrame, by, as_of: pd.Timestamp) -> pd.DataFrame:
    """The contract's per-group metrics: complaints, closed, on_time, open, open_overdue,
    avg_handling_days, regulator_referred, repeats, satisfied, surveyed."""
    closed = rows["closed_at"].notna()
    # each complaint's granted deadline (contract 7; 15 days when the extract has none)
    granted = (
        pd.to_numeric(rows["deadline_days"], errors="coerce").fillna(DEADLINE_DAYS)
        if "deadline_days" in rows
        else pd.Series(DEADLINE_DAYS, index=rows.index)
    )
    past_deadline = as_of > rows["received_at"] + pd.to_timedelta(granted, unit="D")
    frame = pd.DataFrame(
        {
            "key": rows[by] if isinstance(by, str) else by,
            "complaints": 1,
            "closed": closed,
            "on_time": closed & (rows["handling_days"] <= granted),
            "open": ~closed,
            "open_overdue": ~closed & past_deadline,
            "handling_days": rows["handling_days"],
            "regulator_referred": rows["regulator_referred"].astype(bool),
            "repeats": rows["is_repeat"],
            "satisfied": rows["satisfaction"].isin(["满意", "基本满意"]),
            "surveyed": rows["satisfaction"].notna() & (rows["satisfaction"] != "未回访"),
        },
        index=rows.index,
    )
    g = frame.groupby("key")
    out = g[
        [
            "complaints",
            "closed",
            "on_time",
            "open",
            "open_overdue",
            "regulator_referred",
            "repeats",
            "satisfied",
            "surveyed",
        ]
    ].sum()
    out["avg_handling_days"] = g["handling_days"].mean()
    out["on_time_rate"] = out["on_time"] / (out["closed"] + out["open_overdue"]).replace(0, np.nan)
    out["repeat_rate"] = out["repeats"] / out["complaints"].replace(0, np.nan)
    out["satisfaction_rate"] = out["satisfied"] / out["surveyed"].replace(0, np.nan)
    return out


def month_kpis(data: dict, month: date, org: str | None = None, categories=None) -> dict:
    """The headline of one month (the report command's kpis)."""
    p = period(month)
    rows = select(data, p - 12, p, org, categories)
    per_month = metrics(rows, "month", data["as_of"]).reindex(pd.period_range(p - 12, p, freq="M"))
    per_month[["complaints", "open", "open_overdue", "regulator_referred"]] = per_month[
        ["complaints", "open", "open_overdue", "regulator_referred"]
    ].fillna(0)
    n_customers = customer_base(data, p, p, org)["customer_count"].sum()
    this = per_month.loc[p]
    return {
        "complaints": int(this["complaints"]),
        "mom_pct": pct_change(this["complaints"], per_month.loc[p - 1, "complaints"]),
        "yoy_pct": pct_change(this["complaints"], per_month.loc[p - 12, "complaints"]),
        "per_10k": this["complaints"] / n_customers * 10000 if n_customers else None,
        "on_time_rate": none_if_nan(this["on_time_rate"]),
        "avg_handling_days": none_if_nan(this["avg_handling_days"]),
        "regulator_referred": int(this["regulator_referred"]),
        "open": int(this["open"]),
        "open_overdue": int(this["open_overdue"]),
        "repeat_rate": none_if_nan(this["repeat_rate"]),
    }


def none_if_nan(value):
    return None if value is None or pd.isna(value) else float(value)


# --- 月度趋势 ---------------------------------------------------------------------------------------
def trends(data: dict, month: date, org: str | None = None, categories=None) -> dict:
    p = period(month)
    months = pd.period_range(p - 35, p, freq="M")  # 24 shown + 12 before them for 同比
    rows = select(data, months[0], p, org, categories)
    per_month = metrics(rows, "month", data["as_of"]).reindex(months)
    counts = per_month["complaints"].fillna(0)
    customers = customer_base(data, months[0], p, org).groupby("month")["customer_count"].sum()
    trend = pd.DataFrame(
        {
            "complaints": counts,
            "per_10k": counts / customers.reindex(months) * 10000,
            "on_time_rate": per_month["on_time_rate"],
            "regulator_referred": per_month["regulator_referred"].fillna(0),
            "repeat_rate": per_month["repeat_rate"],
            "mom_pct": (counts - counts.shift(1)) / counts.shift(1).replace(0, np.nan) * 100,
            "yoy_pct": (counts - counts.shift(12)) / counts.shift(12).replace(0, np.nan) * 100,
        }
    ).iloc[-24:]
    shown = rows[rows["month"] >= p - 23]
    by_category = shown.groupby(["month", "business_category"]).size().unstack(fill_value=0)

    two = shown[shown["month"] >= p - 1].copy()
    tier1 = ancestor_at(data, "一级分行")
    two["tier1_branch"] = two["branch_code"].map(tier1).fillna("总行本部")
    movers = {}
    for dimension in ("business_category", "reason", "tier1_branch", "channel"):
        table = two.groupby([dimension, "month"]).size().unstack(fill_value=0).reindex(columns=[p - 1, p], fill_value=0)
        table.columns = ["previous", "current"]
        table["contribution"] = table["current"] - table["previous"]
        movers[dimension] = table.reindex(table["contribution"].abs().sort_values(ascending=False).index)
    return {"trend": trend, "by_category": by_category, "movers": movers}


# --- 热点分析 ---------------------------------------------------------------------------------------
def hotspots(
    data: dict, month_from: date, month_to: date, org: str | None = None, categories=None, list_rows: int = 50
) -> dict:
    first, last = period(month_from), period(month_to)
    rows = select(data, first, last, org, categories)
    b = data["branches"].set_index("branch_code")
    out = {
        "total": len(rows),
        "category_reason": rows.groupby(["business_category", "reason"]).size().sort_values(ascending=False),
        "channel": rows["channel"].value_counts(),
        "product": rows["product"].value_counts(),
    }

    # Regions: complaints, and the mean monthly customer base of the organisations located there; the head
    # office's own complaints and customers are in no region.
    in_region = b.index[b["level"] != "总行"]
    located = rows.loc[rows["branch_code"].isin(in_region), ["branch_code"]].join(
        b[["province", "city"]], on="branch_code"
    )
    base = customer_base(data, first, last, org).join(b[["province", "city"]], on="branch_code")
    base = base[base["branch_code"].isin(in_region)]
    for key, columns in (("province", ["province"]), ("city", ["province", "city"])):
        counts = located.groupby(columns).size().rename("complaints").to_frame()
        monthly = base.groupby(columns + ["month"])["customer_count"].sum()
        counts["customers"] = monthly.groupby(level=columns).mean()
        counts["per_10k"] = counts["complaints"] / counts["customers"] * 10000
        out[key] = counts.sort_values("complaints", ascending=False)

    # The organisations one level below the selection, each over its subtree.
    level = level_below(level_of(data, org))
    if level is not None:
        at = ancestor_at(data, level)
        counts = rows["branch_code"].map(at).value_counts().rename("complaints").to_frame()
        cm = base.assign(org=base["branch_code"].map(at)).dropna(subset=["org"])
        counts["customers"] = cm.groupby(["org", "month"])["customer_count"].sum().groupby(level="org").mean()
        counts["per_10k"] = counts["complaints"] / counts["customers"] * 10000
        out["orgs"] = counts

    out["surges"] = surges(data, month_to, org, categories)
    listing = rows.sort_values(["received_at", "complaint_id"], ascending=[False, True]).head(list_rows)
    out["list"] = listing.join(b["branch_name"], on="branch_code")[
        [
            "complaint_id",
            "received_at",
            "closed_at",
            "status",
            "branch_code",
            "branch_name",
            "channel",
            "business_category",
            "reason",
            "product",
            "amount",
        ]
    ]
    return out


def surges(
    data: dict,
    month: date,
    org: str | None = None,
    categories=None,
    baseline_months: int = 6,
    min_ratio: float = 1.5,
    min_extra: float = 10,
    max_p: float = 0.01,
) -> pd.DataFrame:
    """Slices whose volume in `month` is at least 1.5 x their mean over the previous 6 months, at least
    10 above it, and unlikely under Poisson(mean) (p < 0.01; the mean floored at 3/6 = 0.5 so that a new
    slice is judged against half a complaint a month). Slices: category x reason, product, and each
    organisation at the levels 一级分行/二级分行/支行 (its subtree, not the selected organisation or its
    ancestors) x category and x category x reason. Nothing surges when the data starts less than 6
    months before `month`."""
    p = period(month)
    window = pd.period_range(p - baseline_months, p, freq="M")
    rows = select(data, window[0], p, org, categories)
    per_branch = rows.groupby(["branch_code", "business_category", "reason", "month"]).size().rename("n")
    tree = data["tree"]
    covering = set(tree.loc[tree["branch_code"] == org, "ancestor_code"]) if org else set()
    orgs = tree[tree["ancestor_level"].isin(LEVELS) & ~tree["ancestor_code"].isin(covering)]
    per_org = per_branch.reset_index().merge(orgs[["branch_code", "ancestor_code"]], on="branch_code")
    slices = {
        "category_reason": per_branch.groupby(["business_category", "reason", "month"]).sum(),
        "product": rows.groupby(["product", "month"]).size(),
        "branch_category": per_org.groupby(["ancestor_code", "business_category", "month"])["n"].sum(),
        "branch_category_reason": per_org.groupby(["ancestor_code", "business_category", "reason", "month"])["n"].sum(),
    }
    found = []
    history_complete = data["first_month"] <= p - baseline_months
    for kind, counts in slices.items():
        table = counts.unstack("month", fill_value=0).reindex(columns=window, fill_value=0)
        volume = table[p]
        table = table[volume >= min_extra]
        if table.empty:
            continue
        volume = table[p].astype(float)
        mean = table[list(window[:-1])].mean(axis=1)
        p_value = poisson.sf(volume - 1, np.maximum(mean, 3 / baseline_months))
        surge = (volume >= min_ratio * mean) & (volume - mean >= min_extra) & (p_value < max_p)
        if not history_complete:
            surge &= False
        hits = pd.DataFrame({"kind": kind, "complaints": volume, "baseline": mean, "p_value": p_value})[surge]
        found.append(hits.reset_index().rename(columns={"ancestor_code": "branch_code"}))
    if not found:
        return pd.DataFrame(columns=["kind", "complaints", "baseline", "p_value"])
    return pd.concat(found, ignore_index=True).sort_values("p_value", kind="stable").reset_index(drop=True)


# --- 机构排名 ---------------------------------------------------------------------------------------
RANK_WEIGHTS = {
    "per_10k": (40, True),
    "on_time_rate": (15, False),
    "avg_handling_days": (10, True),
    "satisfaction_rate": (15, False),
    "referred_per_10k": (10, True),
    "repeat_rate": (10, True),
}


def rankings(
    data: dict,
    month: date,
    org: str | None = None,
    categories=None,
    level: str = "支行",
    min_complaints: int = 5,
    min_customers: float = 2000,
) -> pd.DataFrame:
    """The month's table at `level` (organisations inside the selection, each over its subtree), ranked
    worst first by the weighted mean of each metric's percentile among the eligible organisations, and
    the rank change against the previous month."""
    p = period(month)
    current, previous = (
        ranking_table(data, p, org, categories, level, min_complaints, min_customers),
        ranking_table(data, p - 1, org, categories, level, min_complaints, min_customers),
    )
    current["rank_change"] = previous["rank"].reindex(current.index) - current["rank"]
    return current.sort_values(["rank", "complaints"], ascending=[True, False])


def ranking_table(data: dict, p: pd.Period, org, categories, level, min_complaints, min_customers):
    at = ancestor_at(data, level)
    b = data["branches"]
    inside = members(data, org)
    orgs = b.loc[
        (b["level"] == level) & (b["branch_code"].isin(inside) if inside is not None else True),
        ["branch_code", "branch_name"],
    ].set_index("branch_code")
    rows = select(data, p, p, org, categories)
    table = orgs.join(metrics(rows, rows["branch_code"].map(at), data["as_of"]))
    base = customer_base(data, p, p, org)
    table["customers"] = base.groupby(base["branch_code"].map(at))["customer_count"].sum()
    table["complaints"] = table["complaints"].fillna(0)
    table["per_10k"] = table["complaints"] / table["customers"] * 10000
    table["referred_per_10k"] = table["regulator_referred"].fillna(0) / table["customers"] * 10000
    eligible = (table["complaints"] >= min_complaints) & (table["customers"] >= min_customers)
    ranked = table[eligible]
    score, weight = pd.Series(0.0, index=ranked.index), pd.Series(0.0, index=ranked.index)
    for key, (w, higher_is_worse) in RANK_WEIGHTS.items():
        percentile = ranked[key].rank(ascending=higher_is_worse, pct=True)
        score += percentile.fillna(0) * w
        weight += percentile.notna() * w
    table["score"] = score / weight.replace(0, np.nan) * 100
    table["rank"] = table["score"].rank(ascending=False, method="min")
    return table


# --- 重复与溯源 -------------------------------------------------------------------------------------
def repeats(data: dict, month: date, org: str | None = None, categories=None, top: int = 20) -> dict:
    p = period(month)
    months = pd.period_range(p - 11, p, freq="M")
    rows = select(data, months[0], p, org, categories)
    flagged = rows[rows["is_repeat"]]
    by_month = (
        pd.DataFrame(
            {
                "complaints": rows.groupby("month").size(),
                "repeats": flagged.groupby("month").size(),
                "repeat_customers": flagged.groupby("month")["customer_id"].nunique(),
            }
        )
        .reindex(months)
        .fillna(0)
    )
    by_month["repeat_rate"] = by_month["repeats"] / by_month["complaints"].replace(0, np.nan)

    month_rows = rows[rows["month"] == p]
    level = level_below(level_of(data, org)) or LEVELS[-1]
    at = month_rows["branch_code"].map(ancestor_at(data, level))
    by_org = pd.DataFrame(
        {"complaints": month_rows.groupby(at).size(), "repeats": month_rows["is_repeat"].groupby(at).sum()}
    )
    by_org["repeat_rate"] = by_org["repeats"] / by_org["complaints"]

    g = month_rows.groupby("customer_id")
    customers = pd.DataFrame(
        {
            "complaints": g.size(),
            "repeats": g["is_repeat"].sum(),
            "categories": g["business_category"].unique(),
            "branches": g["branch_code"].nunique(),
            "first_received_at": g["received_at"].min(),
            "last_received_at": g["received_at"].max(),
        }
    )
    customers = (
        customers[customers["repeats"] > 0]
        .sort_values(["repeats", "complaints", "last_received_at"], ascending=False)
        .head(top)
    )
    timeline = None
    if len(customers):
        timeline = month_rows[month_rows["customer_id"] == customers.index[0]].sort_values("received_at")
    return {
        "by_month": by_month,
        "by_org": by_org.sort_values("repeats", ascending=False),
        "top_customers": customers,
        "timeline": timeline,
    }


def recurring(
    data: dict,
    month: date,
    org: str | None = None,
    categories=None,
    window: int = 6,
    min_months: int = 3,
    limit: int = 200,
) -> pd.DataFrame:
    """(branch_code, business_category, reason) with complaints in at least 3 of the last 6 months (the
    complained-about organisation itself, not its subtree), with the monthly history."""
    p = period(month)
    months = pd.period_range(p - (window - 1), p, freq="M")
    rows = select(data, months[0], p, org, categories)
    history = (
        rows.groupby(["branch_code", "business_category", "reason", "month"])
        .size()
        .unstack("month", fill_value=0)
        .reindex(columns=months, fill_value=0)
    )
    present = (history > 0).sum(axis=1)
    issues = history[present >= min_months]
    out = pd.DataFrame(
        {"months_present": present[issues.index], "complaints": issues.sum(axis=1), "last_month_complaints": issues[p]}
    )
    out = out.sort_values(["months_present", "complaints"], ascending=False).head(limit)
    return out.join(issues)


PAGES = {  # page -> (function(data, month, org, categories), what it leaves out)
    "trends": (lambda d, m, org, cats: trends(d, m, org, cats), None),
    "hotspots": (lambda d, m, org, cats: hotspots(d, m, m, org, cats), "no hot terms"),
    # the page's default level: 一级分行 for the whole bank, 支行 inside an organisation
    "rankings": (lambda d, m, org, cats: rankings(d, m, org, cats, level="一级分行" if org is None else "支行"), None),
    "repeats": (lambda d, m, org, cats: (repeats(d, m, org, cats), recurring(d, m, org, cats)), "no similar groups"),
    "recurring": (lambda d, m, org, cats: recurring(d, m, org, cats), None),
}
