"""Load test: N concurrent browser sessions against one app server on localhost.

    python -m bench.load --data-dir bench/work/1000000/data --sessions 20 --duration 120
    python -m bench.load --data-dir /tmp/copy/data --sessions 20 --duration 120 --import-during /tmp/batch
    python -m bench.load ... --client websocket     # the same sessions over Streamlit's protocol, no Chromium

Starts the app (`streamlit run bench/load_app.py`: dashboard/app.py unchanged, plus a log line per script
run) headless on a free 127.0.0.1 port with COMPLAINTS_DATA_DIR = --data-dir, in demo mode (every session is
the whole-bank 消保部 demo user): COMPLAINTS_DEMO=1, and the generated bench bank marked as the demo bank
(docs/security.md), which is how the browser tests reach it too. One headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)
holds one browser context per session. Each session has its own organisation (the 一级分行, then 二级分行
from different tier-1 branches) and business category and loops, until --duration or the total request cap:

  1. open the app by URL with its filters (?from=M&to=M&org=..&cat=..): a new Streamlit session and the
     first view of 月度趋势; M alternates between the default month and the one before (a filter change);
  2. switch in-session through 热点分析, 机构排名, 重复与溯源, 数据管理 via the sidebar navigation.

Each of these is one request; its page-ready time runs from the click/navigation until the page's title is
the expected one, the script is not running, no skeleton or stale element is left and the main text has
stopped changing (the time of the first reading of that final text is the ready time). Every ready page
is checked for tracebacks (stException), error boxes (stAlertContentError) and Streamlit dialogs, for the
session's own filters (sidebar 机构 and 业务类别, and the URL), and on 月度趋势 the 投诉量 card against the
query layer's number for that session's filters in the snapshot version the sidebar shows (so a page
mixing snapshots, or showing another session's numbers, is caught).

--import-during EXTRACT_DIR: after --import-delay seconds, `python -m bench.import_demo <its files>
--data-dir DATA` (`dashboard ingest`, the new version kept marked as the demo bank) runs in a subprocess; the test goes on until the import has finished and every session
has shown 月度趋势 again after it (capped by --max-seconds). Every page must show the old or the new
version with that version's numbers.

Server side: the script-run times logged by bench/load_app.py (Streamlit's own time per rerun, not the
browser's) and the server's CPU seconds and peak memory; client side the browser's CPU seconds (on a small
machine, N Chromium renderers cost far more CPU than the server: compare the two before reading the
page-ready times). A page not ready within --page-timeout is counted apart from pages that were wrong or
failed. Prints a table and writes bench/results/load.json. Localhost only, bounded by time and a request cap.

--queries-only: no app and no browser; the sessions as threads calling each page's public
each page's loader with the same filters, on one shared connection, for --duration seconds: the
query layer's share of the server's work under the same concurrency (no st.cache_data). Writes
bench/results/load_queries.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from bench.serve import free_port, streamlit_command, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
CATEGORIES = ("信用卡", "个人贷款", "借记卡", "支付结算")  # the largest categories of the demo bank
NAVIGATION = (("热点分析", "hotspots"), ("机构排名", "rankings"), ("重复与溯源", "repeats"), ("数据管理", "data"))
POLL_S = 0.5
FINISHED = {"completed", "StopException"}  # st.stop() ends a page's run normally (e.g. 机构排名 without a profile)
VERSION = re.compile(r"版本 (v\d+)")

# One round trip per poll: everything a check needs from the page.
PROBE = """() => {
  const q = (s, root = document) => root.querySelector(s);
  const all = (s, root = document) => [...root.querySelectorAll(s)];
  const main = q('[data-testid="stMainBlockContainer"]');
  const app = q('[data-testid="stApp"]');
  const sidebar = q('[data-testid="stSidebar"]');
  const h1 = main ? q('h1', main) : null;
  const org = sidebar ? q('input[aria-label="机构"]', sidebar) : null;
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    h1: h1 ? h1.textContent : null,
    busy: all('[data-testid="stSkeleton"]').length + all('[data-stale="true"]').length,
    text: main ? main.textContent : '',          // textContent: no layout forced by the probe itself
    sidebar: sidebar ? sidebar.textContent : '',
    org: org ? org.value : null,
    tags: sidebar ? all('[data-testid="stMultiSelect"]', sidebar)
      .filter(m => ((q('[data-testid="stWidgetLabel"]', m) || {}).textContent || '').trim() === '业务类别')
      .flatMap(m => all('[data-tag]', m).map(t => t.getAttribute('aria-label'))) : [],
    metrics: all('[data-testid="stMetric"]').map(m => [
      ((q('[data-testid="stMetricLabel"]', m) || {}).textContent || '').trim(),
      ((q('[data-testid="stMetricValue"]', m) || {}).textContent || '').trim()]),
    exceptions: all('[data-testid="stException"]').map(e => e.innerText.slice(0, 500)),
    errors: all('[data-testid="stAlertContentError"]').map(e => e.innerText.slice(0, 300)),
    dialogs: all('[role="dialog"]').map(e => e.innerText.slice(0, 300)),
    url: location.href,
  };
}"""


# --- Plan: who looks at what, and what they must see ---------------------------------------------------
@dataclass(frozen=True)
class Plan:
    session: int
    org: str
    org_name: str
    category: str


def plans(data_dir: Path, sessions: int) -> list[Plan]:
    """A distinct organisation per session (the 一级分行 first, then 二级分行 spread over the tier-1 branches),
    the categories in turn."""
    from dashboard import db

    _, con = db.current(data_dir)
    branches = db.run(con, "branch_options", scope=None)
    tier1 = branches[branches["level"] == "一级分行"]
    tier2 = branches[branches["level"] == "二级分行"].copy()
    tier2["n"] = tier2.groupby("parent_code").cumcount()
    orgs = list(tier1.itertuples()) + list(tier2.sort_values(["n", "branch_code"]).itertuples())
    if sessions > len(orgs):
        raise SystemExit(f"at most {len(orgs)} sessions (one organisation each)")
    return [
        Plan(i, o.branch_code, o.branch_name, CATEGORIES[i % len(CATEGORIES)]) for i, o in enumerate(orgs[:sessions])
    ]


def expected_counts(data_dir: Path, plan: list[Plan], months: list[date]) -> tuple[str, dict]:
    """The current snapshot's version and 月度趋势's 投诉量 text per (session, month), from the query layer."""
    from dashboard import db, report
    from dashboard.filters import Filters
    from dashboard.fmt import count
    from dashboard.ingest.store import current_snapshot

    snapshot = current_snapshot(data_dir)
    con = db.open_snapshot(snapshot)
    try:
        out = {}
        for p in plan:
            for m in months:
                kpis = report.kpis(con, Filters(month_from=m, month_to=m, org=p.org, categories=(p.category,)), m)
                out[f"{p.session}|{m:%Y-%m}"] = count(kpis["complaints"]) + " 件"  # the card shows its unit
        return snapshot.version, out
    finally:
        con.close()


def default_month(data_dir: Path) -> date:
    from dashboard.ingest.store import current_snapshot
    from dashboard.ui.sidebar import default_month as month

    return month(current_snapshot(data_dir))


# --- The server --------------------------------------------------------------------------------------
def start_server(data_dir: Path, script_log: Path) -> tuple[subprocess.Popen, str]:
    from dashboard.auth import demo_mode
    from dashboard.ingest.store import current_snapshot

    demo_mode.mark(data_dir, current_snapshot(data_dir))  # bench data is the generated demo bank
    port = free_port()
    env = {
        **os.environ,
        "COMPLAINTS_DATA_DIR": str(data_dir),
        "BENCH_SCRIPT_LOG": str(script_log),
        "PYTHONPATH": str(ROOT),
        demo_mode.ENV: "1",
    }
    log = open(script_log.with_suffix(".server.txt"), "w")
    process = subprocess.Popen(
        streamlit_command(port, "--server.fileWatcherType", "none", script=ROOT / "bench" / "load_app.py"),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, 90, Path(log.name))
    return process, url


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its reaped children (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root_pid: int) -> float:
    """CPU seconds of a process and all its live descendants (Chromium's renderers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0.0, [root_pid]
    while stack:
        pid = stack.pop()
        try:
            total += proc_cpu_seconds(pid)
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --- Sessions ----------------------------------------------------------------------------------------
@dataclass
class Shared:
    stop_at: float
    budget: int
    started: int = 0
    records: list = field(default_factory=list)
    import_done_at: float | None = None
    after_import: dict = field(default_factory=dict)  # session -> 月度趋势 views begun after the import

    def take(self) -> bool:
        if time.time() >= self.stop_at or self.started >= self.budget:
            return False
        self.started += 1
        return True


async def wait_ready(page, title: str, start: float, timeout: float) -> tuple[float | None, dict]:
    """Seconds from `start` until the page is ready (see the module doc), and the last probe."""
    previous, previous_at, probe = None, None, {}
    deadline = start + timeout
    while time.perf_counter() < deadline:
        try:
            probe = await asyncio.wait_for(page.evaluate(PROBE), timeout=max(1.0, deadline - time.perf_counter()))
        except asyncio.TimeoutError:
            return None, {"probe_error": "the page did not answer the probe before the timeout"}
        except Exception as error:  # navigation in progress: the document went away under the probe
            probe = {"probe_error": str(error)[:200]}
            await asyncio.sleep(POLL_S)
            continue
        now = time.perf_counter()
        settled = (
            probe.get("state") == "notRunning" and (probe.get("h1") or "").startswith(title) and probe.get("busy") == 0
        )
        if probe.get("exceptions") or probe.get("dialogs"):
            return now - start, probe  # an error is final: no point waiting for more
        if settled and probe["text"] == previous:
            return previous_at - start, probe
        previous, previous_at = (probe["text"], now) if settled else (None, None)
        await asyncio.sleep(POLL_S)
    return None, probe


def check(plan: Plan, probe: dict, page_title: str, month: date) -> dict:
    """What the ready page shows against what this session asked for."""
    out = {"version": None, "problems": []}
    found = VERSION.search(probe.get("sidebar", ""))
    out["version"] = found.group(1) if found else None
    problems = out["problems"]
    if probe.get("exceptions"):
        problems.append("exception: " + probe["exceptions"][0])
    if probe.get("errors"):
        problems.append("error box: " + probe["errors"][0])
    if probe.get("dialogs"):
        problems.append("dialog: " + probe["dialogs"][0])
    if out["version"] is None:
        problems.append("no version in the sidebar")
    if f"（{plan.org}）" not in (probe.get("org") or ""):
        problems.append(f"sidebar 机构 shows {probe.get('org')!r}, not {plan.org}")
    if plan.category not in probe.get("tags", []):
        problems.append(f"sidebar 业务类别 shows {probe.get('tags')}, not {plan.category}")
    url = probe.get("url", "")
    if f"org={plan.org}" not in url:
        problems.append(f"URL without org={plan.org}: {url}")
    if page_title == "月度趋势":
        if f"{month.year}年{month.month}月" not in (probe.get("h1") or ""):
            problems.append(f"title {probe.get('h1')!r} is not {month:%Y-%m}")
        out["complaints"] = dict(probe.get("metrics", [])).get("投诉量")  # verified at the end: verify_counts
    return out


def verify_counts(records: list[dict], expected: dict) -> None:
    """月度趋势's 投诉量 against the query layer's number for the session's filters in the version the
    same page showed in its sidebar (after the run, when every version's numbers are known)."""
    for r in records:
        if r["page"] != "月度趋势" or r["ready_s"] is None:
            continue
        want = expected.get(r["version"], {}).get(f"{r['session']}|{r['month']}")
        r["expected_complaints"] = want
        if want is None:
            r["problems"].append(f"no expected numbers for version {r['version']}")
        elif r.get("complaints") != want:
            r["problems"].append(
                f"投诉量 {r.get('complaints')!r} but {want!r} expected for "
                f"{r['org']}/{r['category']}/{r['month']} in {r['version']}"
            )


def record_view(
    shared: Shared,
    plan: Plan,
    cycle: int,
    title: str,
    kind: str,
    month: date,
    started_wall: float,
    t0: float,
    ready: float | None,
    probe: dict,
    page_error: str | None = None,
) -> None:
    """One page view's record (either client): the checks of what it showed, or its timeout."""
    record = {
        "session": plan.session,
        "org": plan.org,
        "category": plan.category,
        "cycle": cycle,
        "page": title,
        "kind": kind,
        "month": f"{month:%Y-%m}",
        "t": round(started_wall - t0, 2),
        "ready_s": None if ready is None else round(ready, 3),
    }
    record.update(check(plan, probe, title, month))
    if ready is None:  # what it showed is unfinished: only an error on it counts, and the timeout
        record["problems"] = [p for p in record["problems"] if p.startswith(("exception", "error box", "dialog"))]
        record["timeout"] = True
        why = probe.get("playwright_error") or probe.get("probe_error")
        record["problems"].append("not ready within the timeout" + (f": {why}" if why else ""))
    if page_error:
        record["problems"].append("page error: " + page_error)
    for key in ("cookies", "server_session"):  # which replica served it, behind a balancer (bench/replicas.py)
        if probe.get(key):
            record[key] = probe[key]
    record["_probe_text"] = (probe.get("text") or "")[:2000] if record["problems"] else None
    shared.records.append(record)
    if (
        title == "月度趋势"
        and ready is not None
        and shared.import_done_at is not None
        and started_wall > shared.import_done_at
    ):
        shared.after_import[plan.session] = shared.after_import.get(plan.session, 0) + 1


async def run_session(
    browser, url: str, plan: Plan, months: list[date], shared: Shared, timeout: float, ramp: float, t0: float
) -> None:
    from playwright.async_api import Error as PlaywrightError

    await asyncio.sleep(ramp)
    context = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = await context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda e: js_errors.append(str(e)[:300]))
    cycle = 0
    try:
        while True:
            month = months[cycle % len(months)]
            steps = [("月度趋势", "first view" if cycle == 0 else "filter change (new session)", None)]
            steps += [(title, "navigate", path) for title, path in NAVIGATION]
            completed = True
            for title, kind, _path in steps:
                if not shared.take():
                    completed = False
                    break
                started_wall, start = time.time(), time.perf_counter()
                try:
                    if kind == "navigate":
                        link = page.locator('[data-testid="stSidebarNav"] a', has_text=title).first
                        await link.click(timeout=timeout * 1000)
                    else:
                        query = urlencode(
                            {"from": f"{month:%Y-%m}", "to": f"{month:%Y-%m}", "org": plan.org, "cat": plan.category}
                        )
                        await page.goto(f"{url}/?{query}", timeout=timeout * 1000)
                    ready, probe = await wait_ready(page, title, start, timeout)
                except PlaywrightError as error:
                    ready, probe = None, {"playwright_error": str(error)[:300]}
                record_view(
                    shared,
                    plan,
                    cycle,
                    title,
                    kind,
                    month,
                    started_wall,
                    t0,
                    ready,
                    probe,
                    js_errors.pop(0) if js_errors else None,
                )
            if not completed:
                break
            cycle += 1
    finally:
        await context.close()


