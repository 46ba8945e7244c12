"""The headline metrics against answers worked out by hand on the small bank (see conftest.py).

October 2026: C03 C04 C05 C06 C07 (5); September: C01 C02 (2); October 2025: C08 (1).
Customers: Sep 35,000, Oct 40,000 (0101 10k + 0102 5k + 0201 25k; 0200 has no row).
As of 2026-10-31 10:00 (C07's closing, the latest time in the data).
"""

from datetime import date

import pandas as pd
import pytest

from dashboard import db, report
from dashboard.filters import Filters

OCT, SEP = date(2026, 10, 1), date(2026, 9, 1)


def kpis(data_dir, **filters):
    _, con = db.current(data_dir)
    return report.kpis(con, Filters(month_from=OCT, month_to=OCT, **filters), OCT)


def test_bank_wide_october(small_store):
    k = kpis(small_store)
    assert k["complaints"] == 5
    assert k["mom_pct"] == pytest.approx((5 - 2) / 2 * 100)
    assert k["yoy_pct"] == pytest.approx((5 - 1) / 1 * 100)
    assert k["per_10k"] == pytest.approx(5 / 40000 * 10000)
    # closed: C03 (exactly 15 days: on time), C06, C07; open past deadline: C04; C05 not yet due
    assert k["on_time_rate"] == pytest.approx(3 / (3 + 1))
    assert k["avg_handling_days"] == pytest.approx((15 + 2.25 + 11) / 3)
    assert k["regulator_referred"] == 1
    assert k["open"] == 2
    assert k["open_overdue"] == 1
    # repeats: C03 (A, 信用卡, 28 days after C01), C06 (B, 借记卡, 20 days after C02)
    assert k["repeat_rate"] == pytest.approx(2 / 5)
    assert k["as_of"] == "2026-10-31 10:00:00"


def test_subtree_uses_members_customer_base(small_store):
    beijing = kpis(small_store, org="0100")
    assert beijing["complaints"] == 2
    assert beijing["per_10k"] == pytest.approx(2 / 15000 * 10000)
    shanghai = kpis(small_store, org="0200")  # 0200 has no own row: its base is 0201's
    assert shanghai["complaints"] == 3
    assert shanghai["per_10k"] == pytest.approx(3 / 25000 * 10000)


def test_dimension_filters(small_store):
    assert kpis(small_store, categories=("信用卡",))["complaints"] == 3
    assert kpis(small_store, referred=True)["complaints"] == 1
    assert kpis(small_store, channels=("客服热线",), reasons=("定价收费",))["complaints"] == 3


def test_undefined_changes_are_none(small_store):
    # October 2025 has C08, but September 2025 nothing: 环比 undefined; 同比 needs October 2024
    _, con = db.current(small_store)
    month = date(2025, 10, 1)
    k = report.kpis(con, Filters(month_from=month, month_to=month), month)
    assert k["complaints"] == 1
    assert k["mom_pct"] is None and k["yoy_pct"] is None
    assert k["per_10k"] is None  # no customer base loaded for 2025-10


def test_kpis_by_month_fills_empty_months(small_store):
    _, con = db.current(small_store)
    rows = db.run(
        con, "kpis_by_month", **Filters(month_from=SEP, month_to=OCT).params(month_from=date(2026, 7, 1), month_to=OCT)
    )
    assert list(rows["complaints"]) == [0, 0, 2, 5]
    sep = rows.iloc[2]
    assert sep["on_time"] == 1 and sep["closed"] == 2  # C02 took 20 days
    assert sep["on_time_rate"] == pytest.approx(0.5)
    assert sep["per_10k"] == pytest.approx(2 / 35000 * 10000)


def _without_shanghai_october(folder):
    """The small bank with October's customer file covering the 北京分行 branches only (hostile H50)."""
    from tests.conftest import CUSTOMERS, write_csv, write_small_extracts

    paths = write_small_extracts(folder)
    rows = [r for r in CUSTOMERS if not (r[0] == "0201" and r[1] == "2026-10")]
    write_csv(paths[1], ["机构代码", "月份", "客户数"], rows)
    return paths


