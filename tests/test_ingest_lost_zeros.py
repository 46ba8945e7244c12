"""A branches file whose codes lost their leading zeros (Excel: 0101 -> 101) is refused whole, before
anything changes, naming the codes and the likely cause; the correct file afterwards imports (hostile H104:
the bad file was accepted and the correct one then refused with "只能有一个总行")."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import import_files
from tests.conftest import BRANCHES, write_csv

HEADERS = ["branch_code", "branch_name", "parent_code", "level", "province", "city"]


def _stripped(code: str) -> str:
    return code.lstrip("0") or "0"  # what Excel keeps of 0000 and 0101 in a number cell


def branches_table(data_dir) -> pd.DataFrame:
    return pd.read_parquet(store.current_snapshot(data_dir).table("branches")).sort_values("branch_code")


def test_a_branches_file_without_leading_zeros_is_refused_and_the_correct_one_then_imports(small_store, tmp_path):
    before_version = store.current_snapshot(small_store).version
    before = branches_table(small_store)
    bad = [(_stripped(c), n, _stripped(p) if p else "", *rest) for c, n, p, *rest in BRANCHES]
    path = write_csv(tmp_path / "branches_excel.csv", HEADERS, bad)
    with pytest.raises(ExtractError) as refused:
        import_files([path], small_store)
    message = str(refused.value)
    assert "branches_excel.csv" in message and "前导零" in message and "文本" in message
    # the codes named with the stored code each means: 101 is 0101, 0 is 0000
    assert "101（已入库 0101）" in message and "0（已入库 0000）" in message
    assert store.current_snapshot(small_store).version == before_version
    pd.testing.assert_frame_equal(branches_table(small_store), before)

    renamed = [(c, n + "（新）", *rest) for c, n, *rest in BRANCHES]
    result = import_files([write_csv(tmp_path / "branches.csv", HEADERS, renamed)], small_store)
    (summary,) = result.files
    assert (summary.updated, summary.quarantined) == (len(BRANCHES), 0)
    assert list(branches_table(small_store)["branch_name"]) == [n + "（新）" for _, n, *_ in BRANCHES]


def test_codes_of_another_length_that_are_not_the_stored_ones_are_accepted(small_store, tmp_path):
    """A new branch 301 (not 0301's zero-stripped form: no stored 0301) is an ordinary new organisation."""
    path = write_csv(tmp_path / "new.csv", HEADERS, [("301", "新支行", "0200", "支行", "上海", "上海")])
    (summary,) = import_files([path], small_store).files
    assert (summary.inserted, summary.quarantined) == (1, 0)
