"""Text cells of exported files can never run as formulas (CSV / formula injection, OWASP).

CSV: every CSV the app or the command line writes passes its tables through :func:`neutralise_frame`
(or single values through :func:`neutralise`): a text cell that starts with ``=``, ``+``, ``-``, ``@`` (or
a form NFKC folds to one: full-width ＝, small ﹦, superscript ⁼), a tab or a carriage return gets a leading apostrophe, so Excel, WPS and
LibreOffice opening the CSV show it as text instead of evaluating it (a ledger title ``=HYPERLINK(...)`` typed by a branch user stays a
title when 消保部 opens the export). A CSV has no cell types, so the apostrophe is the only lock there.

Excel: an .xlsx does have cell types, so the value is kept as written: every writer has
``strings_to_formulas`` off (:data:`XLSX_OPTIONS`: a string is stored as a text cell, never a
formula), and :func:`excel_sheet` rewrites each text cell that starts with a trigger as a text cell
with Excel's quote prefix (``quotePrefix``), which keeps it text when a reader edits the cell and
re-enters it. The reader sees ``=HYPERLINK(...)`` without a stray apostrophe. Numbers, dates and
missing values are left alone: a negative amount is a number, not text.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

__all__ = ["XLSX_OPTIONS", "excel_sheet", "is_trigger", "neutralise", "neutralise_frame", "quote_prefixed"]

# Full-width signs too (H64): a spreadsheet that folds full-width input would read ＝SUM(...) as a formula.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def is_trigger(value) -> bool:
    """A text value a spreadsheet would read as a formula: a trigger first, or a first character that folds
    to one under NFKC, as the full-width ones do (hostile H258: the small ﹦ ﹢ ﹣ ﹫ and the super/subscript
    ⁼ ⁺ ₌ ₊ fold the same way and were left as they are)."""
    return isinstance(value, str) and bool(value) and unicodedata.normalize("NFKC", value[0]).startswith(_TRIGGERS)


def neutralise(value):
    """The value as a CSV cell that cannot be a formula; non-strings unchanged."""
    return "'" + value if is_trigger(value) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for CSV whose text cells (and column headers) are neutralised; other columns untouched."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(neutralise, na_action="ignore")
    out.columns = [neutralise(c) for c in out.columns]
    return out


def quote_prefixed(book, properties: dict | None = None):
    """An xlsxwriter format that marks a cell as text with Excel's quote prefix (optionally on top of
    other format properties)."""
    return book.add_format({**(properties or {}), "quote_prefix": True})


def excel_sheet(writer: pd.ExcelWriter, frame: pd.DataFrame, sheet_name: str, **to_excel) -> None:
    """Write a frame to a sheet of an xlsxwriter ExcelWriter (opened with XLSX_OPTIONS), values as they
    are; text cells and headers starting with a trigger become quote-prefixed text cells."""
    frame.to_excel(writer, sheet_name=sheet_name, index=False, **to_excel)
    sheet = writer.sheets[sheet_name]
    text = None
    for col, column in enumerate(frame.columns):
        cells = [(0, column)] if is_trigger(column) else []
        series = frame[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            cells += [(row, value) for row, value in enumerate(series.tolist(), start=1) if is_trigger(value)]
        for row, value in cells:
            text = text or quote_prefixed(writer.book)
            sheet.write_string(row, col, value, text)
