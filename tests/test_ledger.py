"""The rectification ledger: durable items, history, optimistic locking, overdue order, export, the page
(AppTest) and the report section."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli, db
from dashboard.filters import Filters
from dashboard.ingest.pipeline import import_files
from dashboard.ledger import export
from dashboard.ledger.report import report_section
from dashboard.ledger.store import ConflictError, Ledger, LedgerError, ledger_path
from tests.apptest_support import APP

ROOT = Path(__file__).resolve().parent.parent

TODAY = date(2026, 11, 23)


CREATED = "2026-06-01 09:00:00"  # items are opened before the dates the tests fix or let pass


def recurring_item(ledger: Ledger, title="海淀支行信用卡年费整改", user="张三", **fields) -> int:
    fields.setdefault("now", CREATED)
    return ledger.create(
        source="recurring",
        title=title,
        user=user,
        branch_code="0101",
        business_category="信用卡",
        reason="定价收费",
        today=TODAY,
        **fields,
    )


def test_create_and_read_back(small_store):
    ledger = Ledger(small_store)
    item_id = recurring_item(
        ledger,
        root_cause="产品设计",
        owner_dept="信用卡中心",
        action="调整年费规则",
        due_date="2026-12-31",
        now="2026-11-23 09:00:00",
    )
    item = ledger.get(item_id)
    assert item["version"] == 1 and item["status"] == "待整改" and item["fixed_at"] is None
    assert (item["branch_code"], item["business_category"], item["reason"]) == ("0101", "信用卡", "定价收费")
    assert item["created_by"] == item["updated_by"] == "张三" and item["due_date"] == "2026-12-31"
    history = ledger.history(item_id)
    assert set(history["field"]) == {
        "source",
        "branch_code",
        "business_category",
        "reason",
        "title",
        "root_cause",
        "owner_dept",
        "action",
        "due_date",
        "status",
    }
    assert history["old_value"].isna().all() and set(history["version"]) == {1}
    assert ledger_path(small_store) == small_store / "ledger" / "ledger.sqlite"


def test_similar_group_item_keeps_ids_and_terms(small_store):
    ledger = Ledger(small_store)
    item_id = ledger.create(
        source="similar",
        title="手机银行转账故障",
        user="李四",
        business_category="支付结算",
        complaint_ids=["C01", "C02", "C03"],
        key_terms=["手机银行", "转账"],
    )
    item = ledger.get(item_id)
    assert item["complaint_ids"] == ["C01", "C02", "C03"] and item["key_terms"] == ["手机银行", "转账"]
    assert item["branch_code"] is None


def test_update_records_who_when_what(small_store):
    ledger = Ledger(small_store)
    item_id = recurring_item(ledger)
    version = ledger.update(
        item_id, 1, {"status": "整改中", "owner_dept": "信用卡中心"}, "王五", now="2026-11-24 10:00:00", today=TODAY
    )
    assert version == 2
    item = ledger.get(item_id)
    assert item["status"] == "整改中" and item["updated_by"] == "王五" and item["updated_at"] == "2026-11-24 10:00:00"
    changes = ledger.history(item_id)
    changes = changes[changes["version"] == 2].set_index("field")
    assert changes.loc["status", ["old_value", "new_value", "changed_by"]].tolist() == ["待整改", "整改中", "王五"]
    assert pd.isna(changes.loc["owner_dept", "old_value"]) and changes.loc["owner_dept", "new_value"] == "信用卡中心"
    assert set(changes.index) == {"status", "owner_dept"}
    # saving what is already stored writes no new version
    assert ledger.update(item_id, 2, {"status": "整改中"}, "王五", today=TODAY) == 2
    assert ledger.get(item_id)["version"] == 2


def test_a_stale_save_is_refused_and_changes_nothing(small_store):
    first, second = Ledger(small_store), Ledger(small_store)  # two people, both opened version 1
    item_id = recurring_item(first)
    first.update(item_id, 1, {"action": "张三的整改措施"}, "张三", now="2026-11-24 10:00:00", today=TODAY)
    with pytest.raises(ConflictError) as refused:
        second.update(item_id, 1, {"action": "李四的整改措施"}, "李四", today=TODAY)
    message = str(refused.value)
    assert "保存失败" in message and "张三" in message and "2026-11-24 10:00:00" in message
    item = first.get(item_id)
    assert item["action"] == "张三的整改措施" and item["version"] == 2
    assert "李四" not in set(first.history(item_id)["changed_by"])
    # reloaded, the second person saves on version 2
    assert second.update(item_id, 2, {"action": "李四的整改措施"}, "李四", today=TODAY) == 3


def test_edits_survive_a_new_process_and_a_re_import(small_store, small_extracts):
    ledger = Ledger(small_store)
    item_id = recurring_item(ledger)
    ledger.update(item_id, 1, {"status": "已整改", "fixed_at": "2026-10-15"}, "张三", today=TODAY)
    import_files(small_extracts, small_store)  # re-import: a new snapshot
    code = (
        "import json, sys; from dashboard.ledger.store import Ledger; "
        "item = Ledger(sys.argv[1]).get(int(sys.argv[2])); "
        "print(json.dumps([item['version'], item['status'], item['fixed_at'], item['updated_by']]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(small_store), str(item_id)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert json.loads(out) == [2, "已整改", "2026-10-15", "张三"]
    assert not (small_store / "store" / "CURRENT").read_text().startswith("ledger")
    assert not list((small_store / "store").rglob("*.sqlite"))  # not inside a snapshot


def test_fix_date_rules(small_store):
    ledger = Ledger(small_store)
    item_id = recurring_item(ledger)
    ledger.update(item_id, 1, {"status": "已整改"}, "张三", today=date(2026, 11, 20))
    assert ledger.get(item_id)["fixed_at"] == "2026-11-20"  # stamped when marked 已整改
    ledger.update(item_id, 2, {"status": "已验证"}, "张三", today=date(2027, 1, 1))  # December has ended (H110)
    assert ledger.get(item_id)["fixed_at"] == "2026-11-20"  # kept when verified
    ledger.update(item_id, 3, {"status": "整改中"}, "张三", today=TODAY)
    assert ledger.get(item_id)["fixed_at"] is None  # cleared when reopened
    ledger.update(item_id, 4, {"status": "已整改", "fixed_at": date(2026, 9, 30)}, "张三", today=TODAY)
    assert ledger.get(item_id)["fixed_at"] == "2026-09-30"  # a given date wins


def test_invalid_values_are_refused(small_store):
    ledger = Ledger(small_store)
    with pytest.raises(LedgerError, match="整改状态"):
        recurring_item(ledger, status="完成")
    with pytest.raises(LedgerError, match="根因分类"):
        recurring_item(ledger, root_cause="天气")
    with pytest.raises(LedgerError, match="事项名称"):
        recurring_item(ledger, title="  ")
    item_id = recurring_item(ledger)
    with pytest.raises(LedgerError, match="不能修改"):
        ledger.update(item_id, 1, {"branch_code": "0102"}, "张三")
    with pytest.raises(LedgerError, match="整改期限"):
        ledger.update(item_id, 1, {"due_date": "下周"}, "张三")
    with pytest.raises(LedgerError, match="不存在"):
        ledger.update(999, 1, {"status": "整改中"}, "张三")
    assert ledger.get(item_id)["version"] == 1


def test_overdue_items_come_first(small_store):
    ledger = Ledger(small_store)
    done_late = recurring_item(ledger, title="已整改但期限已过", due_date="2026-10-01")
    ledger.update(done_late, 1, {"status": "已整改"}, "张三", today=TODAY)
    later = recurring_item(ledger, title="期限未到（晚）", due_date="2027-03-01")
    overdue_recent = recurring_item(ledger, title="逾期 1 天", due_date="2026-11-22")
    sooner = recurring_item(ledger, title="期限未到（早）", due_date="2026-12-01")
    overdue_long = recurring_item(ledger, title="逾期很久", due_date="2026-09-30", status="整改中")
    due_today = recurring_item(ledger, title="今天到期", due_date="2026-11-23")
    no_date = recurring_item(ledger, title="未定期限")
    items = ledger.items(TODAY)
    assert list(items["id"]) == [overdue_long, overdue_recent, due_today, sooner, later, no_date, done_late]
    assert items.set_index("id")["overdue"].to_dict() == {
        overdue_long: True,
        overdue_recent: True,
        due_today: False,
        sooner: False,
        later: False,
        no_date: False,
        done_late: False,
    }


def test_reading_a_ledger_that_was_never_written_creates_nothing(tmp_path):
    ledger = Ledger(tmp_path / "empty")
    assert ledger.items().empty and ledger.get(1) is None
    assert not (tmp_path / "empty").exists()


def test_excel_export(small_store):
    ledger = Ledger(small_store)
    item_id = recurring_item(ledger, due_date="2026-11-01")
    ledger.update(item_id, 1, {"status": "整改中"}, "王五", today=TODAY)
    items = ledger.items(TODAY)
    data = export.to_excel(items, ledger.history_of(items["id"].tolist()))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["整改事项", "变更记录"]
    rows = list(book["整改事项"].values)
    assert rows[0][:9] == (
        "整改状态",
        "整改期限",
        "责任部门",
        "来源",
        "整改成效",
        "提示",
        "编号",
        "事项名称",
        "整改范围",
    )
    assert rows[1][:9] == (
        "整改中",
        "2026-11-01",
        "—",
        "反复出现的问题",
        "待观察",
        "已逾期",
        item_id,
        "海淀支行信用卡年费整改",
        "0101 · 信用卡 · 定价收费",
    )
    changes = list(book["变更记录"].values)
    assert ("整改状态", "待整改", "整改中") in {r[4:7] for r in changes[1:]}


def test_report_lists_open_items_overdue_first(small_store):
    ledger = Ledger(small_store)
    open_late = recurring_item(ledger, title="逾期", due_date="2026-10-01")
    open_later = recurring_item(ledger, title="未到期", due_date="2027-01-01")
    done = recurring_item(ledger, title="已完成")
    ledger.update(done, 1, {"status": "已整改", "fixed_at": "2026-09-30"}, "张三", today=TODAY)
    ledger.update(done, 2, {"status": "已验证"}, "张三", today=TODAY)  # October, after the fix, has ended
    _, con = db.current(small_store)
    month = date(2026, 10, 1)
    section = report_section(con, Filters(month_from=month, month_to=month), month, today=TODAY, data_dir=small_store)
    assert [s["id"] for s in section] == [open_late, open_later]
    assert [s["overdue"] for s in section] == [True, False]
    json.dumps(section, ensure_ascii=False)


def test_report_lists_a_done_item_whose_effect_failed_as_reopened(small_store):
    # hostile H125: the page shows 待重开 for a fixed item whose complaints did not fall; the report left it out.
    # conftest's bank: 0101 信用卡 定价收费 has no complaint in 2026-01..06 and C01, C03 in 2026-08..10 (3
    # months after the fix month, as 未见下降 needs: H124)
    ledger = Ledger(small_store)
    failed = recurring_item(ledger, title="成效未见下降")
    ledger.update(failed, 1, {"status": "已整改", "fixed_at": "2026-07-10"}, "张三")
    verified = ledger.create(source="manual", title="已验证", user="张三", branch_code="0102", today=TODAY, now=CREATED)
    ledger.update(verified, 1, {"status": "已整改", "fixed_at": "2026-09-30"}, "张三", today=TODAY)
    ledger.update(verified, 2, {"status": "已验证"}, "张三", today=TODAY)
    snapshot, con = db.current(small_store)
    month = date(2026, 10, 1)
    span = (date(2025, 10, 1), date(2026, 10, 1))  # the bank's first month and its last complete one
    section = report_section(
        con, Filters(month_from=month, month_to=month), month, today=TODAY, data_dir=small_store, span=span
    )
    assert [(s["id"], s["status"], s["stored_status"], s["effect"]) for s in section] == [
        (failed, "待重开", "已整改", "未见下降")
    ]


def test_verified_is_refused_while_the_effect_reads_not_falling(small_store):
    # hostile H158. conftest's bank, data to October 2026 (its last complete month):
    # failed: 0101 信用卡·定价收费 fixed 2026-07-10: 0 complaints in 2026-01..06, C01 and C03 in 2026-08..10 -> 未见下降
    # watching: 0102 (all business) fixed 2026-09-30: 0 in 2026-03..08, C06 in October, one month -> 待观察
    # young: 0102 fixed 2026-10-05: no complete month after October in the data -> cannot be measured yet
    from dashboard.analysis import ledger as ledger_data
    from dashboard.analysis.source import Source

    ledger = Ledger(small_store)
    failed = recurring_item(ledger, title="成效未见下降")
    ledger.update(failed, 1, {"status": "已整改", "fixed_at": "2026-07-10"}, "张三")
    watching = ledger.create(source="manual", title="待观察", user="张三", branch_code="0102", today=TODAY, now=CREATED)
    ledger.update(watching, 1, {"status": "已整改", "fixed_at": "2026-09-30"}, "张三", today=TODAY)
    young = ledger.create(source="manual", title="刚整改", user="张三", branch_code="0102", today=TODAY, now=CREATED)
    ledger.update(young, 1, {"status": "已整改", "fixed_at": "2026-10-05"}, "张三", today=TODAY)
    snapshot, con = db.current(small_store)
    span = ledger_data.data_span(snapshot.meta)
    assert span == (date(2025, 10, 1), date(2026, 10, 1))
    source = Source.of(con, Filters(date(2026, 10, 1), date(2026, 10, 1)))
    verify = {"status": "已验证"}

    with pytest.raises(LedgerError, match="未见下降") as refused:
        ledger_data.save(ledger, source, ledger.get(failed), 2, verify, span, "张三", today=TODAY)
    assert "整改前 6 个月共 0 件，整改后 3 个月共 2 件" in str(refused.value)
    assert ledger.get(failed)["status"] == "已整改" and ledger.get(failed)["version"] == 2
    with pytest.raises(LedgerError, match="尚无法评估"):  # December has begun: the store alone would accept
        ledger_data.save(ledger, source, ledger.get(young), 2, verify, span, "张三", today=date(2026, 12, 1))
    with pytest.raises(LedgerError, match="尚未导入投诉数据"):
        ledger_data.save(ledger, None, ledger.get(watching), 2, verify, None, "张三", today=TODAY)
    assert ledger_data.save(ledger, source, ledger.get(watching), 2, verify, span, "张三", today=TODAY) == 3
    assert ledger.get(watching)["status"] == "已验证"
    # other changes to the failed item (its owner, back to 整改中) are not this rule's
    assert ledger_data.save(ledger, source, ledger.get(failed), 2, {"status": "整改中"}, span, "张三", today=TODAY) == 3


def test_the_page_refuses_verified_while_the_effect_reads_not_falling(small_store, app_env):
    # H158 on the page: the item above (未见下降), marked 已验证 by the demo user (消保部)
    ledger = Ledger(small_store)
    item_id = recurring_item(ledger)
    ledger.update(item_id, 1, {"status": "已整改", "fixed_at": "2026-07-10"}, "张三")
    app_env(small_store)
    at = run_ledger_page()
    at.selectbox(key="lg_item").set_value(item_id).run()
    at.selectbox(key=f"lg_form_{item_id}_2_status").set_value("已验证")
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("不能标记为“已验证”" in e.value and "未见下降" in e.value for e in at.error)
    assert ledger.get(item_id)["status"] == "已整改" and ledger.get(item_id)["version"] == 2


def test_report_json_has_no_nan_and_masks_the_owner(small_store, capsys):
    # hostile H113: an item without 责任部门 wrote `NaN` (not JSON); H126: 责任部门 naming a person went out raw
    ledger = Ledger(small_store)
    ledger.create(source="manual", title="无责任部门", user="张三", branch_code="0101", today=TODAY)
    recurring_item(ledger, title="有责任部门", owner_dept="零售部 王小明 13812345678")
    assert cli.main(["report", "--month", "2026-10", "--json", "--data-dir", str(small_store)]) == 0
    rejected = []
    report = json.loads(capsys.readouterr().out, parse_constant=rejected.append)
    assert rejected == []
    owners = {r["title"]: r["owner_dept"] for r in report["rectifications"]}
    assert owners["无责任部门"] is None
    assert "王小明" not in owners["有责任部门"] and "13812345678" not in owners["有责任部门"]
    assert owners["有责任部门"].startswith("零售部")


# --- The page -------------------------------------------------------------------------------------
def run_ledger_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"], at.query_params["to"] = "2026-10", "2026-10"
    at.run()
    at.switch_page("app_pages/ledger.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_without_items_says_how_to_start(small_store, app_env):
    app_env(small_store)
    at = run_ledger_page()
    assert any("还没有整改事项" in i.value for i in at.info)


def test_page_edits_and_refuses_a_conflicting_save(small_store, app_env):
    ledger = Ledger(small_store)
    item_id = recurring_item(ledger, due_date="2026-11-01")  # overdue
    app_env(small_store)
    at = run_ledger_page()
    shown = {m.label: m.value for m in at.metric}
    assert shown["整改事项"] == "1 项" and shown["已逾期"] == "1 项" and all(m.help for m in at.metric)

    form = f"lg_form_{item_id}_1"
    at.text_input(key=f"{form}_owner").input("信用卡中心")
    at.selectbox(key=f"{form}_status").set_value("整改中")
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception
    assert ledger.get(item_id)["version"] == 2 and ledger.get(item_id)["owner_dept"] == "信用卡中心"
    assert ledger.get(item_id)["updated_by"] == "演示用户"

    # someone else saves version 2 while this session still edits it
    ledger.update(item_id, 2, {"action": "他人填写的措施"}, "另一位同事")
    form = f"lg_form_{item_id}_2"
    at.text_area(key=f"{form}_action").input("本会话填写的措施")
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception
    assert any("保存失败" in e.value and "另一位同事" in e.value for e in at.error)
    assert ledger.get(item_id)["action"] == "他人填写的措施" and ledger.get(item_id)["version"] == 3


def test_page_shows_the_effect_of_a_fixed_item(small_store, app_env):
    # conftest's bank: 0101 信用卡 定价收费 has C01 (2026-09) and C03 (2026-10), C08 (2025-10)
    ledger = Ledger(small_store)
    item_id = recurring_item(ledger)
    ledger.update(item_id, 1, {"status": "已整改", "fixed_at": "2026-07-10"}, "张三")
    app_env(small_store)
    at = run_ledger_page()
    at.selectbox(key="lg_item").set_value(item_id).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    # fix month 2026-07 left out; before: 2026-01..06, no complaints; after: 2026-08..10 (the as-of time,
    # 2026-10-31 10:00, falls on October's last day, so October is complete): C01 and C03, 2 in 3 months,
    # enough for 未见下降 (H124)
    assert shown["整改前月均"] == "0.0 件" and shown["整改后月均"] == "0.7 件" and shown["变化"] == "—"
    assert any("未见下降" in w.value and "建议重新整改" in w.value for w in at.warning)
    shown = {m.label: m.value for m in at.metric}
    assert shown["待重开"] == "1 项" and shown["已整改/已验证"] == "0 项"  # not counted as done


def test_the_export_masks_the_owner_in_the_items_sheet_as_in_the_history(small_store):
    # hostile H126: 责任部门 was masked in 变更记录 and raw in 整改事项
    ledger = Ledger(small_store)
    recurring_item(ledger, owner_dept="零售部 王小明 13812345678")
    owner = export.items_table(ledger.items(TODAY))["责任部门"].iloc[0]
    assert owner.startswith("零售部") and "王小明" not in owner and "13812345678" not in owner


def _create_by_hand(at: AppTest, title: str, fixed: date | None) -> AppTest:
    at.text_input(key="lg_new_title").input(title)
    at.selectbox(key="lg_new_org").set_value("0101")
    at.selectbox(key="lg_new_cat").set_value("信用卡")
    at.selectbox(key="lg_new_reason").set_value("定价收费")
    at.date_input(key="lg_new_fixed").set_value(fixed)  # the form keeps the last value otherwise
    next(b for b in at.button if b.label == "建立整改事项").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_records_a_fix_done_before_the_item_and_warns_of_a_second_item(small_store, app_env, monkeypatch):
    # hostile H112 / H133. 0101 信用卡 定价收费 began with C08 on 2025-10-15; today is 2026-11-23
    from dashboard import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    app_env(small_store)
    at = _create_by_hand(run_ledger_page(), "海淀年费整改（补录）", date(2026, 10, 20))
    (item,) = Ledger(small_store).items().itertuples()
    assert (item.status, item.fixed_at) == ("已整改", "2026-10-20")  # before the item's creation today
    assert any("已整改，完成于 2026-10-20" in s.value for s in at.success)
    assert not [w for w in at.warning if "重复建立" in w.value]
    at = _create_by_hand(at, "海淀年费整改（重复）", None)
    assert len(Ledger(small_store).items()) == 2  # created, and said to be a likely duplicate
    warned = [w.value.replace("\\#", "#") for w in at.warning if "重复建立" in w.value]  # Markdown's \# is #
    assert len(warned) == 1 and f"#{item.id} 海淀年费整改（补录）（已整改）" in warned[0]
    assert Ledger(small_store).items()["status"].tolist().count("待整改") == 1
    # a completion date before the issue began is refused with the reason
    at = _create_by_hand(at, "海淀年费整改（过早）", date(2025, 10, 1))
    errors = [e.value.replace("\\-", "-") for e in at.error]  # as read: Markdown's \- is -
    assert any("早于该问题最早一件投诉的受理日期（2025-10-15）" in e for e in errors)
    assert len(Ledger(small_store).items()) == 2


def test_the_list_and_the_excel_name_the_organisation_of_an_items_scope(small_store, app_env):
    """Hostile H223: 整改范围 read "0200 · 个人贷款 · …" (a bare code) on the page and in the Excel, and the
    headline cards were bare numbers. The small bank's 0101 is 北京海淀支行 (tests/conftest.py)."""
    from dashboard.ledger import export

    ledger = Ledger(small_store)
    item_id = recurring_item(ledger, due_date="2026-11-01")
    app_env(small_store)
    at = run_ledger_page()
    table = at.dataframe[0].value
    assert list(table["整改范围"]) == ["北京海淀支行（0101） · 信用卡 · 定价收费"]
    assert {m.label: m.value for m in at.metric}["整改事项"] == "1 项"
    at.selectbox(key="lg_item").set_value(item_id).run()
    assert any("整改范围：北京海淀支行（0101） · 信用卡 · 定价收费" in c.value for c in at.caption)  # the item's line
    bare = export.slice_text(ledger.get(item_id))  # without the names (the CLI's report): the code, as before
    assert bare == "0101 · 信用卡 · 定价收费"
