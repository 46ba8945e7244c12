"""What the audit log and 撤销 say around a two-step import and rebuild (hostile H240, H241).

The small bank (conftest, v000001) and a one-row CSV of a new complaint N1, imported in two steps (the
threshold lowered to one narrative): v000002 publishes the numbers, v000003 the narrative analysis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import cli, db
from dashboard.auth import audit
from dashboard.auth.roles import CONSUMER_PROTECTION, Principal
from dashboard.ingest import audited, pipeline, store
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

CP = Principal("cp@bank.test", CONSUMER_PROTECTION)


def _new_complaint(folder: Path) -> Path:
    row = list(COMPLAINTS[0])
    row[0] = "N1"
    return write_csv(folder / "new.csv", COMPLAINT_HEADERS_ZH, [row])


def _lines(data_dir: Path) -> list[dict]:
    return [json.loads(line) for line in audit.log_path(data_dir).read_text(encoding="utf-8").splitlines()]


def _ids(data_dir: Path) -> set[str]:
    _, con = db.current(data_dir)
    return {row[0] for row in con.sql("select complaint_id from complaints").fetchall()}


def _versions(data_dir: Path) -> list[str]:
    return [s.version for s in store.published_snapshots(data_dir)]


def _intact(data_dir: Path) -> bool:
    heads, published_at = audit.published_heads(data_dir)
    return not audit.read(audit.log_path(data_dir), heads, published_at).problems


KILLED_IN_PHASE_TWO = """
import os, sys
from pathlib import Path
from dashboard.auth.roles import CONSUMER_PROTECTION, Principal
from dashboard.ingest import audited, pipeline

