"""A customers file whose organisations hold their whole subtree's customers (全辖合计, the way management
reports list them) instead of their own is refused before anything changes, naming organisations whose count
is at least their direct children's sum (hostile H149: the bank's 万人投诉率 halved and showed green). When
only a minority of the organisations with children look so (a 分行 with a large own base), the file imports
and the summary names them."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import import_files
from tests.conftest import write_csv

HEADERS = ["机构代码", "月份", "客户数"]


def customers(data_dir) -> pd.DataFrame:
    table = pd.read_parquet(store.current_snapshot(data_dir).table("customers_monthly"))
    return table.sort_values(["branch_code", "month"]).reset_index(drop=True)


def test_a_file_of_subtree_totals_is_refused(small_store, tmp_path):
    version, before = store.current_snapshot(small_store).version, customers(small_store)
    # 2026-10 own counts (conftest): 0101 10,000, 0102 5,000, 0201 25,000; each parent as its 全辖 total
    rows = [
        ("0101", "2026-10", 10000),
        ("0102", "2026-10", 5000),
        ("0201", "2026-10", 25000),
        ("0100", "2026-10", 15000),  # 0101 + 0102
        ("0200", "2026-10", 25000),  # 0201
        ("0000", "2026-10", 40000),  # 0100 + 0200
    ]
    with pytest.raises(ExtractError) as refused:
        import_files([write_csv(tmp_path / "totals.csv", HEADERS, rows)], small_store)
    message = str(refused.value)
    assert "totals.csv" in message and "全辖" in message and "自身" in message
    assert "3 个" in message  # all three organisations with children, by hand
    assert "0100 2026-10：15,000 ≥ 下级合计 15,000" in message
    assert store.current_snapshot(small_store).version == version
    pd.testing.assert_frame_equal(customers(small_store), before)


def test_a_parent_with_a_large_own_base_among_others_is_imported_and_named(small_store, tmp_path):
    # the children's counts come from the store (2026-10): 0100's are 15,000, 0200's 25,000
    rows = [("0100", "2026-10", 100), ("0200", "2026-10", 30000)]
    (summary,) = import_files([write_csv(tmp_path / "own.csv", HEADERS, rows)], small_store).files
    assert (summary.inserted, summary.quarantined) == (2, 0)
    (note,) = [w for w in summary.warnings if "下级合计" in w]
    assert "0200 2026-10：30,000 ≥ 下级合计 25,000" in note and "0100" not in note
