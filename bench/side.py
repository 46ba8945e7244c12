"""One side of the benchmark in its own process:

    python -m bench.side duckdb|pandas EXTRACTS DATA REPEAT [LAUNCHED_AT]

Times, median of REPEAT hot runs (after one warm-up run each):
  * first view after start: from LAUNCHED_AT (the parent's time.time() just before it started this
    process; else this process's start) to the first page's numbers: open the data + the 月度趋势 page;
  * open data (cold): the load alone, once (ours: open the snapshot; pandas: read the extracts and derive);
  * kpis (the report's headline) and every page's full first-view set, for the default view
    (Filters(month_from=M, month_to=M), M = 2026-10) and after a filter change (the first 一级分行 by
    branch_code + 信用卡);
  * the report command (ours: dashboard.report.build; pandas: no twin).
Ours runs each page's loader (dashboard/analysis/<page>.py `load`, what the page draws) for the view's
filters and the page's default state; pandas the twins of bench/pandas_baseline.py.
Prints one JSON line: {"timings": {measure: seconds}, "notes": {measure: text}, "peak_mb": MB}.
"""

from __future__ import annotations

import importlib
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

MONTH = date(2026, 10, 1)
CATEGORY = "信用卡"
# Our pages: dashboard/analysis/<module>.load. The 重复与溯源 page's loader (repeats) includes the
# recurring issues and the similar groups (its other two tabs).
OUR_PAGES = ("trends", "hotspots", "rankings", "repeats", "events")
VIEWS = ("default view", "filter change")


def page_loader(page: str):
    """A page's first view as a call (con, filters): its loader with the page's default state."""
    from dashboard.analysis.source import Source

    loader = importlib.import_module(f"dashboard.analysis.{page}").load
    return lambda con, filters: loader(Source.of(con, filters), filters)


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's, Linux keeps
    it across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def process_start() -> float:
    """This process's start as a time.time() value (from /proc: clock ticks after boot)."""
    import os

    ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return time.time() - uptime + ticks / os.sysconf("SC_CLK_TCK")


def median_seconds(fn, repeat: int) -> float:
    fn()  # warm
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def ours(extracts: Path, data_dir: Path, launched: float) -> tuple[dict, dict, dict]:
    """(first-view timings, {measure: callable}, notes) on our query layer."""
    from dashboard import db, report
    from dashboard.filters import Filters

    start = time.perf_counter()
    _, con = db.current(data_dir)
    opened = time.perf_counter() - start
    default = Filters(month_from=MONTH, month_to=MONTH)
    page_loader("trends")(con, default)
    first = {"first view after start": time.time() - launched, "open data (cold)": opened}

    org = con.execute("select branch_code from branches where level = '一级分行' order by 1 limit 1").fetchall()[0][0]
    changed = Filters(month_from=MONTH, month_to=MONTH, org=org, categories=(CATEGORY,))
    measures = {}
    for view, filters in zip(VIEWS, (default, changed)):
        measures[f"kpis, {view}"] = lambda f=filters: report.kpis(con, f, MONTH)
    for page in OUR_PAGES:
        load = page_loader(page)
        for view, filters in zip(VIEWS, (default, changed)):
            measures[f"{page}, {view}"] = lambda load=load, f=filters: load(con, f)
    measures["report command"] = lambda: report.build(con, default, MONTH, data_dir=data_dir)
    notes = {"repeats": "ours: the whole 重复与溯源 page (repeats + recurring + similar)"}
    return first, measures, notes


def pandas(extracts: Path, data_dir: Path, launched: float) -> tuple[dict, dict, dict]:
    """The same on the plain pandas baseline."""
    from bench import pandas_baseline as pb

    start = time.perf_counter()
    data = pb.load(extracts)
    opened = time.perf_counter() - start
    pb.trends(data, MONTH)
    first = {"first view after start": time.time() - launched, "open data (cold)": opened}

    org = data["branches"].query("level == '一级分行'")["branch_code"].sort_values().iloc[0]
    measures = {}
    views = {"default view": (None, None), "filter change": (org, [CATEGORY])}
    for view, (o, cats) in views.items():
        measures[f"kpis, {view}"] = lambda o=o, c=cats: pb.month_kpis(data, MONTH, o, c)
    notes = {}
    for page, (fn, leaves_out) in pb.PAGES.items():
        for view, (o, cats) in views.items():
            measures[f"{page}, {view}"] = lambda fn=fn, o=o, c=cats: fn(data, MONTH, o, c)
        if leaves_out:
            notes[page] = f"pandas: {leaves_out}"
    notes["similar"] = "pandas: not implemented (needs an index built at import)"
    notes["report command"] = "pandas: no twin"
    return first, measures, notes


def main() -> None:
    side, extracts, data_dir, repeat = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    launched = float(sys.argv[5]) if len(sys.argv) > 5 else process_start()
    first, measures, notes = (ours if side == "duckdb" else pandas)(extracts, data_dir, launched)
    timings = dict(first)
    for name, fn in measures.items():
        print(f"  {side}: {name} …", file=sys.stderr, flush=True)
        timings[name] = median_seconds(fn, repeat)
    print(json.dumps({"timings": timings, "notes": notes, "peak_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main()
