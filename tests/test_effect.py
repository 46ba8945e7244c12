"""Effect of a rectification (dashboard/analysis/effect.py): the conditional binomial test of two Poisson
rates, on hand-made numbers checked against a direct sum of binomial terms and against scipy, and the
before/after periods."""

from __future__ import annotations

from datetime import date
from math import comb

import pandas as pd
import pytest
from scipy.stats import binom, poisson

from dashboard.analysis import effect as fx


def lower_tail(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Bin(n, p), summed term by term."""
    return sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


def test_clear_drop_is_beyond_chance():
    # 30 complaints in 6 months before, 2 in 3 months after: n = 32, share after = 3 / 9 = 1/3
    p = fx.rate_drop_p_value(30, 6, 2, 3)
    assert p == pytest.approx(lower_tail(2, 32, 1 / 3), rel=1e-9)
    assert p == pytest.approx(binom.cdf(2, 32, 1 / 3), rel=1e-9)
    assert p < 1e-3


def test_same_rate_is_not_a_drop():
    # 12 in 6 months, 6 in 3 months: 2 a month each side
    p = fx.rate_drop_p_value(12, 6, 6, 3)
    assert p == pytest.approx(lower_tail(6, 18, 1 / 3), rel=1e-9)
    assert p > 0.5


def test_small_numbers_cannot_show_a_drop():
    # 3 before in 6 months, 0 after in 2 months: P(X = 0) = (6/8)^3 = 0.421875
    assert fx.rate_drop_p_value(3, 6, 0, 2) == pytest.approx((6 / 8) ** 3)


def test_matches_the_poisson_conditional_argument():
    # X_b ~ Poisson(6 r), X_a ~ Poisson(3 r): P(X_a <= 4 | X_a + X_b = 20) from the joint Poisson probabilities
    r = 1.7  # any common rate gives the same conditional probability
    joint = [poisson.pmf(a, 3 * r) * poisson.pmf(20 - a, 6 * r) for a in range(21)]
    assert fx.rate_drop_p_value(16, 6, 4, 3) == pytest.approx(sum(joint[:5]) / sum(joint), rel=1e-9)


def test_undefined_cases():
    assert fx.rate_drop_p_value(0, 6, 0, 3) is None
    assert fx.rate_drop_p_value(5, 6, 1, 0) is None
    assert fx.rate_drop_p_value(5, 0, 1, 3) is None


def monthly(counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"month": [date.fromisoformat(m + "-01") for m in counts], "complaints": list(counts.values())})


def test_periods_leave_out_the_fix_month_and_stay_within_the_data():
    before, after = fx.periods(date(2026, 6, 15), first_month=date(2026, 2, 1), last_complete_month=date(2026, 10, 1))
    assert before == [date(2026, m, 1) for m in (2, 3, 4, 5)]  # 6 wanted, the data starts in February
    assert after == [date(2026, m, 1) for m in (7, 8, 9, 10)]


def test_effect_by_hand():
    counts = {
        "2025-12": 5,
        "2026-01": 6,
        "2026-02": 4,
        "2026-03": 5,
        "2026-04": 6,
        "2026-05": 4,  # 30 before
        "2026-06": 9,  # fix month
        "2026-07": 1,
        "2026-09": 1,
    }  # 2 after
    result = fx.effect(
        monthly(counts), date(2026, 6, 20), first_month=date(2025, 1, 1), last_complete_month=date(2026, 9, 1)
    )
    assert (result.n_before, result.n_after) == (30, 2)
    assert len(result.before) == 6 and len(result.after) == 3  # 07, 08 (no row: 0), 09
    assert result.rate_before == pytest.approx(5.0) and result.rate_after == pytest.approx(2 / 3)
    assert result.change_pct == pytest.approx((2 / 3 - 5) / 5 * 100)
    assert result.p_value == pytest.approx(lower_tail(2, 32, 1 / 3))
    assert result.significant and "显著下降" in result.status
    frame = fx.monthly_frame(monthly(counts), result)
    assert frame.set_index("month")["phase"][date(2026, 6, 1)] == "整改当月"


def test_effect_without_months_after_the_fix():
    result = fx.effect(
        monthly({"2026-09": 3}), date(2026, 10, 5), first_month=date(2026, 1, 1), last_complete_month=date(2026, 10, 1)
    )
    assert result.after == [] and result.p_value is None and not result.significant
    assert "尚无完整月份" in result.status


def test_an_items_effect_is_one_definition_on_the_ledger_page_and_the_trends_page(small_store):
    """A hand-made item about 北京分行's subtree (0100: 0101, 0102) and 信用卡, fixed 2026-07-10: the ledger
    page's list (analysis/ledger.load) and the trends page's rectification count (analysis/leadership)
    follow the same slice (effect.item_slice). The counts are taken here from conftest's complaints."""
    from datetime import datetime

    from dashboard import db
    from dashboard.analysis import leadership, trends
    from dashboard.analysis import ledger as ledger_data
    from dashboard.analysis.source import Source
    from dashboard.filters import Filters
    from dashboard.ledger.store import Ledger
    from tests.conftest import COMPLAINTS

    ledger = Ledger(small_store)
    item_id = ledger.create(
        source="manual", title="信用卡整改", user="张三", branch_code="0100", business_category="信用卡",
        now="2026-06-01 09:00:00",
    )  # fmt: skip
    ledger.update(item_id, 1, {"status": "已整改", "fixed_at": "2026-07-10"}, "张三")
    snapshot, con = db.current(small_store)
    first_month, last_complete = ledger_data.data_span(snapshot.meta)
    before = [date(2026, m, 1) for m in range(1, 7)]  # 6 months before the fix month, within the data
    after = [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]  # to the last complete month
    subtree = ("0100", "0101", "0102")
    counts = [
        datetime.fromisoformat(c[1]).date().replace(day=1) for c in COMPLAINTS if c[3] in subtree and c[5] == "信用卡"
    ]
    n_before = sum(m in before for m in counts)
    n_after = sum(m in after for m in counts)
    assert (n_before, n_after) == (0, 2)  # C01, C03 (C08 is 2025-10)

    october = Filters(date(2026, 10, 1), date(2026, 10, 1))
    source = Source.of(con, october)
    found = fx.item_effect(source, ledger.get(item_id), first_month, last_complete)
    assert (found.n_before, found.n_after, found.before, found.after) == (n_before, n_after, before, after)
    listed = ledger_data.load(source, october, ledger_data.LedgerState(ledger.items(), (first_month, last_complete)))
    assert listed.verdicts[item_id] == "未见下降"  # 0 a month before, 2 in 3 months after: enough (H124)
    r = leadership.rectification(
        trends.runner(con, october), ledger.items(), date(2026, 7, 1), first_month, last_complete
    )
    assert (r.closed, r.closed_no_effect, r.closed_effective) == (1, 1, 0)  # the ledger page's verdict
