"""The benchmark's pandas baseline (bench/pandas_baseline.py) is a second, independent method: it computes
each page's first-view numbers straight from the contract in pandas. Here its numbers are compared with
the query layer's on the demo bank, for the default view and after a filter change (a tier-1 branch and
信用卡). No timing here: that is bench/'s job."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from bench import pandas_baseline as pb
from dashboard import db, report
from dashboard.analysis import repeats as rp
from dashboard.analysis import surges
from dashboard.filters import Filters

OCT = date(2026, 10, 1)
NO_DRILL = {"d_org": None, "d_product": None, "d_province": None, "d_city": None}


@pytest.fixture(scope="module")
def both(demo_store):
    data = pb.load(demo_store.parent / "extracts")
    _, con = db.current(demo_store)
    return data, con


def views(data):
    org = data["branches"].query("level == '一级分行'")["branch_code"].sort_values().iloc[0]
    return [(None, None), (org, ("信用卡",))]


def same(ours: pd.Series, theirs: pd.Series) -> bool:
    return np.allclose(ours.astype(float).to_numpy(), theirs.astype(float).to_numpy(), equal_nan=True)


def test_kpis_and_trend(both):
    data, con = both
    for org, cats in views(data):
        f = Filters(month_from=OCT, month_to=OCT, org=org, categories=cats)
        ours, theirs = report.kpis(con, f, OCT), pb.month_kpis(data, OCT, org, cats)
        for key, value in theirs.items():
            assert ours[key] == pytest.approx(value), key
        rows = db.run(con, "kpis_by_month", **f.params(month_from=date(2024, 11, 1), month_to=OCT))
        trend = pb.trends(data, OCT, org, cats)["trend"]
        for column in ("complaints", "per_10k", "on_time_rate", "regulator_referred", "repeat_rate"):
            assert same(rows[column], trend[column]), column


def test_hotspots(both):
    data, con = both
    for org, cats in views(data):
        f = Filters(month_from=OCT, month_to=OCT, org=org, categories=cats)
        theirs = pb.hotspots(data, OCT, OCT, org, cats)
        dims = db.run(con, "hotspots_by_dimension", **f.params(**NO_DRILL))
        matrix = dims[dims["dimension"] == "category_reason"].set_index(["business_category", "reason"])["complaints"]
        assert matrix.sort_index().tolist() == theirs["category_reason"].sort_index().tolist()
        assert int(dims.loc[dims["dimension"] == "total", "complaints"].iloc[0]) == theirs["total"]
        region = db.run(con, "hotspots_by_region", **f.params(**NO_DRILL))
        province = region[region["level"] == "province"].set_index("province")
        assert same(province["per_10k"], theirs["province"]["per_10k"].reindex(province.index))
        listing = db.run(
            con,
            "complaints_list",
            **f.params(**NO_DRILL, term=None, search=None, sort_key="received_at", sort_desc=True, limit=50, offset=0),
        )
        assert listing["complaint_id"].tolist() == theirs["list"]["complaint_id"].tolist()


def test_surges(both):
    data, con = both
    key = lambda kind, *rest: (kind, *("" if pd.isna(v) else v for v in rest))  # noqa: E731
    for org, cats in views(data):
        f = Filters(month_from=OCT, month_to=OCT, org=org, categories=cats)
        ours = surges.surges_for_month(con, f, OCT)
        theirs = pb.surges(data, OCT, org, cats)
        assert {key(r.kind, r.branch_code, r.business_category, r.reason, r.product) for r in ours.itertuples()} == {
            key(
                r.kind,
                getattr(r, "branch_code", None),
                getattr(r, "business_category", None),
                getattr(r, "reason", None),
                getattr(r, "product", None),
            )
            for r in theirs.itertuples()
        }


def test_rankings_recurring_and_repeats(both):
    data, con = both
    for org, cats in views(data):
        f = Filters(month_from=OCT, month_to=OCT, org=org, categories=cats)
        level = "一级分行" if org is None else "支行"
        ours = db.run(con, "rankings_by_org", **f.params(level=level)).set_index("branch_code")
        theirs = pb.rankings(data, OCT, org, cats, level=level).reindex(ours.index)
        for column in (
            "complaints",
            "per_10k",
            "on_time_rate",
            "avg_handling_days",
            "satisfaction_rate",
            "repeat_rate",
        ):
            assert same(ours[column], theirs[column]), column

        issues = db.run(
            con, "recurring_issues", **f.params(month_from=date(2026, 5, 1), month_to=OCT, min_months=3, limit=200)
        )
        recurring = pb.recurring(data, OCT, org, cats)
        assert list(zip(issues["months_present"], issues["complaints"])) == list(
            zip(recurring["months_present"], recurring["complaints"])
        )

        rule = rp.rule_params()
        by_month = db.run(con, "repeats_by_month", **f.params(month_from=date(2025, 11, 1), month_to=OCT, **rule))
        theirs = pb.repeats(data, OCT, org, cats)
        assert by_month["repeats"].tolist() == theirs["by_month"]["repeats"].astype(int).tolist()
        assert by_month["repeat_customers"].tolist() == theirs["by_month"]["repeat_customers"].astype(int).tolist()
        top = db.run(con, "repeats_top_customers", **f.params(limit=20, **rule))
        assert top["repeats"].tolist() == theirs["top_customers"]["repeats"].astype(int).tolist()
