"""A customers row for a month after the import's month (2027-10, a typo for 2026-10) is quarantined with the
reason, as a future 受理时间 is (hostile H159: imported without a word). The import's own month is accepted."""

from __future__ import annotations

from datetime import datetime

from dashboard.ingest.readers import read_extract
from dashboard.ingest.validate import validate
from tests.conftest import write_csv

HEADERS = ["机构代码", "月份", "客户数"]


def test_a_month_after_the_import_month_is_quarantined(tmp_path):
    rows = [("0101", "2027-10", 1), ("0101", "2026-12", 2), ("0101", "2026-11", 3), ("0101", "2027-01", 4)]
    extract = read_extract(write_csv(tmp_path / "m.csv", HEADERS, rows))
    result = validate(extract, {"0101"}, now=datetime(2026, 12, 3, 9, 0))
    assert list(result.clean["month"]) == ["2026-12", "2026-11"]
    assert list(result.quarantine["source_row"]) == [1, 4]
    assert all("月份晚于导入月份（2026-12）" in r for r in result.quarantine["quarantine_reason"])
    assert "2027-10" in result.quarantine["quarantine_reason"].iloc[0]
