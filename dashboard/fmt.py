"""Numbers as Chinese readers expect them: thousands separators, 万 for large counts, % and —; and as the
report command's JSON holds them (json_scalar)."""

from __future__ import annotations

import math
import re

import pandas as pd

DASH = "—"


def json_scalar(value):
    """A value as JSON holds it: NaN and NA -> None (null), numpy scalars -> Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count(value) -> str:
    if _missing(value):
        return DASH
    value = float(value)
    if abs(value) >= 100_000:
        return f"{value / 10_000:,.1f}万"
    return f"{value:,.0f}"


def rate(value, digits: int = 1) -> str:
    """A fraction 0..1 as a percentage."""
    return DASH if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def pct(value, digits: int = 1, signed: bool = True) -> str:
    """A value already in percent (环比, 同比)."""
    if _missing(value):
        return DASH
    return f"{float(value):+.{digits}f}%" if signed else f"{float(value):.{digits}f}%"


def per10k(value) -> str:
    return DASH if _missing(value) else f"{float(value):.2f}"


def days(value) -> str:
    return DASH if _missing(value) else f"{float(value):.1f} 天"


def wan(value) -> str:
    """An amount in yuan as 万元, two decimals as in every table, the unit said by the caller (a page's label, the briefing's
    text): the page and the briefing show the same number (hostile H170)."""
    return DASH if _missing(value) else f"{float(value) / 10_000:,.2f}"


def by_unit(value, unit: str) -> str:
    return {"count": count, "rate": rate, "pct": pct, "per10k": per10k, "days": days}[unit](value)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def literal(text) -> str:
    """Text from the URL or the extract (a product, a search, a narrative) drawn inside Streamlit Markdown
    (st.markdown, captions, button labels) as the characters it is: every Markdown character escaped, so that
    `![x](http://…)` is not an image fetched from elsewhere, nor a link or :red[…] a colour (hostile H20)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))
