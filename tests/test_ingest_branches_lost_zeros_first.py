"""First set-up with a branch list that went through Excel (机构代码 as number cells: 0, 100, 101…) and the source
system's complaints with their real codes (0101…): the import is refused before anything is published, naming
the codes (hostile H156: 两 thirds of the complaints were quarantined as 不存在于机构表, without the lost-zero
hint, and a partial bank was published). Against branches stored by an earlier import, the rows are
quarantined with the hint naming the stored code."""

from __future__ import annotations

import pytest

from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import import_files
from tests.conftest import BRANCHES, CUSTOMERS, write_csv, write_small_extracts

HEADERS = ["branch_code", "branch_name", "parent_code", "level", "province", "city"]


def _stripped(code: str) -> str:
    return code.lstrip("0") or "0"  # what a number cell keeps of 0000 and 0101


STRIPPED = [(_stripped(c), n, _stripped(p) if p else "", *rest) for c, n, p, *rest in BRANCHES]


def test_a_first_import_whose_branch_list_lost_its_zeros_is_refused_whole(tmp_path):
    branches, customers, complaints = write_small_extracts(tmp_path / "x", branches=STRIPPED)
    data_dir = tmp_path / "data"
    with pytest.raises(ExtractError) as refused:
        import_files([branches, customers, complaints], data_dir)
    message = str(refused.value)
    assert "前导零" in message and "branches.csv" in message and "文本" in message
    assert "0101 → 101" in message
    assert store.current_snapshot(data_dir) is None  # nothing published


def test_complaints_against_stored_branches_without_zeros_name_the_stored_code(tmp_path):
    data_dir = tmp_path / "data"
    folder = tmp_path / "x"
    branches, *_ = write_small_extracts(folder, branches=STRIPPED)
    import_files([branches], data_dir)  # an earlier import: the tree is stored without zeros
    path = write_csv(tmp_path / "c.csv", ["机构代码", "月份", "客户数"], CUSTOMERS[:1])  # 0101
    (summary,) = import_files([path], data_dir).files
    assert summary.quarantined == 1
    (reason,) = summary.reasons
    assert "101" in reason and "前导" in reason
