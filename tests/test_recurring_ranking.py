"""Recurring issues ranked by excess over what the branch's size and the bank's mix predict
(dashboard/analysis/recurring.py ranked(), queries/recurring_issues_scored.sql).

By hand on test_recurring's slices (window 2026-05..10, recent half 08..10):
  complaints in the window: S1 4, S2 2, S3 6, S4 3, S5 7 (22 in all)
  branch totals: 0101 6 (S1 + S2), 0102 6, 0100 3, 0201 7
  mix: 信用卡·定价收费 4, 信用卡·服务态度 2, 借记卡·定价收费 9 (S3 + S4), 个人贷款·信息披露 7
  expected: S1 6x4/22, S3 6x9/22, S4 3x9/22, S5 7x7/22 (S2 meets the rule in 2 months only: not listed)
  rising: S5 only (7 recent, 0 earlier: P = 0.5^7 = 1/128 < 0.05)
The excess score is recomputed here from the Poisson series, not with scipy.

Then two generated banks: the demo (its planted R1..R5) and a second bank of another seed and size with a
recurring issue planted (conftest.py second_bank: one 支行, one category and reason, in 5 of the last 6 months): each
planted issue must stand in the first ten.
"""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from dashboard import db
from dashboard.analysis import recurring
from dashboard.filters import Filters
from tests.conftest import PLANT_CATEGORY, PLANT_REASON
from tests.test_recurring import OCT, recurring_store  # noqa: F401  (the module's fixture)

TOP = 10


def poisson_tail(k: int, mean: float) -> float:
    """P(X >= k), X ~ Poisson(mean), by the series."""
    return 1.0 - sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k))


def test_expected_counts_and_order_by_hand(recurring_store):  # noqa: F811
    f = Filters(month_from=OCT, month_to=OCT)
    found = recurring.ranked(recurring.runner(recurring_store, f), OCT)
    by_key = found.set_index(["branch_code", "business_category", "reason"])
    expected = {
        ("0101", "信用卡", "定价收费"): (4, 6 * 4 / 22),
        ("0102", "借记卡", "定价收费"): (6, 6 * 9 / 22),
        ("0100", "借记卡", "定价收费"): (3, 3 * 9 / 22),
        ("0201", "个人贷款", "信息披露"): (7, 7 * 7 / 22),
    }
    assert set(by_key.index) == set(expected)
    scores = {}
    for key, (n, mean) in expected.items():
        row = by_key.loc[key]
        assert row["complaints"] == n
        assert row["expected"] == pytest.approx(mean)
        scores[key] = -math.log10(poisson_tail(n, mean))
        assert row["excess_score"] == pytest.approx(scores[key], rel=1e-6)
    assert by_key["rising"].to_dict() == {k: k == ("0201", "个人贷款", "信息披露") for k in expected}
    rank_score = {k: s + (recurring.RISING_BONUS if k[0] == "0201" else 0.0) for k, s in scores.items()}
    order = sorted(rank_score, key=lambda k: -rank_score[k])
    assert [tuple(k) for k in found[["branch_code", "business_category", "reason"]].itertuples(index=False)] == order
    assert found["rank"].tolist() == [1, 2, 3, 4]


def test_an_item_lifts_its_issue(recurring_store):  # noqa: F811
    f = Filters(month_from=OCT, month_to=OCT)
    plain = recurring.ranked(recurring.runner(recurring_store, f), OCT)
    last = tuple(plain.iloc[-1][["branch_code", "business_category", "reason"]])
    lifted = recurring.ranked(recurring.runner(recurring_store, f), OCT, with_item={last})
    row = lifted.set_index(["branch_code", "business_category", "reason"]).loc[last]
    assert bool(row["has_item"]) and row["rank_score"] == pytest.approx(
        plain.iloc[-1]["rank_score"] + recurring.ITEM_BONUS
    )


def test_report_keeps_the_page_order_and_at_most_50(recurring_store):  # noqa: F811
    f = Filters(month_from=OCT, month_to=OCT)
    page = recurring.ranked(recurring.runner(recurring_store, f), OCT)
    section = recurring.report_section(recurring_store, f, OCT)
    assert [(s["branch_code"], s["reason"]) for s in section] == list(zip(page["branch_code"], page["reason"]))
    assert recurring.REPORT_LIMIT == 50
    json.dumps(section, ensure_ascii=False)


def _rank_of(con, month: date, key: tuple[str, str, str]) -> int:
    found = recurring.ranked(recurring.runner(con, Filters(month_from=month, month_to=month)), month)
    hit = found[(found["branch_code"] == key[0]) & (found["business_category"] == key[1]) & (found["reason"] == key[2])]
    assert len(hit) == 1, key
    return int(hit["rank"].iloc[0])


def test_demo_planted_issues_in_the_first_ten(demo_store):
    gt = json.loads((demo_store.parent / "extracts" / "ground_truth.json").read_text(encoding="utf-8"))
    _, con = db.current(demo_store)
    month = date.fromisoformat(gt["last_month"] + "-01")
    ranks = {
        p["id"]: _rank_of(con, month, (p["branch_code"], p["business_category"], p["reason"]))
        for p in gt["recurring_issues"]
    }
    assert all(r <= TOP for r in ranks.values()), ranks


def test_second_bank_planted_issue_in_the_first_ten(second_bank):
    con, month = second_bank["con"], second_bank["month"]
    assert _rank_of(con, month, (second_bank["branch"], PLANT_CATEGORY, PLANT_REASON)) <= TOP
    for p in second_bank["gt"]["recurring_issues"]:  # the generator's own, on this bank too
        assert _rank_of(con, month, (p["branch_code"], p["business_category"], p["reason"])) <= TOP, p["id"]
