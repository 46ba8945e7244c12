"""More generated demo data into a store holding the demo bank, as the load tests import it while sessions
run (bench/load.py --import-during, bench/replicas.py):

    python -m bench.import_demo FILE... --data-dir DIR

`python -m dashboard ingest` with demo mode asked for (its audit key: dashboard/auth/audit.py), and the
demo marker (dashboard/auth/demo_mode.py) kept on the demo bank across the publish: before the import it
names the published version and the one the import will publish, after it only the new one. A plain
ingest publishes an unmarked version, which demo mode rightly refuses (a real import ends demo mode), so
every session after it would see the sign-in configuration page; marking it only afterwards would leave
a moment in which a session could. The bench's stores are generated demo banks; this is not for real data.

:func:`measure` times one import instead (`python -m bench.import_demo FILE... --data-dir DIR --measure`
prints it as JSON): the import runs as `python -m dashboard ingest` in a child process, and it returns the
wall time, the seconds of every stage the import records (validate, each derived table, ...) and the peak
of the resident memory of the import and its worker processes together, sampled every 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants now (MB; 0 for processes gone meanwhile)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * _PAGE_MB
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def measure(
    files: list[Path], data_dir: Path, *, defer_text: bool = False, one_publish: bool = False, interval: float = 0.2
) -> dict:
    """Import `files` into `data_dir` (`python -m dashboard ingest` in a child process) and return
    {"seconds": wall time, "stages": {stage: seconds} as the import recorded them, "peak_rss_mb": the
    largest sum of the resident memory of the import and its workers seen, "version": the published
    snapshot}. Generated data: without an audit key configured, the published demo key signs the log."""
    from dashboard.auth import audit
    from dashboard.ingest import store

    env = dict(os.environ)
    if audit.key_source() is None:
        env["COMPLAINTS_AUDIT_KEY"] = audit.DEMO_KEY.decode()
    command = [sys.executable, "-m", "dashboard", "ingest", *map(str, files), "--data-dir", str(data_dir)]
    command += (["--defer-text"] if defer_text else []) + (["--one-publish"] if one_publish else [])
    before = store.current_snapshot(data_dir)
    published: list[float] = []  # seconds until each new version was published (two for a two-step import)
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    peak, seen = 0.0, before.version if before else None
    while child.poll() is None:
        peak = max(peak, _tree_rss_mb(child.pid))
        now = store.current_snapshot(data_dir)
        if now is not None and now.version != seen:
            seen = now.version
            published.append(round(time.perf_counter() - start, 1))
        time.sleep(interval)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the import and its workers, all waited for
    if child.returncode != 0:
        raise RuntimeError(f"import failed with exit code {child.returncode}")
    snapshot = store.current_snapshot(data_dir)
    assert snapshot is not None  # the import succeeded
    return {
        "seconds": round(seconds, 2),
        "stages": dict(snapshot.meta.get("timings", {})),
        "peak_rss_mb": round(peak),
        "version": snapshot.version,
        "published_at": published,  # polled: the last may be missed when the import ends right after it
        "cpu_seconds": round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 1),
    }


def main(argv: list[str] | None = None) -> int:
    from dashboard import cli
    from dashboard.auth import demo_mode
    from dashboard.ingest import store

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--measure", action="store_true", help="time a plain import (any store): stages, peak RSS")
    parser.add_argument("--defer-text", action="store_true", help="with --measure: the narrative analysis deferred")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    if args.measure:
        print(json.dumps(measure([Path(f) for f in args.files], data_dir, defer_text=args.defer_text), indent=2))
        return 0
    if not demo_mode.holds_demo_bank(data_dir):
        print(f"{data_dir} does not hold the generated demo bank: use `python -m dashboard ingest`", file=sys.stderr)
        return 2
    published = store.current_snapshot(data_dir)
    assert published is not None  # holds_demo_bank said so
    # The bench's store has one writer (this import), so the next version is the one it will publish.
    upcoming = store._next_version(store.store_dir(data_dir))
    demo_mode.mark(data_dir, published, upcoming=upcoming)
    # The pending line holds for PENDING_SECONDS only; an import under twenty sessions' load took longer
    # (639 s at 1M), and the sessions after its publish met the sign-in page: renewed while it runs.
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(demo_mode.PENDING_SECONDS / 4):
            if store.current_snapshot(data_dir).version == published.version:
                demo_mode.mark(data_dir, published, upcoming=upcoming)

    renewer = threading.Thread(target=renew, daemon=True)
    renewer.start()
    os.environ[demo_mode.ENV] = "1"
    try:
        return cli.main(["ingest", *args.files, "--data-dir", str(data_dir)])
    finally:
        stop.set()
        renewer.join()
        now = store.current_snapshot(data_dir)
        demo_mode.mark(data_dir, now if now is not None else published)


if __name__ == "__main__":
    sys.exit(main())