async def drive(
    url: str, plan: list[Plan], months: list[date], args, expected: dict, data_dir: Path, t0: float
) -> dict:
    shared = Shared(stop_at=t0 + args.duration, budget=args.max_requests)
    importer: dict = {}

    async def run_all(session) -> None:
        """Every session (session(plan, i) -> coroutine), and the import during them if asked for."""
        tasks = [asyncio.create_task(session(pl, i)) for i, pl in enumerate(plan)]
        if args.import_during:
            tasks.append(asyncio.create_task(run_import(args, data_dir, shared, plan, months, expected, t0, importer)))
        await asyncio.gather(*tasks)

    browser_cpu = client_cpu = None
    if args.client == "websocket":
        from bench import load_ws

        cpu_client_0 = proc_cpu_seconds(os.getpid())
        await run_all(lambda pl, i: load_ws.run_session(url, pl, months, shared, args.page_timeout, i * args.ramp, t0))
        client_cpu = proc_cpu_seconds(os.getpid()) - cpu_client_0
    else:
        from playwright.async_api import async_playwright

        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            browser_pid = browser_root_pid()
            cpu_browser_0 = tree_cpu_seconds(browser_pid) if browser_pid else None
            await run_all(
                lambda pl, i: run_session(browser, url, pl, months, shared, args.page_timeout, i * args.ramp, t0)
            )
            browser_cpu = (tree_cpu_seconds(browser_pid) - cpu_browser_0) if browser_pid else None
            await browser.close()
    return {
        "records": shared.records,
        "import": importer,
        "browser_cpu_s": browser_cpu,
        "client_cpu_s": client_cpu,
        "after_import_trends_views": shared.after_import,
    }


