"""rankings_by_org gives a ranking's period and its previous period in one statement (docs/performance.md,
twelfth session): each period's rows, split off the one result (db.rows_of), equal frame for frame, dtypes
included, what the query as it was (kept in tests/fixtures/before_s12/rankings_by_org.sql) returns for that
period asked alone; and the ranking load_ranking builds from them equals the one built from two statements.

Compared on the demo bank under filter sets of every kind (whole bank, organisation x category, scopes, merged
basis, customer groups, a year, a period before the data starts and one running into it) at the three levels,
and on the demo bank with holes cut into its customer file (customer_gaps' three kinds)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard import db
from dashboard.analysis import rankings as rk
from dashboard.filters import Filters
from dashboard.ingest.store import current_snapshot
from tests.test_headline_planning import cut_holes

BEFORE = Path(__file__).parent / "fixtures" / "before_s12" / "rankings_by_org.sql"
OCT = date(2026, 10, 1)
LEVELS = ("一级分行", "二级分行", "支行")


def alone(con, params: dict) -> pd.DataFrame:
    """The query as it was, for one period."""
    sql = BEFORE.read_text(encoding="utf-8")
    named = set(db._PARAM.findall(db._COMMENT.sub("", sql)))
    return con.execute(sql, {k: v for k, v in params.items() if k in named}).df()


def filter_sets(con) -> list[Filters]:
    tier1 = [
        r[0] for r in con.execute("select branch_code from branches where level = '一级分行' order by 1").fetchall()
    ]
    tier2 = [
        r[0] for r in con.execute("select branch_code from branches where level = '二级分行' order by 1").fetchall()
    ]
    leaf = con.execute("select branch_code from branches where level = '支行' order by 1 limit 1").fetchall()[0][0]
    first = con.execute("select min(month) from complaint_cube").fetchall()[0][0]
    year = dict(month_from=date(2025, 11, 1), month_to=OCT)
    return [
        Filters(month_from=OCT, month_to=OCT),
        Filters(**year),
        Filters(month_from=OCT, month_to=OCT, org=tier1[0], categories=("信用卡",)),
        Filters(month_from=OCT, month_to=OCT, org=tier2[len(tier2) // 2], categories=("借记卡",)),
        Filters(month_from=OCT, month_to=OCT, scope=tier1[1]),
        Filters(**year, scope=tier2[0], basis="merged", age_group="elderly"),
        Filters(month_from=OCT, month_to=OCT, scope=leaf, referred=False),
        Filters(month_from=date(2026, 8, 1), month_to=OCT, age_group="non_elderly", reasons=("定价收费",)),
        Filters(month_from=first, month_to=first),  # the previous period is before the data: no rows, no base
        Filters(month_from=first, month_to=rk.add_months(first, 2), channels=("客服热线",)),  # runs into it
    ]


def assert_periods_equal(con, sets: list[Filters]) -> dict:
    """Every set at every level: each period's rows of the one statement against the old query alone."""
    seen = {"rows": 0, "empty": 0, "nullable": 0}
    for f in sets:
        for level in LEVELS:
            previous_from, previous_to = rk.previous_period(f.month_from, f.month_to)
            both = db.run(con, "rankings_by_org", **f.params(level=level, previous_from=previous_from))
            for m_from, m_to in ((f.month_from, f.month_to), (previous_from, previous_to)):
                got = db.rows_of(both, "period_from", pd.Timestamp(m_from))
                want = alone(con, f.params(level=level, month_from=m_from, month_to=m_to))
                pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"{f} {level} {m_from}")
                seen["rows"] += len(want)
                seen["empty"] += want["customers"].isna().all()
                seen["nullable"] += sum(str(t) in ("Int32", "Int64", "boolean") for t in want.dtypes)
            # without $previous_from: the period alone, as before
            single = db.run(con, "rankings_by_org", **f.params(level=level))
            assert set(single["period_from"]) <= {pd.Timestamp(f.month_from)}
            pd.testing.assert_frame_equal(
                single.drop(columns="period_from"), alone(con, f.params(level=level)), check_exact=True
            )
    # the comparison saw rows, periods without a customer base and frames whose types follow their NULLs
    assert seen["rows"] > 0 and seen["empty"] > 0 and seen["nullable"] > 0, seen
    return seen


def old_ranking(con, f: Filters, level: str, settings: rk.Settings) -> pd.DataFrame:
    """load_ranking as it was: two statements of the old query."""
    previous_from, previous_to = rk.previous_period(f.month_from, f.month_to)
    current = alone(con, f.params(level=level))
    previous = alone(con, f.params(level=level, month_from=previous_from, month_to=previous_to))
    return rk.rank(current, previous, settings)


@pytest.fixture
def demo_con(demo_store):
    return db.open_snapshot(current_snapshot(demo_store))


def test_each_periods_rows_equal_the_period_asked_alone(demo_con):
    assert_periods_equal(demo_con, filter_sets(demo_con))


def test_each_periods_rows_equal_the_period_asked_alone_with_customer_gaps(demo_con):
    holes = cut_holes(demo_con)
    assert holes
    seen = assert_periods_equal(demo_con, filter_sets(demo_con))
    assert seen["rows"] > 0


def test_the_ranking_equals_the_one_of_two_statements(demo_con):
    settings = rk.Settings(min_complaints=2, min_customers=100)
    for f in filter_sets(demo_con)[:6]:
        for level in LEVELS:
            now = rk.load_ranking(rk.db_runner(demo_con, f), f.month_from, f.month_to, level, settings, unknown=False)
            before = old_ranking(demo_con, f, level, settings)
            pd.testing.assert_frame_equal(now.table, before, check_exact=True, obj=f"{f} {level}")
            assert now.table.attrs == before.attrs


ROWS = (
    "select * from (values (1, 1::integer, true, 'a', null::varchar), (1, 2, false, null, null),"
    " (2, null, null, 'b', 'x')) t(p, n, b, s, v)"
)


def test_rows_of_types_each_part_as_its_own_result():
    """Each part as DuckDB returns a statement of those rows alone (and by hand: the types that follow NULLs)."""
    con = db.new_connection()
    both = con.execute(ROWS).df()
    assert str(both["n"].dtype) == "Int32" and str(both["b"].dtype) == "boolean"
    first = db.rows_of(both, "p", 1)
    assert str(first["n"].dtype) == "int32" and str(first["b"].dtype) == "bool"
    assert first["v"].dtype == object and list(first["v"]) == [None, None]
    assert str(db.rows_of(both, "p", 2)["n"].dtype) == "Int32"
    for p in (1, 2, 3):  # 3: no rows
        alone_ = con.execute(f"select n, b, s, v from ({ROWS}) where p = $p", {"p": p}).df()
        pd.testing.assert_frame_equal(db.rows_of(both, "p", p), alone_, check_exact=True, obj=str(p))
