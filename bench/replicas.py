"""Beyond one machine, shown: app replicas behind HAProxy on localhost, the load test through it, an import
published during it.

    python -m bench.replicas --data-dir bench/work/1000000/data --sessions 20 --duration 120
    python -m bench.replicas --rows 60000 --sessions 4 --duration 40 --base-port 8690

Everything below is started and stopped by the script itself, in a temporary folder removed at the end
(--keep leaves it), under one time cap (--max-seconds: an alarm ends the run and the cleanup still runs):

1. the store: a copy of --data-dir (the import changes it), or a demo bank of --rows generated and imported;
   the batch imported during the run: --import-rows complaints of its extract (every k-th row, all months
   and branches) under new complaint ids, so the new version's numbers differ from the old one's;
2. --replicas app processes (`streamlit run bench/load_app.py`, as bench/load.py starts one: dashboard/app.py
   plus one log line per script run, with its Streamlit session id), each on its own port, all over the
   same data folder (on one machine the shared read-only storage of docs/scaling.md is the local disk);
3. HAProxy (Debian's haproxy; bench/haproxy.cfg filled in) in front of them: round robin for new browsers,
   sticky sessions by an inserted cookie, websockets passed through, a stats socket and a log line per
   request;
4. the load test through the balancer: `python -m bench.load --url <haproxy> --client websocket
   --import-during <batch>` (each session GETs the page first, as a browser does, keeps the cookie the
   balancer sets and sends it with its websocket upgrade);
5. the checks: no session errors (bench/load.py's checks: tracebacks, error boxes, another session's
   filters, numbers not those of the version shown); the balancer spread the sessions (client sessions per
   replica, websocket upgrades per server in HAProxy's log, sessions per server from its stats socket);
   stickiness (every page view ran on the replica its cookie names: its Streamlit session id is in that
   replica's script-run log and in no other's); both replicas served the new snapshot after the import
   was published (and the old one before).

Prints a table and writes bench/results/replicas.json (--out); exit status 1 when a check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.serve import free_port, streamlit_command, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg"
COOKIE = "REPLICA"
EXTRACT_FILES = ("branches.parquet", "customers_monthly.parquet", "complaints.parquet")
LOG_LINE = re.compile(r" replicas/(\S+) \S+ (\d{3}) ")  # option httplog: backend/server timers status


def haproxy_binary() -> str | None:
    """Debian's haproxy (in /usr/sbin, which a non-root PATH may lack)."""
    found = shutil.which("haproxy")
    if found:
        return found
    return "/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None


class Cap(Exception):
    """The run's time cap was reached."""


# --- Data --------------------------------------------------------------------------------------------
def prepare_store(args, work: Path) -> tuple[Path, Path]:
    """The data folder the replicas serve (ours to change) and the extract folder the batch is cut from."""
    from dashboard.demo.generator import generate
    from dashboard.ingest.pipeline import import_files

    data_dir = work / "data"
    if args.data_dir:
        source = args.data_dir.resolve()
        if not (source / "store" / "CURRENT").exists():
            raise SystemExit(f"no imported store in {source}")
        extracts = args.extracts or next(
            (p for p in (source.parent / "extracts", source / "demo") if (p / "complaints.parquet").exists()), None
        )
        if extracts is None:
            raise SystemExit(f"no extract to cut the import batch from beside {source}: give --extracts")
        step(f"copying the store {source} …")
        shutil.copytree(source, data_dir, ignore=shutil.ignore_patterns("demo"))
        return data_dir, Path(extracts)
    extracts = work / "extracts"
    step(f"generating a demo bank of {args.rows:,} complaints …")
    generate(extracts, rows=args.rows, seed=args.seed)
    step("importing it …")
    import_files([extracts / n for n in EXTRACT_FILES], data_dir, user="bench")
    return data_dir, extracts


