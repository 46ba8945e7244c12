"""Repeat complaints: the adjustable rule (queries/repeats_flags.sql) against answers worked out by hand,
its equality with the is_repeat stored at import, the planted repeat complainants of the demo bank, the
page (AppTest) and the report section.

Hand-made customers (branches of tests/conftest.py; reason 定价收费 unless said):
  X  信用卡 at 0101: X1 2026-09-01 10:00, X2 2026-10-01 09:00 (exactly 30 calendar days after X1),
     X3 2026-11-01 08:00 (31 days after X2)
  Y  at 0102: Y1 借记卡 2026-09-10, Y2 信用卡 2026-09-20 (other category, 10 days after Y1),
     Y3 借记卡 2026-10-05 (25 days after Y1, 15 after Y2)
  Z  信用卡: Z1 2026-08-01 at 0201 (上海), Z2 2026-08-20 at 0101 (北京), 19 days later
  V  信用卡 at 0201: V1 2026-10-12 09:00, V2 the same day 18:00 (0 days)
  W  个人贷款 at 0201: W1 2026-10-10, alone
Contract rule (30 days, same category): repeats X2, Y3, Z2, V2.
Any category, 30 days: X2, Y2, Y3, Z2, V2.   Same category, 20 days: Z2, V2.   29 days: Y3, Z2, V2 (not X2).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.analysis import repeats
from dashboard.filters import Filters
from dashboard.ingest.pipeline import import_files
from dashboard.ledger.store import Ledger
from tests.apptest_support import run_app
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, CUSTOMERS, write_csv

AUG, SEP, OCT, NOV = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


def complaint(cid, received, branch, category, customer, reason="定价收费", content="投诉内容"):
    return (
        cid,
        received,
        "",
        branch,
        "客服热线",
        category,
        reason,
        "",
        customer,
        "40",
        "",
        content,
        "处理中",
        "",
        "",
        "否",
        "",
    )


ROWS = [
    complaint("X1", "2026-09-01 10:00:00", "0101", "信用卡", "X"),
    complaint("X2", "2026-10-01 09:00:00", "0101", "信用卡", "X", content="客户王小明再次来电，电话13812345678"),
    complaint("X3", "2026-11-01 08:00:00", "0101", "信用卡", "X"),
    complaint("Y1", "2026-09-10 12:00:00", "0102", "借记卡", "Y"),
    complaint("Y2", "2026-09-20 12:00:00", "0102", "信用卡", "Y"),
    complaint("Y3", "2026-10-05 12:00:00", "0102", "借记卡", "Y"),
    complaint("Z1", "2026-08-01 10:00:00", "0201", "信用卡", "Z"),
    complaint("Z2", "2026-08-20 10:00:00", "0101", "信用卡", "Z"),
    complaint("V1", "2026-10-12 09:00:00", "0201", "信用卡", "V"),
    complaint("V2", "2026-10-12 18:00:00", "0201", "信用卡", "V"),
    complaint("W1", "2026-10-10 09:00:00", "0201", "个人贷款", "W"),
]
CONTRACT = {"X2", "Y3", "Z2", "V2"}
ANY_CATEGORY = {"X2", "Y2", "Y3", "Z2", "V2"}
WINDOW_20 = {"Z2", "V2"}
WINDOW_29 = {"Y3", "Z2", "V2"}


@pytest.fixture(scope="module")
def repeat_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("repeats")
    files = [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            BRANCHES,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, ROWS),
    ]
    import_files(files, folder / "data")
    return folder / "data"


def connection(data_dir):
    _, con = db.current(data_dir)
    return con


def flagged(con, month_from=AUG, month_to=NOV, window=30, same=True, **filters) -> set[str]:
    params = Filters(month_from=month_from, month_to=month_to, **filters).params(**repeats.rule_params(window, same))
    rows = con.execute(
        "select complaint_id, is_repeat from repeat_flags($month_from, $month_to, $org, $scope, "
        "$categories, $reasons, $channels, $referred, $repeat_window_days, $same_category, "
        "stored_window_days := $stored_window_days, basis := $basis, age_group := $age_group)",  # flags_only is false: always the look-back
        db.bind("repeats_by_month", params),
    ).fetchall()
    return {cid for cid, is_repeat in rows if is_repeat}


# --- The rule on hand-made cases -------------------------------------------------------------------
def test_stored_flag_is_the_contract_rule(repeat_store):
    con = connection(repeat_store)
    stored = {cid for cid, r in con.execute("select complaint_id, is_repeat from complaints").fetchall() if r}
    assert stored == CONTRACT


def test_adjustable_rule_with_defaults_equals_stored_flag(repeat_store):
    assert flagged(connection(repeat_store)) == CONTRACT


def test_exactly_30_days_apart_is_a_repeat_31_is_not(repeat_store):
    con = connection(repeat_store)
    assert "X2" in flagged(con)  # 2026-09-01 -> 2026-10-01: 30 calendar days
    assert "X3" not in flagged(con)  # 2026-10-01 -> 2026-11-01: 31 days
    assert "X2" not in flagged(con, window=29)
    assert flagged(con, window=29) == WINDOW_29


def test_other_category_within_window_counts_only_when_not_required(repeat_store):
    con = connection(repeat_store)
    assert "Y2" not in flagged(con)  # 信用卡 10 days after a 借记卡 complaint
    assert flagged(con, same=False) == ANY_CATEGORY


def test_window_is_adjustable(repeat_store):
    assert flagged(connection(repeat_store), window=20) == WINDOW_20


def test_look_back_ignores_the_period_and_the_filters(repeat_store):
    con = connection(repeat_store)
    # X1 is in September: X2 is still a repeat when only October is shown
    assert flagged(con, OCT, OCT) == {"X2", "Y3", "V2"}
    # Z1 was at 0201 (上海): Z2 at 0101 is a repeat when only 北京分行 is shown
    assert flagged(con, AUG, AUG, org="0100") == {"Z2"}


def test_repeats_by_month(repeat_store):
    con = connection(repeat_store)
    rows = db.run(
        con, "repeats_by_month", **Filters(month_from=date(2026, 7, 1), month_to=NOV).params(**repeats.rule_params())
    )
    assert list(rows["complaints"]) == [0, 2, 3, 5, 1]
    assert list(rows["repeats"]) == [0, 1, 0, 3, 0]
    assert rows["repeat_rate"].iloc[0] is None or rows["repeat_rate"].isna().iloc[0]
    assert rows["repeat_rate"].iloc[3] == pytest.approx(3 / 5)
    assert repeats.totals(rows) == {"complaints": 11, "repeats": 4, "repeat_rate": pytest.approx(4 / 11)}


def test_repeats_by_org_levels(repeat_store):
    con = connection(repeat_store)
    params = Filters(month_from=AUG, month_to=NOV).params(**repeats.rule_params())
    by_branch = db.run(con, "repeats_by_org", **params, level="支行").set_index("branch_code")
    assert by_branch.loc["0101", ["complaints", "repeats"]].tolist() == [4, 2]  # X1 X2 X3 Z2; X2 Z2
    assert by_branch.loc["0102", ["complaints", "repeats"]].tolist() == [3, 1]  # Y1 Y2 Y3; Y3
    assert by_branch.loc["0201", ["complaints", "repeats"]].tolist() == [4, 1]  # Z1 V1 V2 W1; V2
    assert by_branch.loc["0101", "repeat_rate"] == pytest.approx(0.5)
    tier1 = db.run(con, "repeats_by_org", **params, level="一级分行")
    assert tier1[["branch_code", "complaints", "repeats"]].values.tolist() == [["0100", 7, 3], ["0200", 4, 1]]


def test_top_customers_and_timeline(repeat_store):
    con = connection(repeat_store)
    params = Filters(month_from=AUG, month_to=NOV).params(**repeats.rule_params())
    top = db.run(con, "repeats_top_customers", **params, limit=10)
    # all have one repeat; ordered by complaints, then the latest complaint (X 11-01, Y 10-05; V 10-12, Z 08-20)
    assert list(top["customer_id"]) == ["X", "Y", "V", "Z"]
    assert list(top["complaints"]) == [3, 3, 2, 2] and set(top["repeats"]) == {1}
    assert set(top["repeat_customers"]) == {4}
    relaxed = Filters(month_from=AUG, month_to=NOV).params(**repeats.rule_params(30, False))
    timeline = db.run(con, "repeats_customer_timeline", **relaxed, customer_id="Y", limit=50)
    assert list(timeline["complaint_id"]) == ["Y1", "Y2", "Y3"]
    assert list(timeline["is_repeat"]) == [False, True, True]
    assert timeline["days_since_previous"].iloc[1:].tolist() == [10, 15]


def test_rule_text_names_the_threshold():
    assert "30 个自然日" in repeats.rule_text() and "同一业务类别" in repeats.rule_text()
    assert "非默认" in repeats.rule_text(20, True) and "任一业务类别" in repeats.rule_text(30, False)


# --- The demo bank --------------------------------------------------------------------------------
def test_demo_default_rule_equals_stored_flag_on_every_complaint(demo_store):
    snapshot, con = db.current(demo_store)
    first, last = date.fromisoformat(snapshot.meta["first_month"]), date.fromisoformat(snapshot.meta["last_month"])
    ours = dict(
        con.execute(
            "select complaint_id, is_repeat from repeat_flags($f, $l, null, null, null, null, null, null, 30, true)",
            {"f": first, "l": last},
        ).fetchall()
    )
    stored = dict(con.execute("select complaint_id, is_repeat from complaints").fetchall())
    assert len(ours) == len(stored) == snapshot.meta["complaints"]
    assert ours == stored
    assert sum(stored.values()) > 100


def test_demo_planted_repeat_complainants_are_found(demo_store):
    gt = json.loads((demo_store.parent / "extracts" / "ground_truth.json").read_text(encoding="utf-8"))
    snapshot, con = db.current(demo_store)
    stored = dict(con.execute("select complaint_id, is_repeat from complaints").fetchall())
    first, last = date.fromisoformat(snapshot.meta["first_month"]), date.fromisoformat(snapshot.meta["last_month"])
    params = Filters(month_from=first, month_to=last).params(**repeats.rule_params())
    top = db.run(con, "repeats_top_customers", **params, limit=60).set_index("customer_id")
    planted = gt["repeat_complainants"]
    assert len(planted) == 20
    for p in planted:  # every complaint after the first comes back within 30 days in the same category
        ids = p["complaint_ids"]
        assert [stored[c] for c in ids[1:]] == [True] * (len(ids) - 1), p["id"]
        assert top.loc[p["customer_id"], "repeats"] == len(ids) - 1, p["id"]
    # the customers with 3 or more repeats are exactly the planted ones with that many
    many = {p["customer_id"] for p in planted if len(p["complaint_ids"]) - 1 >= 3}
    assert set(top.index[top["repeats"] >= 3]) == many


# --- The page -------------------------------------------------------------------------------------
def run_page(query: dict) -> AppTest:
    return run_app("app_pages/repeats.py", query)


def metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


def test_page_counts_and_rule_parameters(repeat_store, app_env):
    app_env(repeat_store)
    at = run_page({"from": "2026-09", "to": "2026-10"})
    shown = metrics(at)
    assert shown["投诉量"] == "8 件" and shown["重复投诉"] == "3 件" and shown["重复投诉率"] == "37.5%"
    assert all(m.help for m in at.metric)
    at.toggle(key="rp_same").set_value(False).run()  # Y2 becomes a repeat
    assert metrics(at)["重复投诉"] == "4 件" and metrics(at)["重复投诉率"] == "50.0%"
    at.toggle(key="rp_same").set_value(True).run()
    at.number_input(key="rp_window").set_value(20).run()  # only V2 within 20 days in Sep-Oct
    assert metrics(at)["重复投诉"] == "1 件"
    assert not at.exception


def test_page_opened_from_a_link_counts_by_the_links_rule(repeat_store, app_env):
    # H139: Sep-Oct, any category, 30 days: X2, Y2, Y3, V2 = 4 of 8 (the module docstring); 20 days, same
    # category: V2 only. Recurring, at least 4 of 6 months: none (0101 信用卡 定价收费 has 3 months).
    app_env(repeat_store)
    period = {"from": "2026-09", "to": "2026-10"}
    shown = metrics(run_page({**period, "rp_same": "0"}))
    assert shown["重复投诉"] == "4 件" and shown["重复投诉率"] == "50.0%"
    by_widget = run_page(period)
    by_widget.toggle(key="rp_same").set_value(False).run()
    assert metrics(by_widget)["重复投诉"] == shown["重复投诉"]
    assert metrics(run_page({**period, "rp_window": "20"}))["重复投诉"] == "1 件"
    assert metrics(run_page({**period, "rc_min": "3"}))["反复出现的问题"] == "1 个"
    linked = metrics(run_page({**period, "rc_min": "4"}))["反复出现的问题"]
    by_widget = run_page(period)
    by_widget.number_input(key="rc_min").set_value(4).run()
    assert linked == metrics(by_widget)["反复出现的问题"] == "0 个"


def test_page_masks_narratives_in_the_timeline(repeat_store, app_env):
    app_env(repeat_store)
    at = run_page({"from": "2026-08", "to": "2026-11"})
    frames = [d.value for d in at.dataframe]
    timeline = next(f for f in frames if "投诉内容（已脱敏）" in f.columns)
    text = " ".join(timeline["投诉内容（已脱敏）"].astype(str))
    assert "X2" in set(timeline["投诉编号"]) and "13812345678" not in text and "138****5678" in text


def test_page_opens_a_ledger_item_for_a_recurring_issue(repeat_store, app_env):
    # 0101 信用卡 定价收费 has complaints in Aug (Z2), Sep (X1), Oct (X2): 3 of the 6 months to October
    app_env(repeat_store)
    at = run_page({"from": "2026-10", "to": "2026-10"})
    assert metrics(at)["反复出现的问题"] == "1 个"
    form = "rc_form_0"  # the form of the first (here the only) issue
    at.selectbox(key=f"{form}_root").set_value("产品设计")
    at.text_input(key=f"{form}_owner").input("信用卡中心")
    at.text_area(key=f"{form}_action").input("调整年费规则")
    next(b for b in at.button if b.label == "建立整改事项").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已建立整改事项" in s.value for s in at.success)
    items = Ledger(repeat_store).items()
    item = items[items["owner_dept"] == "信用卡中心"].iloc[0]
    assert (item["source"], item["branch_code"], item["business_category"], item["reason"]) == (
        "recurring",
        "0101",
        "信用卡",
        "定价收费",
    )
    assert item["status"] == "待整改" and item["root_cause"] == "产品设计" and item["created_by"] == "演示用户"


def test_page_on_a_period_without_complaints(repeat_store, app_env):
    app_env(repeat_store)
    at = run_page({"from": "2026-10", "to": "2026-10", "cat": "外汇"})
    warnings = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    assert "没有投诉" in warnings and "没有反复出现的问题" in warnings


def test_page_on_demo_bank_shows_every_part(demo_store, app_env):
    app_env(demo_store)
    at = run_page({"from": "2025-11", "to": "2026-10"})
    shown = metrics(at)
    for label in ("重复投诉率", "反复出现的问题", "相似投诉组"):
        assert label in shown
    assert (
        shown["相似投诉组"].endswith(" 组") and int(shown["相似投诉组"].split()[0]) >= 4
    )  # C1 (2026-01), C2 (2025-12), C3 (2026-05), C6 (2025-11)


# --- The report -----------------------------------------------------------------------------------
def test_report_section(repeat_store):
    con = connection(repeat_store)
    section = repeats.report_section(con, Filters(month_from=OCT, month_to=OCT), OCT)
    assert section["repeat_complaints"] == 3 and section["repeat_rate"] == pytest.approx(3 / 5)
    # October: V has 2 complaints (1 repeat); Y3 (10-05) and X2 (10-01) one each, the latest first
    assert [c["customer_id"] for c in section["top_customers"]] == ["V", "Y", "X"]
    json.dumps(section, ensure_ascii=False)


@pytest.mark.parametrize(
    "period",
    [
        (date(2026, 10, 1), date(2026, 10, 1)),
        (date(2026, 6, 1), date(2026, 10, 1)),
        (date(2025, 11, 1), date(2026, 10, 1)),
    ],
)
def test_period_totals_cut_from_the_trend_equal_their_own_query(demo_store, period):
    """The page takes the period's totals from the 12-month trend instead of a second query: the same
    numbers as repeats_by_month over the period itself, for one month, five, and the full twelve."""
    _, con = db.current(demo_store)
    f, rule = Filters(month_from=period[0], month_to=period[1]), repeats.rule_params()
    start, end = repeats.trend_window(f.month_to)
    trend = db.run(con, "repeats_by_month", **f.params(month_from=start, month_to=end, **rule))
    cut = repeats.period_of(trend, f.month_from, f.month_to)
    own = db.run(con, "repeats_by_month", **f.params(**rule))
    assert repeats.totals(own)["complaints"] > 0
    assert repeats.totals(cut) == repeats.totals(own)
    assert len(cut) == len(own)


def test_a_period_longer_than_the_trend_has_its_own_query(demo_store):
    start, end = date(2025, 10, 1), date(2026, 10, 1)  # 13 months
    assert repeats.period_of(None, start, end) is None


@pytest.mark.parametrize("stored", [True, False], ids=["stored at import", "counted live"])
def test_repeats_by_month_on_the_demo_bank_equals_a_pandas_count(demo_store, stored):
    """Unfiltered with the import's rule the trend comes from repeat_months (stored at import); every category
    listed takes the live query: both equal pandas over the stored flag (itself checked against the rule)."""
    snapshot, con = db.current(demo_store)
    first, last = date.fromisoformat(snapshot.meta["first_month"]), date.fromisoformat(snapshot.meta["last_month"])
    frame = pd.read_parquet(snapshot.table("complaints"), columns=["month", "customer_id", "is_repeat"])
    expected = frame.groupby("month").agg(
        complaints=("customer_id", "size"),
        repeats=("is_repeat", "sum"),
        repeat_customers=("customer_id", lambda s: s[frame.loc[s.index, "is_repeat"]].nunique()),
    )
    categories = (
        None
        if stored
        else tuple(con.execute("select distinct business_category from complaints").df()["business_category"])
    )
    rows = db.run(
        con,
        "repeats_by_month",
        **Filters(month_from=first, month_to=last, categories=categories).params(**repeats.rule_params()),
    )
    got = rows.assign(month=pd.to_datetime(rows["month"])).set_index("month")
    expected.index = pd.to_datetime(expected.index)
    assert len(got) == len(expected) > 12
    for column in ("complaints", "repeats", "repeat_customers"):
        assert got[column].tolist() == expected[column].astype(int).tolist(), column
