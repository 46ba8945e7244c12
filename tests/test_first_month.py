"""A first month that starts days into it (a bank's go-live on 09-20, an export of "the last 12 months" from a
mid-month date) is part of a month: nothing is compared with it (hostile H211: October read 环比 +200.0 %, red)."""

from __future__ import annotations

from datetime import date

from dashboard import db
from dashboard.analysis import cards, summary, trends
from dashboard.filters import Filters
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, write_csv, write_small_extracts

OCT = date(2026, 10, 1)


def complaint(cid: str, day: str) -> tuple:
    return (cid, f"{day} 10:00:00", f"{day} 15:00:00", "0101", "客服热线", "信用卡", "定价收费", "白金卡",
            f"K{cid}", "45", "300", "年费争议", "已办结", "已解决", "满意", "否", "产品设计")  # fmt: skip


def october(tmp_path, first_day: int):
    """September from `first_day` (3 a day), October whole (3 a day), one complaint on 11-02."""
    rows = [complaint(f"S{d}{k}", f"2026-09-{d:02d}") for d in range(first_day, 31) for k in range(3)]
    rows += [complaint(f"O{d}{k}", f"2026-10-{d:02d}") for d in range(1, 32) for k in range(3)]
    rows.append(complaint("N1", "2026-11-02"))
    files = write_small_extracts(tmp_path / "x")[:2] + [write_csv(tmp_path / "c.csv", COMPLAINT_HEADERS_ZH, rows)]
    import_files(files, tmp_path / "data")
    _, con = db.current(tmp_path / "data")
    f = Filters(month_from=OCT, month_to=OCT)
    return trends.load(trends.runner(con, f), f, OCT)


def test_a_month_after_a_partial_first_month_is_not_compared_with_it(tmp_path):
    data = october(tmp_path, 20)  # September: 11 days, 33 complaints; October: 93
    assert data.coverage.partial_first and data.coverage.starts_on == date(2026, 9, 20)
    assert data.headline["complaints"] == 93 and data.headline["mom_pct"] is None
    c = data.comparisons["complaints"]
    assert c.change is None and cards.colour_of(c) is None
    assert data.movers == {}
    text = summary.summary(data)
    assert "上月数据自09月20日起、不是整月，不计算环比" in text and "较上月增加" not in text
    september = trends.trend_table(data.kpis, OCT, data.coverage)
    assert september.set_index("month").loc[OCT, "mom_pct"] != september.set_index("month").loc[OCT, "mom_pct"]  # NaN


def test_a_first_month_from_its_first_days_is_a_whole_month(tmp_path):
    data = october(tmp_path, 2)  # 09-02: a holiday or a quiet day, not a go-live
    assert not data.coverage.partial_first
    c = data.comparisons["complaints"]
    assert c.change == 93 - 87 and c.base == 87