def browser_root_pid() -> int | None:
    """The Chromium process Playwright started: the oldest chromium process below this one (its renderers
    and helpers are its descendants)."""
    me = os.getpid()
    best = None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if "chrom" in comm and _descends_from(ppid, me) and (best is None or int(entry.name) < best):
            best = int(entry.name)
    return best


def _descends_from(pid: int, ancestor: int) -> bool:
    for _ in range(10):
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
    return False


async def run_import(args, data_dir: Path, shared: Shared, plan, months, expected: dict, t0: float, out: dict) -> None:
    """The import during the load: started after --import-delay, the test extended until it is over and
    every session has shown 月度趋势 once more after it (within --max-seconds)."""
    await asyncio.sleep(args.import_delay)
    extracts = Path(args.import_during)
    files = sorted(str(f) for f in extracts.iterdir() if f.suffix in (".parquet", ".csv", ".xlsx"))
    shared.stop_at = t0 + args.max_seconds  # until the import is over and seen
    out.update({"files": files, "started_s": round(time.time() - t0, 2)})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.import_demo",
        *files,
        "--data-dir",
        str(data_dir),
        cwd=str(ROOT),
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    out.update(
        {
            "finished_s": round(time.time() - t0, 2),
            "returncode": process.returncode,
            "output": output.decode(errors="replace")[-3000:],
        }
    )
    if process.returncode == 0:
        version, counts = await asyncio.to_thread(expected_counts, data_dir, plan, months)
        expected[version] = counts
        out["new_version"] = version
    shared.import_done_at = time.time()
    # Every session opens 月度趋势 once more after the import (its next cycle), then the run ends
    # (not before --duration).
    while time.time() < shared.stop_at:
        # the request cap ends the sessions too: then no session will show the new version, stop waiting
        # (a 1M replica run hit the cap of 3,000 views and waited out --max-seconds)
        if shared.started >= shared.budget:
            break
        if all(shared.after_import.get(p.session, 0) >= 1 for p in plan):
            shared.stop_at = min(shared.stop_at, max(time.time(), t0 + args.duration))
            break
        await asyncio.sleep(1)


