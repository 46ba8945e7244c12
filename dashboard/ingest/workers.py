"""Heavy per-row work of an import (text analysis) spread over worker processes, one per CPU.

A caller splits its input into Arrow tables, one per worker; each worker is `python -m <module> IN OUT`
(Arrow IPC files in a temporary folder) and its module ends with `workers.serve(function)`.

Plain worker processes instead of multiprocessing: multiprocessing's spawn and forkserver start methods
re-import the caller's main script in every worker (a script without a main guard would start a second
import), and fork is unsafe in a process running DuckDB or Streamlit threads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.ipc  # noqa: F401  (pa.ipc)

from dashboard.config import PROJECT_ROOT


def count() -> int:
    """How many workers to split work over: one per CPU."""
    return os.cpu_count() or 1


def run(module: str, inputs: list[pa.Table], what: str) -> list[pa.Table]:
    """Run `python -m module IN OUT` once per input table, all at once; the outputs in input order.
    `what` names the work in the error raised when a worker fails (Chinese, shown to the importer)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    with tempfile.TemporaryDirectory(prefix="import-workers-") as tmp:
        jobs = []
        for i, table in enumerate(inputs):
            source, target = Path(tmp) / f"in{i}.arrow", Path(tmp) / f"out{i}.arrow"
            write(source, table)
            jobs.append(
                (
                    target,
                    subprocess.Popen(
                        [sys.executable, "-m", module, str(source), str(target)],
                        env=env,
                        cwd=PROJECT_ROOT,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE,
                    ),
                )
            )
        outputs = []
        for target, process in jobs:
            _, stderr = process.communicate()
            if process.returncode != 0:
                raise RuntimeError(f"{what}失败：" + stderr.decode(errors="replace")[-2000:])
            outputs.append(read(target))
    return outputs


def serve(function: Callable[[pa.Table], pa.Table]) -> None:
    """The worker's side: read sys.argv[1], write function(table) to sys.argv[2]."""
    write(Path(sys.argv[2]), function(read(Path(sys.argv[1]))))


def write(path: Path, table: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def read(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()
