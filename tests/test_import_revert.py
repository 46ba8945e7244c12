"""撤销最近一次导入 (hostile H160): the snapshot from before the last import, published again as a new
version by 消保部, audited, nothing deleted. The small bank (conftest) then one more file: N1 (a new
complaint) and C01 again with another status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import db
from dashboard.auth import audit
from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, LEADER, Principal
from dashboard.ingest import audited, store
from dashboard.ingest.pipeline import import_files, rebuild
from tests.apptest_support import run_app
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

CP = Principal("cp@bank.test", CONSUMER_PROTECTION)


def _second_import(data_dir: Path, folder: Path) -> None:
    extra = list(COMPLAINTS[0])
    extra[0] = "N1"
    changed = list(COMPLAINTS[0])
    changed[4] = "网点现场"  # C01's channel corrected (was 客服热线)
    import_files([write_csv(folder / "mistake_客户张三.csv", COMPLAINT_HEADERS_ZH, [extra, changed])], data_dir)


def _complaints(data_dir: Path) -> dict[str, str]:
    _, con = db.current(data_dir)
    rows = con.sql("select complaint_id, channel from complaints").fetchall()
    return dict(rows)


def _events(data_dir: Path, event: str) -> list[dict]:
    path = audit.log_path(data_dir)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [e for e in map(json.loads, lines) if e["event"] == event]


def test_the_last_import_is_undone_by_publishing_the_snapshot_before_it(small_store, tmp_path):
    before = _complaints(small_store)
    assert len(before) == 8 and before["C01"] == "客服热线"  # conftest: C01..C08
    _second_import(small_store, tmp_path)
    first, second = store.published_snapshots(small_store)
    assert (first.version, second.version) == ("v000001", "v000002")
    assert len(_complaints(small_store)) == 9 and _complaints(small_store)["C01"] == "网点现场"

    undo = audited.last_import(small_store)
    assert (undo.current.version, undo.restored.version) == ("v000002", "v000001")
    assert list(undo.undone["file_name"]) == ["mistake_客户张三.csv"]
    published = audited.revert_last_import(small_store, CP, "v000002")
    assert published.version == "v000003" and store.current_snapshot(small_store).version == "v000003"
    assert _complaints(small_store) == before  # N1 gone, C01's channel as before: v000001's data
    # nothing deleted: the undone version is still on disk; the new one says what it is
    assert [s.version for s in store.published_snapshots(small_store)] == ["v000001", "v000002", "v000003"]
    assert published.meta["reverted"] == {"version": "v000002", "restored": "v000001", "by": "cp@bank.test"}
    assert published.meta["complaints"] == first.meta["complaints"] == 8
    # audited before and after, the file name masked as import lines keep it (H154); the chain holds
    lines = _events(small_store, "revert")
    assert [e["detail"].get("stage") for e in lines] == ["attempt", None]
    assert lines[1]["detail"]["new_version"] == "v000003" and "张三" not in json.dumps(lines, ensure_ascii=False)
    assert audit.verify(audit.log_path(small_store)) is None
    heads, published_at = audit.published_heads(small_store)
    assert not audit.read(audit.log_path(small_store), heads, published_at).problems
    # one more undo: nothing kept from before v000001's import
    with pytest.raises(audited.RevertError, match="没有保留最近一次导入之前的数据版本"):
        audited.last_import(small_store)


def test_undo_is_refused_to_others_when_stale_and_with_nothing_to_undo(small_store, tmp_path):
    with pytest.raises(audited.RevertError, match="第一次导入"):  # one import only
        audited.last_import(small_store)
    _second_import(small_store, tmp_path)
    for who in (Principal("lead@bank.test", LEADER), Principal("sh@bank.test", BRANCH, "0200")):
        with pytest.raises(audited.RevertError, match="只有消保部"):
            audited.revert_last_import(small_store, who)
    with pytest.raises(audited.RevertError, match="数据已更新为版本 v000002"):  # the page showed v000001
        audited.revert_last_import(small_store, CP, "v000001")
    assert store.current_snapshot(small_store).version == "v000002" and not _events(small_store, "revert")
    # a rebuild publishes the same data again: undoing "the last import" still goes back before the file
    rebuild(small_store)
    assert audited.last_import(small_store).restored.version == "v000001"


def test_the_data_page_undoes_the_last_import(small_store, tmp_path, app_env):
    _second_import(small_store, tmp_path)
    app_env(small_store)
    at = run_app("app_pages/data.py")
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "重新发布数据版本 v000001" in text and "mistake_客户张三.csv" not in text  # the name masked
    button = next(b for b in at.button if b.label == "撤销最近一次导入")
    assert button.disabled  # until confirmed
    at.checkbox(key="data_revert_confirm").check().run()
    next(b for b in at.button if b.label == "撤销最近一次导入").click().run()
    assert store.current_snapshot(small_store).meta["reverted"]["restored"] == "v000001"
    assert len(_complaints(small_store)) == 8