pipeline.TWO_PHASE_MIN_NARRATIVES = 1
pipeline._publish_text = lambda *args, **kwargs: os._exit(9)  # killed as the analysis starts
audited.run([Path(sys.argv[2])], Path(sys.argv[1]), None, Principal("cp@bank.test", CONSUMER_PROTECTION))
"""


def test_an_import_killed_after_its_numbers_leaves_an_outcome_line_saying_they_are_published(small_store, tmp_path):
    path = _new_complaint(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", KILLED_IN_PHASE_TWO, str(small_store), str(path)], env=env, capture_output=True
    )
    assert done.returncode == 9, done.stderr.decode()
    current = store.current_snapshot(small_store)
    assert current.version == "v000002" and current.meta.get("text_pending")  # the numbers, no analysis
    assert "N1" in _ids(small_store)
    last = _lines(small_store)[-1]
    assert (last["event"], last["detail"]["stage"], last["detail"]["version"]) == ("import", "numbers", "v000002")
    assert last["detail"]["rows"]["new.csv"]["inserted"] == 1
    assert "数字已发布" in audit.describe(last) and _intact(small_store)
    # rebuilds complete the analysis; 撤销 still restores the version from before the killed import (H241)
    for _ in range(3):
        audited.rebuild(small_store, CP)
    assert _versions(small_store) == ["v000001", "v000003", "v000004", "v000005"]
    assert audited.last_import(small_store).restored.version == "v000001"


def test_an_error_after_the_numbers_is_recorded_as_the_analysis_not_as_a_failed_import(
    small_store, tmp_path, monkeypatch
):
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 1)

    def progress(step: str) -> None:
        if step.startswith(pipeline.PHASE_TEXT_DONE):  # outside the analysis's own error handling
            raise RuntimeError("progress broke")

    with pytest.raises(RuntimeError, match="progress broke"):
        audited.run([_new_complaint(tmp_path)], small_store, None, CP, progress=progress)
    attempt, numbers, analysis = [e for e in _lines(small_store) if e["event"] == "import"][-3:]
    assert attempt["detail"]["stage"] == "attempt" and numbers["detail"]["stage"] == "numbers"
    assert analysis["detail"]["stage"] == "analysis" and analysis["detail"]["ok"] is True
    assert analysis["detail"]["numbers_version"] == "v000002" and "progress broke" in analysis["detail"]["text_error"]
    assert audit.describe(analysis).startswith("new.csv；数据版本 v000002（数字已发布）；投诉内容分析")


def test_undo_survives_a_two_step_import_and_rebuilds_and_rebuild_is_audited(small_store, tmp_path, monkeypatch):
    before = _ids(small_store)
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 1)
    result = audited.run([_new_complaint(tmp_path)], small_store, None, CP)
    assert (result.numbers_version, result.version) == ("v000002", "v000003")
    for expected in ("v000004", "v000005"):
        assert audited.rebuild(small_store, CP).version == expected
    # the last three publishes and the one from before the import (v000002, numbers only, is gone)
    assert _versions(small_store) == ["v000001", "v000003", "v000004", "v000005"]
    undo = audited.last_import(small_store)
    assert (undo.current.version, undo.restored.version) == ("v000005", "v000001")
    assert list(undo.undone["file_name"]) == ["new.csv"]

    rebuilds = [e for e in _lines(small_store) if e["event"] == "rebuild"]
    assert [(e["detail"].get("stage"), e["detail"]["version"]) for e in rebuilds] == [
        ("attempt", "v000003"),
        (None, "v000003"),
        ("attempt", "v000004"),
        (None, "v000004"),
    ]
    last = rebuilds[-1]
    assert (last["user"], last["detail"]["new_version"], last["detail"]["undo_restores"]) == (
        "cp@bank.test",
        "v000005",
        "v000001",
    )
    assert audit.describe(last) == (
        "重算派生数据（数据版本 v000004，数据不变）；发布数据版本 v000005；撤销最近一次导入仍可恢复为数据版本 v000001"
    )

    for _ in range(3):  # however many: at most KEEP_VERSIONS + the undo target on disk
        audited.rebuild(small_store, CP)
    assert _versions(small_store) == ["v000001", "v000006", "v000007", "v000008"]
    audited.revert_last_import(small_store, CP, "v000008")
    assert _ids(small_store) == before and "N1" not in before
    assert _intact(small_store)


def test_the_rebuild_command_writes_its_audit_lines_as_the_operator(small_store, capsys):
    assert cli.main(["rebuild", "--data-dir", str(small_store)]) == 0
    assert "已重算派生数据并发布版本 v000002" in capsys.readouterr().out
    attempt, done = [e for e in _lines(small_store) if e["event"] == "rebuild"]
    assert attempt["detail"] == {"version": "v000001", "stage": "attempt"}
    assert (done["detail"]["new_version"], done["detail"]["undo_restores"]) == ("v000002", None)
    assert done["user"] == attempt["user"] and done["user"]  # the login running the command
    assert audit.describe(done).endswith("没有可撤销的导入")


def test_a_rebuild_that_cannot_be_audited_does_not_happen(small_store, monkeypatch, capsys):
    monkeypatch.delenv("COMPLAINTS_AUDIT_KEY")
    assert cli.main(["rebuild", "--data-dir", str(small_store)]) == 2
    assert "重算失败，数据未作任何改动" in capsys.readouterr().err
    assert _versions(small_store) == ["v000001"]


def test_an_upload_whose_import_process_dies_after_the_numbers_says_they_are_published(
    small_store, tmp_path, monkeypatch
):
    """The upload page's import process (ingest/isolated) killed in the second step: the parent's audit line
    and message say the numbers are published, not 应用与已有数据均未受影响. A stand-in child prints the first
    step's line as the real one does, then dies."""
    from dashboard.ingest import isolated
    from dashboard.ingest.errors import AnalysisInterrupted

    child = tmp_path / "child.sh"
    child.write_text(f"#!/bin/sh\necho 'step {pipeline.PHASE_NUMBERS}：数字已发布（数据版本 v000002），…'\nexit 9\n")
    child.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(child))
    steps: list[str] = []
    with pytest.raises(AnalysisInterrupted) as raised:  # the page says it as a warning, not 导入失败
        isolated.run([_new_complaint(tmp_path)], small_store, None, CP, progress=steps.append)
    message = str(raised.value)
    assert "数据版本 v000002" in message and "数字已发布" in message and "未受影响" not in message
    assert steps and steps[0].startswith(pipeline.PHASE_NUMBERS)
    last = _lines(small_store)[-1]
    assert (last["event"], last["detail"]["stage"], last["detail"]["numbers_version"]) == (
        "import",
        "analysis",
        "v000002",
    )
    assert "退出码 9" in last["detail"]["text_error"]


def test_the_upload_page_box_of_an_interrupted_second_step_says_the_numbers_stay():
    from tests.test_unchanged_import import _steps

    steps = _steps(["读取 new.csv", f"{pipeline.PHASE_NUMBERS}：数字已发布（数据版本 v000002）"])
    steps.failed()
    assert [b.state for b in steps.boxes] == ["complete", "error"]
    assert steps.boxes[-1].label == "第二步未完成：导入进程中断，数字已发布"
    one = _steps(["读取 new.csv"])
    one.failed()
    assert one.boxes[-1].label == "导入失败"
