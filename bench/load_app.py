"""The app as bench/load.py serves it: `streamlit run bench/load_app.py` runs dashboard/app.py unchanged and
appends one JSON line per script run to $BENCH_SCRIPT_LOG (server-side time of the run, the session, the
page, how the run ended), so the load test can tell the server's time from the browser's.
"""

from __future__ import annotations

import json
import os
import runpy
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def _page(ctx) -> str | None:
    """The URL path of the page this run showed ('' for the default page), when Streamlit says."""
    try:
        pages = ctx.pages_manager.get_pages()
        info = pages.get(ctx.page_script_hash) or {}
        return info.get("url_pathname")
    except Exception:  # another Streamlit version: the page is unknown, not an error
        return None


def _log(started_wall: float, seconds: float, outcome: str) -> None:
    path = os.environ.get("BENCH_SCRIPT_LOG")
    if not path:
        return
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    line = json.dumps(
        {
            "t": round(started_wall, 3),
            "seconds": round(seconds, 4),
            "outcome": outcome,
            "session": getattr(ctx, "session_id", None),
            "page": _page(ctx) if ctx else None,
        }
    )
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())  # one short O_APPEND write per line: lines do not interleave
    finally:
        os.close(fd)


_wall, _start, _outcome = time.time(), time.perf_counter(), "completed"
try:
    runpy.run_path(str(APP), run_name="__main__")
except BaseException as error:  # st.stop / st.rerun end a run by raising; anything else is an error
    _outcome = type(error).__name__
    raise
finally:
    _log(_wall, time.perf_counter() - _start, _outcome)
