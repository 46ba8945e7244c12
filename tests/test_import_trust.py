"""What the audit log and 撤销 say around a two-step import and rebuild (hostile H241).

The small bank (conftest, v000001) and a one-row CSV of a new complaint N1, imported in two steps (the
threshold lowered to one narrative): v000002 publishes the numbers, v000003 the narrative analysis."""

from __future__ import annotations

import json
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

