"""The planning-cost changes of the eleventh session (docs/performance.md "Planning cost") give exactly the
previous results: every query that reads headline_of or customer_gaps, run in its current form and in the
form before (the macros as they were, kept in tests/fixtures/before_s11/), under several filter sets, on the
demo bank, and on the demo bank with holes cut into its customer file (so that customer_gaps has rows of each
of its three kinds).

Before: headline_of recomputed a scope's repeats with repeat_flags (three scans of the complaints) and
customer_gaps derived the gaps inside every query. Now the scope's repeats are the cube's repeat_depth and the
gaps a table found when the macros are created (queries/snapshot_customer_gaps.sql)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard import db
from dashboard.filters import Filters
from dashboard.ingest.store import current_snapshot

BEFORE = Path(__file__).parent / "fixtures" / "before_s11"
OCT = date(2026, 10, 1)
RENAMED = ("headline_of", "customer_gaps", "subtree_customers")
# Every query that reads the changed macros, and the parameters it takes beyond the filter set.
QUERIES = {
    "kpis_by_month": [{}],
    "rankings_by_org": [{"level": "一级分行"}, {"level": "二级分行"}, {"level": "支行"}],
    "regulator_ratios": [{}],
    "elderly_base_by_month": [{}],
    "hotspots_by_org": [{"org_level": "一级分行"}, {"org_level": "二级分行"}],
    "hotspots_by_region": [{}],
}
DRILL = {"d_org": None, "d_province": None, "d_city": None, "d_product": None}


def renamed(sql: str) -> str:
    """The SQL with the changed macros' names pointing at their before forms."""
    return re.sub(r"\b(" + "|".join(RENAMED) + r")\(", r"\1_before(", sql)


def with_before_forms(con) -> None:
    """Create headline_of_before, customer_gaps_before and subtree_customers_before on `con`."""
    con.execute(renamed((BEFORE / "macro_customer_gaps.sql").read_text(encoding="utf-8")))
    con.execute(renamed(db.load_sql("macro_subtree_customers")))
    con.execute(renamed((BEFORE / "macro_headline.sql").read_text(encoding="utf-8")))


def filter_sets(con) -> list[Filters]:
    tier1 = [
        r[0] for r in con.execute("select branch_code from branches where level = '一级分行' order by 1").fetchall()
    ]
    tier2 = [
        r[0] for r in con.execute("select branch_code from branches where level = '二级分行' order by 1").fetchall()
    ]
    year = dict(month_from=date(2025, 11, 1), month_to=OCT)
    first, last = con.execute("select min(month), max(month) from complaint_cube").fetchall()[0]
    span = dict(month_from=first, month_to=last)
    leaf = con.execute("select branch_code from branches where level = '支行' order by 1 limit 1").fetchall()[0][0]
    return [
        Filters(month_from=OCT, month_to=OCT),
        Filters(**year),
        Filters(**year, org=tier1[0], categories=("信用卡",)),
        Filters(**span, scope=tier1[-1]),
        Filters(**year, scope=tier1[1], org=tier2[-1], basis="merged"),
        Filters(**span, scope=tier2[0], channels=("客服热线", "手机银行/网银")),
        Filters(**span, scope=leaf, basis="merged"),
        Filters(**year, scope=leaf, age_group="elderly"),
        Filters(month_from=OCT, month_to=OCT, scope=leaf, referred=False),
        Filters(**year, scope=tier1[0], reasons=("定价收费",), basis="referred"),
    ]


# rankings_by_org as it was when these forms were compared: it now asks headline_of for two periods at once
# (split_at, which the before form has not), and tests/test_rankings_periods.py compares it with this text.
KEPT = {"rankings_by_org": Path(__file__).parent / "fixtures" / "before_s12" / "rankings_by_org.sql"}


