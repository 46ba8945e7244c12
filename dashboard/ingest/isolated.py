"""An upload's import in a child process under a memory limit, so that no file can end the app's server.

A hostile or huge file can exhaust memory or abort native code (a C++ std::bad_alloc ends the process);
in the Streamlit server that would end every user's session. The page runs `python -m
dashboard.ingest.isolated JOB` instead: the child limits its own address space (RLIMIT_AS,
config.IMPORT_CHILD_MEMORY_MB), runs the audited import, reports steps on stdout and pickles its outcome.
The parent ends a child that runs longer than config.IMPORT_CHILD_TIMEOUT_S (a native thread that fails
to start under the limit can leave it waiting forever). If the child dies, the parent records the outcome in
the audit log and raises a Chinese ExtractError. A failure is "nothing changed" only if no snapshot logging a
new import was published since the child started: a failure after the publish (the audit's outcome line, the
narrative analysis, the child's end) raises PublishedThenFailed, which says the version that stands.
"""

from __future__ import annotations

import os
import pickle
import re
import resource
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable

from dashboard import config
from dashboard.auth import audit
from dashboard.auth.roles import Principal
from dashboard.ingest import store
from dashboard.ingest.errors import AnalysisInterrupted, ExtractError, PublishedThenFailed, published_message

_STEP = "step "


