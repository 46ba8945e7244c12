"""The derived tables' registry (dashboard/derived/registry.py): one ordered list, each entry declaring what
it reads, the order checked against those declarations, and the declarations against the import SQL."""

from __future__ import annotations

import re

import pytest

from dashboard import db
from dashboard.derived import registry
from dashboard.derived.registry import STORE, TABLES, Derived, check_order


def test_the_registry_is_in_an_order_its_reads_allow():
    check_order(TABLES)  # also run at import; here so that a failure names the test
    names = [t.name for t in TABLES]
    assert len(names) == len(set(names))
    assert registry.load_all() == TABLES


def test_a_table_listed_before_what_it_reads_is_refused():
    cube, slices = (next(t for t in TABLES if t.name == n) for n in ("complaint_cube", "surge_slice_months"))
    with pytest.raises(RuntimeError, match="surge_slice_months reads \\['complaint_cube'\\]"):
        check_order((slices, cube))
    with pytest.raises(RuntimeError, match="not written before"):
        check_order((Derived("x", cube.build, reads=("no_such_table",)),))


@pytest.mark.parametrize(
    "table",
    [t for t in TABLES if t.name in ("complaint_cube", "surge_slice_months", "repeat_months", "term_month_docs")],
    ids=lambda t: t.name,
)
def test_the_declared_reads_cover_what_the_import_query_reads(table):
    """Every store or derived table the table's import query names directly is in its `reads`."""
    sql = re.sub(r"--[^\n]*", "", db.load_sql(f"import_{table.name}"))
    known = STORE | {t.name for t in TABLES}
    named = {m for m in re.findall(r"\b(?:from|join)\s+([a-z_]+)\b", sql, re.I) if m in known}
    assert named and named <= set(table.reads), (named, table.reads)
