"""机构名称 is shown to every role unmasked: a phone or ID typed into one is masked as it is stored, with a
note (hostile H203: 北京海淀支行（客户王建国13812345678专户） reached a 分行 user's pages in full); an ordinary name,
place names that start like a surname included, is stored as written."""

from __future__ import annotations

from dashboard import db
from dashboard.ingest.pipeline import import_files
from tests.conftest import BRANCHES, write_small_extracts


def _import_branch_names(tmp_path, renamed: dict[int, str]) -> tuple[str, dict[str, str]]:
    """Import the small extracts with some branches renamed: the branches file's personal-data note and the stored
    names by branch code."""
    branches = [list(b) for b in BRANCHES]
    for row, name in renamed.items():
        branches[row][1] = name
    files = write_small_extracts(tmp_path / "x", branches=[tuple(b) for b in branches])
    data = tmp_path / "data"
    summary = {f.file: f for f in import_files(files, data).files}["branches.csv"]
    (note,) = [w for w in summary.warnings if "机构名称中含有电话" in w]
    _, con = db.current(data)
    return note, dict(con.execute("select branch_code, branch_name from branches").fetchall())


def test_a_phone_in_a_branch_name_is_masked_on_import_and_said(tmp_path):
    note, names = _import_branch_names(tmp_path, {2: "北京海淀支行（客户王建国13812345678专户）", 3: "王府井支行"})
    assert note.startswith("1 个机构") and "0101" in note
    assert names["0101"] == "北京海淀支行（客户王建国138****5678专户）"  # the mobile rule's shape, by hand
    assert names["0102"] == "王府井支行" and names["0100"] == "北京分行"


def test_full_width_digits_or_signs_alone_are_no_personal_data_in_a_branch_name(tmp_path):
    # hostile H260: the number rules fold １ to 1 first, and that change alone was read as a phone or ID
    # masked: the name was rewritten and the note told the operator it held personal data
    note, names = _import_branch_names(tmp_path, {2: "海淀第１支行", 3: "＋王府井支行（客户13812345678专户）"})
    assert note.startswith("1 个机构") and "0102" in note and "0101" not in note
    assert names["0101"] == "海淀第１支行"  # as written
    assert names["0102"] == "+王府井支行（客户138****5678专户）"  # the mobile masked (and its sign folded)
