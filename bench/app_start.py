"""python -m bench.app_start --data-dir DIR [--runs 3]

How long after `streamlit run` a user sees the first page (月度趋势, with its numbers drawn), and how much
memory the app process holds once every page has been opened. Each run starts a fresh server (cold
process, warm OS file cache), opens the root URL in headless Chromium and stops the clock when the
headline metrics are on screen and the script run has finished; it then opens every other page once and
reads the server's resident memory (VmRSS) and its peak (VmHWM). Writes bench/results/app_start.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from bench.serve import free_port, streamlit_command, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PAGES = ("hotspots", "rankings", "repeats", "ledger", "data")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def memory_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def ready(page, timeout_s: float = 120) -> None:
    """The page's first metric is drawn and no script run or loading skeleton is left."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=timeout_s * 1000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_s * 1000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout_s * 1000)


def one_run(browser, data_dir: Path) -> dict:
    port = free_port()
    env = {**os.environ, "COMPLAINTS_DATA_DIR": str(data_dir)}
    start = time.perf_counter()
    server = subprocess.Popen(
        streamlit_command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, server, 120)
        server_up = time.perf_counter() - start
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        page.goto(url)
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
        title = time.perf_counter() - start
        page.wait_for_selector('[data-testid="stMetric"]', timeout=120_000)
        metrics = time.perf_counter() - start
        ready(page)
        first_page = time.perf_counter() - start
        for name in PAGES:
            page.goto(f"{url}/{name}")
            ready(page)
        page.close()
        return {
            "server_up_s": server_up,
            "title_s": title,
            "metrics_s": metrics,
            "first_page_s": first_page,
            **{k + "_mb": v for k, v in memory_mb(server.pid).items()},
        }
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        runs = [one_run(browser, args.data_dir.resolve()) for _ in range(args.runs)]
        browser.close()
    summary = {
        "data_dir": str(args.data_dir),
        "runs": runs,
        "first_page_s_median": statistics.median(r["first_page_s"] for r in runs),
        "rss_mb_max": max(r["VmRSS_mb"] for r in runs),
        "peak_mb_max": max(r["VmHWM_mb"] for r in runs),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "app_start.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    each = ", ".join(f"{r['first_page_s']:.2f}" for r in runs)
    print(f"first page shown after start: median {summary['first_page_s_median']:.2f} s over {len(runs)} runs ({each})")
    print(f"app memory after every page: resident {summary['rss_mb_max']:.0f} MB, peak {summary['peak_mb_max']:.0f} MB")


if __name__ == "__main__":
    main()
