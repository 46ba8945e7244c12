"""Surges (contract 6): the rule on hand-made series, the SQL counts against a pandas recount, and the
demo bank's planted surges (ground_truth.json) found with no more than a handful of others.

p-values here are summed by hand: P(X >= v) = sum_{k >= v} e^-m m^k / k! (a long enough tail), not scipy.
"""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard import db, report
from dashboard.analysis import surges
from dashboard.analysis.surges import SurgeRule, evaluate, find_surges
from dashboard.filters import Filters, add_months, month_start

OCT = date(2026, 10, 1)


def tail(volume: int, mean: float) -> float:
    """P(X >= volume), X ~ Poisson(mean), by summing the pmf from volume on (terms computed in logs)."""
    return sum(math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1)) for k in range(volume, volume + 400))


DEFAULT_RULE = SurgeRule()


def judge(previous: list[int], volume: int, rule: SurgeRule = DEFAULT_RULE) -> pd.Series:
    return evaluate([volume], [sum(previous) / len(previous)], rule).iloc[0]


# --- The rule on hand-made series ------------------------------------------------------------------------
def test_a_surge():
    row = judge([10, 12, 8, 11, 9, 10], 30)  # mean 10: x3, +20
    assert row["baseline"] == pytest.approx(10)
    assert row["ratio"] == pytest.approx(3.0)
    assert row["extra"] == pytest.approx(20)
    assert row["p_value"] == pytest.approx(tail(30, 10), rel=1e-9)  # 2.5e-7
    assert bool(row["surge"])


def test_a_steady_series_does_not_surge():
    row = judge([20, 22, 18, 21, 19, 20], 24)  # mean 20: x1.2, +4
    assert row["ratio"] == pytest.approx(1.2)
    assert row["p_value"] == pytest.approx(tail(24, 20), rel=1e-9)  # 0.21
    assert not row["surge"]


def test_a_series_too_small_to_matter():
    # mean 7/3: x3.9 and p = 0.0007, but only 6.7 complaints above the mean (< 10)
    row = judge([2, 3, 2, 3, 2, 2], 9)
    assert row["ratio"] == pytest.approx(9 / (14 / 6))
    assert row["p_value"] == pytest.approx(tail(9, 14 / 6), rel=1e-9) and row["p_value"] < 0.01
    assert not row["surge"]


def test_a_zero_baseline():
    # nothing for six months: the ratio is undefined; p uses the floor 3/6 = 0.5 (Decision, data_contract.md)
    new = judge([0] * 6, 12)
    assert new["baseline"] == 0 and np.isnan(new["ratio"])
    assert new["p_value"] == pytest.approx(tail(12, 0.5), rel=1e-9)  # 3.2e-13, not 0
    assert bool(new["surge"])
    assert not judge([0] * 6, 9)["surge"]  # 9 new complaints: fewer than +10
    # the floor also applies to a tiny non-zero mean (1 complaint in 6 months), so p never drops below it
    assert judge([1, 0, 0, 0, 0, 0], 12)["p_value"] == pytest.approx(tail(12, 0.5), rel=1e-9)


def test_the_poisson_test_decides_at_the_margin():
    # mean 20: 30 is exactly x1.5 and +10 (both inclusive) but p = 0.022; 32 has p = 0.0081
    at_30, at_32 = judge([20] * 6, 30), judge([20] * 6, 32)
    assert at_30["p_value"] == pytest.approx(tail(30, 20), rel=1e-9) and not at_30["surge"]
    assert at_32["p_value"] == pytest.approx(tail(32, 20), rel=1e-9) and bool(at_32["surge"])
    # looser p threshold: 30 passes; stricter ratio: 32 does not
    assert bool(judge([20] * 6, 30, SurgeRule(max_p=0.05))["surge"])
    assert not judge([20] * 6, 32, SurgeRule(min_ratio=2.0))["surge"]


def _counts(rows):
    """surges_slice_counts-shaped rows from (kind, key, {month: n}) with the baseline total worked out."""
    out = []
    for kind, category, history in rows:
        months = {month_start(m): n for m, n in history.items()}
        out.append(
            {
                "kind": kind,
                "branch_code": None,
                "branch_name": None,
                "branch_level": None,
                "business_category": category,
                "reason": None,
                "product": None,
                "complaints": months.get(OCT, 0),
                "baseline_total": sum(n for m, n in months.items() if add_months(OCT, -6) <= m < OCT),
                "history_months": sorted(months),
                "history_counts": [months[m] for m in sorted(months)],
            }
        )
    return pd.DataFrame(out)


