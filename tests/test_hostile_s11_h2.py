"""Hostile findings of session 11, helper H2 (/work/reports/hostile.md), as tests that fail on main.

Each is marked xfail(strict=True) so the suite stays green; remove the mark when the finding is fixed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import db
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, write_csv, write_small_extracts

RECEIVED, CLOSED = "2026-10-10 09:15:37", "2026-10-12 10:20:41"


def _row(cid: str, result: str, satisfaction: str, root_cause: str) -> tuple:
    return (cid, RECEIVED, CLOSED, "0101", "客服热线", "信用卡", "定价收费", "白金卡", f"K{cid}", "45", "300",
            "年费争议", "已办结", result, satisfaction, "否", root_cause)  # fmt: skip


def _resaved(r: tuple) -> tuple:
    """As Excel writes the row back to CSV: 2026/10/10 9:15 for 2026-10-10 09:15:37."""

    def minutes(stamp: str) -> str:
        t = pd.Timestamp(stamp)
        return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"

    return (r[0], minutes(r[1]), minutes(r[2]), *r[3:])


def test_an_old_extract_with_an_empty_column_resaved_does_not_overwrite_the_newer_outcome(tmp_path):
    """H209: the first extract has no 根因分类 yet (decided later); the follow-up sets it. The first extract
    re-saved in Excel must still be recognised as old (H193), as it is when every column is filled."""
    ids = ["R1", "R2", "R3"]
    first = [_row(c, "未解决", "不满意", "") for c in ids]  # extract of 11-12: root cause not yet known
    later = [_row(c, "已解决", "满意", "产品设计") for c in ids]  # extract of 11-20: the follow-up
    data = tmp_path / "data"
    import_files(write_small_extracts(tmp_path / "a", complaints=first), data)
    (b,) = import_files([write_csv(tmp_path / "b.csv", COMPLAINT_HEADERS_ZH, later)], data).files
    assert b.updated == 3

    (old,) = import_files(
        [write_csv(tmp_path / "a_resaved.csv", COMPLAINT_HEADERS_ZH, [_resaved(r) for r in first])], data
    ).files

    _, con = db.current(data)
    after = con.sql("select result, satisfaction from complaints order by complaint_id").fetchall()
    assert after == [("已解决", "满意")] * 3  # main: [("未解决", "不满意")] * 3, reported as 更新 3
    assert (old.updated, old.skipped_older) == (0, 3)


PASSBOOK = "0200001234567890123"  # 19 digits, an ICBC-style passbook number: no card BIN, no Luhn digit


@pytest.mark.parametrize(
    "text",
    [
        f"存折号{PASSBOOK}",
        f"存折号码是 {PASSBOOK}",
        f"存折{PASSBOOK}丢了",
        f"存单号{PASSBOOK}",
        f"我的工资卡{PASSBOOK}",
    ],
)
def test_a_passbook_or_salary_card_number_is_masked(text):
    from dashboard.text.masking import mask

    assert "1234567890" not in mask(text)  # main: printed unchanged


def test_a_user_matched_by_subject_is_not_recorded_under_an_unverified_email():
    from dashboard.auth import roles

    entries = roles.parse(
        '[[users]]\nemail = "cp@bank.test"\nrole = "消保部"\n\n[[users]]\nsub = "sh-0002"\nrole = "分行"\norg = "0200"\n'
    )
    who = roles.resolve(entries, "cp@bank.test", "sh-0002", False)
    assert (who.role, who.org) == ("分行", "0200")  # H85 holds: the subject decides the entry
    assert who.user == "sh-0002"  # main: 'cp@bank.test', the audit log's and the ledger's name for this user


def test_a_months_overdue_count_leaves_out_items_created_and_due_after_the_month():
    from datetime import date

    from dashboard.analysis.leadership import rectification

    items = pd.DataFrame(
        [  # as Ledger.items(2026-12-04): created 11-10, due 11-30, not done: overdue today, not in October
            {"id": 3, "created_at": "2026-11-10 09:00:00", "due_date": "2026-11-30", "status": "待整改",
             "fixed_at": None, "overdue": True},
        ]
    )  # fmt: skip
    october = rectification(None, items, date(2026, 10, 1), None, None)
    assert (october.opened, october.due) == (0, 0)
    assert october.overdue == 0  # main: 1, printed in October's briefing as "已逾期 1 项 … 建议督办"


def test_overdue_at_the_months_end_by_hand():
    from datetime import date

    from dashboard.analysis.leadership import overdue_at

    items = pd.DataFrame(
        [
            {"created_at": "2026-10-01 09:00:00", "due_date": "2026-10-20", "status": "待整改", "fixed_at": None},  # yes
            {"created_at": "2026-10-01 09:00:00", "due_date": "2026-10-20", "status": "已整改", "fixed_at": "2026-10-25"},
            {"created_at": "2026-10-01 09:00:00", "due_date": "2026-10-20", "status": "已整改", "fixed_at": "2026-11-05"},  # yes: late
            {"created_at": "2026-10-01 09:00:00", "due_date": "2026-10-31", "status": "整改中", "fixed_at": None},  # yes
            {"created_at": "2026-10-01 09:00:00", "due_date": None, "status": "待整改", "fixed_at": None},
            {"created_at": "2026-11-02 09:00:00", "due_date": "2026-11-20", "status": "待整改", "fixed_at": None},
        ]
    )  # fmt: skip
    assert overdue_at(items, date(2026, 11, 1)) == 3
    assert overdue_at(items, date(2026, 10, 31)) == 2  # the item due 10-31 is not overdue on its day
    assert overdue_at(items, date(2026, 12, 4)) == 3  # today: the November item too, the late fix done by now