def test_a_month_whose_customer_file_misses_a_branch_with_complaints_has_no_rate(store_factory):
    """0201 has October complaints (C04 C05 C07) and a September row, but no October row: the bank's and
    上海分行's October base is incomplete (not 15,000, which would give 5 / 15,000); 北京分行's is whole."""
    data_dir = store_factory("no_0201_october", _without_shanghai_october)
    bank = kpis(data_dir)
    assert bank["complaints"] == 5 and bank["per_10k"] is None and bank["customers_incomplete"] == 1
    assert kpis(data_dir, org="0200")["per_10k"] is None
    beijing = kpis(data_dir, org="0100")
    assert beijing["per_10k"] == pytest.approx(2 / 15000 * 10000) and beijing["customers_incomplete"] == 0
    _, con = db.current(data_dir)
    sep = report.kpis(con, Filters(month_from=SEP, month_to=SEP), SEP)
    assert sep["per_10k"] == pytest.approx(2 / 35000 * 10000) and sep["customers_incomplete"] == 0
    ranked = db.run(con, "rankings_by_org", **Filters(month_from=SEP, month_to=OCT).params(level="一级分行")).set_index(
        "branch_code"
    )
    # over September and October: 北京分行 4 complaints over a mean base of 15,000; 上海分行 has a gap
    assert ranked.loc["0100", "per_10k"] == pytest.approx(4 / 15000 * 10000) and ranked.loc["0100", "base_gaps"] == 0
    assert pd.isna(ranked.loc["0200", "per_10k"]) and ranked.loc["0200", "base_gaps"] == 1
    from dashboard.analysis import rankings, trends
    from dashboard.analysis.summary import summary

    reasons = rankings.unranked_reason(ranked, rankings.Settings())
    assert reasons["0200"].startswith("客户数不全") and "客户数" not in reasons["0100"]  # 0100: few complaints only
    f = Filters(month_from=OCT, month_to=OCT)
    text = summary(trends.load(trends.runner(con, f), f, OCT))
    assert "客户数不全（1 家机构" in text and "万人投诉率为" not in text


def _customers_of_beijing_only(folder):
    """The small bank with a customer file that never lists 上海浦东支行 (0201), in any month (hostile H76)."""
    from tests.conftest import CUSTOMERS, write_csv, write_small_extracts

    paths = write_small_extracts(folder)
    write_csv(paths[1], ["机构代码", "月份", "客户数"], [r for r in CUSTOMERS if r[0] != "0201"])
    return paths


def test_a_leaf_branch_missing_from_every_months_customer_file_leaves_the_base_incomplete(store_factory):
    """0201, a 支行 (a leaf), has October complaints (C04 C05 C07) and no customer row in any month: the bank's
    October base is not 北京分行's 15,000 (5 / 15,000 would triple the rate). 0200, a parent without a row
    of its own, is not a gap; 北京分行's own rate stands."""
    data_dir = store_factory("no_0201_ever", _customers_of_beijing_only)
    bank = kpis(data_dir)
    assert bank["complaints"] == 5 and bank["per_10k"] is None and bank["customers_incomplete"] == 1
    assert kpis(data_dir, org="0200")["per_10k"] is None
    beijing = kpis(data_dir, org="0100")
    assert beijing["per_10k"] == pytest.approx(2 / 15000 * 10000) and beijing["customers_incomplete"] == 0


def test_an_organisation_with_a_customer_gap_is_counted_as_incomplete_not_as_without_customers(store_factory):
    """0201 (上海分行's only 支行) has October complaints and no customer row in any month (H76): 上海分行 has a
    gap below it (base_gaps 1, status 客户数不全), not "no customers"; 北京分行 (2 complaints over 15,000, the
    only base: the average itself) is not judged, as no 一级分行 is ranked (fewer than 5 complaints each:
    hostile H151), so the key point says no 一级分行 is above the limits and that 1 had no rate."""
    from dashboard.analysis import funnel, leadership, rankings, trends
    from dashboard.briefing import build as briefing

    data_dir = store_factory("no_0201_ever", _customers_of_beijing_only)
    _, con = db.current(data_dir)
    f = Filters(month_from=OCT, month_to=OCT)
    rows = db.run(con, "rankings_by_org", **f.params(level="一级分行")).set_index("branch_code")
    assert rows.loc["0200", "base_gaps"] == 1 and pd.isna(rows.loc["0200", "per_10k"])
    assert rows.loc["0100", "base_gaps"] == 0
    table = rankings.order(
        rankings.reconciled(rankings.score(rows.reset_index(), rankings.Settings()), rankings.Settings())
    )
    status = dict(zip(table["branch_code"], table["status"]))
    assert status["0200"] == funnel.BASE_INCOMPLETE and status["0100"] == funnel.NOT_JUDGED
    outliers = leadership.funnel_outliers(trends.runner(con, f), f, OCT)
    assert outliers.base_incomplete == 1 and outliers.organisations == 1
    data = trends.load(trends.runner(con, f), f, OCT)
    assert (
        dict(briefing.key_points(data))["控制限外"]
        == "本月没有一级分行的万人投诉率高于 95% 控制限（1 家客户数不全，未参与）"
    )


