"""Elderly customers (老年客户, customer_age >= 60) on the briefing, hotspots and rankings (issue 19), by hand on
the small bank (tests/conftest.py) with an elderly customer base (contract 7, 老年客户数): 0101 2,000 of 10,000,
0102 1,000 of 5,000, 0201 5,000 of 20,000 (September) / 25,000 (October): October 8,000 elderly customers.

October receipts: C03 (A, 0101, 信用卡, 45 y), C04 (C, 0201, referred, no age), C05 (D, 0201, 30 y), C06 (B, 0102,
借记卡, 67 y), C07 (E, 0201, 52 y). Elderly: C06 alone; without an age: C04.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard import db
from dashboard.analysis import trends
from dashboard.analysis.source import Source
from dashboard.analysis.summary import volume_sentence
from dashboard.filters import Filters
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv

OCT = date(2026, 10, 1)
ELDERLY_BASE = {"0101": 2000, "0102": 1000, "0201": 5000}


def write_elderly_bank(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_csv(
            folder / "branches.csv", ["机构代码", "机构名称", "上级机构代码", "机构层级", "省份", "城市"], BRANCHES
        ),
        write_csv(
            folder / "customers.csv",
            ["机构代码", "月份", "客户数", "老年客户数"],
            [(*row, ELDERLY_BASE[row[0]]) for row in CUSTOMERS],
        ),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, COMPLAINTS),
    ]


@pytest.fixture
def elderly_store(store_factory):
    return store_factory("elderly_base", write_elderly_bank)


def _trends(data_dir, **filters) -> trends.TrendData:
    _, con = db.current(data_dir)
    f = Filters(month_from=OCT, month_to=OCT, **filters)
    return trends.load(Source.of(con, f), f, OCT)


def test_briefing_prose_under_the_elderly_group_divides_by_elderly_customers(elderly_store):
    """Hostile finding H19: under 老年客户 the prose said 万人投诉率 = 1 elderly complaint / 40,000 customers
    (0.25); the base of elderly complaints is the 8,000 elderly customers: 1 / 8,000 x 10,000 = 1.25."""
    text = volume_sentence(_trends(elderly_store, age_group="elderly"))
    assert "共受理客户投诉1件" in text
    assert "老年客户万人投诉率（以老年客户数为分母）为1.25" in text
    assert "0.25" not in text
    everyone = volume_sentence(_trends(elderly_store))
    assert "万人投诉率为1.25" in everyone  # all 5 / 40,000 customers, the base of all complaints


def test_briefing_prose_without_an_elderly_base_says_so(small_store):
    text = volume_sentence(_trends(small_store, age_group="elderly"))
    assert "暂无法计算老年客户万人投诉率" in text and "万人投诉率为" not in text
    other = volume_sentence(_trends(small_store, age_group="non_elderly"))
    assert "共受理客户投诉3件" in other and "万人投诉率为" not in other
