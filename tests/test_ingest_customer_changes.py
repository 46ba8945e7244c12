"""An extract that replaces customer bases names each change with both values (hostile H213: an old 月度客户数
file sent again replaced corrected counts, and the summary said only 更新 2)."""

from __future__ import annotations

from dashboard.ingest.pipeline import import_files
from tests.conftest import CUSTOMERS, write_csv


def test_replaced_customer_counts_are_named_with_both_values(small_store, tmp_path):
    rows = [list(r) for r in CUSTOMERS]
    rows[0][2], rows[1][2] = 9000, 11000  # 0101 September and October, stored 10,000 each
    path = write_csv(tmp_path / "customers_old.csv", ["机构代码", "月份", "客户数"], rows)
    (summary,) = import_files([path], small_store).files
    assert summary.updated == 2
    (note,) = [w for w in summary.warnings if "改写了" in w]
    assert "改写了 2 个机构·月份的客户数：0101 2026-09：10,000 → 9,000、0101 2026-10：10,000 → 11,000" in note
    assert "撤销最近一次导入" in note
    unchanged = import_files([write_csv(tmp_path / "same.csv", ["机构代码", "月份", "客户数"], rows)], small_store)
    assert not [w for w in unchanged.files[0].warnings if "改写了" in w]  # nothing replaced: nothing said