def write_batch(extracts: Path, folder: Path, rows: int, months: int = 0) -> tuple[Path, int]:
    """`rows` complaints of the extract (every k-th, so every branch gets some) as new complaints (new ids),
    in one Parquet file: the import during the load test. With `months`, only complaints received in the
    extract's last `months` months (a monthly top-up: the import re-derives those months' similarity
    windows only); 0 spreads the batch over every month. Returns the folder and the row count."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(extracts / "complaints.parquet")
    if months:
        received = pc.cast(table["received_at"], pa.timestamp("s"))
        last = pc.max(received).as_py()
        first_month = (last.year * 12 + last.month - 1) - (months - 1)
        start = pa.scalar(datetime(first_month // 12, first_month % 12 + 1, 1), pa.timestamp("s"))
        table = table.filter(pc.greater_equal(received, start))
    every = max(1, table.num_rows // max(1, rows))
    part = table.take(pa.array(range(0, table.num_rows, every))[:rows])
    ids = pc.binary_join_element_wise(pa.scalar("R"), part["complaint_id"], "")
    part = part.set_column(part.schema.get_field_index("complaint_id"), "complaint_id", ids)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(part, folder / "complaints_batch.parquet")
    return folder, part.num_rows


# --- Processes ----------------------------------------------------------------------------------------
def ports(base: int, replicas: int) -> tuple[int, list[int]]:
    """The balancer's port and the replicas' (base, base+1, …; free ports when base is 0)."""
    if base:
        return base, [base + 1 + i for i in range(replicas)]
    return free_port(), [free_port() for _ in range(replicas)]


class Processes:
    """Every process the run starts, each in its own process group, stopped (with its children) on exit."""

    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
        handle = open(log, "w")
        try:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
            )
        finally:
            handle.close()  # the child holds its own copy
        self.started.append((name, process))
        return process

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.time() + 15
        for _name, process in reversed(self.started):
            try:
                process.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                pass
            try:  # the group too: a child the leader left behind (the load test's import)
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            if process.poll() is None:
                process.wait(timeout=5)


def start_replicas(procs: Processes, data_dir: Path, work: Path, replica_ports: list[int]) -> list[dict]:
    from dashboard.auth import demo_mode

    replicas = []
    for i, port in enumerate(replica_ports, start=1):
        name = f"r{i}"
        script_log = work / f"{name}.jsonl"
        env = {
            **os.environ,
            "COMPLAINTS_DATA_DIR": str(data_dir),
            "BENCH_SCRIPT_LOG": str(script_log),
            "PYTHONPATH": str(ROOT),
            demo_mode.ENV: "1",
        }
        log = work / f"{name}.server.txt"
        process = procs.start(
            name,
            streamlit_command(port, "--server.fileWatcherType", "none", script=ROOT / "bench" / "load_app.py"),
            log,
            env,
        )
        replicas.append(
            {
                "name": name,
                "port": port,
                "url": f"http://127.0.0.1:{port}",
                "process": process,
                "log": log,
                "script_log": script_log,
            }
        )
    for r in replicas:  # started together, waited for together
        wait_healthy(r["url"], r["process"], 120, r["log"])
    return replicas


def haproxy_config(port: int, stats_socket: Path, replicas: list[dict]) -> str:
    servers = "\n".join(
        f"    server {r['name']} 127.0.0.1:{r['port']} check inter 2s cookie {r['name']}" for r in replicas
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"{port}": str(port), "{stats_socket}": str(stats_socket), "{servers}": servers}.items():
        text = text.replace(key, value)
    return text


def haproxy_stats(stats_socket: Path) -> dict[str, dict]:
    """Per server of the backend: sessions in total (stot), now (scur), at most (smax), HTTP responses 1xx
    (the websocket upgrades), bytes out, state; from the stats socket's `show stat` (CSV)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(str(stats_socket))
        s.sendall(b"show stat\n")
        raw = b""
        while chunk := s.recv(65536):
            raw += chunk
    lines = raw.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    out = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(",")))
        if row.get("pxname") == "replicas" and row.get("svname") not in ("BACKEND", None):
            out[row["svname"]] = {
                k: row.get(k) for k in ("status", "stot", "scur", "smax", "hrsp_1xx", "hrsp_2xx", "bout")
            }
    return out


def haproxy_log_counts(log: Path) -> dict[str, dict[str, int]]:
    """Per server: requests logged and websocket upgrades (status 101), from HAProxy's request log."""
    out: dict[str, dict[str, int]] = {}
    for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
        found = LOG_LINE.search(line)
        if found:
            entry = out.setdefault(found.group(1), {"requests": 0, "websockets": 0})
            entry["requests"] += 1
            entry["websockets"] += found.group(2) == "101"
    return out


