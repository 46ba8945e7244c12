"""The regulator's ratios, the report's new kpis and the published-medians store, by hand on the small bank
(tests/conftest.py). Regulator-referred: C02 (0102, 2026-09) and C04 (0201, 2026-10). Customers: September
0101 10,000 + 0102 5,000 + 0201 20,000 = 35,000; October 10,000 + 5,000 + 25,000 = 40,000. Outlets: the three
支行 (is_outlet empty = by level). October: 1 / 40,000 x 10^7 = 250 per 10 million; 1 / 3 x 1,000 = 333.33 per
1,000 outlets; 上海分行 1 / 25,000 x 10^7 = 400 and 1 / 1 x 1,000 = 1,000; 北京分行 0. September to October:
2 / mean(35,000, 40,000) x 10^7 = 533.33. October's elderly: C06 (67) of 5 complaints, C04 without an age.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import db, report
from dashboard.analysis import regulator as rg
from dashboard.analysis import trends
from dashboard.filters import Filters
from dashboard.ledger import medians

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def ratios(data_dir, month_from, month_to, **filters) -> pd.DataFrame:
    _, con = db.current(data_dir)
    params = Filters(month_from=month_from, month_to=month_to, **filters).params()
    return db.run(con, "regulator_ratios", **params).set_index("branch_name")


def test_ratios_for_the_bank_and_tier1_branches(small_store):
    r = ratios(small_store, OCT, OCT)
    assert r.loc["合计", "referred"] == 1 and r.loc["合计", "customers"] == 40_000 and r.loc["合计", "outlets"] == 3
    assert r.loc["合计", "per_10m"] == pytest.approx(250.0)
    assert r.loc["合计", "per_1k_outlets"] == pytest.approx(1000 / 3)
    assert r.loc["上海分行", "per_10m"] == pytest.approx(400.0) and r.loc["上海分行", "per_1k_outlets"] == 1000
    assert r.loc["北京分行", "per_10m"] == 0 and r.loc["北京分行", "outlets"] == 2


def test_a_span_of_months_is_the_sum_over_the_mean_base(small_store):
    r = ratios(small_store, SEP, OCT)
    assert r.loc["合计", "per_10m"] == pytest.approx(2 * 1e7 / 37_500)


def test_ratios_within_an_organisation(small_store):
    r = ratios(small_store, OCT, OCT, org="0200")
    assert list(r.index) == ["合计", "上海分行"]
    assert r.loc["合计", "per_10m"] == pytest.approx(400.0)


def test_report_kpis_gain_the_regulator_and_elderly_figures(small_store):
    _, con = db.current(small_store)
    k = report.kpis(con, Filters(month_from=OCT, month_to=OCT), OCT)
    assert k["regulator_referred_per_10m"] == pytest.approx(250.0)
    assert k["regulator_referred_per_1k_outlets"] == pytest.approx(1000 / 3)
    assert (k["elderly_complaints"], k["age_unknown"]) == (1, 1)
    assert k["elderly_share"] == pytest.approx(1 / 5)  # C04 (no age) in the denominator


def test_page_data_by_quarter(small_store):
    _, con = db.current(small_store)
    filters = Filters(month_from=OCT, month_to=OCT)
    data = rg.load(trends.runner(con, filters), filters, OCT)
    assert data.quarter == "2026-Q4" and not data.quarter_complete
    q = data.quarter_ratios.set_index("branch_name")
    assert q.loc["合计", "per_10m"] == pytest.approx(250.0)
    assert list(data.sources["source"]) == ["未注明"] and list(data.sources["complaints"]) == [1]
    trend = data.trend.set_index("month")
    assert trend.loc[SEP, "per_10m"] == pytest.approx(1e7 / 35_000)
    assert rg.quarter_months(date(2026, 8, 1)) == (date(2026, 7, 1), date(2026, 8, 1))


def test_medians_saved_and_checked(tmp_path):
    assert medians.load(tmp_path).empty
    frame = pd.DataFrame(
        [
            {
                "quarter": "2026-q3",
                "peer_group": "全国性股份制商业银行",
                "median_per_10m": 120.5,
                "median_per_1k_outlets": 8.0,
            },
            {"quarter": None, "peer_group": None, "median_per_10m": None, "median_per_1k_outlets": None},
        ]
    )
    assert medians.save(tmp_path, frame, "cp") == 1
    stored = medians.load(tmp_path)
    assert list(stored["quarter"]) == ["2026-Q3"] and stored["median_per_10m"].iloc[0] == 120.5
    for bad, message in (
        ({"quarter": "2026Q3"}, "季度应写作"),
        ({"peer_group": ""}, "缺少同业组别"),
        ({"median_per_10m": -1}, "大于或等于 0"),
    ):
        row = {**frame.iloc[0].to_dict(), **bad}
        with pytest.raises(medians.MediansError, match=message):
            medians.save(tmp_path, pd.DataFrame([row]), "cp")
    assert len(medians.load(tmp_path)) == 1  # a refused save changes nothing
    twice = pd.DataFrame([frame.iloc[0].to_dict(), frame.iloc[0].to_dict()])
    with pytest.raises(medians.MediansError, match="两次"):
        medians.save(tmp_path, twice, "cp")


@pytest.mark.parametrize("where", [{"org": "0101"}, {"scope": "0101"}, {"scope": "0100", "org": "0102"}])
def test_below_a_tier1_branch_no_row_carries_the_tier1_branchs_name(small_store, where):
    """Hostile finding H13: a 支行 user's figures were labelled 北京分行. By hand, October, 北京海淀支行 (0101):
    no referred complaint, 10,000 customers, one outlet (itself); 北京朝阳支行 (0102): 5,000, one outlet."""
    r = ratios(small_store, OCT, OCT, **where)
    assert list(r.index) == ["合计"]
    assert r.loc["合计", "customers"] == (5_000 if where.get("org") == "0102" else 10_000)
    assert r.loc["合计", "outlets"] == 1


def test_regulator_page_ratios_carry_the_unit_in_the_label(small_store, app_env):
    """H49: the values were cut at 1440 px ("77.2 件/千…"); the unit moved into the label. By hand (module
    docstring) Q4 to October: 250.0 per 10 million customers, 333.33 per 1,000 outlets."""
    from tests.apptest_support import run_app

    app_env(small_store)
    at = run_app("app_pages/regulator.py", query={"from": "2026-10", "to": "2026-10"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["2026-Q4 每千万户投诉（件）"] == "250.0"
    assert metrics["2026-Q4 每千网点投诉（件）"] == "333.33"


def test_a_report_month_inside_a_quarter_the_data_covers_counts_the_whole_quarter(small_store):
    """H109: with 截止月份 2026-07 the page compared July alone with the full-quarter median and said Q3 had
    not ended, although the small bank's data runs to the end of October (as-of 2026-10-31 10:00)."""
    _, con = db.current(small_store)
    july = date(2026, 7, 1)
    filters = Filters(month_from=july, month_to=july)
    data = rg.load(trends.runner(con, filters), filters, july)
    assert data.quarter == "2026-Q3" and data.quarter_complete and data.quarter_to == SEP
    whole = db.run(con, "regulator_ratios", **filters.params(month_from=july, month_to=SEP))
    assert data.quarter_ratios.equals(whole)
    # October: Q4 has not ended in the data, so it counts to October and is not complete
    filters = Filters(month_from=OCT, month_to=OCT)
    data = rg.load(trends.runner(con, filters), filters, OCT)
    assert not data.quarter_complete and data.quarter_to == OCT