def _elderly_without_shanghai_october(folder):
    """_without_shanghai_october with elderly counts (0101 2,000, 0102 1,000, 0201 4,000 each month)."""
    from tests.conftest import CUSTOMERS, write_csv, write_small_extracts

    paths = write_small_extracts(folder)
    elderly = {"0101": 2000, "0102": 1000, "0201": 4000}
    rows = [(*r, elderly[r[0]]) for r in CUSTOMERS if not (r[0] == "0201" and r[1] == "2026-10")]
    write_csv(paths[1], ["机构代码", "月份", "客户数", "老年客户数"], rows)
    return paths


def test_every_rate_leaves_out_a_base_with_a_gap(store_factory):
    """0201 has October complaints (C04 C05 C07) and no October row: every rate whose base includes 0201 has
    none (not the other members' customers): hotspots by organisation and by region, the regulator's ratios,
    the elderly rate (C06, 67, in 0102: 1 / 3,000 for 北京分行, not 1 / 3,000 for the bank) and rankings'
    elderly rate over September-October (0200: no elderly complaint over a base with a gap: none, not 0)."""
    from dashboard.analysis import hotspots as hs
    from dashboard.analysis import trends

    data_dir = store_factory("elderly_no_0201_october", _elderly_without_shanghai_october)
    _, con = db.current(data_dir)
    f = Filters(month_from=OCT, month_to=OCT)
    sel = f.params(**hs.selection_overrides(f, {}))
    by_org = db.run(con, "hotspots_by_org", **sel, org_level="一级分行").set_index("branch_code")
    assert by_org.loc["0200", "complaints"] == 3 and pd.isna(by_org.loc["0200", "per_10k"])
    assert by_org.loc["0100", "per_10k"] == pytest.approx(2 / 15000 * 10000)
    region = db.run(con, "hotspots_by_region", **sel)
    province = region[region["level"] == "province"].set_index("province")
    assert pd.isna(province.loc["上海", "per_10k"]) and province.loc["北京", "per_10k"] == pytest.approx(
        2 / 15000 * 10000
    )
    ratios = db.run(con, "regulator_ratios", **f.params()).set_index("unit")
    total = ratios.loc["total"]
    assert pd.isna(total["per_10m"]) and pd.isna(total["customers"])
    tier1 = db.run(con, "regulator_ratios", **f.params()).query("unit == 'tier1'").set_index("branch_code")
    assert pd.isna(tier1.loc["0200", "per_10m"]) and tier1.loc["0100", "customers"] == 15000
    bank = trends.load(trends.runner(con, f), f, OCT).outcomes.month_row()
    assert bank["elderly"] == 1 and pd.isna(bank["elderly_per_10k"])
    fb = Filters(month_from=OCT, month_to=OCT, org="0100")
    beijing = trends.load(trends.runner(con, fb), fb, OCT).outcomes.month_row()
    assert beijing["elderly_per_10k"] == pytest.approx(1 / 3000 * 10000)
    span = Filters(month_from=SEP, month_to=OCT)
    ranked = db.run(con, "rankings_by_org", **span.params(level="一级分行")).set_index("branch_code")
    assert pd.isna(ranked.loc["0200", "elderly_per_10k"])
    assert ranked.loc["0100", "elderly_per_10k"] == pytest.approx(2 / 3000 * 10000)  # C02 and C06 (67)


def _a_hole_and_a_closure(folder):
    """The small bank with two more 支行 under 北京分行 and customer files from July (hostile H76, second shape):
    0102 is missing from August's file although it has rows in July and September (a hole: no complaints in
    August, but 0101 has C09); 0103 (3,000) has rows July-September and none in October, the latest month (it
    may be missing or closed: not known yet); 0104 (1,000) has a row in July only (closed for good)."""
    from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv, write_small_extracts

    paths = write_small_extracts(folder)
    write_csv(
        paths[0],
        ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
        [
            *BRANCHES,
            ("0103", "北京西城支行", "0100", "支行", "北京", "北京"),
            ("0104", "北京东城支行", "0100", "支行", "北京", "北京"),
        ],
    )
    july = [("0101", "2026-07", 10000), ("0102", "2026-07", 5000), ("0201", "2026-07", 20000)]
    july += [("0103", "2026-07", 3000), ("0104", "2026-07", 1000)]
    august = [("0101", "2026-08", 10000), ("0201", "2026-08", 20000), ("0103", "2026-08", 3000)]
    write_csv(paths[1], ["机构代码", "月份", "客户数"], [*july, *august, *CUSTOMERS, ("0103", "2026-09", 3000)])
    c09 = ("C09", "2026-08-10 10:00:00", "2026-08-11 10:00:00", *COMPLAINTS[0][3:])
    write_csv(paths[2], COMPLAINT_HEADERS_ZH, [*COMPLAINTS, c09])
    return paths


