"""Rows whose fields disagree (hostile H132) are imported by one rule and listed, with their count and the
reason, in the import summary and in 数据管理's 导入记录 (the import log keeps each file's warnings):
channel 监管转办 with 是否监管转办 否 counts as referred; a 办结时间 or 处理结果 on a complaint still open is
read as empty. The numbers after the import are worked out by hand from the rows below."""

from __future__ import annotations

from dashboard import db
from dashboard.ingest.pipeline import import_files
from tests.apptest_support import run_app
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv


def _disagreeing(tmp_path):
    base = list(COMPLAINTS[3])  # C04: 0201, 2026-10-05, 监管转办, 是, 处理中, no closing time
    rows = []
    for number, over in (
        ("D01", {15: "否"}),  # 监管转办 with 否
        ("D02", {2: "2026-10-20 10:00:00"}),  # 处理中 with a closing time
        ("D03", {13: "已解决"}),  # 处理中 with a result
    ):
        row = list(base)
        row[0] = number
        for i, value in over.items():
            row[i] = value
        rows.append(row)
    return write_csv(tmp_path / "disagree.csv", COMPLAINT_HEADERS_ZH, rows)


def test_disagreeing_rows_are_imported_counted_and_in_the_import_log(small_store, tmp_path, app_env):
    (summary,) = import_files([_disagreeing(tmp_path)], small_store).files
    assert (summary.inserted, summary.quarantined) == (3, 0)
    assert len([w for w in summary.warnings if "行（第 " in w]) == 3
    snapshot, con = db.current(small_store)
    rows = con.execute(
        "select complaint_id, regulator_referred, closed_at, result, status from complaints "
        "where complaint_id like 'D0%' order by complaint_id"
    ).fetchall()
    assert [r[1] for r in rows] == [True, True, True]  # D01 by its channel, D02 and D03 by the flag
    assert [r[2] for r in rows] == [None, None, None] and [r[3] for r in rows] == [None, None, None]
    assert {r[4] for r in rows} == {"处理中"}
    log = db.run(con, "data_imports")
    latest = log.iloc[0]
    assert latest["file_name"] == "disagree.csv"
    lines = latest["warnings"].split("\n")
    assert (
        "投诉渠道为监管转办，但是否监管转办为否：1 行（第 1 行）；这些行已导入，按监管转办计（以投诉渠道为准）" in lines
    )
    assert any(line.startswith("处理状态未办结（已受理或处理中），但填写了办结时间：1 行（第 2 行）") for line in lines)
    assert any(line.startswith("处理状态未办结（已受理或处理中），但填写了处理结果：1 行（第 3 行）") for line in lines)
    assert log["warnings"].iloc[1:].isna().all()  # the small bank's own files warned of nothing
    # 数据管理's 导入记录 shows them
    app_env(small_store)
    at = run_app("app_pages/data.py")
    (table,) = [d.value for d in at.dataframe if "提示" in d.value.columns]
    assert "按监管转办计" in table["提示"].iloc[0]