def test_an_unfinished_quarter_is_not_compared_with_the_median(small_store, app_env):
    from tests.apptest_support import run_app

    medians.save(
        small_store,
        pd.DataFrame(
            {
                "quarter": ["2026-Q4"],
                "peer_group": ["全国性股份制商业银行"],
                "median_per_10m": [60.0],
                "median_per_1k_outlets": [250.0],
            }
        ),
        "cp@bank.test",
    )
    app_env(small_store)
    at = run_app("app_pages/regulator.py", {"from": "2026-10", "to": "2026-10"})
    assert any("暂不与整季的通报中位数比较" in i.value for i in at.info)
    assert not any("中位数 " in df.value.columns for df in at.dataframe)


def test_an_organisation_is_not_called_the_bank_against_the_medians(small_store, app_env):
    """H120: a 分行's figures were labelled 本行 beside the 通报's bank-level medians."""
    from tests.apptest_support import run_app

    medians.save(
        small_store,
        pd.DataFrame(
            {
                "quarter": ["2026-Q3"],
                "peer_group": ["股份行"],
                "median_per_10m": [60.0],
                "median_per_1k_outlets": [250.0],
            }
        ),
        "cp@bank.test",
    )
    app_env(small_store)
    for org, label in ((None, "本行每千万客户"), ("0100", "本机构每千万客户")):
        query = {"from": "2026-09", "to": "2026-09", **({"org": org} if org else {})}
        at = run_app("app_pages/regulator.py", query)
        (table,) = [df.value for df in at.dataframe if "同业组别" in df.value.columns]
        assert label in table.columns
        assert ("仅供参考" in " ".join(c.value for c in at.caption)) == (org is not None)
