"""YYYYMMDDHHMMSS, the timestamp batch extracts write (to_char(…, 'YYYYMMDDHH24MISS')), is read like YYYYMMDD
with its time (hostile H161: every row was quarantined as 无法解析为日期)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest.dates import parse_datetimes


def test_fourteen_digit_timestamps_are_read_with_their_time():
    values = pd.Series(["20261101093000", "20261231235959", "20261301000000", "20261101246000", "20261102"])
    parsed = parse_datetimes(values, "受理时间", "received_at")
    got = [None if pd.isna(v) else str(v) for v in parsed.values]
    # by hand: month 13 and hour 24 are no times; the 8-digit date still reads as midnight
    assert got == ["2026-11-01 09:30:00", "2026-12-31 23:59:59", None, None, "2026-11-02 00:00:00"]
    assert list(parsed.failed) == [False, False, True, True, False]
