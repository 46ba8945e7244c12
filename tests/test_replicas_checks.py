"""bench/replicas.py's checks on hand-made inputs: a page view served by the wrong replica, an unspread
load, a replica that never showed the new snapshot, must each be caught; HAProxy's log read right."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bench import replicas


def view(session, cycle, cookie, sid, t=1.0, version="v000001", ready=0.5):
    return {
        "session": session,
        "cycle": cycle,
        "page": "月度趋势",
        "t": t,
        "version": version,
        "ready_s": ready,
        "cookies": {replicas.COOKIE: cookie} if cookie else {},
        "server_session": sid,
    }


def test_affinity_flags_a_view_that_ran_on_another_replica_than_its_cookie_names():
    logs = {"r1": {"a", "b"}, "r2": {"c", "b"}}  # b: in both logs, which one session id cannot be
    records = [
        view(0, 0, "r1", "a"),
        view(1, 0, "r2", "c"),  # where their cookies point
        view(0, 1, "r2", "a"),  # cookie r2, ran on r1
        view(1, 1, "r1", "b"),  # ran on both
        view(2, 0, "r1", "zz"),  # in no log
        view(3, 0, None, "a"),  # no cookie: not checkable
        view(3, 1, "r1", "a", ready=None),
    ]  # not ready: nothing ran to completion
    out = replicas.affinity(records, logs)
    assert out["views_checked"] == 5
    assert out["views_elsewhere"] == 3
    assert {(e["session"], e["cycle"]) for e in out["examples"]} == {(0, 1), (1, 1), (2, 0)}
    assert out["views_without_cookie_or_session"] == 1


def test_spread_counts_streamlit_sessions_not_page_views():
    records = [view(0, 0, "r1", "a"), view(0, 0, "r1", "a"), view(0, 1, "r1", "d"), view(1, 0, "r2", "c")]
    assert replicas.spread(records) == {"r1": 2, "r2": 1}


def _result(**changes):
    result = {
        "load": {"errors": 0, "old_version": "v000001", "import": {"returncode": 0, "new_version": "v000002"}},
        "spread": {"client_sessions": {"r1": 3, "r2": 2}},
        "versions_by_replica": {
            "r1": {"before": {"v000001": 4}, "after": {"v000002": 2}},
            "r2": {"before": {"v000001": 3}, "after": {"v000002": 1}},
        },
        "affinity": {"views_checked": 12, "views_elsewhere": 0},
        "audit": {"broken_at": None, "problems": []},
    }
    for path, value in changes.items():
        node = result
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    return result


def test_the_verdict_holds_only_when_every_check_does():
    names = ["r1", "r2"]
    assert replicas.verdict(_result(), names) == []
    assert "no session reached r2" in replicas.verdict(_result(**{"spread.client_sessions": {"r1": 5}}), names)
    stale = _result(**{"versions_by_replica.r2.after": {"v000001": 3}})
    assert replicas.verdict(stale, names) == ["r2 showed no page of the new version v000002 after the import"]
    failed = replicas.verdict(_result(**{"load.import": {"returncode": 1, "new_version": None}}), names)
    assert failed and "did not publish" in failed[0]
    assert replicas.verdict(_result(**{"load.errors": 2}), names)[0].startswith("2 page views with problems")
    assert replicas.verdict(_result(**{"affinity.views_elsewhere": 1}), names)[0].startswith("stickiness")
    assert replicas.verdict(_result(**{"affinity.views_checked": 0}), names)[0].startswith("stickiness")
    assert "audit log" in replicas.verdict(_result(**{"audit.broken_at": 7}), names)[0]


def test_haproxy_log_lines_are_counted_per_server(tmp_path):
    log = tmp_path / "haproxy.log"
    log.write_text(
        "127.0.0.1:46642 [02/Dec/2026:02:12:27.968] app replicas/r1 0/0/0/1/2 200 8116 - - --VN 2/2/1/0/0 0/0 "
        '"GET /?from=2026-10&to=2026-10&org=0200 HTTP/1.1"\n'
        "127.0.0.1:34450 [02/Dec/2026:02:12:22.267] app replicas/r2 0/0/0/4/5829 101 400890 - - --VN 2/2/1/0/0 "
        '0/0 "GET /_stcore/stream HTTP/1.1"\n'
        "127.0.0.1:46656 [02/Dec/2026:02:12:28.114] app replicas/r2 0/0/0/3/3 200 8116 - - --VN 2/2/1/0/0 0/0 "
        '"GET /?from=2026-10 HTTP/1.1"\n'
        "[NOTICE]   (5227) : New worker (5229) forked\n",
        encoding="utf-8",
    )
    assert replicas.haproxy_log_counts(log) == {
        "r1": {"requests": 1, "websockets": 0},
        "r2": {"requests": 2, "websockets": 1},
    }


def test_the_generated_config_names_each_replica_and_its_cookie(tmp_path):
    servers = [{"name": "r1", "port": 8691}, {"name": "r2", "port": 8692}]
    text = replicas.haproxy_config(8690, tmp_path / "s.sock", servers)
    assert "bind 127.0.0.1:8690" in text and f"stats socket {tmp_path / 's.sock'}" in text
    assert "server r1 127.0.0.1:8691 check inter 2s cookie r1" in text
    assert "server r2 127.0.0.1:8692 check inter 2s cookie r2" in text
    assert f"cookie {replicas.COOKIE} insert" in text and "{" not in text
    binary = replicas.haproxy_binary() or shutil.which("haproxy")
    if binary is None:
        pytest.skip("HAProxy is not installed (Debian's haproxy package; `make browser` installs it as root)")
    config = tmp_path / "haproxy.cfg"
    config.write_text(text, encoding="utf-8")
    checked = subprocess.run([binary, "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_batch_is_new_complaints_spread_over_the_extract(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    extracts = tmp_path / "x"
    extracts.mkdir()
    ids = [f"TS{i:04d}" for i in range(100)]
    pq.write_table(pa.table({"complaint_id": ids, "n": list(range(100))}), extracts / "complaints.parquet")
    folder, rows = replicas.write_batch(extracts, tmp_path / "batch", 10)
    batch = pq.read_table(folder / "complaints_batch.parquet").to_pydict()
    assert rows == 10
    assert batch["n"] == list(range(0, 100, 10))  # every tenth row
    assert batch["complaint_id"] == [f"RTS{i:04d}" for i in range(0, 100, 10)]  # none of them an old id


def test_a_monthly_batch_takes_only_the_extracts_last_months(tmp_path):
    from datetime import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    extracts = tmp_path / "x"
    extracts.mkdir()
    # 2026-01-10 … 2026-04-xx: 30 complaints a month, ids telling the month
    received = [datetime(2026, m, 1 + d) for m in (1, 2, 3, 4) for d in range(30 if m != 2 else 28)]
    ids = [f"C{r:%m%d}" for r in received]
    pq.write_table(pa.table({"complaint_id": ids, "received_at": received}), extracts / "complaints.parquet")
    folder, rows = replicas.write_batch(extracts, tmp_path / "batch", 1000, months=2)
    batch = pq.read_table(folder / "complaints_batch.parquet").to_pydict()
    # March and April, 30 rows each, every one of them
    assert rows == 60
    assert {r.month for r in batch["received_at"]} == {3, 4}
    assert all(i.startswith("RC0") for i in batch["complaint_id"])
