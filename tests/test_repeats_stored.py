"""repeat_flags(..., flags_only := true, stored_window_days := 30): with the rule the import stored, the stored is_repeat stands in for
the look-back; it must flag exactly the complaints the look-back flags (queries/repeats_flags.sql)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import db
from dashboard.config import REPEAT_WINDOW_DAYS

ARGS = "$month_from, $month_to, $org, $scope, $categories, $reasons, $channels, $referred, $window, $same"


def flags(con, flags_only: bool, window: int, same: bool, **filters) -> dict[str, tuple]:
    params = {
        "month_from": date(2025, 10, 1),
        "month_to": date(2026, 10, 1),
        "org": None,
        "scope": None,
        "categories": None,
        "reasons": None,
        "channels": None,
        "referred": None,
        "window": window,
        "same": same,
        "flags_only": flags_only,
        "stored": REPEAT_WINDOW_DAYS,
        **filters,
    }
    rows = con.execute(
        f"select complaint_id, is_repeat, previous_at from repeat_flags({ARGS}, "
        "flags_only := $flags_only, stored_window_days := $stored)",
        params,
    ).fetchall()
    return {cid: (is_repeat, previous_at) for cid, is_repeat, previous_at in rows}


@pytest.mark.parametrize("filters", [{}, {"org": "0100", "categories": ["信用卡"]}])
def test_stored_flag_equals_the_look_back_for_the_contract_rule(demo_store, filters):
    _, con = db.current(demo_store)
    stored = flags(con, True, REPEAT_WINDOW_DAYS, True, **filters)
    computed = flags(con, False, REPEAT_WINDOW_DAYS, True, **filters)
    assert {c: r for c, (r, _) in stored.items()} == {c: r for c, (r, _) in computed.items()}
    assert any(r for r, _ in stored.values())
    assert all(p is None for _, p in stored.values())  # flags only: the look-back is not read


@pytest.mark.parametrize("window, same", [(REPEAT_WINDOW_DAYS - 1, True), (REPEAT_WINDOW_DAYS, False)])
def test_another_rule_is_always_computed(demo_store, window, same):
    _, con = db.current(demo_store)
    assert flags(con, True, window, same) == flags(con, False, window, same)