# --- Without a browser: the query layer under the same concurrency ---------------------------------------
QUERY_PAGES = (("月度趋势", "trends"), ("热点分析", "hotspots"), ("机构排名", "rankings"), ("重复与溯源", "repeats"))


def queries_only(data_dir: Path, plan: list[Plan], months: list[date], seconds: float, max_requests: int) -> dict:
    """Each session as a thread calling the pages' loaders (bench.side.page_loader) in the same order and
    with the same filters as the browser sessions, on one shared snapshot connection (as the app's
    sessions share it), for `seconds`. No Streamlit, no browser, no result cache (the app caches
    identical queries across sessions with st.cache_data; here every call reaches DuckDB)."""
    import threading

    from bench.side import page_loader
    from dashboard import db
    from dashboard.filters import Filters

    _, con = db.current(data_dir)
    modules = [(title, page_loader(name)) for title, name in QUERY_PAGES]
    lock, records, started = threading.Lock(), [], [0]
    t0 = time.time()
    stop = t0 + seconds

    def session(p: Plan) -> None:
        cycle = 0
        while True:
            month = months[cycle % len(months)]
            filters = Filters(month_from=month, month_to=month, org=p.org, categories=(p.category,))
            for title, module in modules:
                with lock:
                    if time.time() >= stop or started[0] >= max_requests:
                        return
                    started[0] += 1
                start = time.perf_counter()
                error = None
                try:
                    module(con, filters)
                except Exception as exc:  # reported, not raised: the other sessions go on
                    error = repr(exc)[:300]
                with lock:
                    records.append(
                        {
                            "session": p.session,
                            "page": title,
                            "month": f"{month:%Y-%m}",
                            "seconds": time.perf_counter() - start,
                            "error": error,
                        }
                    )
            cycle += 1

    threads = [threading.Thread(target=session, args=(p,)) for p in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_page: dict[str, list[float]] = {}
    for r in records:
        by_page.setdefault(r["page"], []).append(r["seconds"])
    return {
        "mode": "queries only",
        "sessions": len(plan),
        "duration_s": time.time() - t0,
        "data_dir": str(data_dir),
        "requests": len(records),
        "errors": [r for r in records if r["error"]],
        "seconds": summary([r["seconds"] for r in records]),
        "by_page_s": {k: summary(v) for k, v in by_page.items()},
        "cpu_seconds": proc_cpu_seconds(os.getpid()),
        "load_average_end": os.getloadavg(),
    }


def print_queries_only(out: dict) -> None:
    def f(v):
        return "—" if v is None else f"{v:.2f}"

    print(
        f"\nquery layer only (no browser, no Streamlit, no cache): {out['sessions']} concurrent sessions, "
        f"{out['duration_s']:.0f} s, {out['requests']} page query sets, {len(out['errors'])} errors"
    )
    print(f"{'loader time (s)':<34} {'n':>5} {'p50':>7} {'p95':>7} {'max':>7}")
    s = out["seconds"]
    print(f"{'all':<34} {s['n']:>5} {f(s['p50']):>7} {f(s['p95']):>7} {f(s['max']):>7}")
    for page, s in out["by_page_s"].items():
        print(f"{page:<30} {s['n']:>9} {f(s['p50']):>7} {f(s['p95']):>7} {f(s['max']):>7}")
    print(
        f"CPU seconds of this process {out['cpu_seconds']:.0f}; load average at the end "
        f"{tuple(round(x, 1) for x in out['load_average_end'])}"
    )


# --- Reporting ---------------------------------------------------------------------------------------
def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": quantile(values, 0.5),
        "p95": quantile(values, 0.95),
        "max": max(values) if values else None,
        "mean": statistics.fmean(values) if values else None,
    }