def both_forms(con, name: str, params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    sql = KEPT[name].read_text(encoding="utf-8") if name in KEPT else db.load_sql(name)
    named = set(db._PARAM.findall(db._COMMENT.sub("", sql)))
    bound = {k: v for k, v in db.bind(name, params).items() if k in named}
    return con.execute(sql, bound).df(), con.execute(renamed(sql), bound).df()


def assert_all_equal(con, sets: list[Filters]) -> int:
    """Compare every query under every filter set; the number of scoped kpis rows whose repeats differ from
    the stored whole-bank flag summed over the scope (the scope path is exercised when that is > 0)."""
    with_before_forms(con)
    scoped_differ = 0
    rows = dict.fromkeys(QUERIES, 0)
    for f in sets:
        for name, extras in QUERIES.items():
            for extra in extras:
                now, before = both_forms(con, name, {**f.params(**extra), **DRILL})
                rows[name] += len(now)
                pd.testing.assert_frame_equal(now, before, obj=f"{name} {f} {extra}")
        if f.scope:
            scoped = con.execute(db.load_sql("kpis_by_month"), db.bind("kpis_by_month", f.params())).df()
            stored = con.execute(
                db.load_sql("kpis_by_month"), db.bind("kpis_by_month", f.params(scope=None, org=f.scope))
            ).df()
            scoped_differ += int((scoped["repeats"] != stored["repeats"]).sum())
    assert min(rows.values()) > 0, rows  # every query compared on rows, not only on empty frames
    return scoped_differ


@pytest.fixture
def demo_con(demo_store):
    return db.open_snapshot(current_snapshot(demo_store))


def test_headline_queries_equal_their_previous_form(demo_con):
    assert_all_equal(demo_con, filter_sets(demo_con))
    assert demo_con.execute("select sum(repeats) from complaint_cube").fetchall()[0][0] > 0


@pytest.fixture
def cross_branch_repeat(tmp_path, small_extracts) -> Path:
    """The small bank plus C09 (as in tests/test_scope.py): customer A (C01, C03 at 北京海淀 0101, 信用卡)
    complains at 上海浦东 0201 about 信用卡 on 2026-10-05, four days after C03: a repeat for the whole bank,
    not inside 上海分行. (The demo bank's repeats never cross organisations.)"""
    from dashboard.ingest.pipeline import import_files
    from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

    c09 = list(COMPLAINTS[2])
    c09[0], c09[1], c09[2], c09[3] = "C09", "2026-10-05 09:00:00", "2026-10-06 09:00:00", "0201"
    extra = write_csv(tmp_path / "c09.csv", COMPLAINT_HEADERS_ZH, [c09])
    import_files([*small_extracts, extra], tmp_path / "data")
    return tmp_path / "data"


def test_a_scopes_repeats_equal_their_previous_form(cross_branch_repeat):
    con = db.open_snapshot(current_snapshot(cross_branch_repeat))
    sets = [
        Filters(month_from=m_from, month_to=OCT, scope=scope, org=org, basis=basis)
        for m_from in (OCT, date(2025, 10, 1))
        for scope, org in ((None, None), ("0200", None), ("0201", None), ("0100", None), ("0200", "0201"))
        for basis in (None, "merged")
    ]
    # C09 is a repeat for the bank and not inside 上海分行 (0200) or 上海浦东 (0201): by hand, as in test_scope
    assert assert_all_equal(con, sets) > 0


def cut_holes(con) -> list[tuple[str, date]]:
    """Holes cut into the customer file: the busiest branch of October missing from October's file (it has
    complaints then: a gap of the first kind), one 支行 missing from a month between its rows (a hole) and
    another from the latest month only (the latest month fails closed). The gaps table found anew."""
    months = [r[0] for r in con.execute("select distinct month from customers_monthly order by 1").fetchall()]
    latest, middle = months[-1], months[len(months) // 2]
    busiest = con.execute(
        "select branch_code from complaint_cube where month = $m group by 1 order by sum(complaints) desc limit 1",
        {"m": OCT},
    ).fetchall()[0][0]
    outlets = [
        r[0]
        for r in con.execute(
            "select branch_code from branches where level = '支行' and branch_code <> $b order by 1 limit 2",
            {"b": busiest},
        ).fetchall()
    ]
    holes = [(busiest, OCT), (outlets[0], middle), (outlets[1], latest)]
    con.execute(
        "create table holes as select unnest($b) as branch_code, unnest($m)::date as month",
        {"b": [h[0] for h in holes], "m": [h[1] for h in holes]},
    )
    con.execute("create table customers_monthly_whole as select * from customers_monthly")
    con.execute(
        "create or replace view customers_monthly as "
        "select cm.* from customers_monthly_whole cm anti join holes using (branch_code, month)"
    )
    db.create_macros(con)  # the gaps table anew, the macros bound to it
    return holes


def test_equal_with_customer_gaps(demo_con):
    con = demo_con
    holes = cut_holes(con)
    first, last = con.execute("select min(month), max(month) from customers_monthly").fetchall()[0]
    gaps = con.execute("select branch_code, month from customer_gaps($f, $t)", {"f": first, "t": last}).df()
    found = set(zip(gaps["branch_code"], pd.to_datetime(gaps["month"]).dt.date))
    assert {(b, m) for b, m in holes} <= found
    assert_all_equal(con, filter_sets(con))


# --- The regulator page's trend: one statement instead of one a month ---------------------------------------
def trend_before(run, month: date) -> pd.DataFrame:
    """The trend as regulator.load built it before: regulator_ratios' total row, month by month."""
    from dashboard.analysis.regulator import TREND_MONTHS, add_months

    trend = []
    for i in range(TREND_MONTHS - 1, -1, -1):
        m = add_months(month, -i)
        rows = run("regulator_ratios", month_from=m, month_to=m)
        trend.append(rows[rows["unit"] == "total"].assign(month=m))
    return pd.concat(trend, ignore_index=True)


def assert_trends_equal(con) -> None:
    from dashboard.analysis import regulator
    from dashboard.analysis.source import Source

    shown = 0
    for f in filter_sets(con):
        source = Source.of(con, f)
        now, before = regulator.trend_rows(source, OCT), trend_before(source, OCT)
        # branch_code is NULL on every total row; before, its dtype followed the tier-1 rows of the same frame
        assert now["branch_code"].isna().all() and before["branch_code"].isna().all()
        assert list(now.columns) == list(before.columns)
        assert len(now) == len(before) in (0, 12), f  # none when the organisation is outside the scope
        if len(before):
            shown += 1
            columns = [c for c in before.columns if c != "branch_code"]
            pd.testing.assert_frame_equal(now[columns], before[columns], obj=str(f))
    assert shown >= 6


def test_the_regulator_trend_equals_its_previous_form(demo_con):
    assert_trends_equal(demo_con)


def test_the_regulator_trend_equals_its_previous_form_with_customer_gaps(demo_con):
    cut_holes(demo_con)
    trend = demo_con.execute(
        db.load_sql("regulator_trend"),
        db.bind("regulator_trend", Filters(month_from=date(2025, 11, 1), month_to=OCT).params()),
    ).df()
    assert trend["customers"].isna().any() and trend["customers"].notna().any()  # a month with a gap, one without
    assert_trends_equal(demo_con)
