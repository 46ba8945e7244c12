"""The audit trail: append-only JSON lines with a hash chain; sign-in, reveal, export and import hooks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli
from dashboard.auth import audit
from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, LEADER, Principal
from dashboard.ui.download import export_callable
from tests.apptest_support import APP
from tests.test_auth import ROLES_TOML, audit_lines, auth_env  # noqa: F401 (fixture)

CP = Principal("cp@bank.test", CONSUMER_PROTECTION, None, "张消保")
BRANCH_USER = Principal("sh@bank.test", BRANCH, "0200")


@pytest.fixture
def log(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "audit" / "audit.jsonl"
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(path))
    return path


# --- The log file ----------------------------------------------------------------------------------------
def test_each_event_is_one_line_saying_who_when_what_and_scope(log):
    audit.record("signin", BRANCH_USER, {"sub": "s-1"})
    audit.record("reveal", CP, {"complaint_id": "C01", "reason": "回访前核实联系方式"})
    audit.record("export", "命令行:ops", {"what": "报告"})
    first, second, third = audit_lines(log)
    assert (first["event"], first["user"], first["role"], first["scope"]) == ("signin", "sh@bank.test", "分行", "0200")
    assert (second["user"], second["scope"], second["detail"]) == (
        "cp@bank.test",
        None,
        {"complaint_id": "C01", "reason": "回访前核实联系方式"},
    )
    assert (third["user"], third["role"]) == ("命令行:ops", None)
    assert all(line["at"][:4].isdigit() and line["at"][-6] in "+-" for line in (first, second, third))  # offset


def test_appending_never_rewrites_what_is_there(log):
    audit.record("signin", CP, {})
    before, inode = log.read_bytes(), log.stat().st_ino
    audit.record("export", CP, {"what": "审计日志"})
    after = log.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 2
    assert log.stat().st_ino == inode


def test_the_chain_finds_an_edited_line_at_that_line_and_a_deleted_one(log):
    for i in range(4):
        audit.record("export", CP, {"what": f"第{i}次"})
    assert audit.verify(log) is None
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)

    log.write_text("".join(lines[:1] + [lines[1].replace("第1次", "第9次")] + lines[2:]), encoding="utf-8")
    assert audit.verify(log) == 2  # the edited line itself (the old chain said 3: one line late)
    assert audit.read(log).flagged() == [False, True, False, False]
    log.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
    assert audit.verify(log) == 2  # a deleted line: the next one shows the gap
    assert "缺少第 2 条" in audit.read(log).problems[0].message
    log.write_text("".join(lines), encoding="utf-8")
    assert audit.verify(log) is None


def _four_lines(log) -> list[str]:
    for i in range(4):
        audit.record("reveal" if i % 2 else "export", CP, {"what": f"第{i}次", "complaint_id": f"C0{i}"})
    return log.read_text(encoding="utf-8").splitlines(keepends=True)


def test_cutting_the_last_lines_is_detected_by_the_head_kept_outside_the_log(log):
    lines = _four_lines(log)
    log.write_text("".join(lines[:2]), encoding="utf-8")
    result = audit.read(log)
    assert result.broken_at == 3 and "缺少第 3–4 条" in result.problems[0].message


def test_an_appended_forgery_with_the_right_prev_is_detected_at_its_line(log):
    import json

    lines = _four_lines(log)
    last = json.loads(lines[-1])
    forged = {**last, "seq": 5, "prev": last["mac"], "detail": {"what": "伪造"}, "mac": "0" * 64}
    log.write_text("".join(lines) + json.dumps(forged, ensure_ascii=False) + "\n", encoding="utf-8")
    assert audit.verify(log) == 5


def test_dropping_every_reveal_and_recomputing_the_chain_without_the_key_is_detected(log):
    """The attacker knows the format and recomputes a plain SHA-256 chain (what the old log used)."""
    import hashlib
    import json

    lines = _four_lines(log)
    kept, prev = [], audit.GENESIS
    for seq, raw in enumerate((line for line in lines if json.loads(line)["event"] != "reveal"), start=1):
        entry = {**json.loads(raw), "seq": seq, "prev": prev}
        entry["mac"] = hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
        kept.append(json.dumps(entry, ensure_ascii=False) + "\n")
        prev = entry["mac"]
    log.write_text("".join(kept), encoding="utf-8")
    result = audit.read(log)
    assert result.broken_at == 1 and len(result.problems) >= 2


def test_deleting_the_log_is_detected_and_the_next_line_continues_the_numbering(log):
    _four_lines(log)
    log.unlink()
    assert audit.verify(log) == 1 and "日志文件缺失" in audit.read(log).problems[0].message
    entry = audit.record("signin", CP, {})
    assert entry["seq"] == 5  # not a fresh chain from 1
    assert "缺少第 1–4 条" in audit.read(log).problems[0].message


def test_deleting_log_and_state_file_is_caught_by_the_head_in_the_published_snapshot(log, small_extracts, tmp_path):
    from dashboard.auth.audit_head import head_path
    from dashboard.ingest.pipeline import import_files
    from dashboard.ingest.store import current_snapshot

    _four_lines(log)
    import_files(small_extracts, tmp_path / "data")
    snapshot = current_snapshot(tmp_path / "data")
    assert snapshot.meta["audit_head"]["seq"] == 4
    log.unlink()
    head_path(log).unlink()
    audit.record("signin", CP, {})  # a fresh chain from 1: consistent on its own
    assert audit.read(log).problems == []
    result = audit.read(log, {snapshot.version: snapshot.meta["audit_head"]})
    assert "被截断" in result.problems[0].message and snapshot.version in result.problems[0].message


def test_a_missing_key_refuses_to_write_and_a_wrong_key_fails_every_line(log, monkeypatch):
    _four_lines(log)
    monkeypatch.setenv("COMPLAINTS_AUDIT_KEY", "another-key-another-key-another-key-0")
    assert audit.verify(log) == 1 and len(audit.read(log).problems) == 5  # 4 lines + the state file
    monkeypatch.delenv("COMPLAINTS_AUDIT_KEY")
    with pytest.raises(audit.AuditError, match="未配置审计日志密钥"):
        audit.record("signin", CP, {})
    assert len(log.read_text(encoding="utf-8").splitlines()) == 4


def test_an_import_without_an_audit_key_is_refused_in_one_line(small_extracts, tmp_path, monkeypatch, capsys):
    # hostile H72: a traceback ending in AuditError, for the README's first command on a new machine
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    for name in ("COMPLAINTS_AUDIT_KEY", "COMPLAINTS_AUDIT_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml holding a key
    assert cli.main(["ingest", *map(str, small_extracts), "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("导入失败，数据未作任何改动：未配置审计日志密钥") and "Traceback" not in err
    assert not (tmp_path / "d" / "store" / "CURRENT").exists()


def test_a_torn_last_line_is_kept_apart_and_reported(log):
    audit.record("signin", CP, {})
    with open(log, "ab") as handle:
        handle.write(b'{"at": "2026-')  # a crash in the middle of a write
    audit.record("export", CP, {"what": "x"})
    result = audit.read(log)
    assert [e["event"] for e in result.entries] == ["signin", "export"]
    assert result.unreadable == 1 and result.broken_at == 2


APPEND_MANY = """
import sys
from dashboard.auth import audit
for i in range(20):
    audit.record("export", f"worker{sys.argv[1]}", {"i": i})