def server_runs(script_log: Path) -> list[dict]:
    if not script_log.exists():
        return []
    return [json.loads(line) for line in script_log.read_text().splitlines() if line.strip()]


def report(result: dict, args) -> dict:
    records = result["records"]
    ready = [r["ready_s"] for r in records if r["ready_s"] is not None]
    by_page: dict[str, list[float]] = {}
    for r in records:
        if r["ready_s"] is not None:
            by_page.setdefault(f"{r['page']} ({'URL' if r['kind'] != 'navigate' else 'nav'})", []).append(r["ready_s"])
    runs = result["server_runs"]
    page_names = {
        "": "月度趋势",
        "hotspots": "热点分析",
        "rankings": "机构排名",
        "repeats": "重复与溯源",
        "data": "数据管理",
    }
    server_by_page: dict[str, list[float]] = {}
    for run in runs:
        if run["outcome"] in FINISHED:
            server_by_page.setdefault(page_names.get(run.get("page"), str(run.get("page"))), []).append(run["seconds"])
    failures = [r for r in records if r["problems"]]
    versions: dict[str, int] = {}
    for r in records:
        versions[str(r["version"])] = versions.get(str(r["version"]), 0) + 1
    out = {
        "sessions": args.sessions,
        "duration_s": result["elapsed_s"],
        "data_dir": str(args.data_dir),
        "requests": len(records),
        "errors": len(failures),
        "timeouts": sum(1 for r in records if r.get("timeout")),
        "app_errors": sum(1 for r in failures if not r.get("timeout")),
        "page_ready_s": summary(ready),
        "page_ready_by_page_s": {k: summary(v) for k, v in sorted(by_page.items())},
        "server_script_runs": {
            "finished": sum(1 for r in runs if r["outcome"] in FINISHED),
            "other_outcomes": {
                o: sum(1 for r in runs if r["outcome"] == o) for o in {r["outcome"] for r in runs} - FINISHED
            },
            "seconds": summary([r["seconds"] for r in runs if r["outcome"] in FINISHED]),
            "by_page_s": {k: summary(v) for k, v in sorted(server_by_page.items())},
        },
        "client": args.client,
        "cpu_seconds": {
            "server": result["server_cpu_s"],
            "browser": result["browser_cpu_s"],
            "client": result.get("client_cpu_s"),
            "wall": result["elapsed_s"],
            "cores": os.cpu_count(),
            "load_average_end": os.getloadavg(),
        },
        "server_peak_mb": result["server_peak_mb"],
        "versions_seen": versions,
        "import": result.get("import") or None,
        "after_import_trends_views": result.get("after_import_trends_views"),
        "problems": [{k: v for k, v in r.items()} for r in failures[:50]],
        "records": [{k: v for k, v in r.items() if k != "_probe_text"} for r in records],
    }
    return out


