"""One side of the benchmark in its own process: python -m bench.side duckdb|pandas EXTRACTS DATA REPEAT.

Times, median of REPEAT hot runs: start-up (open the data), the kpis of the default view, and the kpis
after a filter change (an organisation and a business category). Prints one JSON line.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path


PAGES = ("trends", "hotspots", "rankings", "repeats", "recurring", "similar_index")


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's, Linux keeps
    it across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def median_seconds(fn, repeat: int) -> float:
    fn()   # warm
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    side, extracts, data_dir, repeat = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    month = date(2026, 10, 1)
    start = time.perf_counter()
    if side == "duckdb":
        from dashboard import db, report
        from dashboard.filters import Filters

        _, con = db.current(data_dir)
        org = con.execute("select branch_code from branches where level = '一级分行' order by 1 limit 1").fetchall()[0][0]
        default = lambda: report.kpis(con, Filters(month_from=month, month_to=month), month)  # noqa: E731
        changed = lambda: report.kpis(con, Filters(month_from=month, month_to=month, org=org,  # noqa: E731
                                                   categories=("信用卡",)), month)
        default()
    else:
        from bench import pandas_baseline as pb

        data = pb.load(extracts)
        org = data["branches"].query("level == '一级分行'")["branch_code"].sort_values().iloc[0]
        default = lambda: pb.month_kpis(data, month)  # noqa: E731
        changed = lambda: pb.month_kpis(data, month, org=org, categories=["信用卡"])  # noqa: E731
        default()
    first_view = time.perf_counter() - start
    timings = {
        "first view after start": first_view,
        "kpis, default view": median_seconds(default, repeat),
        "kpis, filter change": median_seconds(changed, repeat),
    }
    if side == "duckdb":   # every page's full query set (no pandas twin yet: issue 7)
        import importlib

        for page in PAGES:
            module = importlib.import_module(f"dashboard.analysis.{page}")
            timings[f"page {page}, first view"] = median_seconds(
                lambda: module.page_queries(con, Filters(month_from=month, month_to=month)), 3)
    peak_mb = peak_rss_mb()
    print(json.dumps({"timings": timings, "peak_mb": peak_mb}))


if __name__ == "__main__":
    main()
