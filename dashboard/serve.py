"""`python -m dashboard serve [streamlit options]`: the dashboard's server, warmed up before its first visitor.

Streamlit runs the app script only when a browser connects, so the first visitor after a start used to
pay for importing the analysis libraries (pandas, DuckDB, plotly: about a second) and for opening the
current snapshot, after having waited for the front end to load. Here a background thread does both while
the server starts and the browser loads the front end; the first script run then finds them done.
Nothing is shown or cached for any user: the warm-up only imports modules and opens the shared read
connection (dashboard/db.py keeps one per snapshot for every session).
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def warm_up() -> None:
    """Import what the first page needs and open the current snapshot; a failure here only costs speed
    (the first script run does the same work and reports any error to the user)."""
    try:
        import plotly.graph_objects as go

        from dashboard import config, db
        # what app.py and the default page (app_pages/trends.py, a script: not imported itself) import
        from dashboard.analysis import summary, trends  # noqa: F401
        from dashboard.briefing import build  # noqa: F401
        from dashboard.charts import trends as trend_charts  # noqa: F401
        from dashboard.ui import context, download, fmt, identity, sidebar  # noqa: F401

        go.Figure(go.Bar(x=[1], y=[1])).to_json()   # plotly loads its validators on the first figure
        db.current(config.data_dir())
    except Exception:  # noqa: BLE001  (see the docstring)
        pass


def main(streamlit_args: list[str]) -> int:
    from streamlit.web import cli

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    sys.argv = ["streamlit", "run", str(APP), *streamlit_args]
    return cli.main()