def run(
    paths: list[Path],
    data_dir: Path,
    mapping_path,
    who: Principal | str,
    *,
    force: bool = False,
    accept_unmapped: bool = False,
    progress: Callable[[str], None] = lambda step: None,
):
    """The ImportResult of the import in a child process; ExtractError (Chinese) when it failed."""
    from dashboard.ingest.pipeline import PHASE_NUMBERS  # here: the child module loads it after its limit

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(config.PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    before = store.current_snapshot(data_dir)
    before_latest = _latest_import(before)
    with tempfile.TemporaryDirectory(prefix="import-job-") as tmp:
        job, outcome, errors = (Path(tmp) / n for n in ("job.pickle", "outcome.pickle", "stderr.txt"))
        job.write_bytes(
            pickle.dumps(
                {
                    "paths": [Path(p) for p in paths],
                    "data_dir": Path(data_dir),
                    "mapping_path": mapping_path,
                    "who": who,
                    "force": force,
                    "accept_unmapped": accept_unmapped,
                    "outcome": outcome,
                    "memory_mb": config.IMPORT_CHILD_MEMORY_MB,
                    # the key the app read from its secrets ([audit] key), which the child's environment
                    # lacks (hostile H155: every upload failed with the key set as documented); the job
                    # file lies in a folder only this user can read (tempfile)
                    "audit_key": audit.configured_key(),
                }
            )
        )
        with open(errors, "wb") as stderr_file:  # a file, not a pipe: a chatty child cannot block on it
            child = subprocess.Popen(
                [sys.executable, "-m", "dashboard.ingest.isolated", str(job)],
                env=env,
                cwd=config.PROJECT_ROOT,
                stdout=subprocess.PIPE,
                stderr=stderr_file,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
            timer = threading.Timer(config.IMPORT_CHILD_TIMEOUT_S, child.kill)
            timer.start()
            numbers = None  # the version a two-step publish's first step published, once it says so
            for line in child.stdout:
                if line.startswith(_STEP):
                    step = line[len(_STEP) :].rstrip("\n")
                    if step.startswith(PHASE_NUMBERS):
                        found = re.search(r"数据版本 (v\d+)", step)
                        numbers = found.group(1) if found else "?"
                    progress(step)
            code = child.wait()
            timer.cancel()
        stderr = errors.read_text(encoding="utf-8", errors="replace")
        if code == 0 and outcome.exists():
            kind, value = pickle.loads(outcome.read_bytes())
            if kind == "ok":
                return value
            published = _published_since(data_dir, before, before_latest)
            if published is not None:  # it failed after its publish (H: not "nothing changed")
                pending = bool(published.meta.get("text_pending"))
                raise PublishedThenFailed(published_message(published.version, pending, value), published.version)
            if kind == "internal":
                raise ExtractError(f"导入时发生内部错误，未导入：{value}")
            raise ExtractError(value)
    limits = (
        f"可能是文件过大或内容异常，超出了导入进程的内存上限 {config.IMPORT_CHILD_MEMORY_MB:,} MB"
        f"（IMPORT_CHILD_MEMORY_MB）或时间上限 {config.IMPORT_CHILD_TIMEOUT_S:,} 秒（IMPORT_CHILD_TIMEOUT_S）。"
    )
    if numbers is not None:  # the numbers are published (and audited by the child): only the analysis is lost
        from dashboard.text.masking import mask

        message = (
            f"导入进程在发布数字（数据版本 {numbers}）之后、投诉内容分析完成之前异常退出（退出码 {code}），{limits}"
            "数字已发布，各页面已显示新数据；热点词与相似投诉未完成，下次导入或运行 python -m dashboard rebuild 时补算。"
        )
        detail = {"files": audit.file_names(paths), "ok": True, "stage": "analysis", "version": numbers}
        detail |= {"numbers_version": numbers, "text_error": mask(message + " " + stderr[-500:])}
        audit.record("import", who, detail, data_dir=data_dir)
        raise AnalysisInterrupted(message)
    published = _published_since(data_dir, before, before_latest)
    if published is not None:  # a one-step publish, then the child died before it could report
        from dashboard.text.masking import mask

        cause = f"导入进程在发布后异常退出（退出码 {code}），{limits}"
        message = published_message(published.version, bool(published.meta.get("text_pending")), cause)
        detail = {"files": audit.file_names(paths), "ok": True, "version": published.version}
        detail |= {"text_error": mask(message + " " + stderr[-500:])}
        audit.record("import", who, detail, data_dir=data_dir)
        raise PublishedThenFailed(message, published.version)
    message = (
        f"导入进程异常退出（退出码 {code}），可能是文件过大或内容异常，超出了导入进程的内存上限 "
        f"{config.IMPORT_CHILD_MEMORY_MB:,} MB（IMPORT_CHILD_MEMORY_MB）或时间上限 "
        f"{config.IMPORT_CHILD_TIMEOUT_S:,} 秒（IMPORT_CHILD_TIMEOUT_S）。应用与已有数据均未受影响。"
    )
    audit.record_import(who, paths, error=message + " " + stderr[-500:], data_dir=data_dir)
    raise ExtractError(message)


def _latest_import(snapshot: store.Snapshot | None):
    """The time of the newest import a snapshot logs (None: no snapshot, or an empty log)."""
    import pandas as pd

    if snapshot is None:
        return None
    log = pd.read_parquet(snapshot.table("imports"), columns=["imported_at"])
    return None if log.empty else pd.Timestamp(log["imported_at"].max())


def _published_since(data_dir: Path, before: store.Snapshot | None, before_latest) -> store.Snapshot | None:
    """The published snapshot when it is newer than `before` and logs an import newer than `before_latest`
    (a rebuild or an undo publishes no new import); None when the store holds what it held."""
    now = store.current_snapshot(data_dir)
    if now is None or (before is not None and now.version == before.version):
        return None
    latest = _latest_import(now)
    if latest is None or (before_latest is not None and latest <= before_latest):
        return None
    return now


def _child(job_path: Path) -> None:
    job = pickle.loads(job_path.read_bytes())
    memory_mb = job["memory_mb"]
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    from dashboard.ingest import audited  # after the limit: the heavy imports count against it

    audit.use_key(job.get("audit_key"))

    def progress(step: str) -> None:
        print(_STEP + step, flush=True)

    try:
        result = audited.run(
            job["paths"],
            job["data_dir"],
            job["mapping_path"],
            job["who"],
            force=job["force"],
            accept_unmapped=job["accept_unmapped"],
            progress=progress,
        )
        outcome = ("ok", result)
    except ExtractError as error:
        outcome = ("error", str(error))
    except MemoryError:
        outcome = (
            "error",
            f"导入所需内存超出导入进程的上限 {memory_mb:,} MB（IMPORT_CHILD_MEMORY_MB），未导入。请拆分文件后再导入。",
        )
    except Exception as error:  # already in the audit log (audited.run); the page shows it in Chinese
        # "internal": the parent says 未导入 only if nothing was published (an audit line can fail after it)
        outcome = ("internal", f"{type(error).__name__}: {str(error)[:500]}")
    job["outcome"].write_bytes(pickle.dumps(outcome))


if __name__ == "__main__":
    _child(Path(sys.argv[1]))