def test_a_branch_missing_between_two_files_or_from_the_latest_one_leaves_the_base_incomplete(store_factory):
    """Hand-worked: August's base is not 0101 + 0201 + 0103 = 33,000 (1 / 33,000 would hide 0102's 5,000);
    October's is not 40,000 without 0103's 3,000; 0104's disappearance after July is a closure: September's
    base is 10,000 + 5,000 + 20,000 + 3,000 = 38,000 and its rate 2 / 38,000 x 10,000."""
    data_dir = store_factory("hole_and_closure", _a_hole_and_a_closure)
    _, con = db.current(data_dir)
    gaps = con.execute(
        "select branch_code, month from customer_gaps(date '2026-07-01', date '2026-10-01') order by 2"
    ).fetchall()
    assert [(b, m.isoformat()) for b, m in gaps] == [("0102", "2026-08-01"), ("0103", "2026-10-01")]
    aug = date(2026, 8, 1)
    k = report.kpis(con, Filters(month_from=aug, month_to=aug), aug)
    assert k["complaints"] == 1 and k["per_10k"] is None and k["customers_incomplete"] == 1
    sep = report.kpis(con, Filters(month_from=SEP, month_to=SEP), SEP)
    assert sep["per_10k"] == pytest.approx(2 / 38000 * 10000) and sep["customers_incomplete"] == 0
    october = kpis(data_dir)
    assert october["per_10k"] is None and october["customers_incomplete"] == 1
    assert kpis(data_dir, org="0200")["per_10k"] == pytest.approx(3 / 25000 * 10000)


def _opened_in_october(folder):
    """The small bank with 北京西城支行 (0103) opened in October: 6,000 customers in October's file only, and one
    October complaint (C10) (hostile H95)."""
    from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv, write_small_extracts

    paths = write_small_extracts(folder)
    write_csv(
        paths[0],
        ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
        [*BRANCHES, ("0103", "北京西城支行", "0100", "支行", "北京", "北京")],
    )
    write_csv(paths[1], ["机构代码", "月份", "客户数"], [*CUSTOMERS, ("0103", "2026-10", 6000)])
    c10 = ("C10", "2026-10-12 10:00:00", "2026-10-13 10:00:00", "0103", *COMPLAINTS[0][4:])
    write_csv(paths[2], COMPLAINT_HEADERS_ZH, [*COMPLAINTS, c10])
    return paths


def test_a_branch_opened_mid_period_is_compared_on_the_months_it_existed(store_factory):
    """Over September-October (2 months with customer files) 0103 has 1 complaint in its one month of 6,000
    customers: its rate is 1 per 6,000 customer-months, i.e. 1 / (6,000 x 1/2) x 10,000 = 3.33 over the period
    (not 1 / 6,000 x 10,000 = 1.67, half a period against whole ones); its funnel exposure is 3,000; it is marked
    期内新设，1 个月. 0101 (both months): 2 / 10,000 x 10,000 = 2.0, unmarked."""
    from dashboard.analysis import rankings

    data_dir = store_factory("opened_in_october", _opened_in_october)
    _, con = db.current(data_dir)
    f = Filters(month_from=SEP, month_to=OCT)
    rows = db.run(con, "rankings_by_org", **f.params(level="支行")).set_index("branch_code")
    assert rows.loc["0103", "customers"] == 6000 and rows.loc["0103", "base_months"] == 1
    assert rows.loc["0103", "per_10k"] == pytest.approx(1 / 3000 * 10000)
    assert rows.loc["0101", "per_10k"] == pytest.approx(2 / 10000 * 10000)
    settings = rankings.Settings(min_complaints=1, min_customers=0)
    table = rankings.reconciled(rankings.score(rows.reset_index(), settings), settings).set_index("branch_code")
    assert table.loc["0103", "expected"] == pytest.approx(table.attrs["target"] * 3000)
    marks = rankings.partial_period_marks(table)
    assert marks["0103"] == "（期内新设，1 个月）" and marks["0101"] == ""