def test_find_surges_orders_by_significance_and_draws_twelve_months():
    counts = _counts(
        [
            (
                "product",
                "A",
                {
                    "2026-04": 10,
                    "2026-05": 10,
                    "2026-06": 10,
                    "2026-07": 10,
                    "2026-08": 10,
                    "2026-09": 10,
                    "2026-10": 30,
                },
            ),  # mean 10: p 2.5e-7
            ("product", "B", {"2026-10": 15}),  # new: p(15 | 0.5) ~ 1e-17
            (
                "product",
                "C",
                {m: 20 for m in ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09")} | {"2026-10": 24},
            ),  # steady
        ]
    )
    found = find_surges(counts, OCT, first_month=date(2023, 11, 1))
    assert list(found["business_category"]) == ["B", "A"]
    assert found["baseline"].tolist() == pytest.approx([0, 10])
    a = found.iloc[1]
    assert a["series"] == [0] * 5 + [10] * 6 + [30]  # Nov 2025 .. Oct 2026, months without rows = 0
    everything = find_surges(counts, OCT, first_month=date(2023, 11, 1), only_surges=False)
    assert len(everything) == 3 and not everything.set_index("business_category").loc["C", "surge"]


def test_no_surge_without_six_months_of_history():
    counts = _counts([("product", "B", {"2026-10": 15})])
    assert surges.history_complete(OCT, date(2026, 4, 1))
    assert not surges.history_complete(OCT, date(2026, 5, 1))
    assert find_surges(counts, OCT, first_month=date(2026, 4, 1))["business_category"].tolist() == ["B"]
    assert find_surges(counts, OCT, first_month=date(2026, 5, 1)).empty


# --- The counts on the demo bank ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_store):
    snapshot, con = db.current(demo_store)
    truth = json.loads((demo_store.parent / "extracts" / "ground_truth.json").read_text(encoding="utf-8"))
    return snapshot, con, truth


def _pandas_slices(snapshot, month: date) -> pd.DataFrame:
    """The slice counts of `month` and its 6 previous months recomputed with pandas from the stored
    tables, ancestors found by walking parent_code (not branch_tree)."""
    c = pd.read_parquet(
        snapshot.table("complaints"), columns=["received_at", "branch_code", "business_category", "reason", "product"]
    )
    c["m"] = pd.to_datetime(c["received_at"]).dt.to_period("M")
    period = pd.Period(month, "M")
    c = c[(c["m"] >= period - 6) & (c["m"] <= period)]
    b = pd.read_parquet(snapshot.table("branches"))
    parent = dict(zip(b["branch_code"], b["parent_code"]))
    level = dict(zip(b["branch_code"], b["level"]))

    def ancestors(code):
        while isinstance(code, str) and code:
            if level[code] in ("一级分行", "二级分行", "支行"):
                yield code
            code = parent.get(code)

    rows = []
    for r in c.itertuples():
        this = r.m == period
        rows.append(("category_reason", None, r.business_category, r.reason, None, this))
        if isinstance(r.product, str):
            rows.append(("product", None, None, None, r.product, this))
        for a in ancestors(r.branch_code):
            rows.append(("branch_category", a, r.business_category, None, None, this))
            rows.append(("branch_category_reason", a, r.business_category, r.reason, None, this))
    frame = pd.DataFrame(rows, columns=["kind", "branch_code", "business_category", "reason", "product", "this"])
    keys = ["kind", "branch_code", "business_category", "reason", "product"]
    out = frame.groupby(keys, dropna=False)["this"].agg(complaints="sum", n="size").reset_index()
    out["baseline_total"] = out["n"] - out["complaints"]
    return out.drop(columns="n")


@pytest.mark.parametrize("stored", [True, False], ids=["stored at import", "counted live"])
def test_slice_counts_match_a_pandas_recount(demo, stored):
    """Unfiltered, the slices come from surge_slice_months (stored at import); a filter that keeps every
    complaint (all categories listed) takes the live query: both must equal the recount."""
    snapshot, con, _ = demo
    expected = _pandas_slices(snapshot, OCT)
    expected = expected[expected["complaints"] >= 10]
    categories = (
        None
        if stored
        else tuple(con.execute("select distinct business_category from complaints").df()["business_category"])
    )
    got = surges.slice_counts(con, Filters(month_from=OCT, month_to=OCT, categories=categories), OCT)
    keys = ["kind", "branch_code", "business_category", "reason", "product"]

    def norm(f):
        return (
            f[keys + ["complaints", "baseline_total"]]
            .astype(object)
            .where(f.notna(), None)
            .sort_values(keys, key=lambda s: s.astype(str))
            .reset_index(drop=True)
        )

    assert len(expected) > 50
    pd.testing.assert_frame_equal(norm(got), norm(expected), check_dtype=False)


def _key(item) -> tuple:
    get = item.get if isinstance(item, dict) else item.__getitem__
    clean = lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else v  # noqa: E731
    return tuple(clean(get(k)) for k in ("kind", "branch_code", "business_category", "reason", "product"))


def test_every_planted_surge_is_found_and_hardly_anything_else(demo):
    _, con, truth = demo
    kinds = set(surges.KIND_LABELS)
    incidental = {(_key(s), s["month"]) for s in truth["incidental_surges"] if s["kind"] in kinds}
    planted = {(_key(s), s["month"]): s for s in truth["surges"]}
    assert {s["kind"] for s in truth["surges"]} == kinds  # the four kinds are all planted
    others = []
    for month_text in sorted({m for _, m in planted} | {m for _, m in incidental}):
        month = month_start(month_text)
        found = surges.surges_for_month(con, Filters(month_from=month, month_to=month), month)
        keys = {_key(row): row for _, row in found.iterrows()}
        for (key, m), plant in planted.items():
            if m == month_text:
                assert key in keys, f"planted {plant['id']} {key} not found in {m}"
                row = keys[key]
                assert row["complaints"] == plant["volume"]
                assert row["baseline"] == pytest.approx(plant["baseline_mean"], abs=1e-3)
                assert row["p_value"] < 0.01 and row["series"][-1] == plant["volume"]
        others += [
            (k, month_text) for k in keys if (k, month_text) not in planted and (k, month_text) not in incidental
        ]
    assert len(others) <= 3, others


def test_report_section_lists_the_months_surges(demo):
    _, con, truth = demo
    assert report.SECTIONS["surges"] is surges.report_section
    section = surges.report_section(con, Filters(month_from=OCT, month_to=OCT), OCT)
    assert section and all(
        list(s)
        == [
            "kind",
            "branch_code",
            "business_category",
            "reason",
            "product",
            "complaints",
            "baseline",
            "ratio",
            "p_value",
        ]
        for s in section
    )
    json.dumps(section)  # JSON-ready
    planted = [s for s in truth["surges"] if s["month"] == "2026-10"]
    listed = {_key(s) for s in section}
    assert {_key(s) for s in planted} <= listed
    for plant in planted:
        row = next(s for s in section if _key(s) == _key(plant))
        assert row["complaints"] == plant["volume"]
        assert row["baseline"] == pytest.approx(plant["baseline_mean"], abs=1e-3)
        assert row["ratio"] == pytest.approx(plant["volume"] / plant["baseline_mean"], rel=1e-2)  # mean rounded
    assert all(s["branch_code"] is None for s in section if s["kind"] in ("category_reason", "product"))


@pytest.mark.parametrize("lens", [{"basis": "referred"}, {"age_group": "elderly"}])
def test_slice_counts_follow_the_counting_basis_and_the_customer_group(small_store, lens):
    """Under 监管转送 October holds one complaint, C04 (0201 个人贷款 信息披露); under 老年客户 two, C02 is
    September's, so October's is C06 (0102 借记卡 定价收费, 67). With no other filter the counts came from the
    table stored for all complaints (hostile H172: a 监管转送 briefing quoted a slice of 26 complaints, 5 referred)."""
    _, con = db.current(small_store)
    oct_ = date(2026, 10, 1)
    params = Filters(month_from=oct_, month_to=oct_, **lens).params(
        baseline_months=6, series_months=12, min_complaints=1
    )
    rows = db.run(con, "surges_slice_counts", **params)
    expected = {"basis": ("个人贷款", "0201"), "age_group": ("借记卡", "0102")}[next(iter(lens))]
    assert len(rows) > 0 and rows["complaints"].max() == 1
    assert set(rows["business_category"].dropna()) == {expected[0]}
    assert set(rows["branch_code"].dropna()) <= {expected[1], expected[1][:2] + "00", "0000"}


def test_the_report_masks_a_surging_products_name(tmp_path):
    # hostile H191: 产品名称 is free text (a clerk typed a customer's name and mobile into it); the page and
    # the briefing showed it masked, `report --json` as stored
    from dashboard import db
    from dashboard.ingest.pipeline import import_files
    from tests.conftest import COMPLAINTS, write_small_extracts

    named = "王建国专享理财13812345678"
    extra = [
        (f"N{i:02d}", f"2026-10-{i + 1:02d} 10:00:00", f"2026-10-{i + 1:02d} 12:00:00", "0101", *COMPLAINTS[0][4:7])
        + (named, f"N{i}", *COMPLAINTS[0][9:])
        for i in range(15)
    ]
    data = tmp_path / "data"
    import_files(write_small_extracts(tmp_path / "extracts", complaints=[*COMPLAINTS, *extra]), data)
    _, con = db.current(data)
    oct_ = date(2026, 10, 1)
    found = surges.report_section(con, Filters(month_from=oct_, month_to=oct_), oct_)
    products = [s["product"] for s in found if s["kind"] == "product"]
    assert products == ["王**专享理财138****5678"]
    assert named not in json.dumps(found, ensure_ascii=False)
