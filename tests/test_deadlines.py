"""The deadline clock with granted deadlines (contract 7, issue 19), worked out by hand on the small bank
(tests/conftest.py) with two complaints added and C04 extended:

    C09  received 2026-10-01 08:00, closed 2026-10-26 08:00 (25 days), deadline 30  -> on time
    C10  the same, no deadline (15)                                                  -> late
    C04  open since 2026-10-05 12:00, deadline 30; as-of 2026-10-31 10:00 (C07's closure):
         25.92 days used of 30 (86 %): not overdue, a deadline warning with 4.08 days left
October then: closed C03 (15 days exactly, on time), C06, C07, C09 (on time), C10 (late): 5 closed, 4 on
time; open C04 (within 30 days), C05 (5.8 of 15 days): 0 overdue. On-time rate 4 / (5 + 0) = 0.8.
Extended: C04, C09 (2); closed 1, on time 1, open past deadline 0: extension on-time rate 1 / 1.
Without the extensions (all 15): C04 overdue (25.9 > 15) and C09 late: on time 3 / (5 + 1) = 0.5.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from dashboard import db, report
from dashboard.analysis import deadlines, trends
from dashboard.filters import Filters
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv

OCT = date(2026, 10, 1)
HEADERS = COMPLAINT_HEADERS_ZH + ["办理时限（天）"]


def extra_rows(extended: bool) -> list[list[str]]:
    rows = [list(c) + [""] for c in COMPLAINTS]
    if extended:
        rows[3][-1] = "30"  # C04
    base = [
        "2026-10-01 08:00:00",
        "2026-10-26 08:00:00",
        "0101",
        "客服热线",
        "信用卡",
        "定价收费",
        "",
        "Z",
        "70",
        "",
        "账单分期",
        "已办结",
        "已解决",
        "满意",
        "否",
        "",
    ]
    rows.append(["C09", *base, "30" if extended else ""])
    rows.append(["C10", *base[:7], "Y", *base[8:], ""])
    return rows


def writer(extended: bool):
    def write(folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        return [
            write_csv(
                folder / "branches.csv", ["机构代码", "机构名称", "上级机构代码", "机构层级", "省份", "城市"], BRANCHES
            ),
            write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
            write_csv(folder / "complaints.csv", HEADERS, extra_rows(extended)),
        ]

    return write


@pytest.fixture
def extended_store(store_factory):
    return store_factory("deadlines_extended", writer(True))


@pytest.fixture
def plain_store(store_factory):
    return store_factory("deadlines_plain", writer(False))


def october(data_dir) -> dict:
    _, con = db.current(data_dir)
    return db.run(con, "kpis_by_month", **Filters(month_from=OCT, month_to=OCT).params()).iloc[0].to_dict()


def timeliness(data_dir, complaint_id: str) -> str:
    _, con = db.current(data_dir)
    rows = db.run(con, "complaints_detail", **Filters(month_from=OCT, month_to=OCT).params(complaint_id=complaint_id))
    return rows["timeliness"].iloc[0]


def test_extended_to_30_and_closed_on_day_25_is_on_time(extended_store):
    assert timeliness(extended_store, "C09") == "on_time"
    assert timeliness(extended_store, "C10") == "late"  # not extended: 25 > 15
    assert timeliness(extended_store, "C04") == "open"  # open 25.9 days of 30


def test_not_extended_is_not_on_time(plain_store):
    assert timeliness(plain_store, "C09") == "late"
    assert timeliness(plain_store, "C04") == "open_overdue"


def test_on_time_rate_uses_each_complaints_deadline(extended_store):
    k = october(extended_store)
    assert (k["closed"], k["on_time"], k["open_overdue"]) == (5, 4, 0)
    assert k["on_time_rate"] == pytest.approx(0.8)
    assert (k["extended"], k["extended_closed"], k["extended_on_time"], k["extended_open_overdue"]) == (2, 1, 1, 0)
    assert k["extension_on_time_rate"] == pytest.approx(1.0)


def test_on_time_rate_without_extensions(plain_store):
    p = october(plain_store)
    assert (p["closed"], p["on_time"], p["open_overdue"], p["extended"]) == (5, 3, 1, 0)
    assert p["on_time_rate"] == pytest.approx(0.5)
    assert p["extension_on_time_rate"] is None or p["extension_on_time_rate"] != p["extension_on_time_rate"]


def test_report_kpis_follow_the_granted_deadline(extended_store):
    _, con = db.current(extended_store)
    k = report.kpis(con, Filters(month_from=OCT, month_to=OCT), OCT)
    assert k["on_time_rate"] == pytest.approx(0.8) and k["open_overdue"] == 0


def warnings_of(data_dir) -> deadlines.DeadlineData:
    _, con = db.current(data_dir)
    filters = Filters(month_from=OCT, month_to=OCT)
    run = trends.runner(con, filters)
    return deadlines.load(
        run, filters, OCT, run("kpis_by_month", month_from=OCT, month_to=OCT), datetime(2026, 10, 31, 10)
    )


def test_deadline_warning_list(extended_store):
    _, con = db.current(extended_store)
    filters = Filters(month_from=OCT, month_to=OCT)
    run = trends.runner(con, filters)
    kpis = run("kpis_by_month", month_from=OCT, month_to=OCT)
    data = deadlines.load(run, filters, OCT, kpis, datetime(2026, 10, 31, 10))
    assert list(data.warnings["complaint_id"]) == ["C04"]
    row = data.warnings.iloc[0]
    assert row["granted_days"] == 30 and bool(row["extended"])
    assert row["days_left"] == pytest.approx(30 - (25 + 22 / 24))
    assert row["used_share"] == pytest.approx((25 + 22 / 24) / 30)
    assert row["tier1_name"] == "上海分行"
    assert row["deadline_at"] == datetime(2026, 11, 4, 12)
    by_branch = data.warnings_by_branch
    assert list(by_branch["branch_code"]) == ["0201"] and list(by_branch["warnings"]) == [1]
    assert (data.extended, data.extension_on_time_rate) == (2, 1.0)


def test_no_warning_past_the_deadline_or_early_in_it(plain_store):
    # 15 days: C04 is overdue, not a warning; C05 has used 5.8 of 15 days (39 %): not one either
    assert warnings_of(plain_store).warnings.empty


def test_warning_months_cover_the_longest_deadline():
    assert deadlines.warning_months(datetime(2026, 10, 31, 10)) == (date(2026, 8, 1), date(2026, 10, 1))
    assert deadlines.warning_months(datetime(2026, 3, 1)) == (date(2025, 12, 1), date(2026, 3, 1))


@pytest.fixture
def late_extended_store(store_factory):
    """As extended_store, but C09 (extended to 30 days) closed on 11-05, 35 days after its receipt: late."""

    def write(folder: Path) -> list[Path]:
        files = writer(True)(folder)
        rows = extra_rows(True)
        next(r for r in rows if r[0] == "C09")[2] = "2026-11-05 08:00:00"
        return [*files[:2], write_csv(folder / "complaints.csv", HEADERS, rows)]

    return store_factory("deadlines_late_extended", write)


def test_the_briefing_carries_every_deadline_figure_of_the_page(late_extended_store):
    # hostile H194: the HTML had no 延期后仍超期 row (its note named it), the Excel no deadline figure at all, and
    # counts had no 件. By hand: extended C09 closed on day 35 of 30, which moves the data time to 11-05 08:00,
    # where C04 (received 10-05 12:00, extended to 30 days, open) is 30.8 days old: both late.
    import io

    import openpyxl

    from dashboard.briefing import build, lens
    from dashboard.briefing.excel import workbook

    _, con = db.current(late_extended_store)
    data = build.build(con, Filters(month_from=OCT, month_to=OCT), OCT)
    assert data.deadline.extended_late == 2
    shown = {label.replace("（暂估）", ""): value for label, value, _ in lens.rows(data)}
    assert shown["延长办理时限的投诉"] == "2 件" and shown["延期后仍超期"] == "2 件"
    assert shown["延期按时办结率"] == "0.0%"  # 0 on time of 1 closed + 1 open past the deadline
    assert shown["临期预警（截至数据时点）"].endswith(" 件")
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(workbook(data)))[lens.SHEET].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "延长办理时限的投诉（件）")
    assert rows[at][:4] == [
        "延长办理时限的投诉（件）",
        "延期按时办结率",
        "延期后仍超期（件）",
        "临期预警（件，截至数据时点）",
    ]
    assert rows[at + 1][:3] == [2, 0, 2]  # numbers, not text
