"""Text cells of exported files can never run as formulas (CSV / formula injection, OWASP).

Every CSV and Excel file the app or the command line writes passes its tables through
:func:`neutralise_frame` (or single values through :func:`neutralise`): a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so Excel, WPS and
LibreOffice show it as text instead of evaluating it (a ledger title ``=HYPERLINK(...)`` typed by a
branch user stays a title when 消保部 opens the export). Numbers, dates and missing values are left
alone: a negative amount is a number, not text. Excel writers also get ``strings_to_formulas`` off
(:data:`XLSX_OPTIONS`), a second lock on the same door.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["XLSX_OPTIONS", "neutralise", "neutralise_frame"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def neutralise(value):
    """The value as a cell that cannot be a formula; non-strings unchanged."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column headers) are neutralised; other columns untouched."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(neutralise, na_action="ignore")
    out.columns = [neutralise(c) for c in out.columns]
    return out