"""


def test_concurrent_writers_from_several_processes_keep_every_line_and_the_chain(log):
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "COMPLAINTS_AUDIT_LOG": str(log), "PYTHONPATH": str(root)}
    workers = [subprocess.Popen([sys.executable, "-c", APPEND_MANY, str(w)], cwd=root, env=env) for w in range(4)]
    assert [p.wait(timeout=120) for p in workers] == [0, 0, 0, 0]
    result = audit.read(log)
    assert len(result.entries) == 80 and result.unreadable == 0 and result.broken_at is None
    assert sorted((e["user"], e["detail"]["i"]) for e in result.entries) == sorted(
        (f"worker{w}", i) for w in range(4) for i in range(20)
    )


def test_unknown_events_are_refused(log):
    with pytest.raises(audit.AuditError):
        audit.record("viewed", CP, {})
    assert not log.exists()


def test_describe_says_what_happened_in_chinese():
    assert (
        audit.describe({"event": "reveal", "detail": {"complaint_id": "C01", "reason": "核实"}})
        == "投诉 C01；理由：核实"
    )
    assert (
        audit.describe(
            {
                "event": "export",
                "detail": {"what": "投诉明细", "file": "a.csv", "rows": 1234, "filters": {"from": "2026-10"}},
            }
        )
        == "投诉明细：a.csv（1,234 行）；筛选 from=2026-10"
    )
    assert (
        audit.describe({"event": "import", "detail": {"files": ["a.csv"], "ok": False, "error": "坏文件"}})
        == "a.csv；失败：坏文件"
    )


def test_describe_names_no_none():
    """H119: the report on standard output read 报告：None, an import's first line 数据版本 None; the page's
    view (drill-down, search) was dropped."""
    report = {"event": "export", "detail": {"what": "报告", "file": None, "format": "json"}}
    assert audit.describe(report) == "报告：标准输出（json）"
    attempt = {"event": "import", "detail": {"files": ["a.csv"], "stage": "attempt"}}
    assert audit.describe(attempt) == "a.csv；开始导入"
    listed = {"event": "export", "detail": {"what": "投诉明细", "file": "a.xlsx", "view": {"hs_q": "年费"}}}
    assert audit.describe(listed) == "投诉明细：a.xlsx；页面 hs_q=年费"


# --- Exports ---------------------------------------------------------------------------------------------
def test_a_download_is_audited_before_its_bytes_are_produced_and_narratives_are_masked(log):
    frame = pd.DataFrame({"complaint_id": ["C01", "C02"], "content": ["联系电话13812345678", "柜员态度差"]})
    produce = export_callable(frame, "complaints.csv", "投诉明细", BRANCH_USER, {"filters": {"from": "2026-10"}})
    assert not log.exists()  # nothing is recorded until the user clicks
    data = produce().decode("utf-8-sig")
    assert "13812345678" not in data and "138****5678" in data
    (line,) = audit_lines(log)
    assert (line["event"], line["user"], line["scope"]) == ("export", "sh@bank.test", "0200")
    assert line["detail"] == {"what": "投诉明细", "file": "complaints.csv", "filters": {"from": "2026-10"}, "rows": 2}


def test_a_download_fails_when_the_audit_line_cannot_be_written(tmp_path, monkeypatch):
    blocked = tmp_path / "audit.jsonl"
    blocked.mkdir()  # a directory where the log should be: every append fails
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(blocked))
    with pytest.raises(audit.AuditError):
        export_callable(b"secret", "x.csv", "投诉明细", CP)()


# --- Import and report from the command line ------------------------------------------------------------
def test_command_line_import_is_audited(small_extracts, tmp_path, log):
    data_dir = tmp_path / "data"
    assert cli.main(["ingest", *map(str, small_extracts), "--data-dir", str(data_dir)]) == 0
    attempt, line = audit_lines(log)  # the attempt before any work, then the outcome (issue 14)
    assert attempt["event"] == "import" and attempt["detail"]["stage"] == "attempt"
    assert line["event"] == "import" and line["user"].startswith("命令行:") and line["role"] == "命令行操作员"
    assert line["detail"]["files"] == ["branches.csv", "customers.csv", "complaints.csv"]
    assert line["detail"]["ok"] is True and line["detail"]["version"] == "v000001"
    assert line["detail"]["rows"]["complaints.csv"]["inserted"] == 8

    bad = tmp_path / "bad.csv"
    bad.write_text("not,an,extract\n1,2,3\n", encoding="utf-8")
    assert cli.main(["ingest", str(bad), "--data-dir", str(data_dir)]) == 2
    refused = audit_lines(log)[-1]
    assert refused["detail"]["ok"] is False and refused["detail"]["files"] == ["bad.csv"]


def test_report_is_audited_as_an_export_with_the_users_scope(small_store, tmp_path, log, monkeypatch, capsys):
    roles_file = tmp_path / "roles.toml"
    roles_file.write_text(ROLES_TOML, encoding="utf-8")
    monkeypatch.setenv("COMPLAINTS_ROLES_FILE", str(roles_file))
    assert (
        cli.main(["report", "--month", "2026-10", "--data-dir", str(small_store), "--json", "--user", "sh@bank.test"])
        == 0
    )
    (line,) = audit_lines(log)
    assert (line["event"], line["user"], line["role"], line["scope"]) == ("export", "sh@bank.test", "分行", "0200")
    assert line["detail"]["what"] == "报告" and line["detail"]["month"] == "2026-10"


# --- Reveal ----------------------------------------------------------------------------------------------
NARRATIVE = "客户王小明来电，手机13812345678，卡号6222021234567890123"


def _narrative_script():
    from dashboard.ui.narrative import show_narrative

    show_narrative("C01", "客户王小明来电，手机13812345678，卡号6222021234567890123")


def _narrative_app(principal: Principal) -> AppTest:
    at = AppTest.from_function(_narrative_script, default_timeout=30)
    at.session_state["_principal"] = principal
    return at.run()


def _texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_narratives_are_masked_and_only_consumer_protection_may_reveal(log):
    for who in (Principal("lead@bank.test", LEADER), BRANCH_USER):
        at = _narrative_app(who)
        assert _texts(at) == ["客户王**来电，手机138****5678，卡号6222***********0123"]
        assert not at.text_input and not at.button  # no way to reveal
    assert not log.exists()


def test_reveal_needs_a_reason_is_audited_and_shows_one_complaint(log):
    at = _narrative_app(CP)
    assert "13812345678" not in _texts(at)[0]
    at.button[0].click().run()  # the form's submit, without a reason
    assert "请填写查看理由" in at.error[0].value and "13812345678" not in _texts(at)[0]
    assert not log.exists()

    at.text_input[0].input("回访前核实联系方式")
    at.button[0].click().run()  # a form sends its fields with the submit
    assert _texts(at) == [NARRATIVE]
    (line,) = audit_lines(log)
    assert (line["event"], line["user"], line["detail"]) == (
        "reveal",
        "cp@bank.test",
        {"complaint_id": "C01", "reason": "回访前核实联系方式"},
    )

    at.button[0].click().run()  # 恢复脱敏显示
    assert "13812345678" not in _texts(at)[0]
    assert len(audit_lines(log)) == 1


@pytest.mark.parametrize("reason", ["....", "aaaa", "1111", "\u200b\u200b\u200b\u200b", "  核实  ", "查查查查"])
def test_a_reason_that_says_nothing_reveals_nothing(log, reason):
    """H135: four characters of anything passed as the audited reason."""
    at = _narrative_app(CP)
    at.text_input[0].input(reason)
    at.button[0].click().run()
    assert "请填写查看理由" in at.error[0].value and "13812345678" not in _texts(at)[0]
    assert not log.exists()


def test_a_short_reason_in_words_is_enough():
    from dashboard.ui.narrative import reason_problem

    assert reason_problem("回访核实") is None and reason_problem("KYC check") is None
    assert reason_problem("核实。。。。") is not None  # two characters of words


def test_no_reveal_without_an_audit_line(tmp_path, monkeypatch):
    blocked = tmp_path / "audit.jsonl"
    blocked.mkdir()
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(blocked))
    at = _narrative_app(CP)
    at.text_input[0].input("回访前核实联系方式")
    at.button[0].click().run()
    assert "审计日志无法写入" in at.error[0].value
    assert at.error[0].value.count("审计日志无法写入") == 1  # not "审计日志无法写入（审计日志无法写入（…））"
    assert "13812345678" not in _texts(at)[0]


def test_every_download_in_the_app_goes_through_audited_download():
    root = Path(__file__).resolve().parent.parent
    direct = [
        p.relative_to(root).as_posix()
        for p in (root / "dashboard").rglob("*.py")
        if "download_button(" in p.read_text(encoding="utf-8") and p.name != "download.py"
    ]
    assert direct == []


def test_tables_offer_no_unaudited_csv_export():
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_an_import_from_the_data_page_is_audited_with_the_signed_in_user(small_store, app_env, auth_env, tmp_path):
    from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv
    from tests.test_auth import signed_in

    app_env(small_store)
    new = list(COMPLAINTS[0])
    new[0] = "C09"
    extract = write_csv(tmp_path / "more.csv", COMPLAINT_HEADERS_ZH, [new])
    at = signed_in({"email": "cp@bank.test"}, page="app_pages/data.py")
    at.file_uploader[0].upload("more.csv", extract.read_bytes(), "text/csv").run()
    next(b for b in at.button if b.label == "开始导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    line = audit_lines(auth_env)[-1]
    assert (line["event"], line["user"], line["role"]) == ("import", "cp@bank.test", "消保部")
    assert line["detail"]["files"] == ["more.csv"] and line["detail"]["ok"] is True
    assert line["detail"]["rows"]["more.csv"]["inserted"] == 1
    imports = next(df.value for df in at.dataframe if "导入人" in df.value.columns)
    assert imports["导入人"].iloc[0] == "cp@bank.test"


def _download_script():
    import pandas as pd

    from dashboard.ui.download import audited_download

    audited_download("下载明细（CSV）", pd.DataFrame({"a": [1]}), "a.csv", what="投诉明细")


def test_the_up_front_check_tries_the_write_rather_than_trusting_the_mode_bits(tmp_path, monkeypatch):
    log = tmp_path / "audit" / "audit.jsonl"
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(log))
    assert audit.problem() is None and not log.exists()  # the check creates nothing
    audit.record("signin", CP, {})
    monkeypatch.setattr(os, "access", lambda *a, **k: True)  # what root sees, whatever the modes
    real_open = os.open

    def read_only_mount(path, flags, *args):
        if str(path) == str(log) and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(30, "Read-only file system")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only_mount)
    assert "审计日志无法写入" in audit.problem() and "Read-only file system" in audit.problem()


def test_an_export_refused_at_the_click_leaves_its_reason_for_the_page(tmp_path, monkeypatch):
    from dashboard.ui import download

    blocked = tmp_path / "audit.jsonl"
    blocked.mkdir()  # fails only when the line is written, as a full disk does
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(blocked))
    with pytest.raises(audit.AuditError):
        export_callable(b"secret", "x.csv", "投诉明细", CP, token="t-1")()
    assert "审计日志无法写入" in download.take_refusal("t-1")
    assert download.take_refusal("t-1") is None  # said once
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(tmp_path / "ok.jsonl"))
    assert export_callable(b"data", "x.csv", "投诉明细", CP, token="t-2")() == b"data"
    assert download.take_refusal("t-2") is None


def test_the_page_says_the_export_was_refused_after_a_click_that_failed(tmp_path, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    producers, real_button = [], st.download_button

    def keep_producer(label, data, *args, **kwargs):  # AppTest has no runtime to keep it for the click
        producers.append(data)
        return real_button(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", keep_producer)
    at = AppTest.from_function(_download_script, default_timeout=30)
    at.session_state["_principal"] = CP
    at.run()
    assert not at.error

    # The browser's fetch of the file runs the producer outside the script; its line cannot be written
    # (a disk filled up after the page was drawn):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "_append", disk_full)  # the open for append (the up-front check) still works
    with pytest.raises(audit.AuditError):
        producers[-1]()
    at.run()  # the rerun it asks for
    (message,) = at.error
    assert "导出未完成，未生成文件" in message.value and "No space left on device" in message.value
    at.run()
    assert not at.error  # said once


def test_a_download_button_is_replaced_by_a_message_when_the_log_cannot_be_written(tmp_path, monkeypatch):
    blocked = tmp_path / "audit.jsonl"
    blocked.mkdir()
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(blocked))
    at = AppTest.from_function(_download_script, default_timeout=30)
    at.session_state["_principal"] = CP
    at.run()
    assert "暂不能导出" in at.error[0].value and "审计日志无法写入" in at.error[0].value
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(tmp_path / "ok" / "audit.jsonl"))
    at.run()
    assert not at.error


def test_the_audit_page_names_the_edited_line_and_the_cut_end(small_store, app_env, log):
    app_env(small_store)
    lines = _four_lines(log)
    log.write_text("".join(lines[:1] + [lines[1].replace("第1次", "第7次")] + lines[2:3]), encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception
    assert "完整性校验未通过（2 处）" in at.error[0].value
    problems = "\n".join(m.value for m in at.markdown)
    assert "第 2 行的校验码不符" in problems and "日志末尾缺少第 4 条记录" in problems
    table = at.dataframe[0].value
    assert table.set_index("序号")["校验"].to_dict() == {3: "", 2: "不符", 1: ""}


# --- Every published snapshot's head; the head in the server log (hostile finding F10) -----------------
def _publish(data_dir: Path, extracts) -> str:
    from dashboard.ingest.pipeline import import_files
    from dashboard.ingest.store import current_snapshot

    import_files(extracts, data_dir)
    return current_snapshot(data_dir).version


def _blank_head(data_dir: Path, version: str) -> None:
    import json

    meta_file = data_dir / "store" / version / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["audit_head"] = None  # no key needed: the data folder's writer can do it
    meta_file.write_text(json.dumps(meta), encoding="utf-8")


def test_rolling_back_log_and_state_file_is_caught_by_an_older_snapshot_when_the_current_head_is_blanked(
    log, small_extracts, tmp_path, monkeypatch
):
    from datetime import timedelta

    from dashboard import clock
    from dashboard.auth.audit_head import head_path

    data_dir = tmp_path / "data"
    now = clock.now
    monkeypatch.setattr(clock, "now", lambda: now() - timedelta(minutes=5))  # a line well before the publish
    audit.record("signin", CP, {})
    monkeypatch.setattr(clock, "now", now)
    saved_log, saved_head = log.read_bytes(), head_path(log).read_bytes()  # seq 1
    audit.record("export", CP, {"what": "报告"})
    first = _publish(data_dir, small_extracts[:2])  # head: seq 2
    audit.record("export", CP, {"what": "简报"})
    second = _publish(data_dir, small_extracts[2:])  # head: seq 3
    assert first != second
    assert audit.read(log, *audit.published_heads(data_dir)).problems == []

    log.write_bytes(saved_log)  # back to seq 1, both files
    head_path(log).write_bytes(saved_head)
    _blank_head(data_dir, second)
    assert audit.read(log).problems == []  # consistent on their own
    # What the page read before: only the current snapshot's head, skipped when null -> nothing found.
    problems = [p.message for p in audit.read(log, *audit.published_heads(data_dir)).problems]
    assert any("被截断" in m and first in m and "共 2 条" in m for m in problems), problems
    assert any(second in m and "audit_head" in m and "已有 1 条记录" in m for m in problems), problems


def test_a_blanked_head_is_a_problem_only_when_the_log_had_lines_before_that_publish(log, small_extracts, tmp_path):
    data_dir = tmp_path / "data"
    version = _publish(data_dir, small_extracts)  # no line yet: head null
    heads, published_at = audit.published_heads(data_dir)
    assert heads == {version: None}
    audit.record("signin", CP, {})
    later = {version: "2000-01-01T00:00:00+08:00"}  # published long before it
    assert audit.read(log, heads, later).problems == []
    assert "已有 1 条记录" in audit.read(log, heads, {version: "2999-01-01T00:00:00+08:00"}).problems[0].message
    assert "被改动" in audit.read(log, {version: {}}, published_at).problems[0].message  # an emptied head


def test_every_line_puts_the_head_in_the_server_log_and_optionally_the_system_log(log, capfd, monkeypatch):
    import syslog

    sent = []
    monkeypatch.setattr(syslog, "syslog", lambda priority, line: sent.append(line))
    first = audit.record("signin", CP, {})
    monkeypatch.setenv(audit.SYSLOG_ENV, "1")
    second = audit.record("export", CP, {"what": "x"})
    err = capfd.readouterr().err.splitlines()
    heads = [line for line in err if line.startswith("complaints-audit head")]
    assert [h.split()[2:4] for h in heads] == [[f"seq={e['seq']}", f"mac={e['mac']}"] for e in (first, second)]
    assert sent == heads[1:]  # syslog only when asked for


# --- An audit line that fails after the data was published -------------------------------------------
def _failing_append(monkeypatch, fails):
    """audit._append raising, as a full disk or a revoked permission would, for the lines `fails` picks."""
    real = audit._append

    def append(path, secret, event, who, role, scope, detail):
        if fails(detail):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, secret, event, who, role, scope, detail)

    monkeypatch.setattr(audit, "_append", append)


def test_an_import_whose_numbers_line_fails_says_the_numbers_are_published(
    small_extracts, tmp_path, log, monkeypatch, capsys
):
    from dashboard.ingest import pipeline
    from dashboard.ingest.store import current_snapshot

    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 1)  # the small bank publishes its numbers first
    numbers_lines = []  # the first numbers line fails, the log writable again after it

    def fails(detail):
        numbers_lines.extend([detail] if detail.get("stage") == "numbers" else [])
        return len(numbers_lines) == 1 and detail.get("stage") == "numbers"

    _failing_append(monkeypatch, fails)
    data = tmp_path / "d"
    assert cli.main(["ingest", *map(str, small_extracts), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    snapshot = current_snapshot(data)
    assert snapshot is not None and snapshot.meta.get("text_pending")  # the numbers stand, the analysis did not run
    assert f"数据已发布（数据版本 {snapshot.version}）" in err and "python -m dashboard rebuild" in err
    assert "未作任何改动" not in err and "审计日志无法写入" in err and "Traceback" not in err
    # the failure's own line says the numbers are published, with the error (not an import that failed)
    attempt, failed = audit_lines(log)
    assert attempt["detail"]["stage"] == "attempt" and failed["detail"]["stage"] == "numbers"
    assert failed["detail"]["version"] == snapshot.version and "AuditError" in failed["detail"]["text_error"]


def test_the_demo_command_whose_audit_line_fails_says_the_demo_data_is_published(tmp_path, monkeypatch, capsys):
    from dashboard.ingest.store import current_snapshot

    _failing_append(monkeypatch, lambda detail: True)  # the demo writes its one line after the import
    data = tmp_path / "d"
    assert cli.main(["demo", "--rows", "2000", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    snapshot = current_snapshot(data)
    assert snapshot is not None and snapshot.meta["complaints"] > 0
    assert f"数据已发布（数据版本 {snapshot.version}）" in err and "审计日志无法写入" in err
    assert "未作任何改动" not in err and "Traceback" not in err


def test_an_import_refused_by_the_audit_before_any_publish_still_says_nothing_changed(
    small_extracts, tmp_path, log, monkeypatch, capsys
):
    from dashboard.ingest.store import current_snapshot

    _failing_append(monkeypatch, lambda detail: detail.get("stage") == "attempt")
    data = tmp_path / "d"
    assert cli.main(["ingest", *map(str, small_extracts), "--data-dir", str(data)]) == 2
    assert capsys.readouterr().err.startswith("导入失败，数据未作任何改动：审计日志无法写入")
    assert current_snapshot(data) is None


def test_a_reveal_reason_naming_the_customer_is_masked_in_the_log(log):
    """H257: the reason is typed freely (回访客户李春花核实) and the log is an exit: the name leaves masked."""
    at = _narrative_app(CP)
    at.text_input[0].input("回访客户李春花核实联系方式")
    at.button[0].click().run()
    assert _texts(at) == [NARRATIVE]
    (line,) = audit_lines(log)
    assert "李春花" not in line["detail"]["reason"] and line["detail"]["reason"].startswith("回访客户李**")
