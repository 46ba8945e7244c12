"""A real Streamlit server on localhost and Debian's headless Chromium driven by Playwright.

The browser is Debian's chromium (installed by `make test` when root); Playwright only drives it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bench.serve import free_port, streamlit_command, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def app_server(demo_store):
    """The app served on a free localhost port over the demo store, in demo mode (asked for, and the store
    marked as the demo bank, as `make run` does); yields its base URL."""
    from dashboard.auth import demo_mode
    from dashboard.ingest.store import current_snapshot

    demo_mode.mark(demo_store, current_snapshot(demo_store))
    port = free_port()
    env = {**os.environ, "COMPLAINTS_DATA_DIR": str(demo_store), demo_mode.ENV: "1"}
    process = subprocess.Popen(
        streamlit_command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, 60)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def wait_until_rendered(page, timeout: float = 60_000) -> None:
    """Until the script run has finished, no element is still a loading skeleton, and the page's text
    has stopped changing (a run can report 'notRunning' just before the next one starts, on a busy
    machine, so one reading of the state is not enough)."""
    deadline = time.time() + timeout / 1000
    main = '[data-testid="stMainBlockContainer"]'
    page.wait_for_selector(f"{main} h1", timeout=timeout)
    previous = None
    while time.time() < deadline:
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
        if page.query_selector('[data-testid="stSkeleton"]') is None:
            text = page.inner_text(main)
            if text == previous:
                break
            previous = text
        page.wait_for_timeout(700)
    page.wait_for_timeout(500)  # charts draw after the run's last message


def open_page(browser, url: str, width: int = 1440, height: int = 1000):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    page.goto(url)
    wait_until_rendered(page)
    return page


def exceptions_on(page) -> list[str]:
    """Tracebacks on the page, and Streamlit's own error dialogs (e.g. "Page not found")."""
    errors = [e.inner_text() for e in page.query_selector_all('[data-testid="stException"]')]
    errors += [d.inner_text() for d in page.query_selector_all('[role="dialog"]')]
    return errors
