"""An upload's import child gets the audit key the app has from its secrets ([audit] key), not only one from
the environment (hostile H155: with the documented set-up every upload failed with "未配置审计日志密钥", and
no attempt line was written)."""

from __future__ import annotations

from dashboard.auth import audit
from dashboard.ingest import isolated, store
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, TEST_AUDIT_KEY, write_csv


def test_the_import_child_uses_the_key_from_the_apps_secrets(small_store, tmp_path, monkeypatch):
    monkeypatch.delenv(audit.KEY_ENV)  # the server's environment holds no key; its secrets.toml does
    audit.use_key(TEST_AUDIT_KEY)
    try:
        row = list(COMPLAINTS[0])
        row[0] = "K01"
        result = isolated.run([write_csv(tmp_path / "k.csv", COMPLAINT_HEADERS_ZH, [row])], small_store, None, "t")
        assert [(f.file, f.inserted) for f in result.files] == [("k.csv", 1)]
        assert store.current_snapshot(small_store).version == result.version
        log = audit.read(audit.log_path(small_store))
        assert [e["detail"].get("stage") for e in log.entries[-2:]] == ["attempt", None]
        assert not log.problems  # the chain checks with the app's key: the child wrote with the same one
    finally:
        audit.use_key(None)
