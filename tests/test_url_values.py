"""Hostile finding H18: a page's URL values are range-checked (dashboard/ui/url_state.py number / choice).
`?hs_rule_ratio=nan` used to reach the surge rule as NaN (max(nan, 1.0) is nan) and switch surge detection
off; inf, negative and huge values likewise. A bad value is dropped with a Chinese warning naming it and the
page opens with the default."""

from __future__ import annotations

import math

import pytest

from dashboard.config import REPEAT_WINDOW_DAYS, SURGE_MIN_EXTRA, SURGE_MIN_RATIO
from dashboard.ui import url_state
from tests.apptest_support import run_app


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "-1", "0.5", "1e308", "10.01", "abc", ""])
def test_a_ratio_outside_its_range_is_refused(text):
    with pytest.raises(url_state.BadValue):
        url_state.number(float, 1.0, 10.0)(text)


def test_values_inside_the_range_pass():
    ratio = url_state.number(float, 1.0, 10.0)
    assert ratio("2.5") == 2.5 and ratio("1") == 1.0 and ratio("10") == 10.0
    count = url_state.number(int, 1, 1000)
    assert count("7") == 7
    for bad in ("7.5", "0", "1001", "nan", "99999999999999999999999"):
        with pytest.raises(url_state.BadValue):
            count(bad)
    p = url_state.choice((0.05, 0.01, 0.001, 0.0001))
    assert p("0.001") == 0.001 and p("1e-3") == 0.001
    for bad in ("0.5", "nan", "x"):
        with pytest.raises(url_state.BadValue, match="之一"):
            p(bad)


def warnings_of(at) -> str:
    return "\n".join(str(w.value) for w in at.warning)


@pytest.mark.parametrize("ratio", ["nan", "inf", "-3", "1e308"])
def test_hotspots_drops_a_bad_surge_threshold_and_says_so(small_store, app_env, ratio):
    app_env(small_store)
    at = run_app(
        "app_pages/hotspots.py", {"from": "2026-09", "to": "2026-10", "hs_rule_ratio": ratio, "hs_rule_extra": "-5"}
    )
    said = warnings_of(at)
    assert f"hs_rule_ratio={ratio}" in said and "hs_rule_extra=-5" in said and "已忽略" in said
    value = at.session_state["hs_rule_ratio"]
    assert not math.isnan(value) and value == SURGE_MIN_RATIO
    assert at.session_state["hs_rule_extra"] == SURGE_MIN_EXTRA
    assert "hs_rule_ratio" not in at.query_params  # dropped from the link too


def test_rankings_and_repeats_drop_bad_values(small_store, app_env):
    app_env(small_store)
    at = run_app("app_pages/rankings.py", {"from": "2026-10", "to": "2026-10", "rk_min_complaints": "nan"})
    assert "rk_min_complaints=nan" in warnings_of(at)
    at = run_app("app_pages/repeats.py", {"from": "2026-10", "to": "2026-10", "rp_window": "-30", "rp_same": "maybe"})
    said = warnings_of(at)
    assert "rp_window=-30" in said and "rp_same=maybe" in said
    assert at.session_state["rp_window"] == REPEAT_WINDOW_DAYS and at.session_state["rp_same"] is True


def test_good_values_still_travel(small_store, app_env):
    app_env(small_store)
    at = run_app("app_pages/hotspots.py", {"from": "2026-09", "to": "2026-10", "hs_rule_ratio": "2.5"})
    assert at.session_state["hs_rule_ratio"] == 2.5 and not [w for w in at.warning if "链接" in str(w.value)]
