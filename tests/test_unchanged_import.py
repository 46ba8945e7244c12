"""An import that changes nothing publishes no snapshot (hostile H239), and the import's audit line says
what it did: published or not, a two-step publish's numbers version and its analysis's error.

The small bank (conftest, v000001) and hand-made one-row CSVs: C01 with its channel corrected (a real
change), the same file again with --force, and a row of an unknown organisation (quarantined)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import cli, fmt
from dashboard.auth import audit
from dashboard.auth.roles import CONSUMER_PROTECTION, Principal
from dashboard.ingest import audited, pipeline, store
from dashboard.ingest.pipeline import import_files
from dashboard.ui.import_steps import ImportSteps
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv
from tests.test_auth import auth_env, signed_in  # noqa: F401 (fixture)

CP = Principal("cp@bank.test", CONSUMER_PROTECTION)


def _row(cid: str = "C01", channel: str = "客服热线", branch: str = "0101") -> list[str]:
    row = list(COMPLAINTS[0])  # C01: 客服热线, organisation 0101
    row[0], row[3], row[4] = cid, branch, channel
    return row


def _versions(data_dir: Path) -> list[str]:
    return [s.version for s in store.published_snapshots(data_dir)]


def _import_lines(data_dir: Path) -> list[dict]:
    lines = audit.log_path(data_dir).read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e["event"] == "import" and e["detail"].get("stage") != "attempt"]


def test_an_unchanged_forced_reimport_publishes_nothing_and_undo_still_restores(small_store, small_extracts, tmp_path):
    real = write_csv(tmp_path / "corrected.csv", COMPLAINT_HEADERS_ZH, [_row(channel="网点现场")])
    result = import_files([real], small_store)
    assert (result.version, result.changed, result.published) == ("v000002", True, True)
    before = store.current_snapshot(small_store)

    for _ in range(3):  # more re-runs than KEEP_VERSIONS: each used to push out one kept version
        again = import_files([real], small_store, force=True)
        (summary,) = again.files
        assert (summary.read, summary.unchanged, summary.inserted, summary.updated) == (1, 1, 0, 0)
        assert (again.version, again.changed, again.published) == ("v000002", False, False)
        assert again.version_note.startswith("数据无变化，未发布新的数据版本：当前数据版本仍为 v000002")
    # the small bank's organisations and customer counts again, every row as stored
    others = import_files(small_extracts[:2], small_store, force=True)
    assert [(f.table, f.unchanged == f.read > 0) for f in others.files] == [
        ("branches", True),
        ("customers_monthly", True),
    ]
    assert not others.published and others.version == "v000002"

    assert _versions(small_store) == ["v000001", "v000002"]
    now = store.current_snapshot(small_store)
    assert now.version == "v000002" and now.meta == before.meta  # as_of, counts, import log: the same
    undo = audited.last_import(small_store)
    assert (undo.current.version, undo.restored.version) == ("v000002", "v000001")
    assert list(undo.undone["file_name"]) == ["corrected.csv"]


def test_a_changed_row_after_unchanged_reruns_still_publishes(small_store, tmp_path):
    first = write_csv(tmp_path / "a.csv", COMPLAINT_HEADERS_ZH, [_row(channel="网点现场")])
    import_files([first], small_store)
    assert not import_files([first], small_store, force=True).published
    changed = write_csv(tmp_path / "b.csv", COMPLAINT_HEADERS_ZH, [_row(channel="手机银行/网银")])
    result = import_files([changed], small_store)
    assert (result.version, result.changed, result.published) == ("v000003", True, True)
    assert result.version_note == "当前数据版本：v000003"
    assert _versions(small_store) == ["v000001", "v000002", "v000003"]


def test_a_new_quarantine_publishes_though_no_row_changed_and_the_same_one_again_does_not(small_store, tmp_path):
    rows = [_row(), _row("Q1", branch="0999")]  # C01 as stored, Q1 of an organisation that does not exist
    path = write_csv(tmp_path / "with_bad.csv", COMPLAINT_HEADERS_ZH, rows)
    result = import_files([path], small_store)
    (summary,) = result.files
    assert (summary.unchanged, summary.quarantined) == (1, 1)
    assert (result.version, result.changed, result.published) == ("v000002", False, True)
    assert result.version_note == "当前数据版本：v000002（数据无变化；隔离区已更新）"
    assert store.current_snapshot(small_store).meta["quarantined"] == 1

    again = import_files([path], small_store, force=True)  # the same finding for the same record
    assert (again.version, again.published, len(again.quarantine)) == ("v000002", False, 1)
    fixed = write_csv(tmp_path / "with_bad.csv", COMPLAINT_HEADERS_ZH, [_row(), _row("Q1")])
    result = import_files([fixed], small_store)  # corrected: Q1 stored, its finding superseded
    assert (result.version, result.changed) == ("v000003", True)
    assert store.current_snapshot(small_store).meta["quarantined"] == 0


def test_the_cli_and_the_audit_line_say_nothing_was_published(small_store, tmp_path, capsys):
    path = write_csv(tmp_path / "again.csv", COMPLAINT_HEADERS_ZH, [_row(channel="网点现场")])
    args = ["ingest", str(path), "--data-dir", str(small_store)]
    assert cli.main(args) == 0
    assert "当前数据版本：v000002" in capsys.readouterr().out
    assert cli.main(args + ["--force"]) == 0
    out = capsys.readouterr().out
    assert "读取 1 行 = 新增 0 + 更新 0 + 未变 1 + 旧于已入库 0 + 隔离 0" in out
    assert "数据无变化，未发布新的数据版本：当前数据版本仍为 v000002" in out
    real, rerun = _import_lines(small_store)[-2:]
    assert (real["detail"]["published"], real["detail"]["version"]) == (True, "v000002")
    assert (rerun["detail"]["published"], rerun["detail"]["changed"], rerun["detail"]["version"]) == (
        False,
        False,
        "v000002",
    )
    assert audit.describe(rerun) == "again.csv；数据无变化，未发布新的数据版本（仍为数据版本 v000002）"
    assert audit.describe(real) == "again.csv；数据版本 v000002"


def test_a_two_step_import_line_has_the_numbers_version(small_store, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 1)  # one new narrative: two publishes
    path = write_csv(tmp_path / "new.csv", COMPLAINT_HEADERS_ZH, [_row("N1")])
    result = audited.run([path], small_store, None, CP)
    assert (result.numbers_version, result.version, result.text_error) == ("v000002", "v000003", None)
    # the outcome line when the numbers were published, the analysis's after it (hostile H240)
    numbers, line = _import_lines(small_store)
    assert (numbers["detail"]["stage"], numbers["detail"]["version"]) == ("numbers", "v000002")
    assert numbers["detail"]["rows"]["new.csv"]["inserted"] == 1
    assert audit.describe(numbers).startswith("new.csv；数据版本 v000002（数字已发布，各页面已显示新数据；")
    assert (line["detail"]["numbers_version"], line["detail"]["version"]) == ("v000002", "v000003")
    assert line["detail"]["stage"] == "analysis" and "text_error" not in line["detail"]
    assert audit.describe(line) == (
        "new.csv；投诉内容分析（热点词、相似投诉）完成：数据版本 v000003（数字已于数据版本 v000002 发布）"
    )


def test_a_failed_analysis_is_in_the_audit_line_masked(small_store, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 1)

    def broken(con, data_dir, numbers, progress):
        raise RuntimeError("分析中断，联系人电话 13812345678")

    monkeypatch.setattr(pipeline, "_publish_text", broken)
    path = write_csv(tmp_path / "new.csv", COMPLAINT_HEADERS_ZH, [_row("N1")])
    result = audited.run([path], small_store, None, CP)
    assert (result.numbers_version, result.version) == ("v000002", "v000002")
    assert "13812345678" in result.text_error  # the importer's own summary: as raised
    numbers, line = _import_lines(small_store)
    assert numbers["detail"]["stage"] == "numbers" and "text_error" not in numbers["detail"]
    assert line["detail"]["numbers_version"] == "v000002" and line["detail"]["stage"] == "analysis"
    error = line["detail"]["text_error"]
    assert error.startswith("RuntimeError: 分析中断") and "13812345678" not in error  # the log is copied off
    described = audit.describe(line)
    assert described.startswith("new.csv；数据版本 v000002（数字已发布）；投诉内容分析（热点词、相似投诉）未完成：")
    assert "RuntimeError" in described


class _Box:
    def __init__(self, label: str, **kwargs):
        self.label, self.state, self.lines = label, "running", []

    def update(self, label: str, state: str, expanded: bool = True) -> None:
        self.label, self.state = label, state

    def write(self, text: str) -> None:
        self.lines.append(text)


def _steps(messages: list[str]) -> ImportSteps:
    steps = ImportSteps(new_box=_Box)
    for message in messages:
        steps.step(message)
    return steps


@pytest.mark.parametrize("text_error", [None, "RuntimeError: boom"])
def test_the_upload_page_closes_the_numbers_step_before_the_analysis(text_error):
    steps = _steps(
        [
            "读取 a.csv",
            f"{pipeline.PHASE_NUMBERS}：数字已发布（数据版本 v000002）",
            "计算派生表 complaint_terms",
        ]
    )
    first, second = steps.boxes
    assert (first.state, first.label) == ("complete", "第一步完成：数字已发布，各页面已显示新数据")
    assert first.lines == [fmt.literal("读取 a.csv")]
    # the first step's line opens the second box (its estimate is the second step's): without the marker
    assert second.lines == [
        fmt.literal(s) for s in ("第一步完成：数字已发布（数据版本 v000002）", "计算派生表 complaint_terms")
    ]
    assert second.state == "running"
    steps.done(pipeline.ImportResult([], "v000003", True, None, numbers_version="v000002", text_error=text_error))
    assert second.state == ("error" if text_error else "complete")
    assert second.label.startswith("第二步未完成" if text_error else "第二步完成")


def test_a_one_step_import_keeps_one_box():
    steps = _steps(["读取 a.csv", "计算派生数据并写入新版本"])
    steps.done(pipeline.ImportResult([], "v000002", True, None))
    (box,) = steps.boxes
    assert (box.label, box.state) == ("导入完成", "complete")


def test_the_upload_page_says_a_forced_reupload_published_nothing(small_store, app_env, auth_env, tmp_path):
    app_env(small_store)
    extract = write_csv(tmp_path / "more.csv", COMPLAINT_HEADERS_ZH, [_row("C09")])
    at = signed_in({"email": "cp@bank.test"}, page="app_pages/data.py")
    at.file_uploader[0].upload("more.csv", extract.read_bytes(), "text/csv").run()
    next(b for b in at.button if b.label == "开始导入").click().run()
    assert [s.value for s in at.success][:1] == ["导入完成。当前数据版本：v000002"]
    next(c for c in at.checkbox if c.label == "内容已导入过的文件也重新导入").check().run()
    next(b for b in at.button if b.label == "开始导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert (
        at.success[0].value
        == "导入完成。数据无变化，未发布新的数据版本：当前数据版本仍为 v000002（本次导入已记入审计日志）"
    )
    assert _versions(small_store) == ["v000001", "v000002"]
