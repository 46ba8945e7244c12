"""A unit in a header that is not the contract's (涉及金额（万元）, 客户数（万户）, 受理时间（UTC）) refuses the file naming the
header, before anything changes; the contract's own units (元, 户, 天, 岁, 北京时间) are read as before (hostile H165:
12.5 万元 was stored as 12.50 yuan, a customer base in 万户 made the 万人投诉率 7,898.6)."""

from __future__ import annotations

import pytest

from dashboard.ingest.errors import ExtractError
from dashboard.ingest.readers import read_extract
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv


def _headers(**renamed):
    return [renamed.get(h, h) for h in COMPLAINT_HEADERS_ZH]


@pytest.mark.parametrize(
    "header, unit",
    [("涉及金额（万元）", "万元"), ("涉及金额(美元)", "美元"), ("受理时间（UTC）", "UTC")],
)
def test_a_header_unit_other_than_the_contracts_is_refused(tmp_path, header, unit):
    column = header[:4]
    path = write_csv(tmp_path / "u.csv", _headers(**{column: header}), COMPLAINTS[:2])
    with pytest.raises(ExtractError) as refused:
        read_extract(path)
    message = str(refused.value)
    assert "u.csv" in message and header in message and f"“{unit}”" in message


def test_customer_counts_in_ten_thousands_are_refused(tmp_path):
    path = write_csv(tmp_path / "c.csv", ["机构代码", "月份", "客户数（万户）"], [("0101", "2026-10", "1.2")])
    with pytest.raises(ExtractError, match="万户"):
        read_extract(path)


def test_the_contracts_own_units_are_read(tmp_path):
    headers = _headers(涉及金额="涉及金额（元）", 客户年龄="客户年龄(岁)", 受理时间="受理时间（北京时间）")
    extract = read_extract(write_csv(tmp_path / "ok.csv", headers, COMPLAINTS[:2]))
    assert list(extract.frame["amount"].fillna("")) == ["300", ""]
    path = write_csv(tmp_path / "c.csv", ["机构代码", "月份", "客户数（户）"], [("0101", "2026-10", "12000")])
    assert list(read_extract(path).frame["customer_count"]) == ["12000"]
