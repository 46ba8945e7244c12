"""Serving the app for a measurement or a test: a free localhost port, the `streamlit run` command line, and
waiting until the server answers its health check. The first-view benchmark, the load test, the two-replica
test and the browser tests start their servers through these, so they are started the same way."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(port: int, *options: str, script: Path = APP) -> list[str]:
    """`streamlit run script` on 127.0.0.1:port, headless, without usage statistics, plus `options`."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *options,
    ]


def wait_healthy(url: str, process: subprocess.Popen, seconds: float, log: Path | None = None) -> float:
    """wait_answers on the Streamlit server at url's health check."""
    return wait_answers(f"{url}/_stcore/health", process, seconds, log)


def wait_answers(url: str, process: subprocess.Popen, seconds: float, log: Path | None = None) -> float:
    """Wait until `url` answers; the seconds it took. Raises RuntimeError, with the tail of the server's
    log (a file, or its captured output), when the process exits or `seconds` pass first."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return time.perf_counter() - start
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    if process.poll() is None:
        process.kill()
    if log is not None:
        output = log.read_text(errors="replace") if log.exists() else ""
    else:
        output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s (exit {process.poll()}):\n{output[-2000:]}")
