"""A refused import's reason is written to the audit log masked (hostile H154): the refusal quotes the file's
first line, which may hold a name, a mobile or an ID number, and the log is the append-only record copied
off the server; the 审计日志 page masked it on display only."""

from __future__ import annotations

import json

from dashboard import cli
from tests.test_audit import log  # noqa: F401 (fixture)
from tests.test_auth import audit_lines


def test_a_refused_import_records_its_reason_masked(tmp_path, log):  # noqa: F811
    bad = tmp_path / "pii_first.csv"
    bad.write_text("张伟,13812345678,110101199003077777,2026-11-02,年费\n李四,13987654321,1,2,3\n", encoding="utf-8")
    assert cli.main(["ingest", str(bad), "--data-dir", str(tmp_path / "data")]) == 2
    refused = audit_lines(log)[-1]
    assert refused["detail"]["ok"] is False
    error = refused["detail"]["error"]
    assert "pii_first.csv" in error  # still says which file and why
    assert "13812345678" not in error and "110101199003077777" not in error
    assert "138****5678" in error and "110101********7777" in error  # masked, as the page shows it


def test_a_published_import_records_its_file_names_masked(tmp_path, small_extracts, log):  # noqa: F811
    # hostile H190: the attempt line masked a file named after the case, the outcome line kept it raw
    # (its files and the keys of its rows)
    named = small_extracts[2].with_name("complaints_2026-10_王建国_13812345678.csv")
    small_extracts[2].rename(named)
    files = [*small_extracts[:2], named]
    assert cli.main(["ingest", *map(str, files), "--data-dir", str(tmp_path / "data")]) == 0
    lines = audit_lines(log)
    published = lines[-1]
    assert published["event"] == "import" and published["detail"]["ok"] is True and published["detail"]["version"]
    whole = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    assert "13812345678" not in whole and "王建国" not in whole
    assert "complaints_2026-10_王**_138****5678.csv" in published["detail"]["files"]
    assert published["detail"]["rows"]["complaints_2026-10_王**_138****5678.csv"]["read"] > 0
