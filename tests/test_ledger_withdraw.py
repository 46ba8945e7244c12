"""Withdrawing a rectification item (撤销, hostile H133's leftover): an item opened in error or twice leaves
every list and count, keeps its history, and 消保部 alone withdraws or restores it.

The small bank (tests/conftest.py): 北京分行 0100 with 0101, 0102; 上海分行 0200 with 0201.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pandas as pd
import pytest

from dashboard import db
from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, LEADER, Principal
from dashboard.filters import Filters
from dashboard.ledger import export
from dashboard.ledger.report import report_section
from dashboard.ledger.store import ConflictError, ForbiddenError, Ledger, LedgerError, ledger_path
from tests.test_auth import auth_env  # noqa: F401 (fixture)

TODAY = date(2026, 11, 23)
CP = Principal("cp@bank.test", CONSUMER_PROTECTION)
SHANGHAI = Principal("sh@bank.test", BRANCH, "0200")
LEAD = Principal("lead@bank.test", LEADER)


def item(ledger: Ledger, branch_code: str, title: str, due: str | None = None) -> int:
    return ledger.create(
        source="recurring",
        title=title,
        user="张三",
        branch_code=branch_code,
        business_category="信用卡",
        reason="定价收费",
        due_date=due,
        now="2026-06-01 09:00:00",
        today=TODAY,
    )


def test_a_withdrawn_item_leaves_every_list_and_count_and_keeps_its_history(small_store):
    cp = Ledger(small_store, CP)
    kept = item(cp, "0201", "上海信用卡年费整改", due="2026-10-01")  # overdue on TODAY
    twice = item(cp, "0201", "上海信用卡年费整改（重复）", due="2026-10-01")
    assert set(cp.items(TODAY)["id"]) == {kept, twice}
    assert list(cp.same_issue("0201", "信用卡", "定价收费", exclude=kept)["id"]) == [twice]

    version = cp.withdraw(twice, 1, "与 #1 重复建立", now="2026-11-23 10:00:00")

    assert version == 2
    listed = cp.items(TODAY)
    assert list(listed["id"]) == [kept] and int(listed["overdue"].sum()) == 1  # the duplicate counted twice before
    assert cp.same_issue("0201", "信用卡", "定价收费", exclude=kept).empty
    _, con = db.current(small_store)
    month = date(2026, 10, 1)
    report = report_section(con, Filters(month_from=month, month_to=month), month, today=TODAY, data_dir=small_store)
    assert [s["id"] for s in report] == [kept]
    gone = cp.withdrawn()
    assert list(gone["id"]) == [twice]
    assert (gone.at[0, "withdrawn_by"], gone.at[0, "withdrawal_reason"]) == ("cp@bank.test", "与 #1 重复建立")
    last = cp.history(twice).iloc[0]  # newest first
    assert (last["version"], last["changed_by"], last["field"], last["new_value"]) == (
        2,
        "cp@bank.test",
        "withdrawn",
        "与 #1 重复建立",
    )
    assert export.history_table(cp.history(twice)).iloc[0]["字段"] == "撤销"
    with pytest.raises(LedgerError, match="已于 2026-11-23 10:00:00 由 cp@bank.test 撤销，不能再修改"):
        cp.update(twice, 2, {"status": "整改中"})
    with pytest.raises(LedgerError, match="已于 2026-11-23 10:00:00 由 cp@bank.test 撤销"):
        cp.withdraw(twice, 2, "再撤销一次")
    assert cp.get(twice)["status"] == "待整改"  # the item itself is as it was


def test_restore_puts_the_item_back_as_it_was(small_store):
    cp = Ledger(small_store, CP)
    first = item(cp, "0201", "上海信用卡年费整改")
    cp.update(first, 1, {"status": "整改中"})
    cp.withdraw(first, 2, "误建的事项")
    with pytest.raises(ConflictError, match="第 3 版，您看到的是第 2 版"):
        cp.restore(first, 2)
    assert cp.restore(first, 3, now="2026-11-24 08:00:00") == 4
    assert list(cp.items(TODAY)["id"]) == [first] and cp.withdrawn().empty
    assert cp.get(first)["status"] == "整改中"
    last = cp.history(first).iloc[0]
    assert (last["field"], last["old_value"]) == ("withdrawn", "误建的事项") and pd.isna(last["new_value"])
    with pytest.raises(LedgerError, match="未被撤销，无需恢复"):
        cp.restore(first, 4)
    assert cp.update(first, 4, {"status": "已整改", "fixed_at": "2026-11-01"}, today=TODAY) == 5


def test_only_consumer_protection_withdraws_or_restores(small_store):
    cp = Ledger(small_store, CP)
    own = item(Ledger(small_store, SHANGHAI), "0201", "上海分行自查，逾期", due="2026-10-01")
    for who in (SHANGHAI, LEAD):  # a branch would otherwise make its own overdue items vanish
        with pytest.raises(ForbiddenError, match="由消保部确认"):
            Ledger(small_store, who).withdraw(own, 1, "不想再跟踪了")
        assert not Ledger(small_store, who).may_withdraw()
    assert list(cp.items(TODAY)["id"]) == [own] and cp.get(own)["version"] == 1
    cp.withdraw(own, 1, "分行重复报送")
    assert Ledger(small_store, SHANGHAI).items(TODAY).empty
    assert list(Ledger(small_store, SHANGHAI).withdrawn()["id"]) == [own]  # the branch sees why it went
    assert Ledger(small_store, Principal("bj@bank.test", BRANCH, "0100")).withdrawn().empty  # not another's
    with pytest.raises(ForbiddenError):
        Ledger(small_store, SHANGHAI).restore(own, 2)


def test_a_withdrawal_needs_a_reason_and_a_current_version(small_store):
    cp = Ledger(small_store, CP)
    first = item(cp, "0201", "上海信用卡年费整改")
    for reason in ("", "   ", "重复", "\u202e误建\u202c"):
        with pytest.raises(LedgerError, match="请填写撤销原因（至少 4 个字）"):
            cp.withdraw(first, 1, reason)
    cp.update(first, 1, {"owner_dept": "信用卡中心"})
    with pytest.raises(ConflictError, match="当前为第 2 版，您看到的是第 1 版"):
        cp.withdraw(first, 1, "与其他事项重复")
    with pytest.raises(LedgerError, match="不存在"):
        cp.withdraw(first + 99, 1, "与其他事项重复")
    assert list(cp.items(TODAY)["id"]) == [first] and cp.history(first)["field"].tolist().count("withdrawn") == 0


def test_a_ledger_written_before_withdrawals_existed_opens_and_withdraws(small_store):
    # an older ledger.sqlite has ledger_items and ledger_history only: the table is created when it opens
    Ledger(small_store, CP)  # nothing written yet
    path = ledger_path(small_store)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    for name in ("ledger_create_items", "ledger_create_history"):
        con.execute(db.load_sql(name))
    con.execute(
        "insert into ledger_items (id, version, source, title, status, created_at, created_by, updated_at, updated_by)"
        " values (7, 1, 'manual', '旧台账事项', '待整改', '2026-05-01 09:00:00', 'x', '2026-05-01 09:00:00', 'x')"
    )
    con.commit()
    con.close()
    cp = Ledger(small_store, CP)
    assert list(cp.items(TODAY)["id"]) == [7]
    cp.withdraw(7, 1, "旧系统迁移时误建")
    assert cp.items(TODAY).empty and list(cp.withdrawn()["id"]) == [7]


def test_the_withdrawn_table_masks_the_title_and_the_reason(small_store):
    cp = Ledger(small_store, CP)
    first = item(cp, "0201", "客户李春花 13812345678 投诉整改")
    cp.withdraw(first, 1, "客户李春花（13812345678）已撤诉，误建")
    table = export.withdrawn_table(cp.withdrawn())
    shown = " ".join(str(v) for v in table.iloc[0].tolist())
    assert "13812345678" not in shown and "李春花" not in shown
    assert table.iloc[0]["撤销前状态"] == "待整改" and table.iloc[0]["编号"] == first


# --- The page ---------------------------------------------------------------------------------------
def test_the_page_withdraws_an_item_and_restores_it(small_store, app_env):
    from tests.test_ledger import run_ledger_page

    ledger = Ledger(small_store)
    kept = item(ledger, "0201", "上海信用卡年费整改", due="2026-10-01")
    twice = item(ledger, "0201", "上海信用卡年费整改（重复）", due="2026-10-01")
    app_env(small_store)
    at = run_ledger_page()
    assert {m.label: m.value for m in at.metric}["已逾期"] == "2 项"
    at.selectbox(key="lg_item").set_value(twice).run()
    next(b for b in at.button if b.label == "撤销该事项").click().run()
    assert any("请填写撤销原因" in e.value for e in at.error) and ledger.withdrawn().empty
    at.text_input(key=f"lg_withdraw_reason_{twice}").input("与上一事项重复")
    next(b for b in at.button if b.label == "撤销该事项").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(ledger.withdrawn()["id"]) == [twice] and ledger.withdrawn().at[0, "withdrawn_by"] == "演示用户"
    shown = {m.label: m.value for m in at.metric}
    assert (shown["整改事项"], shown["已逾期"]) == ("1 项", "1 项")
    assert at.selectbox(key="lg_item").options == [f"#{kept} 上海信用卡年费整改（待整改，已逾期）"]
    assert any(e.label.startswith("已撤销的事项（1 个") for e in at.expander)

    at.selectbox(key="lg_restore_pick").set_value(twice).run()
    next(b for b in at.button if b.label == "恢复到台账").click().run()
    assert not at.exception and ledger.withdrawn().empty
    assert {m.label: m.value for m in at.metric}["已逾期"] == "2 项"


def test_a_branch_user_is_not_offered_the_withdrawal(small_store, app_env, auth_env):  # noqa: F811
    from tests.test_auth import signed_in

    own = item(Ledger(small_store, SHANGHAI), "0201", "上海分行自查")
    Ledger(small_store, CP).withdraw(item(Ledger(small_store, CP), "0201", "误建事项"), 1, "消保部误建")
    app_env(small_store)
    at = signed_in({"email": "sh@bank.test"}, page="app_pages/ledger.py")
    assert at.selectbox(key="lg_item").options == [f"#{own} 上海分行自查（待整改）"]
    assert not any(b.label in ("撤销该事项", "恢复到台账") for b in at.button)
    assert any(e.label.startswith("已撤销的事项（1 个") for e in at.expander)  # it sees why the item went


def test_the_briefing_and_the_ledger_excel_say_what_was_withdrawn(small_store):
    # hostile H207: an overdue item withdrawn left no trace in the briefing or the ledger's Excel
    import io

    import openpyxl

    from dashboard.analysis.leadership import rectification
    from dashboard.briefing import build

    cp = Ledger(small_store, CP)
    kept = item(cp, "0201", "上海信用卡年费整改", due="2026-10-01")
    late = item(cp, "0201", "上海信用卡年费整改（重复）", due="2026-10-01")
    cp.withdraw(late, 1, "与上一事项重复", now="2026-11-23 10:00:00")
    items = build.ledger_items(small_store, CP)
    assert list(items["id"]) == [kept]
    november = rectification(None, items, date(2026, 11, 1), None, None)
    assert (november.withdrawn, november.withdrawn_overdue, november.total) == (1, 1, 1)
    assert (
        build.withdrawn_text(november)
        == "；另有 1 项本月由消保部撤销（误建或重复，不计入以上各项，其中撤销时已逾期 1 项）"
    )
    assert rectification(None, items, date(2026, 10, 1), None, None).withdrawn == 0  # withdrawn in November
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel(items, cp.history_of([kept]), {}, None, cp.withdrawn())))
    rows = list(book["已撤销事项"].iter_rows(values_only=True))
    header = rows[0]
    assert dict(zip(header, rows[1]))["撤销时已逾期"] == "是" and dict(zip(header, rows[1]))["编号"] == late
