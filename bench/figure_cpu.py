"""CPU of a page view's figures: the white template set without validating it (charts.style.white) against
`update_layout(template="plotly_white")`, which validated it for every figure; alternated in one process.

    python -m bench.figure_cpu --data-dir DIR [--plans 5] [--rounds 5]

Runs 月度趋势 (by URL, the load test's organisation x category and report month), then 热点分析, 机构排名 and
重复与溯源 in the same AppTest session, once per plan, every Streamlit cache cleared before each plan (a cold
view, as the load test's sessions mostly are), recording every figure the pages ask ui.figures for (its builder
and arguments) and the CPU seconds of each script run (time.process_time: this process, DuckDB's threads
included). Then builds the recorded figures once per variant per round, the variants alternated, and prints
the median CPU ms of the figures of one plan's four pages under each variant beside the pages' whole CPU.
DIR must be a demo-marked store (a copy made for bench.load is)."""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from pathlib import Path

PAGES = ("app_pages/hotspots.py", "app_pages/rankings.py", "app_pages/repeats.py")


def validated(fig):
    from dashboard.charts import style

    return fig.update_layout(template=style.TEMPLATE)


def record(data_dir: Path, plans, month: date) -> tuple[list, list[float]]:
    """[(builder, args, kwargs)] of every figure the four pages asked for, and each plan's script-run CPU s."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.auth import demo_mode
    from dashboard.ui import figures

    os.environ["COMPLAINTS_DATA_DIR"] = str(data_dir)
    os.environ[demo_mode.ENV] = "1"
    app = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
    calls: list = []
    original = figures.figure

    def recording(build, *args, **kwargs):
        calls.append((build, args, kwargs))
        return original(build, *args, **kwargs)

    figures.figure = recording
    spent = []
    try:
        for plan in plans:
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(app, default_timeout=600)
            for key, value in {
                "from": f"{month:%Y-%m}",
                "to": f"{month:%Y-%m}",
                "org": plan.org,
                "cat": plan.category,
            }.items():
                at.query_params[key] = value
            start = time.process_time()
            at.run()
            for page in PAGES:
                at.switch_page(page).run()
            spent.append(time.process_time() - start)
            assert not at.exception, [e.value for e in at.exception]
    finally:
        figures.figure = original
    return calls, spent


def build_cpu(calls, rounds: int) -> dict[str, float]:
    from dashboard.charts import style

    variants = {"white": style.white, "validated": validated}
    cpu: dict[str, list[float]] = {v: [] for v in variants}
    kept = style.white
    try:
        for r in range(rounds + 1):
            for name in list(variants) if r % 2 == 0 else list(variants)[::-1]:
                style.white = variants[name]
                start = time.process_time()
                for build, args, kwargs in calls:
                    build(*args, **kwargs)
                if r:
                    cpu[name].append(time.process_time() - start)
    finally:
        style.white = kept
    return {v: statistics.median(s) for v, s in cpu.items()}


def main() -> None:
    from bench.load import default_month, plans

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--plans", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data_dir = args.data_dir.resolve()
    chosen = plans(data_dir, args.plans)
    calls, spent = record(data_dir, chosen, default_month(data_dir))
    titled = sum(1 for build, _, _ in calls if build.__module__ != "dashboard.charts.hotspots")
    print(f"{len(calls)} figures over {len(chosen)} plans ({titled} not hotspots'); script runs of the four pages:")
    print(f"  {statistics.median(spent) * 1000:8.1f} CPU ms a plan (median; {[round(s, 2) for s in spent]})")
    got = build_cpu(calls, args.rounds)
    for name, seconds in got.items():
        print(
            f"  figures, {name:<10} {seconds / len(chosen) * 1000:8.1f} CPU ms a plan ({seconds / got['validated']:.2f})"
        )


if __name__ == "__main__":
    main()
