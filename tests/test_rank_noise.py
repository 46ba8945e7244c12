"""Rankings that do not swing on noise (analysis/rank_noise.py through rankings.rank), on hand-made tables.

Every organisation below has the same on-time, satisfaction, repeat and handling figures, so the score
orders by the complaint rate alone and the expectations can be read off the counts:

* significance: SMALL has the highest rate (5 complaints on 2,500 customers = 20 per 10,000) and the top
  score, BIG the top volume (1,030 complaints), but both are inside the funnel's limits (checked below by
  a Poisson tail summed by hand), while SIG (160 on 100,000, about 103 expected) is far above them. SIG
  must be rank 1 and the only 最需关注.
* noise: three branches of 10,000 customers with 10, 11, 12 complaints this period and 12, 11, 10 the
  previous one swap ranks 1 and 3; a Poisson count of 11 has a standard deviation of 3.3, so the swap
  is chance and must be marked 波动内. The same swap with 1,000 / 1,500 / 2,000 complaints on 1,000,000
  customers each (standard deviations of 32-45 against gaps of 500) is real and must not be. (Scored
  on the complaint rate alone: with every other rate equal, their resampled noise would reorder the
  percentiles of those metrics, which the bootstrap rightly counts as rank noise.)
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analysis import funnel, rank_noise
from dashboard.analysis import rankings as rk


def rows(spec: list[tuple[str, int, int]]) -> pd.DataFrame:
    """rankings_by_org-shaped rows: (code, complaints, customers), all other figures equal."""
    return pd.DataFrame(
        [
            {
                "branch_code": code,
                "branch_name": f"{code}支行",
                "level": "支行",
                "parent_code": "P",
                "parent_name": "上级",
                "complaints": n,
                "customers": customers,
                "per_10k": n / customers * 1e4,
                "closed": n,
                "on_time": n,
                "on_time_rate": 0.9,
                "avg_handling_days": 5.0,
                "surveyed": n,
                "satisfied": n,
                "satisfaction_rate": 0.8,
                "repeats": 0,
                "repeat_rate": 0.1,
                "regulator_referred": 0,
            }
            for code, n, customers in spec
        ]
    )


def upper_tail(observed: int, mean: float) -> float:
    """P(X >= observed) for X ~ Poisson(mean), summed term by term."""
    term, below = math.exp(-mean), 0.0
    for k in range(observed):
        below += term
        term *= mean / (k + 1)
    return 1.0 - below


SIGNIFICANCE = [
    ("BIG", 1030, 1_000_000),
    ("SIG", 160, 100_000),
    ("SMALL", 5, 2_500),
    ("A", 180, 200_000),
    ("B", 270, 300_000),
]


def test_the_fixture_is_what_it_says():
    total = sum(n for _, n, _ in SIGNIFICANCE) / sum(c for _, _, c in SIGNIFICANCE)
    tails = {code: upper_tail(n, total * c) for code, n, c in SIGNIFICANCE}
    assert tails["SIG"] < 1e-6  # far beyond the 99.8 % limit (0.001)
    assert tails["BIG"] > 0.025 and tails["SMALL"] > 0.025  # inside the 95 % limits
    table = rk.rank(rows(SIGNIFICANCE), None, rk.Settings())
    assert table.set_index("branch_code").loc["SMALL", "score_rank"] == 1  # the score alone: SMALL first
    assert table["complaints"].max() == 1030


def test_a_branch_inside_the_limits_is_not_most_in_need_of_attention():
    table = rk.rank(rows(SIGNIFICANCE), None, rk.Settings()).set_index("branch_code")
    assert table.loc["SIG", "status"] == funnel.ABOVE_998
    assert table.loc["SIG", "rank"] == 1 and table.loc["SIG", "attention"] == rank_noise.TOP
    for code in ("BIG", "SMALL"):  # top volume, top score: inside the limits
        assert table.loc[code, "status"] == funnel.WITHIN
        assert table.loc[code, "attention"] == rank_noise.NORMAL
        assert table.loc[code, "rank"] > table.loc["SIG", "rank"]
    assert list(table.index[table["attention"] == rank_noise.TOP]) == ["SIG"]
    assert table.loc["B", "attention"] == rank_noise.BELOW  # 270 against about 308 expected


def test_with_the_complaint_rate_unweighted_the_score_alone_orders():
    only_days = {key: 0.0 for key in rk.DEFAULT_WEIGHTS} | {"on_time_rate": 1.0}
    spec = [("P", 12, 10_000), ("Q", 300, 10_000)]  # Q far above the limits, P on time more often
    current = rows(spec).assign(on_time_rate=[0.5, 0.9])
    table = rk.rank(current, None, rk.Settings(weights=only_days)).set_index("branch_code")
    assert table.loc["Q", "status"] == funnel.ABOVE_998
    assert table.loc["P", "rank"] == 1  # worse on time: the only weighted metric


@pytest.mark.parametrize("scale, noise", [(1, True), (100, False)])
def test_a_rank_move_within_noise_is_marked(scale, noise):
    if scale == 1:
        current, previous = (
            [("A", 10, 10_000), ("B", 11, 10_000), ("C", 12, 10_000)],
            [("A", 12, 10_000), ("B", 11, 10_000), ("C", 10, 10_000)],
        )
    else:
        current, previous = (
            [("A", 1000, 10**6), ("B", 1500, 10**6), ("C", 2000, 10**6)],
            [("A", 2000, 10**6), ("B", 1500, 10**6), ("C", 1000, 10**6)],
        )
    rate_only = rk.Settings(weights={"per_10k": 100.0})  # equal rates elsewhere would only add their noise
    table = rk.rank(rows(current), rows(previous), rate_only).set_index("branch_code")
    assert list(table.index) == ["C", "B", "A"]
    assert table.loc["C", "rank_change"] == 2 and table.loc["A", "rank_change"] == -2
    for code, arrow in (("C", "↑2"), ("A", "↓2")):
        assert bool(table.loc[code, "change_in_noise"]) is noise
        assert table.loc[code, "rank_change_label"] == (arrow + "（波动内）" if noise else arrow)
    assert table.loc["B", "rank_change_label"] == rk.SAME  # no move, nothing to mark
    if noise:
        assert (table["rank_low"] == 1).all() and (table["rank_high"] == 3).all()
    else:
        assert list(table["rank_interval"]) == ["1", "2", "3"]


def test_rank_intervals_are_reproducible_and_hold_the_rank():
    spec = [(f"S{i}", 5 + i, 10_000) for i in range(12)]
    first = rk.rank(rows(spec), None, rk.Settings())
    again = rk.rank(rows(spec), None, rk.Settings())
    pd.testing.assert_frame_equal(first[["rank_low", "rank_high"]], again[["rank_low", "rank_high"]])
    assert ((first["rank_low"] <= first["rank"]) & (first["rank"] <= first["rank_high"])).all()
    assert (first["rank_high"] - first["rank_low"]).max() >= 4  # 5..16 complaints: ranks are loose


def test_a_new_or_unranked_organisation_has_no_noise_mark():
    table = rk.rank(rows([("A", 10, 10_000), ("B", 2, 10_000)]), None, rk.Settings()).set_index("branch_code")
    assert table.loc["A", "rank_change_label"] == rk.NEW and pd.isna(table.loc["A", "change_in_noise"])
    assert pd.isna(table.loc["B", "rank"]) and table.loc["B", "rank_interval"] == ""
    assert table.loc["B", "attention"] == ""


def test_the_page_offers_a_three_month_view(tmp_path, store_factory, app_env):
    from tests.test_rankings import run_rankings, write_tree_extracts

    store = store_factory("tree3m", write_tree_extracts)
    app_env(store)
    at = run_rankings({"from": "2026-10", "to": "2026-10", "level": "支行", "window": "3m"})
    table = at.dataframe[0].value.set_index("机构代码")
    # 2026-08..10: 0101 has C01 (Sep) and C03 (Oct), 0201 C04, C05, C07 (Oct) and N03 (Sep)
    assert table.loc["0101", "投诉量"] == 2 and table.loc["0201", "投诉量"] == 4
    assert "2026-08 至 2026-10" in at.title[0].value
    assert {"关注结论", "名次区间（90%）"} <= set(table.columns)
    at = run_rankings({"from": "2026-10", "to": "2026-10", "level": "支行"})
    table = at.dataframe[0].value.set_index("机构代码")
    assert table.loc["0101", "投诉量"] == 1 and table.loc["0201", "投诉量"] == 3
