"""The 本月新情况 page (AppTest) on the demo bank: the month's events, the mortgage wave under its surge, a
typical case masked, and an item opened from an event."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ledger.store import Ledger

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def test_events_page_lists_the_month_and_opens_an_item(demo_store, app_env, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(demo_store, data)
    gt = json.loads((demo_store.parent / "extracts" / "ground_truth.json").read_text(encoding="utf-8"))
    app_env(data)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/events.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "本月新情况"
    text = " ".join(m.value for m in at.markdown)
    assert "产品：个人住房贷款 投诉激增" in text and "波次" in text
    assert "p = " not in text and "极显著" in text  # p-values in words on the face of the page
    year, month = gt["last_month"].split("-")
    assert f"{year}年{int(month)}月" in at.caption[0].value or gt["last_month"] in at.caption[0].value
    at.text_input(key="ev_item_0_title").set_value("房贷利率调整未生效整改")
    [b for b in at.button if b.label == "建立"][0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    items = Ledger(data).items(date(2026, 11, 23))
    assert items["source"].tolist() == ["surge"] and items["title"].tolist() == ["房贷利率调整未生效整改"]
    assert len(items["complaint_ids"].iloc[0]) > 10
