"""本月新情况 (dashboard/analysis/events.py): surging slices grouped into events, waves, and the planted
surges and the October mortgage-rate wave of generated banks.

By hand (test_slices_sharing_complaints_are_one_event):
  A  a sub-branch's 借记卡·规则      complaints a1..a20            extra 19
  B  its parent's 借记卡              a1..a20 + b1..b5 (25)         extra 18   shares 20 with A: >= 0.5 x 18
  C  bank-wide 信用卡·定价            c1..c30                       extra 15   shares nothing
  D  a product                        c1..c3 + d1..d17 (20)         extra 12   shares 3 with C: < 0.5 x 12
Events: {A, B} with head A (the larger excess), {C}, {D}; ordered by the head's excess: A, C, D.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from dashboard import db
from dashboard.analysis import events, surges
from dashboard.filters import Filters


def _found(rows):
    return pd.DataFrame(
        [
            {
                "kind": k,
                "branch_code": b,
                "branch_name": None,
                "business_category": c,
                "reason": r,
                "product": p,
                "complaints": n,
                "baseline": n - e,
                "extra": float(e),
                "p_value": 1e-9,
                "series": [0] * 12,
            }
            for k, b, c, r, p, n, e in rows
        ]
    )


def _members(sets):
    return pd.DataFrame(
        [{"slice": i, "complaint_id": c, "customer_id": "K" + c} for i, ids in enumerate(sets) for c in ids]
    )


def test_significance_in_words():
    assert events.significance_words(1e-52) == "极显著"
    assert events.significance_words(0.0009) == "极显著"
    assert events.significance_words(0.005) == "显著"
    assert events.significance_words(0.02) == "不显著"


def test_slices_sharing_complaints_are_one_event():
    a = [f"a{i}" for i in range(1, 21)]
    found = _found(
        [
            ("branch_category_reason", "010101", "借记卡", "管理制度、业务规则与流程", None, 20, 19),
            ("branch_category", "0101", "借记卡", None, None, 25, 18),
            ("category_reason", None, "信用卡", "定价收费", None, 30, 15),
            ("product", None, None, None, "某产品", 20, 12),
        ]
    )
    members = _members(
        [
            a,
            a + [f"b{i}" for i in range(1, 6)],
            [f"c{i}" for i in range(1, 31)],
            [f"c{i}" for i in range(1, 4)] + [f"d{i}" for i in range(1, 18)],
        ]
    )
    comps = sorted(sorted(c) for c in events.link_slices(found, members))
    assert comps == [[0, 1], [2], [3]]
    found_events = events.surge_events(found, members)
    assert [e.weight for e in found_events] == [19.0, 15.0, 12.0]
    first = found_events[0]
    assert [p["kind"] for p in first.parts] == ["branch_category_reason", "branch_category"]
    assert len(first.complaint_ids) == 25 and first.customers == 25 and first.head_ids == sorted(a)
    assert "极显著" in first.summary and "预期约 1.0 件" in first.summary
    assert "p = " in first.technical and "p = " not in first.summary


def test_a_wave_is_co_occurring_rising_terms_from_many_customers():
    rows = []
    for i in range(12):  # x and y together, 12 customers
        rows += [(f"w{i}", f"K{i}", "x"), (f"w{i}", f"K{i}", "y")]
    for i in range(15):  # z on its own
        rows.append((f"z{i}", f"Z{i}", "z"))
    rows += [("z0", "Z0", "v"), ("z1", "Z1", "v"), ("w0", "K0", "v")]
    postings = pd.DataFrame(rows, columns=["complaint_id", "customer_id", "term"])
    waves = events.find_waves(postings, ["x", "y", "z", "v"])
    assert len(waves) == 1
    assert set(waves[0]["terms"]) == {"x", "y"} and len(waves[0]["complaint_ids"]) == 12
    assert waves[0]["customers"] == 12
    few = postings[~postings["customer_id"].isin([f"K{i}" for i in range(3, 12)])]  # 3 customers only
    assert events.find_waves(few, ["x", "y", "z", "v"]) == []


def test_rising_terms_rule():
    terms = pd.DataFrame(
        {"term": ["new", "steady", "small", "doubled"], "docs": [25, 40, 6, 30], "baseline_docs": [0, 230, 0, 6 * 14]}
    )
    rising = events.rising_terms(terms)
    # new: 25 vs a floor of 0.5 a month; steady: 40 vs 38.3; small: fewer than 10; doubled: 30 vs 14 (p ~ 1e-4)
    assert "new" in set(rising["term"]) and "steady" not in set(rising["term"]) and "small" not in set(rising["term"])


def _month_events(data_dir, month):
    _, con = db.current(data_dir)
    f = Filters(month_from=month, month_to=month)
    return events.month_events(events.runner(con, f), month, surges.data_start(con, f))


def _has_slice(found, planted) -> bool:
    def same(part) -> bool:
        return (
            part["kind"] == planted["kind"]
            and part["branch_code"] == planted["branch_code"]
            and part["business_category"] == planted["business_category"]
            and part["reason"] == planted["reason"]
            and part["product"] == planted["product"]
        )

    return any(same(p) for e in found if e.kind == "surge" for p in e.parts)


def _check_planted_surges(data_dir, gt):
    for planted in gt["surges"]:
        month = date.fromisoformat(planted["month"] + "-01")
        assert _has_slice(_month_events(data_dir, month), planted), planted["id"]


@pytest.fixture(scope="module")
def demo_gt(demo_store):
    return json.loads((demo_store.parent / "extracts" / "ground_truth.json").read_text(encoding="utf-8"))


def test_demo_planted_surges_are_in_the_event_list(demo_store, demo_gt):
    _check_planted_surges(demo_store, demo_gt)


@pytest.mark.xfail(
    strict=True,
    reason="known defect, issue 20 left open: since the hot-terms tokenizer (SEGMENTATION_VERSION 3) "
    "keeps 住房贷款利率 whole, on this demo bank the October mortgage wave's terms no longer form a wave with "
    "利率 and 住房贷款 (0 waves here; a 30,000-row demo still shows one). strict: fails the suite once fixed.",
)
def test_demo_mortgage_wave_is_one_event_with_its_terms_and_a_group(demo_store, demo_gt):
    planted = next(s for s in demo_gt["surges"] if s["product"] == "个人住房贷款")
    found = _month_events(demo_store, date.fromisoformat(planted["month"] + "-01"))
    holding = [e for e in found if e.kind == "surge" and any(p["product"] == "个人住房贷款" for p in e.parts)]
    assert len(holding) == 1
    event = holding[0]
    assert event.parts[0]["product"] == "个人住房贷款"  # the widest slice that explains it leads
    waves = [g for g in event.groups if g["type"] == "波次"]
    assert len(waves) == 1 and {"利率", "住房贷款"} <= set(waves[0]["terms"])
    assert not [e for e in found if e.kind == "wave" and "利率" in e.terms]  # not listed a second time
    # the pricing complaints of personal loans bank-wide, when they surge, belong to the same event
    pricing = [
        e
        for e in found
        if any(
            p["kind"] == "category_reason" and p["business_category"] == "个人贷款" and p["reason"] == "定价收费"
            for p in e.parts
        )
    ]
    assert pricing in ([], [event])


def test_second_bank_planted_surges_are_in_the_event_list(second_bank):
    _check_planted_surges(second_bank["data_dir"], second_bank["gt"])