def proc_stats(pid: int) -> dict:
    from bench.load import peak_mb, proc_cpu_seconds

    try:
        return {"cpu_s": round(proc_cpu_seconds(pid), 1), "peak_mb": peak_mb(pid)}
    except OSError:
        return {"cpu_s": None, "peak_mb": None}


# --- Checks --------------------------------------------------------------------------------------------
def script_runs(script_log: Path) -> list[dict]:
    if not script_log.exists():
        return []
    return [json.loads(line) for line in script_log.read_text().splitlines() if line.strip()]


def affinity(records: list[dict], sessions_by_replica: dict[str, set[str]]) -> dict:
    """Whether every page view ran on the replica its cookie names: its Streamlit session id in that
    replica's script-run log and in no other's. Returns counts and the first mismatches."""
    owner: dict[str, list[str]] = {}
    for replica, ids in sessions_by_replica.items():
        for sid in ids:
            owner.setdefault(sid, []).append(replica)
    checked, wrong, unknown = 0, [], 0
    for r in records:
        cookie, sid = (r.get("cookies") or {}).get(COOKIE), r.get("server_session")
        if r.get("ready_s") is None:
            continue
        if not cookie or not sid:
            unknown += 1
            continue
        checked += 1
        if owner.get(sid) != [cookie]:
            wrong.append(
                {
                    "session": r["session"],
                    "cycle": r["cycle"],
                    "page": r["page"],
                    "cookie": cookie,
                    "ran_on": owner.get(sid, []),
                }
            )
    return {
        "views_checked": checked,
        "views_without_cookie_or_session": unknown,
        "views_elsewhere": len(wrong),
        "examples": wrong[:10],
    }


def spread(records: list[dict]) -> dict[str, int]:
    """Client sessions (session, cycle: one Streamlit session each) per replica cookie."""
    seen: dict[str, set] = {}
    for r in records:
        cookie = (r.get("cookies") or {}).get(COOKIE)
        if cookie:
            seen.setdefault(cookie, set()).add((r["session"], r["cycle"]))
    return {k: len(v) for k, v in sorted(seen.items())}


def versions_by_replica(records: list[dict], published_s: float | None) -> dict[str, dict]:
    """Per replica: the versions its page views showed before and after the import was published
    (view start times relative to the load test's start, as its records give them)."""
    out: dict[str, dict] = {}
    for r in records:
        cookie = (r.get("cookies") or {}).get(COOKIE)
        if not cookie or r.get("ready_s") is None:
            continue
        entry = out.setdefault(cookie, {"before": {}, "after": {}})
        when = "after" if published_s is not None and r["t"] > published_s else "before"
        entry[when][str(r["version"])] = entry[when].get(str(r["version"]), 0) + 1
    return dict(sorted(out.items()))


def audit_check(data_dir: Path) -> dict:
    """The audit log after the run (the import's lines; demo-mode sessions write none, signed-in ones
    would, every replica into the same chain, one writer at a time by flock): its entries by event, and
    the first line where the chain does not hold (None: intact)."""
    from collections import Counter

    from dashboard.auth import audit

    demo_key = audit.key_source() is None  # the children ran in demo mode: its key, unless one is configured
    if demo_key:
        audit.use_key(audit.DEMO_KEY.decode())
    try:
        log = audit.read(audit.log_path(data_dir))
    finally:
        if demo_key:
            audit.use_key(None)
    return {
        "entries": len(log.entries),
        "events": dict(Counter(str(e.get("event")) for e in log.entries)),
        "broken_at": log.broken_at,
        "problems": [p.message for p in log.problems][:5],
    }


