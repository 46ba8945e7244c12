"""Where a page's time goes: every query of each page's first-view set, timed one by one.

    python -m bench.queries [--rows 1000000] [--pages trends,hotspots] [--repeat 5] [--data-dir DIR]

Runs each page's loader (as bench/side.py does, both views) with dashboard.db.run and
dashboard.db.execute timed per query name, median of REPEAT hot runs after one warm-up, and the Python
time between the queries as "(python)". Prints a table per page and writes
bench/results/queries_<rows>.json. Needs the store that `python -m bench` prepared.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from bench.__main__ import RESULTS, WORK
from bench.side import MONTH, OUR_PAGES, VIEWS, page_loader


def timed_runs(load, con, filters, repeat: int) -> dict[str, float]:
    """{query name: median seconds per page run} (a query run twice in a page counts twice)."""
    from dashboard import db

    spent: dict[str, float] = defaultdict(float)
    original_run, original_execute = db.run, db.execute
    depth = [0]  # db.run calls db.execute: only the outermost call is counted

    def timed(original):
        def call(con_, name, **params):
            depth[0] += 1
            start = time.perf_counter()
            try:
                return original(con_, name, **params)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent[name] += time.perf_counter() - start

        return call

    run, execute = timed(original_run), timed(original_execute)

    samples: dict[str, list[float]] = defaultdict(list)
    db.run, db.execute = run, execute
    try:
        for i in range(repeat + 1):
            spent.clear()
            start = time.perf_counter()
            load(con, filters)
            total = time.perf_counter() - start
            if i == 0:
                continue  # warm-up
            for name, seconds in spent.items():
                samples[name].append(seconds)
            samples["(python)"].append(total - sum(spent.values()))
            samples["(page total)"].append(total)
    finally:
        db.run, db.execute = original_run, original_execute
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    from dashboard import db
    from dashboard.filters import Filters

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pages", default=",".join(OUR_PAGES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", help="another store (default: bench/work/<rows>/data)")
    args = parser.parse_args()
    _, con = db.current(Path(args.data_dir) if args.data_dir else WORK / f"{args.rows}" / "data")
    org = con.execute("select branch_code from branches where level = '一级分行' order by 1 limit 1").fetchall()[0][0]
    views = dict(
        zip(
            VIEWS,
            (
                Filters(month_from=MONTH, month_to=MONTH),
                Filters(month_from=MONTH, month_to=MONTH, org=org, categories=("信用卡",)),
            ),
        )
    )
    out: dict[str, dict[str, dict[str, float]]] = {}
    for page in args.pages.split(","):
        out[page] = {view: timed_runs(page_loader(page), con, f, args.repeat) for view, f in views.items()}
        print(f"\n{page} ({args.rows:,} complaints), ms: {' / '.join(VIEWS)}")
        names = sorted(out[page][VIEWS[0]], key=lambda n: -out[page][VIEWS[0]][n])
        for name in names:
            cells = " / ".join(f"{out[page][v].get(name, 0) * 1000:7.1f}" for v in VIEWS)
            print(f"  {name:<32} {cells}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"queries_{args.rows}.json" if not args.data_dir else RESULTS / "queries_other.json"
    path.write_text(
        json.dumps({"rows": args.rows, "month": date.isoformat(MONTH), "pages": out}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
