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


def test_a_compound_counts_under_its_pieces_but_is_one_word():
    pieces = {
        "个人住房贷款": frozenset({"住房贷款", "贷款"}),
        "住房贷款": frozenset({"贷款"}),
        "住房贷款利率": frozenset({"住房贷款", "利率", "贷款"}),
    }
    one_word = pd.DataFrame(
        [(f"m{i}", f"K{i}", "个人住房贷款") for i in range(12)], columns=["complaint_id", "customer_id", "term"]
    )
    expanded = events.expand_postings(one_word, pieces)
    assert sorted(expanded.loc[expanded["complaint_id"] == "m0", "term"]) == ["个人住房贷款", "住房贷款", "贷款"]
    # 12 customers writing the one word 个人住房贷款: its pieces always come with it, no wave
    assert events.find_waves(expanded, ["个人住房贷款", "住房贷款", "贷款"], pieces=pieces) == []
    # 住房贷款利率 is two words' worth: 住房贷款 and 利率, neither a piece of the other
    rate = pd.DataFrame(
        [(f"r{i}", f"R{i}", "住房贷款利率") for i in range(12)], columns=["complaint_id", "customer_id", "term"]
    )
    waves = events.find_waves(events.expand_postings(rate, pieces), ["住房贷款", "利率"], pieces=pieces)
    assert len(waves) == 1 and set(waves[0]["terms"]) == {"住房贷款", "利率"} and len(waves[0]["complaint_ids"]) == 12


def test_family_counts_replace_a_pieces_own():
    own = pd.DataFrame({"term": ["利率", "政策"], "docs": [38, 12], "baseline_docs": [123, 6]})
    families = pd.DataFrame({"term": ["利率", "住房贷款"], "docs": [61, 42], "baseline_docs": [209, 125]})
    counted = events.family_counts(own, families).set_index("term")
    assert (
        counted.loc["利率", "docs"] == 61
        and counted.loc["政策", "docs"] == 12
        and counted.loc["住房贷款", "docs"] == 42
    )
    pairs = events.family_pairs({"住房贷款利率": frozenset({"利率", "住房贷款"})})
    assert pairs == {"compounds": ["住房贷款利率", "住房贷款利率"], "pieces": ["住房贷款", "利率"]}


def test_dictionary_pieces():
    from dashboard.text import terms

    pieces = terms.pieces()
    assert {"住房贷款", "利率"} <= pieces["住房贷款利率"] and {"房贷利率", "利率", "房贷"} <= pieces["存量房贷利率"]
    assert "利率" not in pieces  # a dictionary word with no dictionary word at its start or end
    assert terms.tokenize("存量房贷利率没有调整")[0] == "存量房贷利率"  # hot terms keep the compound whole


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


# --- a bank not generated by the demo: 15 customers write about one new problem in their own words -----------
_ORDINARY = [  # (category, reason, narrative): the same everyday complaints every month, three times each
    ("信用卡", "定价收费", "信用卡年费被扣，客户不认可年费标准。"),
    ("其他", "服务态度及服务质量", "网点排队时间太长，等了一个多小时。"),
    ("借记卡", "服务设施、设备、业务系统", "ATM吞卡，卡片至今没有退回。"),
    ("支付结算", "服务设施、设备、业务系统", "手机银行转账失败，资金没有到账。"),
    ("理财", "产品收益", "理财经理推荐的产品收益不及预期。"),
    ("债务催收", "债务催收方式和手段", "催收电话打到单位，影响工作。"),
    ("借记卡", "管理制度、业务规则与流程", "借记卡被冻结，无法正常使用。"),
    ("个人贷款", "管理制度、业务规则与流程", "贷款审批时间过长，影响购房。"),
    ("其他", "服务态度及服务质量", "客服电话一直打不通，问题得不到解决。"),
    ("个人贷款", "管理制度、业务规则与流程", "提前还款需要预约，等待时间太长。"),
]
_NEW_PROBLEM = [  # October: an early-repayment penalty nobody was told of, no two texts alike
    "我上个月提前还款，被扣了一笔违约金，签合同时没人说过。",
    "提前还款违约金收得太高，贷款才还了半年就要付三个点。",
    "申请提前结清消费贷，客户经理说要先交违约金。",
    "打算提前还款，系统显示需要支付违约金，之前宣传的是随时可还。",
    "提前还款违约金没有在合同中写明，要求退还。",
    "贷款提前结清后，发现多收了违约金，客服说是新规定。",
    "为什么提前还款要收违约金？办理时说的是免费。",
    "本人提前还清了经营贷，银行扣收违约金两千元，不合理。",
    "提前还款时才被告知要收违约金，而且金额不透明。",
    "违约金按剩余本金计算，提前还款的人全都要交，太不公平。",
    "网上申请提前结清，被收取提前还款违约金。",
    "客户经理说十月起提前还款一律收违约金，之前没有公告。",
    "我只是想提前还款，却要先交违约金才能办理。",
    "收了违约金也不给开结清证明，提前还款流程太麻烦。",
    "提前还款违约金的标准在哪里公布的？要求说明。",
]
_WAVE_MONTHS = ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]


