"""Where things live and the contract's default thresholds (every page shows the ones it uses)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"


def data_dir() -> Path:
    """The data folder: $COMPLAINTS_DATA_DIR, else data/ beside the code."""
    return Path(os.environ.get("COMPLAINTS_DATA_DIR", PROJECT_ROOT / "data")).resolve()


# Contract section 6 defaults.
DEADLINE_DAYS = 15  # regulator's deadline for a decision
REPEAT_WINDOW_DAYS = 30  # repeat complaint: same customer, same category, within this many days
RECURRING_MIN_MONTHS = 3  # recurring issue: present in at least this many ...
RECURRING_WINDOW_MONTHS = 6  # ... of the last this many months
SURGE_MIN_RATIO = 1.5  # surge: month >= baseline x 1.5
SURGE_MIN_EXTRA = 10  # ... and at least 10 complaints above it
SURGE_MAX_P = 0.01  # ... and Poisson p < 0.01
SURGE_BASELINE_MONTHS = 6
ELDERLY_AGE = 60


def _env_int(name: str, default: int) -> int:
    """An integer setting from the environment; a value that is not a positive integer is refused."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"环境变量 {name} 应为正整数，实际为“{raw}”") from None
    if value <= 0:
        raise ValueError(f"环境变量 {name} 应为正整数，实际为“{raw}”")
    return value


# Data older than this many days (the snapshot's as-of before today) is flagged on every page, in the
# briefing and the report (metrics.data_age); environment variable of the same name.
DATA_STALE_DAYS = _env_int("DATA_STALE_DAYS", 3)

# Import limits (docs/import_limits.md), checked before the work that they bound; each can be set by
# the environment variable of the same name.
IMPORT_MAX_FILE_MB = _env_int("IMPORT_MAX_FILE_MB", 2048)  # an extract file on disk
IMPORT_MAX_ROWS = _env_int("IMPORT_MAX_ROWS", 5_000_000)  # data rows of one file
IMPORT_MAX_COLUMNS = _env_int("IMPORT_MAX_COLUMNS", 500)  # columns of one file
IMPORT_MAX_CELL_CHARS = _env_int("IMPORT_MAX_CELL_CHARS", 20_000)  # characters of one value (a narrative)
# A 受理/办结时间 before this year is an exporter's null date (1970-01-01, 1900-01-01, 1899-12-30), not a complaint
IMPORT_EARLIEST_YEAR = _env_int("IMPORT_EARLIEST_YEAR", 2000)
IMPORT_MAX_XLSX_XML_MB = _env_int("IMPORT_MAX_XLSX_XML_MB", 1024)  # a .xlsx sheet once unzipped
IMPORT_CHILD_MEMORY_MB = _env_int("IMPORT_CHILD_MEMORY_MB", 8192)  # address space of an upload's import process
IMPORT_CHILD_TIMEOUT_S = _env_int("IMPORT_CHILD_TIMEOUT_S", 3600)  # an upload's import process is ended after
