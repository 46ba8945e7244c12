"""Hostile finding H24: the rankings page marks a young last month 暂估 (analysis/maturity.py, as trends does),
in the 3-month view (?window=3m) and in the sidebar's period alike. By hand on the small bank
(tests/conftest.py COMPLAINTS): the as-of time is the latest receipt or closure; October's complaints received
less than 15 days before it are young, the ones not closed by then open."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from dashboard import db
from dashboard.analysis import rankings as rk
from dashboard.analysis.source import Source
from dashboard.filters import Filters
from tests.apptest_support import run_app
from tests.conftest import COMPLAINTS

OCT, SEP = date(2026, 10, 1), date(2026, 9, 1)


def by_hand(month: date) -> tuple[int, int]:
    def stamp(text):
        return datetime.fromisoformat(text) if text else None

    rows = [(stamp(r[1]), stamp(r[2])) for r in COMPLAINTS]
    as_of = max(t for pair in rows for t in pair if t is not None)
    mine = [(rec, closed) for rec, closed in rows if (rec.year, rec.month) == (month.year, month.month)]
    young = sum(as_of - rec < timedelta(days=15) for rec, _ in mine)
    still_open = sum(closed is None or closed > as_of for _, closed in mine)
    return young, still_open


def test_the_last_month_of_the_period_is_marked_provisional(small_store):
    _, con = db.current(small_store)
    young, still_open = by_hand(OCT)
    assert young > 0  # the small bank's October is young at its as-of time
    for first in (OCT, date(2026, 8, 1)):  # one month, and the 3 months ending in October
        f = Filters(month_from=first, month_to=OCT)
        data = rk.load(Source.of(con, f), f)
        assert data.maturity.provisional and data.maturity.young == young and data.maturity.open == still_open
        assert (
            "2026年10月为暂估" in data.provisional_note
            and f"{young:,d} 件投诉尚未到办理时限（受理未满 15 天；经延期的，未满延长后的时限）"
            in data.provisional_note
        )
    f = Filters(month_from=SEP, month_to=SEP)
    september = rk.load(Source.of(con, f), f)
    assert (september.maturity.young == 0) == (not september.provisional_note) and by_hand(SEP)[
        0
    ] == september.maturity.young


@pytest.mark.parametrize("window", ["3m", "period"])
def test_page_says_so(small_store, app_env, window):
    app_env(small_store)
    at = run_app("app_pages/rankings.py", {"from": "2026-10", "to": "2026-10", "window": window, "level": "支行"})
    assert any("2026年10月为暂估" in str(w.value) for w in at.warning)


def test_the_export_says_the_month_is_provisional(small_store):
    """H134: the page warned 暂估, its Excel export did not."""
    import io

    import pandas as pd

    _, con = db.current(small_store)
    for month, provisional in ((OCT, True), (SEP, False)):
        f = Filters(month_from=month, month_to=month)
        data = rk.load(Source.of(con, f), f)
        book = rk.to_excel(data.ranking.table, data.export_notes({}, "2026-10-31T10:00:00"))
        notes = pd.read_excel(io.BytesIO(book), sheet_name="说明")
        said = dict(zip(notes["项目"], notes["说明"]))
        assert ("数据成熟度" in said) == provisional
        if provisional:
            assert said["数据成熟度"].startswith("2026年10月为暂估（数据未成熟）")
        assert "权重" in said  # the formulas still follow