def verdict(result: dict, replica_names: list[str]) -> list[str]:
    """The failed checks, in words (empty: all held)."""
    failed = []
    load = result["load"]
    if load["errors"]:
        failed.append(f"{load['errors']} page views with problems (see load.problems)")
    imp = load.get("import") or {}
    if imp.get("returncode") != 0 or not imp.get("new_version"):
        failed.append(f"the import during the run did not publish a version (exit {imp.get('returncode')})")
    for name in replica_names:
        if result["spread"]["client_sessions"].get(name, 0) < 1:
            failed.append(f"no session reached {name}")
        seen = result["versions_by_replica"].get(name, {})
        if imp.get("new_version") and imp["new_version"] not in seen.get("after", {}):
            failed.append(f"{name} showed no page of the new version {imp.get('new_version')} after the import")
        if load.get("old_version") not in seen.get("before", {}):
            failed.append(f"{name} showed no page of the old version before the import")
    if result["audit"]["broken_at"] is not None:
        failed.append(
            f"the audit log's chain breaks at line {result['audit']['broken_at']}: {result['audit']['problems']}"
        )
    if result["affinity"]["views_elsewhere"] or not result["affinity"]["views_checked"]:
        failed.append(
            f"stickiness: {result['affinity']['views_elsewhere']} of "
            f"{result['affinity']['views_checked']} page views ran on another replica than their cookie's"
        )
    return failed


