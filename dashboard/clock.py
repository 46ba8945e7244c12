"""The one time zone: every time the app stores or shows is Asia/Shanghai (the contract's time zone).

The server's own clock may be UTC (containers usually are); naive `datetime.now()` would then be eight
hours off the extracts' times and the audit log. Pages label this once (`LABEL`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
LABEL = "时间均为北京时间（UTC+8）"


def now() -> datetime:
    """The current time in Asia/Shanghai, with its offset."""
    return datetime.now(ZONE)


def local_now() -> datetime:
    """The current Asia/Shanghai wall-clock time without offset (for naive columns and text stamps)."""
    return now().replace(tzinfo=None)


def today() -> date:
    return now().date()