def print_report(out: dict) -> None:
    def f(v):
        return "—" if v is None else f"{v:.2f}"

    print(f"\nload test: {out['sessions']} sessions, {out['duration_s']:.0f} s, data {out['data_dir']}")
    print(
        f"requests (page views) {out['requests']}, with problems {out['errors']} "
        f"(not ready within --page-timeout: {out['timeouts']}; wrong or failed pages: {out['app_errors']})"
    )
    print(f"\n{'page-ready time (s), ' + out['client']:<34} {'n':>5} {'p50':>7} {'p95':>7} {'max':>7}")
    s = out["page_ready_s"]
    print(f"{'all':<34} {s['n']:>5} {f(s['p50']):>7} {f(s['p95']):>7} {f(s['max']):>7}")
    for page, s in out["page_ready_by_page_s"].items():
        print(f"{page:<30} {s['n']:>9} {f(s['p50']):>7} {f(s['p95']):>7} {f(s['max']):>7}")
    runs = out["server_script_runs"]
    print(f"\n{'server script run (s), Streamlit':<34} {'n':>5} {'p50':>7} {'p95':>7} {'max':>7}")
    s = runs["seconds"]
    print(f"{'all finished runs':<34} {s['n']:>5} {f(s['p50']):>7} {f(s['p95']):>7} {f(s['max']):>7}")
    for page, s in runs["by_page_s"].items():
        print(f"{page:<30} {s['n']:>9} {f(s['p50']):>7} {f(s['p95']):>7} {f(s['max']):>7}")
    if runs["other_outcomes"]:
        print(f"runs ended otherwise: {runs['other_outcomes']}")
    cpu = out["cpu_seconds"]
    print(
        f"\nCPU seconds over {cpu['wall']:.0f} s wall on {cpu['cores']} cores: server {f(cpu['server'])}, "
        f"browser {f(cpu['browser'])}, test client {f(cpu.get('client'))}; "
        f"load average at the end {tuple(round(x, 1) for x in cpu['load_average_end'])}"
    )
    print(f"server peak memory {f(out['server_peak_mb'])} MB; versions seen {out['versions_seen']}")
    if out["import"]:
        imp = out["import"]
        print(
            f"import during the run: started at {imp.get('started_s')} s, finished at {imp.get('finished_s')} s, "
            f"exit {imp.get('returncode')}, new version {imp.get('new_version')}"
        )
    for problem in out["problems"][:10]:
        print(
            f"  problem: session {problem['session']} {problem['page']} ({problem['kind']}, "
            f"{problem['version']}): {'; '.join(problem['problems'])}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (new requests stop after)")
    parser.add_argument("--max-requests", type=int, default=3000, help="cap on page views, all sessions together")
    parser.add_argument("--page-timeout", type=float, default=180, help="seconds a page may take to be ready")
    parser.add_argument("--ramp", type=float, default=0.5, help="seconds between session starts")
    parser.add_argument("--import-during", type=Path, help="a folder of extract files to import during the run")
    parser.add_argument("--import-delay", type=float, default=30)
    parser.add_argument("--max-seconds", type=float, default=900, help="hard cap with --import-during")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="no browser and no app: the sessions as threads calling the page loaders (the server's "
        "query work under the same concurrency); writes load_queries.json",
    )
    parser.add_argument(
        "--client",
        choices=("browser", "websocket"),
        default="browser",
        help="browser: one headless Chromium page per session; websocket: Streamlit's own "
        "protocol, no rendering (bench/load_ws.py)",
    )
    parser.add_argument(
        "--url",
        help="drive an app already served there (e.g. HAProxy in front of replicas, "
        "bench/replicas.py) instead of starting one; the server's CPU, memory and script runs "
        "are then the caller's to measure",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="default bench/results/load.json (load_queries.json with --queries-only)"
    )
    args = parser.parse_args()
    if CHROMIUM is None and args.client == "browser" and not args.queries_only:
        raise SystemExit("Debian's chromium is not installed (make browser)")
    data_dir = args.data_dir.resolve()
    args.data_dir = data_dir
    if not (data_dir / "store" / "CURRENT").exists():
        raise SystemExit(f"no imported store in {data_dir}")

    plan = plans(data_dir, args.sessions)
    month = default_month(data_dir)
    months = [month, date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.queries_only:
        out = queries_only(data_dir, plan, months, args.duration, args.max_requests)
        path = args.out or RESULTS / "load_queries.json"
        path.write_text(json.dumps(out, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        print_queries_only(out)
        print(f"\nwritten {path}")
        return
    args.out = args.out or RESULTS / "load.json"
    version, counts = expected_counts(data_dir, plan, months)
    expected = {version: counts}
    script_log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_load_{os.getpid()}.jsonl"
    script_log.unlink(missing_ok=True)
    if args.url:
        server, url = None, args.url.rstrip("/")
    else:
        server, url = start_server(data_dir, script_log)
    print(
        f"app at {url} (pid {server.pid if server else 'not ours'}); {args.sessions} sessions over {version} …",
        flush=True,
    )
    try:
        cpu0 = proc_cpu_seconds(server.pid) if server else 0.0
        t0 = time.time()
        result = asyncio.run(drive(url, plan, months, args, expected, data_dir, t0))
        result["elapsed_s"] = time.time() - t0
        result["server_cpu_s"] = proc_cpu_seconds(server.pid) - cpu0 if server else None
        result["server_peak_mb"] = peak_mb(server.pid) if server else None
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    result["server_runs"] = server_runs(script_log)
    verify_counts(result["records"], expected)
    out = report(result, args)
    out["plan"] = [vars(p) for p in plan]
    out["expected"] = expected
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print_report(out)
    print(f"\nwritten {args.out}; server script-run log {script_log}")


if __name__ == "__main__":
    main()
