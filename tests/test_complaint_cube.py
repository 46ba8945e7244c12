"""complaint_cube (dashboard/derived/complaint_cube.py): counts per month and filtered value, checked against
a pandas recount of the complaints, and the pages' numbers with and without the derived file."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import db
from dashboard.config import DEADLINE_DAYS
from dashboard.filters import Filters
from dashboard.ingest.store import current_snapshot

KEYS = [
    "month",
    "branch_code",
    "business_category",
    "reason",
    "channel",
    "regulator_referred",
    "is_repeat",
    "is_elderly",
]
OCT = date(2026, 10, 1)


def pandas_cube(complaints: pd.DataFrame) -> pd.DataFrame:
    # the granted deadline recomputed from the contract columns: deadline_days, else 15 (contract 7)
    granted = complaints["deadline_days"].astype("float64").fillna(DEADLINE_DAYS)
    elderly = complaints["customer_age"].astype("float64").map(lambda a: None if pd.isna(a) else a >= 60)
    redress = complaints["redress_amount"].astype("float64")
    c = complaints.assign(
        is_elderly=elderly.astype(object).where(elderly.notna(), "unknown"),
        closed=complaints["handling_days"].notna(),
        on_time=complaints["handling_days"] <= granted,
        open_overdue=complaints["open_days"] > granted,
        satisfied=complaints["satisfaction"].isin(["满意", "基本满意"]),
        surveyed=complaints["satisfaction"].notna() & (complaints["satisfaction"] != "未回访"),
        extended=granted > DEADLINE_DAYS,
        extended_on_time=(granted > DEADLINE_DAYS) & (complaints["handling_days"] <= granted),
        resolved=complaints["result"] == "已解决",
        redressed=redress > 0,
        redress=redress,
    )
    out = (
        c.groupby(KEYS)
        .agg(
            complaints=("complaint_id", "size"),
            closed=("closed", "sum"),
            on_time=("on_time", "sum"),
            open_overdue=("open_overdue", "sum"),
            handling_days=("handling_days", lambda s: s.sum(min_count=1)),
            repeats=("is_repeat", "sum"),
            satisfied=("satisfied", "sum"),
            surveyed=("surveyed", "sum"),
            extended=("extended", "sum"),
            extended_on_time=("extended_on_time", "sum"),
            resolved=("resolved", "sum"),
            redressed=("redressed", "sum"),
            redress_total=("redress", lambda s: s.sum(min_count=1)),
        )
        .reset_index()
    )
    return out.sort_values(KEYS).reset_index(drop=True)


def test_cube_equals_a_pandas_recount(demo_store):
    snapshot = current_snapshot(demo_store)
    cube = pd.read_parquet(snapshot.table("complaint_cube"))
    cube["is_elderly"] = cube["is_elderly"].astype(object).where(cube["is_elderly"].notna(), "unknown")
    cube["redress_total"] = cube["redress_total"].astype("float64")
    complaints = pd.read_parquet(snapshot.table("complaints"))
    assert complaints["deadline_days"].isin([30, 60]).any()  # the demo bank has extensions
    expected = pandas_cube(complaints)
    got = cube.sort_values(KEYS).reset_index(drop=True)
    got["month"] = pd.to_datetime(got["month"])
    expected["month"] = pd.to_datetime(expected["month"])
    pd.testing.assert_frame_equal(got[expected.columns], expected, check_dtype=False, check_exact=False)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"org": "0100"},
        {"scope": "0200"},
        {"categories": ("信用卡",), "reasons": ("定价收费", "服务态度及服务质量")},
        {"channels": ("客服热线",), "referred": False},
    ],
)
def test_filtered_cube_counts_the_filtered_complaints(demo_store, filters):
    """The global filter set keeps the cube rows of exactly the complaints it keeps."""
    _, con = db.current(demo_store)
    params = Filters(month_from=date(2025, 1, 1), month_to=OCT, **filters).params()
    args = "$month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred"
    bound = {
        k: params[k]
        for k in ("month_from", "month_to", "org", "scope", "categories", "reasons", "channels", "referred")
    }
    from_cube = con.execute(
        f"select month, sum(complaints)::bigint from filtered_rows('complaint_cube', {args}) "
        "group by month order by month",
        bound,
    ).fetchall()
    from_rows = con.execute(
        f"select month, count(*) from filtered_complaints({args}) group by month order by month", bound
    ).fetchall()
    assert from_cube == from_rows and from_rows


@pytest.mark.parametrize(
    "basis, age_group",
    [("referred", None), ("merged", None), (None, "elderly"), (None, "non_elderly"), ("merged", "elderly")],
)
def test_cube_keeps_the_complaints_of_each_basis_and_group(demo_store, basis, age_group):
    """The counting basis and the customer group select the same complaints from the cube as from the rows,
    and those are the ones a plain pandas filter keeps."""
    _, con = db.current(demo_store)
    params = Filters(month_from=date(2025, 1, 1), month_to=OCT, basis=basis, age_group=age_group).params()
    args = (
        "$month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred, "
        "basis := $basis, age_group := $age_group"
    )
    bound = {
        k: params[k]
        for k in (
            "month_from",
            "month_to",
            "org",
            "scope",
            "categories",
            "reasons",
            "channels",
            "referred",
            "basis",
            "age_group",
        )
    }
    from_cube = con.execute(
        f"select sum(complaints)::bigint from filtered_rows('complaint_cube', {args})", bound
    ).fetchall()[0][0]
    rows = pd.read_parquet(current_snapshot(demo_store).table("complaints"))
    rows = rows[(pd.to_datetime(rows["month"]) >= "2025-01-01") & (pd.to_datetime(rows["month"]) <= "2026-10-01")]
    if basis == "referred":
        rows = rows[rows["regulator_referred"]]
    if basis == "merged":
        rows = rows[~rows["is_repeat"]]
    age = rows["customer_age"].astype("float64")
    if age_group == "elderly":
        rows = rows[age >= 60]
    if age_group == "non_elderly":
        rows = rows[age < 60]
    assert from_cube == len(rows) > 0
