"""The app's page scripts by name, as absolute paths: st.switch_page and st.page_link resolve a relative path
against the entry script's folder, which is dashboard/ under `streamlit run dashboard/app.py` but not under
another entry script (bench/load_app.py, which the load and replica tests serve)."""

from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "app_pages"


def page(name: str) -> str:
    """The page script `name` (e.g. "hotspots") for st.switch_page / st.page_link."""
    return str(PAGES / f"{name}.py")
