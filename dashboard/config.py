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
DEADLINE_DAYS = 15            # regulator's deadline for a decision
REPEAT_WINDOW_DAYS = 30       # repeat complaint: same customer, same category, within this many days
RECURRING_MIN_MONTHS = 3      # recurring issue: present in at least this many ...
RECURRING_WINDOW_MONTHS = 6   # ... of the last this many months
SURGE_MIN_RATIO = 1.5         # surge: month >= baseline x 1.5
SURGE_MIN_EXTRA = 10          # ... and at least 10 complaints above it
SURGE_MAX_P = 0.01            # ... and Poisson p < 0.01
SURGE_BASELINE_MONTHS = 6
ELDERLY_AGE = 60
