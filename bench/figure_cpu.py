"""CPU of a page view's figures: today's chart builders against REF's (159ac92 by default: the builders before
templates of our own and figures built in one go; its charts/*.py read from git and loaded beside today's),
alternated in one process.

    python -m bench.figure_cpu --data-dir DIR [--plans 5] [--rounds 5] [--ref 159ac92]

Runs 月度趋势 (by URL, the load test's organisation x category and report month), then 热点分析, 机构排名 and
重复与溯源 in the same AppTest session, once per plan, every Streamlit cache cleared before each plan (a cold
view, as the load test's sessions mostly are), recording every figure the pages ask ui.figures for (its builder
and arguments) and the CPU seconds of each script run (time.process_time: this process, DuckDB's threads
included), each plan once with today's builders and once with REF's, in alternating order. Then builds the
recorded figures once per variant per round, the variants alternated, and prints the median CPU ms of the
figures of one plan's four pages under each variant beside the pages' whole CPU under each.
DIR must be a demo-marked store (a copy made for bench.load is)."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import types
from datetime import date
from pathlib import Path

PAGES = ("app_pages/hotspots.py", "app_pages/rankings.py", "app_pages/repeats.py")


ROOT = Path(__file__).resolve().parent.parent
CHARTS = ("style", "hotspots", "trends", "rankings", "repeats", "outcomes")


def ref_builders(ref: str) -> dict[str, types.ModuleType]:
    """REF's dashboard/charts modules, loaded under another package name (bench_ref_charts) from git, with their
    imports of each other pointed at REF's too; today's modules are untouched."""
    package = types.ModuleType("bench_ref_charts")
    package.__path__ = []
    sys.modules[package.__name__] = package
    modules = {}
    for name in CHARTS:
        source = subprocess.run(
            ["git", "show", f"{ref}:dashboard/charts/{name}.py"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.replace("dashboard.charts.style", "bench_ref_charts.style")
        module = types.ModuleType(f"bench_ref_charts.{name}")
        module.__file__ = f"{ref}:dashboard/charts/{name}.py"
        sys.modules[module.__name__] = module
        exec(compile(source, module.__file__, "exec"), module.__dict__)
        modules[f"dashboard.charts.{name}"] = module
    return modules


def swap(build, old: dict[str, types.ModuleType] | None):
    """`build`, or REF's builder of the same name when `old` is given."""
    return build if old is None else getattr(old[build.__module__], build.__name__)


def record(data_dir: Path, plans, month: date, old) -> tuple[list, dict[str, list[float]]]:
    """[(builder, args, kwargs)] of every figure the four pages asked for, and each plan's script-run CPU s under
    today's builders ('now') and REF's ('ref'), the two run in alternating order, every cache cleared before each."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.auth import demo_mode
    from dashboard.ui import figures

    os.environ["COMPLAINTS_DATA_DIR"] = str(data_dir)
    os.environ[demo_mode.ENV] = "1"
    app = str(ROOT / "dashboard" / "app.py")
    calls: list = []
    original = figures.figure
    using: dict = {"old": None, "record": False}

    def recording(build, *args, **kwargs):
        if using["record"]:
            calls.append((build, args, kwargs))
        return original(swap(build, using["old"]), *args, **kwargs)

    figures.figure = recording
    spent: dict[str, list[float]] = {"now": [], "ref": []}
    try:
        # the first plan once more under each, untimed: the first script runs pay the process's imports
        for i, plan in enumerate([plans[0], *plans]):
            for variant in ("now", "ref") if i % 2 == 0 else ("ref", "now"):
                using["old"] = old if variant == "ref" else None
                using["record"] = bool(i) and variant == "now"
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
                if i:
                    spent[variant].append(time.process_time() - start)
                assert not at.exception, [e.value for e in at.exception]
    finally:
        figures.figure = original
    return calls, spent


def build_cpu(calls, rounds: int, old) -> dict[str, float]:
    variants = {"now": calls, "ref": [(swap(build, old), args, kwargs) for build, args, kwargs in calls]}
    cpu: dict[str, list[float]] = {v: [] for v in variants}
    for r in range(rounds + 1):
        for name in list(variants) if r % 2 == 0 else list(variants)[::-1]:
            start = time.process_time()
            for build, args, kwargs in variants[name]:
                build(*args, **kwargs)
            if r:
                cpu[name].append(time.process_time() - start)
    return {v: statistics.median(s) for v, s in cpu.items()}


def main() -> None:
    from bench.load import default_month, plans

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--plans", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ref", default="159ac92", help="the builders to compare with (a git revision)")
    args = parser.parse_args()
    old = ref_builders(args.ref)
    data_dir = args.data_dir.resolve()
    chosen = plans(data_dir, args.plans)
    calls, spent = record(data_dir, chosen, default_month(data_dir), old)
    titled = sum(1 for build, _, _ in calls if build.__module__ != "dashboard.charts.hotspots")
    print(f"{len(calls)} figures over {len(chosen)} plans ({titled} not hotspots'); script runs of the four pages:")
    pages = {v: statistics.median(s) for v, s in spent.items()}
    for name, seconds in pages.items():
        print(
            f"  pages,   {name:<4} {seconds * 1000:8.1f} CPU ms a plan ({seconds / pages['ref']:.2f}; "
            f"{[round(s, 2) for s in spent[name]]})"
        )
    got = build_cpu(calls, args.rounds, old)
    for name, seconds in got.items():
        print(f"  figures, {name:<4} {seconds / len(chosen) * 1000:8.1f} CPU ms a plan ({seconds / got['ref']:.2f})")


if __name__ == "__main__":
    main()