# --- The run -----------------------------------------------------------------------------------------
def step(text: str) -> None:
    print(f"[replicas {time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(args) -> dict:
    """One bounded run; always stops what it started and removes its folder (unless args.keep)."""
    binary = haproxy_binary()
    if binary is None:
        raise SystemExit("HAProxy is not installed (Debian's haproxy package; `make browser` installs it as root)")
    from dashboard.auth import demo_mode
    from dashboard.ingest.store import current_snapshot

    base = args.work_dir or Path(os.environ.get("TMPDIR", "/tmp"))
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="replicas-", dir=base))
    procs = Processes()

    def on_alarm(signum, frame):
        raise Cap(f"time cap of {args.max_seconds:.0f} s reached")

    def on_term(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    previous = {s: signal.signal(s, on_term) for s in (signal.SIGTERM, signal.SIGHUP)}
    previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.max_seconds))
    t_start = time.time()
    result: dict | None = None
    sockets: Path | None = None
    try:
        data_dir, extracts = prepare_store(args, work)
        batch, batch_rows = write_batch(extracts, work / "batch", args.import_rows, args.batch_months)
        old_version = current_snapshot(data_dir).version
        demo_mode.mark(
            data_dir, current_snapshot(data_dir)
        )  # the generated demo bank, served in demo mode (bench/load.py)
        front_port, replica_ports = ports(args.base_port, args.replicas)
        step(f"starting {args.replicas} replicas on ports {replica_ports} over {old_version} …")
        replicas = start_replicas(procs, data_dir, work, replica_ports)
        # a unix socket's path holds at most ~107 bytes: a deep work folder (pytest's, under xdist) made
        # HAProxy refuse the configuration, so the socket lives in a short folder of its own
        sockets = Path(tempfile.mkdtemp(prefix="hx", dir="/tmp"))
        stats_socket = sockets / "stats.sock"
        config = work / "haproxy.cfg"
        config.write_text(haproxy_config(front_port, stats_socket, replicas), encoding="utf-8")
        check = subprocess.run([binary, "-c", "-q", "-f", str(config)], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy refused {config}: {check.stdout}{check.stderr}")
        haproxy_log = work / "haproxy.log"
        haproxy = procs.start("haproxy", [binary, "-f", str(config), "-db"], haproxy_log)
        front = f"http://127.0.0.1:{front_port}"
        wait_healthy(front, haproxy, 30, haproxy_log)
        step(f"HAProxy at {front} (pid {haproxy.pid}); the load test through it …")
        cpu0 = {r["name"]: proc_stats(r["process"].pid)["cpu_s"] or 0.0 for r in replicas}
        load_out = work / "load.json"
        load_log = work / "load.txt"
        t_load = time.time()
        load = procs.start(
            "load",
            [
                sys.executable,
                "-m",
                "bench.load",
                "--url",
                front,
                "--data-dir",
                str(data_dir),
                "--client",
                "websocket",
                "--sessions",
                str(args.sessions),
                "--duration",
                str(args.duration),
                "--ramp",
                str(args.ramp),
                "--page-timeout",
                str(args.page_timeout),
                "--import-during",
                str(batch),
                "--import-delay",
                str(args.import_delay),
                "--max-requests",  # the duration and the import bound the run, not a count of views
                str(args.max_requests),
                "--max-seconds",
                str(max(args.duration, args.max_seconds - (time.time() - t_start) - 30)),
                "--out",
                str(load_out),
            ],
            load_log,
            # the import it runs is of demo data too: demo mode's audit key (dashboard/auth/audit.py)
            {**os.environ, "PYTHONPATH": str(ROOT), demo_mode.ENV: "1"},
        )
        load.wait()
        load_seconds = time.time() - t_load
        print(load_log.read_text(errors="replace")[-4000:], flush=True)
        if load.returncode != 0 or not load_out.exists():
            raise RuntimeError(f"the load test failed (exit {load.returncode}); its output is above")
        per_replica = {r["name"]: {"port": r["port"], **proc_stats(r["process"].pid)} for r in replicas}
        for r in replicas:
            if per_replica[r["name"]]["cpu_s"] is not None:
                per_replica[r["name"]]["cpu_s"] = round(per_replica[r["name"]]["cpu_s"] - cpu0[r["name"]], 1)
        stats = haproxy_stats(stats_socket)
        time.sleep(0.5)  # the last log lines
        logged = haproxy_log_counts(haproxy_log)
        out = json.loads(load_out.read_text(encoding="utf-8"))
        records = out["records"]
        runs = {r["name"]: script_runs(r["script_log"]) for r in replicas}
        sessions_by_replica = {name: {x["session"] for x in rs if x.get("session")} for name, rs in runs.items()}
        for name, rs in runs.items():
            finished = [x["seconds"] for x in rs if x["outcome"] in ("completed", "StopException")]
            per_replica[name].update(
                {
                    "script_runs": len(rs),
                    "streamlit_sessions": len(sessions_by_replica[name]),
                    "script_run_p50_s": _quantile(finished, 0.5),
                    "script_run_p95_s": _quantile(finished, 0.95),
                }
            )
        imp = out.get("import") or {}
        published = imp.get("finished_s")
        result = {
            "replicas": args.replicas,
            "sessions": args.sessions,
            "duration_s": args.duration,
            "load_seconds": round(load_seconds, 1),
            "cores": os.cpu_count(),
            "load_average_end": os.getloadavg(),
            "store": {
                "source": str(args.data_dir) if args.data_dir else f"demo bank of {args.rows:,}",
                "complaints_before": _complaints(data_dir, old_version),
                "batch_rows": batch_rows,
            },
            "load": {
                "requests": out["requests"],
                "errors": out["errors"],
                "timeouts": out["timeouts"],
                "page_ready_s": out["page_ready_s"],
                "versions_seen": out["versions_seen"],
                "old_version": old_version,
                "import": {k: v for k, v in imp.items() if k != "output"},
                "problems": out["problems"][:20],
            },
            "per_replica": per_replica,
            "spread": {"client_sessions": spread(records), "haproxy_log": logged, "haproxy_stats": stats},
            "affinity": affinity(records, sessions_by_replica),
            "versions_by_replica": versions_by_replica(records, published),
            "audit": audit_check(data_dir),
        }
        if imp.get("new_version"):
            result["store"]["complaints_after"] = _complaints(data_dir, imp["new_version"])
        result["failed"] = verdict(result, [r["name"] for r in replicas])
        result["work_dir"] = str(work) if args.keep else None
        return result
    finally:
        signal.alarm(0)
        procs.stop_all()
        if result is not None:
            result["pids"] = {name: process.pid for name, process in procs.started}  # all stopped by now
        for s, handler in previous.items():
            signal.signal(s, handler)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        if sockets is not None:
            shutil.rmtree(sockets, ignore_errors=True)


def _complaints(data_dir: Path, version: str) -> int | None:
    """Complaints in a snapshot, counted by DuckDB over its Parquet (the store's own number is not asked)."""
    import duckdb

    files = sorted((data_dir / "store" / version).glob("complaints*.parquet"))
    if not files:
        return None
    with duckdb.connect() as con:
        row = con.execute(
            "SELECT count(DISTINCT complaint_id) FROM read_parquet(?)", [[str(f) for f in files]]
        ).fetchone()
    return int(row[0]) if row else None


def _quantile(values: list[float], q: float) -> float | None:
    from bench.load import quantile

    return quantile(values, q)


def print_result(result: dict) -> None:
    load = result["load"]
    ready = load["page_ready_s"]
    imp = load["import"]
    print(
        f"\n{result['replicas']} replicas behind HAProxy, {result['sessions']} sessions (websocket client), "
        f"{result['load_seconds']:.0f} s, {result['cores']} cores, load average at the end "
        f"{tuple(round(x, 1) for x in result['load_average_end'])}"
    )
    print(f"store {result['store']}")
    print(
        f"page views {load['requests']}, with problems {load['errors']} (timeouts {load['timeouts']}); "
        f"page ready p50 {_f(ready['p50'])} s, p95 {_f(ready['p95'])} s, max {_f(ready['max'])} s"
    )
    print(
        f"import of {result['store']['batch_rows']:,} complaints: started {imp.get('started_s')} s, published "
        f"{imp.get('finished_s')} s, exit {imp.get('returncode')}, {load['old_version']} -> {imp.get('new_version')}"
    )
    print(
        f"\n{'replica':<8} {'client sessions':>15} {'ws upgrades':>11} {'HAProxy stot':>12} {'script runs':>11} "
        f"{'run p50/p95 s':>14} {'CPU s':>6} {'peak MB':>8}  versions shown until the import ended / after"
    )
    for name, r in result["per_replica"].items():
        logged = result["spread"]["haproxy_log"].get(name, {})
        stats = result["spread"]["haproxy_stats"].get(name, {})
        seen = result["versions_by_replica"].get(name, {})
        print(
            f"{name:<8} {result['spread']['client_sessions'].get(name, 0):>15} {logged.get('websockets', 0):>11} "
            f"{stats.get('stot', '—'):>12} {r.get('script_runs', 0):>11} "
            f"{_f(r.get('script_run_p50_s')) + '/' + _f(r.get('script_run_p95_s')):>14} {_f(r.get('cpu_s')):>6} "
            f"{_f(r.get('peak_mb')):>8}  {seen.get('before')} / {seen.get('after')}"
        )
    a = result["affinity"]
    print(
        f"\nstickiness: {a['views_checked']} page views checked, {a['views_elsewhere']} ran on another replica "
        f"than their cookie's, {a['views_without_cookie_or_session']} without cookie or session id"
    )
    print(
        f"audit log after the run: {result['audit']['entries']} entries {result['audit']['events']}, chain "
        + ("intact" if result["audit"]["broken_at"] is None else f"broken at line {result['audit']['broken_at']}")
    )
    for problem in load["problems"][:10]:
        print(
            f"  problem: session {problem['session']} {problem['page']} ({problem['version']}): "
            f"{'; '.join(problem['problems'])}"
        )
    print("\nall checks held" if not result["failed"] else "\nFAILED: " + "; ".join(result["failed"]))


def _f(v) -> str:
    return "—" if v is None else f"{v:.2f}"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--data-dir", type=Path, help="an imported store to copy (e.g. bench/work/1000000/data)")
    source.add_argument("--rows", type=int, help="generate and import a demo bank of this many complaints")
    p.add_argument(
        "--extracts",
        type=Path,
        help="the extract folder to cut the import batch from (default: extracts/ beside --data-dir, or its demo/)",
    )
    p.add_argument("--seed", type=int, default=21)
    p.add_argument("--max-requests", type=int, default=100_000, help="cap on page views (bench.load's)")
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument("--sessions", type=int, default=4)
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--ramp", type=float, default=0.5)
    p.add_argument("--page-timeout", type=float, default=120)
    p.add_argument("--import-rows", type=int, default=20_000)
    p.add_argument(
        "--batch-months",
        type=int,
        default=1,
        help="the batch's complaints come from the extract's last N months (a monthly top-up); 0: from every month",
    )
    p.add_argument("--import-delay", type=float, default=15)
    p.add_argument(
        "--base-port",
        type=int,
        default=0,
        help="HAProxy on this port, the replicas on the next ones (default: free ports)",
    )
    p.add_argument("--max-seconds", type=float, default=900, help="time cap for the whole run, cleanup included")
    p.add_argument("--work-dir", type=Path, help="where the temporary folder goes (default $TMPDIR or /tmp)")
    p.add_argument("--keep", action="store_true", help="leave the temporary folder (logs, store) for inspection")
    p.add_argument("--out", type=Path, default=RESULTS / "replicas.json")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result = run(args)
    except Cap as cap:
        print(f"stopped: {cap}; every process started was stopped", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print_result(result)
    print(f"\nwritten {args.out}")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
