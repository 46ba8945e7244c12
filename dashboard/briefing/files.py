"""The monthly briefing written as its two files from one TrendData (dashboard.briefing.build loads it;
dashboard.briefing.excel and .html render it)."""

from __future__ import annotations

from pathlib import Path

from dashboard.analysis import trends
from dashboard.briefing import build
from dashboard.briefing.excel import workbook
from dashboard.briefing.html import document


def write(data: trends.TrendData, out_dir: Path, notes: str | None = None) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = build.file_stem(data)
    xlsx, html = out_dir / f"{stem}.xlsx", out_dir / f"{stem}.html"
    xlsx.write_bytes(workbook(data, notes))
    html.write_text(document(data, notes), encoding="utf-8")
    return xlsx, html
