"""上午/下午 (and 凌晨, 早上, 中午, 晚上) before a time, the display of Excel's Chinese time formats, are read like
AM/PM (hostile H150: 3,000 rows quarantined, and not even a mapping could read them)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest.dates import parse_datetimes


def test_chinese_half_day_words_are_read_like_am_and_pm():
    values = pd.Series(
        [
            "2026年11月2日 下午2:30",
            "2026-11-02 上午9:05",
            "2026/11/2 晚上11:00",
            "2026年11月2日 中午12:10",
            "2026年11月2日 凌晨12:30",
            "2026-11-02 下午14:30",  # a 24-hour time after 下午 says the same
            "2026-11-02 上午13:00",  # no such time
        ]
    )
    parsed = parse_datetimes(values, "受理时间", "received_at")
    got = [None if pd.isna(v) else str(v)[11:16] for v in parsed.values]
    assert got == ["14:30", "09:05", "23:00", "12:10", "00:30", "14:30", None]