def _complaint(cid, month, day, branch, category, reason, customer, text):
    received = f"{month}-{day:02d} 10:00:00"
    closed = f"{month}-{day + 2:02d} 10:00:00"
    return (
        cid,
        received,
        closed,
        branch,
        "客服热线",
        category,
        reason,
        "",
        customer,
        "40",
        "",
        text,
        "已办结",
        "已解决",
        "满意",
        "否",
        "其他",
    )


def _write_wave_bank(folder):
    from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, write_csv

    folder.mkdir(parents=True, exist_ok=True)
    rows, n = [], 0
    for month in _WAVE_MONTHS:
        for i in range(30):
            category, reason, text = _ORDINARY[i % len(_ORDINARY)]
            n += 1
            rows.append(
                _complaint(
                    f"W{n:04d}", month, 1 + i % 25, ("0101", "0102", "0201")[i % 3], category, reason, f"K{n:04d}", text
                )
            )
    for i, text in enumerate(_NEW_PROBLEM):
        rows.append(
            _complaint(
                f"NEW{i:02d}",
                "2026-10",
                3 + i,
                ("0101", "0102", "0201")[i % 3],
                "个人贷款",
                "定价收费",
                f"N{i:02d}",
                text,
            )
        )
    customers = [(b, m, 10000) for b in ("0101", "0102", "0201") for m in _WAVE_MONTHS]
    return [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            BRANCHES,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], customers),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, rows),
    ]


def test_a_wave_forms_on_a_hand_written_bank_and_ordinary_months_form_none(store_factory):
    data_dir = store_factory("wave_bank", _write_wave_bank)
    planted = {f"NEW{i:02d}" for i in range(len(_NEW_PROBLEM))}
    october = _month_events(data_dir, date(2026, 10, 1))
    waves = [g for e in october for g in e.groups if g["type"] == "波次"]
    assert len(waves) == 1
    wave = waves[0]
    # 提前还款 and 违约金: written as two words or as the one compound 提前还款违约金 (counted under both)
    assert {"提前还款", "违约金"} <= set(wave["terms"])
    assert set(wave["complaint_ids"]) <= planted and len(wave["complaint_ids"]) >= 12
    # the compound-only texts (提前还款违约金 and no other wave word) are members through its pieces
    assert {"NEW04", "NEW14"} <= set(wave["complaint_ids"])
    for month in _WAVE_MONTHS[1:-1]:  # ordinary months: the same complaints as ever, no wave
        found = _month_events(data_dir, date.fromisoformat(month + "-01"))
        assert not [g for e in found for g in e.groups if g["type"] == "波次"], month


def test_a_cut_list_and_an_item_citing_part_of_an_event_say_so():
    # hostile H200: "查看投诉（500 笔）" under 涉及 903 笔投诉; an item cited the first 500 without a word
    big = events.Event(kind="surge", title="t", summary="s", complaint_ids=[f"C{i}" for i in range(903)], customers=884)
    assert events.listed(big, 500) == "列出 500 笔，共 903 笔"
    assert events.cited_note(big) == "（引用其中 500 笔投诉，事件共 903 笔）"
    small = events.Event(kind="surge", title="t", summary="s", complaint_ids=[f"C{i}" for i in range(55)], customers=55)
    assert events.listed(small, 55) == "55 笔" and events.cited_note(small) == ""


def test_the_typical_case_is_among_the_listed_complaints():
    """Hostile H215: the wave's typical case (received late in the month) lay past the first 500 listed, and the
    page fell back to an unrelated complaint. The list keeps 500 and holds the typical case."""
    ids = [f"C{i:03d}" for i in range(903)]
    wave = events.Event(
        kind="surge", title="t", summary="s", complaint_ids=ids, customers=884, groups=[{"typical_id": "C850"}]
    )
    listed = events.listed_ids(wave)
    assert len(listed) == 500 and "C850" in listed and listed[:499] == ids[:499]
    early = events.Event(
        kind="surge", title="t", summary="s", complaint_ids=ids, customers=884, groups=[{"typical_id": "C010"}]
    )
    assert events.listed_ids(early) == ids[:500]
    plain = events.Event(kind="surge", title="t", summary="s", complaint_ids=ids[:55], customers=55)
    assert events.listed_ids(plain) == ids[:55]


def test_a_recurring_issue_is_this_months_news_only_when_the_month_keeps_it_up():
    """Hostile H225: recent months are the last 3 of the 6-month window. By hand: Sep 0 → not September's; Aug 2,
    Sep 8, Oct 2 → October's 2 is below the other months' mean 5 → not October's; Jul 4, Aug 4 with Jun 0 → August's
    4 ≥ mean 2 → listed."""
    rows = pd.DataFrame(
        {"last_month_complaints": [0, 2, 4, 3], "recent_complaints": [7, 12, 8, 6]}  # the last: 3 ≥ (6-3)/2
    )
    assert list(events.held_this_month(rows)) == [False, False, True, True]
