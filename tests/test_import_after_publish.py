"""An upload (ingest/isolated) or `python -m dashboard ingest` that fails AFTER its publish says what is true:
the version that stands, what did not finish, what to do; one that fails before still says nothing changed
(brief R3 item 1). The upload's child process is made to fail through a sitecustomize on its PYTHONPATH:
the audit line picked by $R3_FAIL_LINE raises, as a full disk would."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import cli
from dashboard.auth.roles import CONSUMER_PROTECTION, Principal
from dashboard.ingest import isolated, pipeline, store
from dashboard.ingest.errors import ExtractError, PublishedThenFailed
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv
from tests.test_unchanged_import import _steps

CP = Principal("cp@bank.test", CONSUMER_PROTECTION)

HOOK = """
import os
from dashboard.auth import audit

_real = audit._append
_which = os.environ.get("R3_FAIL_LINE", "")


def _append(path, secret, event, who, role, scope, detail):
    outcome = "ok" in detail and detail.get("stage") != "attempt"
    if (_which == "outcome" and outcome) or (_which == "attempt" and detail.get("stage") == "attempt"):
        raise PermissionError(13, "Permission denied", str(path))
    return _real(path, secret, event, who, role, scope, detail)


audit._append = _append
"""


def _new_complaint(folder: Path) -> Path:
    row = list(COMPLAINTS[0])
    row[0] = "N1"
    return write_csv(folder / "new.csv", COMPLAINT_HEADERS_ZH, [row])


def _ids(data_dir: Path) -> set[str]:
    from dashboard import db

    _, con = db.current(data_dir)
    return {row[0] for row in con.sql("select complaint_id from complaints").fetchall()}


@pytest.fixture
def child_fails(tmp_path, monkeypatch):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(hooks))

    def which(line: str) -> None:
        monkeypatch.setenv("R3_FAIL_LINE", line)

    return which


def test_an_upload_whose_outcome_line_fails_after_the_publish_says_the_new_version_stands(
    small_store, tmp_path, child_fails
):
    child_fails("outcome")
    before = store.current_snapshot(small_store).version
    assert "N1" not in _ids(small_store)
    with pytest.raises(PublishedThenFailed) as raised:
        isolated.run([_new_complaint(tmp_path)], small_store, None, CP)
    now = store.current_snapshot(small_store)
    assert now.version != before and "N1" in _ids(small_store)  # the store holds the new version
    message = str(raised.value)
    assert raised.value.version == now.version
    assert f"数据已发布（数据版本 {now.version}）" in message
    assert "审计日志未记下本次导入的结果" in message and "审计日志无法写入" in message
    assert "未作任何改动" not in message and "未导入" not in message and "未受影响" not in message


def test_an_upload_refused_before_any_publish_still_says_nothing_changed(small_store, tmp_path, child_fails):
    child_fails("attempt")
    versions = [s.version for s in store.published_snapshots(small_store)]
    with pytest.raises(ExtractError) as raised:
        isolated.run([_new_complaint(tmp_path)], small_store, None, CP)
    assert not isinstance(raised.value, PublishedThenFailed)
    assert "未导入" in str(raised.value) and "数据已发布" not in str(raised.value)
    assert [s.version for s in store.published_snapshots(small_store)] == versions
    assert "N1" not in _ids(small_store)


def test_an_upload_whose_child_dies_after_a_one_step_publish_says_the_version(small_store, tmp_path, monkeypatch):
    """The child publishes (one step), then dies before reporting: not 应用与已有数据均未受影响."""
    child = tmp_path / "child.py"
    child.write_text(
        "import os, sys, pickle\n"
        "from pathlib import Path\n"
        "from dashboard.ingest import pipeline\n"
        "job = pickle.loads(Path(sys.argv[-1]).read_bytes())\n"
        "pipeline.import_files(job['paths'], job['data_dir'], None, two_phase=False)\n"
        "os._exit(7)\n",
        encoding="utf-8",
    )
    real = isolated.subprocess.Popen

    def popen(args, **kwargs):
        return real([args[0], str(child), args[-1]], **kwargs)

    monkeypatch.setattr(isolated.subprocess, "Popen", popen)
    before = store.current_snapshot(small_store).version
    with pytest.raises(PublishedThenFailed) as raised:
        isolated.run([_new_complaint(tmp_path)], small_store, None, CP)
    now = store.current_snapshot(small_store)
    assert now.version != before and "N1" in _ids(small_store)
    assert f"数据版本 {now.version}" in str(raised.value) and "退出码 7" in str(raised.value)
    assert "未受影响" not in str(raised.value)


def test_the_command_line_import_failing_after_the_publish_names_the_version(
    small_store, tmp_path, monkeypatch, capsys
):
    """An internal error after the publish (here: the progress callback of the numbers' step raising)."""
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 1)

    def phase_lines(step: str) -> None:
        if step.startswith(pipeline.PHASE_NUMBERS):
            raise RuntimeError("终端已关闭")

    monkeypatch.setattr(cli, "_phase_lines", phase_lines)
    before = store.current_snapshot(small_store).version
    path = _new_complaint(tmp_path)
    assert cli.main(["ingest", str(path), "--data-dir", str(small_store)]) == 2
    err = capsys.readouterr().err
    now = store.current_snapshot(small_store)
    assert now.version != before and now.meta.get("text_pending")
    assert f"数据已发布（数据版本 {now.version}）" in err and "python -m dashboard rebuild" in err
    assert "终端已关闭" in err and "未作任何改动" not in err and "Traceback" not in err


def test_the_command_line_refusal_before_a_publish_says_nothing_changed(small_store, tmp_path, capsys):
    missing = tmp_path / "absent.csv"
    versions = [s.version for s in store.published_snapshots(small_store)]
    assert cli.main(["ingest", str(missing), "--data-dir", str(small_store)]) == 2
    assert "导入失败，数据未作任何改动：文件不存在" in capsys.readouterr().err
    assert [s.version for s in store.published_snapshots(small_store)] == versions


def test_the_status_box_of_a_failure_after_a_one_step_publish_says_the_data_is_published():
    one = _steps(["读取 new.csv"])
    one.failed(published=True)
    assert one.boxes[-1].label == "导入未全部完成：数据已发布"
