"""Beyond one machine, shown (short): two app replicas behind HAProxy on localhost, the load test's websocket
sessions through it, an import published during it (bench/replicas.py). Skipped, saying why, when Debian's
haproxy is not installed (`make browser` installs it as root; `make test` runs that first)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from bench import replicas


@pytest.fixture
def haproxy():
    if replicas.haproxy_binary() is None:
        pytest.skip(
            "HAProxy is not installed and could not be installed (Debian's haproxy package: "
            "`make browser` installs it when run as root): the two-replica test needs it"
        )


def _complaints(data_dir, version) -> int:
    files = [str(f) for f in sorted((data_dir / "store" / version).glob("complaints*.parquet"))]
    return duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [files]).fetchone()[0]


def test_two_replicas_behind_haproxy_share_sessions_and_both_move_to_the_new_snapshot(haproxy, tmp_path):
    args = replicas.parser().parse_args(
        [
            "--rows",
            "3000",
            "--sessions",
            "2",
            "--duration",
            "12",
            "--import-delay",
            "3",
            "--import-rows",
            "300",
            "--batch-months",  # spread over every month: the small bank's last month holds fewer than 300
            "0",
            "--work-dir",
            str(tmp_path),
            "--keep",
            "--max-seconds",
            "240",
            "--out",
            str(tmp_path / "out.json"),
        ]
    )
    result = replicas.run(args)

    assert result["failed"] == [], result["failed"]
    load = result["load"]
    assert load["errors"] == 0 and load["requests"] > 0
    new = load["import"]["new_version"]
    assert new and new != load["old_version"]
    # the store both replicas served now publishes the import, and it holds the batch as new complaints
    data_dir = Path(result["work_dir"]) / "data"
    assert (data_dir / "store" / "CURRENT").read_text().strip() == new
    assert _complaints(data_dir, new) == _complaints(data_dir, load["old_version"]) + 300
    # both replicas took sessions, and HAProxy's own log agrees: at least one websocket per client session
    for name in ("r1", "r2"):
        clients = result["spread"]["client_sessions"].get(name, 0)
        assert clients >= 1, name
        assert result["spread"]["haproxy_log"][name]["websockets"] >= clients, name
        assert int(result["spread"]["haproxy_stats"][name]["stot"]) >= clients, name
        assert new in result["versions_by_replica"][name]["after"], name
    assert result["affinity"]["views_elsewhere"] == 0 and result["affinity"]["views_checked"] == load["requests"]
    # the audit log keeps its chain, the import's lines in it
    assert result["audit"]["broken_at"] is None and result["audit"]["events"].get("import", 0) >= 1
    # nothing left running
    for pid in result["pids"].values():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
