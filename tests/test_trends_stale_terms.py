"""月度趋势 and the monthly briefing say when the drivers' rising terms were cut by older masking rules than
the running code's (text_status.stale_note), until `python -m dashboard rebuild`; with fresh terms they
say nothing (brief R3 item 2). The page asks its loader (trends.load), the files read the same TrendData."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from dashboard import db
from dashboard.analysis import text_status, trends
from dashboard.briefing import build
from dashboard.briefing.excel import workbook
from dashboard.briefing.html import document
from dashboard.filters import Filters
from tests.apptest_support import page_text, run_app
from tests.test_briefing_sections import write_bank

OCT = date(2026, 10, 1)
WHOLE = Filters(month_from=OCT, month_to=OCT)


def _said(bank) -> tuple[trends.TrendData, str, str, str]:
    """The loader's data, the page's text, the HTML file and the Excel file's cell texts."""
    import streamlit as st

    st.cache_data.clear()  # a release restarts the server; in one process the cached loaders are dropped
    _, con = db.current(bank)
    data = build.build(con, WHOLE, OCT)
    page = page_text(run_app("app_pages/trends.py", {"from": "2026-10", "to": "2026-10"}))
    html = document(data)
    book = openpyxl.load_workbook(io.BytesIO(workbook(data)))
    cells = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    return data, page, html, cells


def test_the_trends_page_and_the_briefing_say_rising_terms_cut_by_older_rules(tmp_path, app_env, monkeypatch):
    """The briefing fixture's bank (tests/test_briefing_sections.py): October's drivers 信用卡, 定价收费 and
    北京分行 each have a surge, so their rising terms are shown."""
    from dashboard.derived import masked_text
    from dashboard.ingest.pipeline import import_files, rebuild
    from dashboard.text import masking

    bank = tmp_path / "data"
    import_files(write_bank(tmp_path / "extracts"), bank)
    app_env(bank)
    try:
        data, page, html, cells = _said(bank)
        # the small bank's October has a driver with a surge whose terms are shown: the note has a place
        assert any(d.surge and d.terms_ready for d in data.drivers)
        assert data.terms_note == "" and text_status.STALE not in page + html + cells
        monkeypatch.setattr(masking, "MASKING_VERSION", masking.MASKING_VERSION + 1)  # a masking release
        masked_text.current_tokenizer.cache_clear()
        data, page, html, cells = _said(bank)
        assert data.terms_note == text_status.STALE
        assert text_status.STALE in page and text_status.STALE in html and text_status.STALE in cells
        assert f"说明：{text_status.STALE}" in build.one_page(data)
        rebuild(bank)  # recut with the release's rules: the note goes
        data, page, html, cells = _said(bank)
        assert data.terms_note == "" and text_status.STALE not in page + html + cells
    finally:
        monkeypatch.undo()
        masked_text.current_tokenizer.cache_clear()
