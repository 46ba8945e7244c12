"""complaint_cube (dashboard/derived/complaint_cube.py): counts per month and filtered value, checked against
a pandas recount of the complaints, and the pages' numbers with and without the derived file."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard import db
from dashboard.config import DEADLINE_DAYS
from dashboard.filters import Filters
from dashboard.ingest.store import current_snapshot

KEYS = ["month", "branch_code", "business_category", "reason", "channel", "regulator_referred"]
OCT = date(2026, 10, 1)


def pandas_cube(complaints: pd.DataFrame) -> pd.DataFrame:
    c = complaints.assign(
        closed=complaints["handling_days"].notna(),
        on_time=complaints["handling_days"] <= DEADLINE_DAYS,
        open_overdue=complaints["open_days"] > DEADLINE_DAYS,
        satisfied=complaints["satisfaction"].isin(["满意", "基本满意"]),
        surveyed=complaints["satisfaction"].notna() & (complaints["satisfaction"] != "未回访"),
    )
    out = c.groupby(KEYS).agg(
        complaints=("complaint_id", "size"), closed=("closed", "sum"), on_time=("on_time", "sum"),
        open_overdue=("open_overdue", "sum"), handling_days=("handling_days", lambda s: s.sum(min_count=1)),
        repeats=("is_repeat", "sum"), satisfied=("satisfied", "sum"), surveyed=("surveyed", "sum"),
    ).reset_index()
    return out.sort_values(KEYS).reset_index(drop=True)


def test_cube_equals_a_pandas_recount(demo_store):
    snapshot = current_snapshot(demo_store)
    cube = pd.read_parquet(snapshot.table("complaint_cube"))
    expected = pandas_cube(pd.read_parquet(snapshot.table("complaints")))
    got = cube.sort_values(KEYS).reset_index(drop=True)
    assert set(got["deadline_days"]) == {DEADLINE_DAYS}
    got["month"] = pd.to_datetime(got["month"])
    expected["month"] = pd.to_datetime(expected["month"])
    pd.testing.assert_frame_equal(got[expected.columns], expected, check_dtype=False, check_exact=False)


@pytest.mark.parametrize("filters", [
    {},
    {"org": "0100"},
    {"scope": "0200"},
    {"categories": ("信用卡",), "reasons": ("定价收费", "服务态度及服务质量")},
    {"channels": ("客服热线",), "referred": False},
])
def test_filtered_cube_counts_the_filtered_complaints(demo_store, filters):
    """The global filter set keeps the cube rows of exactly the complaints it keeps."""
    _, con = db.current(demo_store)
    params = Filters(month_from=date(2025, 1, 1), month_to=OCT, **filters).params()
    args = "$month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred"
    bound = {k: params[k] for k in ("month_from", "month_to", "org", "scope", "categories", "reasons", "channels",
                                    "referred")}
    from_cube = con.execute(f"select month, sum(complaints)::bigint from filtered_rows('complaint_cube', {args}) "
                            "group by month order by month", bound).fetchall()
    from_rows = con.execute(f"select month, count(*) from filtered_complaints({args}) group by month order by month",
                            bound).fetchall()
    assert from_cube == from_rows and from_rows


def test_another_deadline_is_refused_not_miscounted(small_store):
    _, con = db.current(small_store)
    params = Filters(month_from=OCT, month_to=OCT).params(deadline_days=DEADLINE_DAYS + 1)
    with pytest.raises(duckdb.Error, match="another deadline"):
        db.run(con, "kpis_by_month", **params)
