"""The ledger tracks (issue 20, section 5): items from every source, dates checked, the sidebar's filters,
Chinese values in history and export, the effect verdict and the reopening flag."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from dashboard.ledger import export
from dashboard.ledger.store import SOURCES, Ledger, LedgerError, filter_items
from dashboard.ledger.verdict import VERDICT_HELP, effect_verdict, needs_reopen, shown_status

TODAY = date(2026, 11, 23)
CREATED = "2026-09-01 09:00:00"


def make(ledger, source="manual", **fields):
    fields.setdefault("title", f"{source} 事项")
    fields.setdefault("now", CREATED)
    return ledger.create(source=source, user="张三", today=TODAY, **fields)


@pytest.mark.parametrize("source", ["surge", "hotspot", "complaint", "event", "manual"])
def test_items_from_every_source(small_store, source):
    ledger = Ledger(small_store)
    item_id = make(ledger, source, branch_code="0100", business_category="信用卡", complaint_ids=["C01"])
    item = ledger.get(item_id)
    assert item["source"] == source
    assert export.items_table(ledger.items(TODAY))["来源"].tolist() == [SOURCES[source]]
    with pytest.raises(LedgerError, match="未知的来源"):
        make(ledger, "weather")


def test_dates_are_checked(small_store):
    ledger = Ledger(small_store)
    with pytest.raises(LedgerError, match="早于事项建立日期"):  # due before the item existed
        make(ledger, due_date="2026-08-01")
    item_id = make(ledger, due_date="2026-12-01")
    # a whole-bank item with no slice: its issue began with the bank's first complaint, C08 on 2025-10-15 (H112)
    with pytest.raises(LedgerError, match="整改完成日期（2025-10-14）早于该问题最早一件投诉的受理日期（2025-10-15）"):
        ledger.update(item_id, 1, {"status": "已整改", "fixed_at": "2025-10-14"}, "张三", today=TODAY)
    with pytest.raises(LedgerError, match="晚于今天"):
        ledger.update(item_id, 1, {"status": "已整改", "fixed_at": "2026-12-20"}, "张三", today=TODAY)
    assert ledger.get(item_id)["version"] == 1  # nothing saved
    assert ledger.update(item_id, 1, {"status": "已整改", "fixed_at": "2026-09-01"}, "张三", today=TODAY) == 2


def test_sidebar_filters_apply(small_store):
    ledger = Ledger(small_store)
    beijing = make(ledger, branch_code="0101", business_category="信用卡", reason="定价收费")
    shanghai = make(ledger, branch_code="0201", business_category="借记卡", reason="定价收费")
    bank = make(ledger, business_category="信用卡")
    items = ledger.items(TODAY)
    assert set(filter_items(items, None)["id"]) == {beijing, shanghai, bank}
    assert set(filter_items(items, {"0100", "0101", "0102"})["id"]) == {beijing}
    assert set(filter_items(items, None, categories=("信用卡",))["id"]) == {beijing, bank}
    assert set(filter_items(items, None, reasons=("定价收费",))["id"]) == {beijing, shanghai}
    assert filter_items(items, {"0200", "0201"}, categories=("信用卡",)).empty


def test_history_and_export_in_chinese(small_store):
    ledger = Ledger(small_store)
    item_id = ledger.create(
        source="recurring",
        title="年费整改",
        user="张三",
        branch_code="0101",
        business_category="信用卡",
        reason="定价收费",
        now=CREATED,
        today=TODAY,
    )
    ledger.update(item_id, 1, {"owner_dept": "信用卡中心"}, "李四", today=TODAY)  # None -> a value
    ledger.update(item_id, 2, {"owner_dept": ""}, "李四", today=TODAY)  # and back to nothing
    history = export.history_table(ledger.history(item_id))
    cells = set(history["原值"].astype(str)) | set(history["新值"].astype(str))
    assert "None" not in cells and "nan" not in cells and "recurring" not in cells
    assert "反复出现的问题" in set(history["新值"])
    owner = history[history["字段"] == "责任部门"].sort_values("版本")
    assert owner[["原值", "新值"]].values.tolist() == [["—", "信用卡中心"], ["信用卡中心", "—"]]
    book = openpyxl.load_workbook(
        io.BytesIO(export.to_excel(ledger.items(TODAY), ledger.history(item_id).assign(item_id=item_id)))
    )
    values = {v for sheet in book for row in sheet.values for v in row if isinstance(v, str)}  # empty cells are None
    assert "None" not in values and "recurring" not in values


def _effect(after, before, n_before, n_after, significant):
    rate_before = n_before / len(before) if before else None
    rate_after = n_after / len(after) if after else None
    return SimpleNamespace(
        after=after,
        before=before,
        n_before=n_before,
        n_after=n_after,
        significant=significant,
        rate_before=rate_before,
        rate_after=rate_after,
    )


def test_effect_verdict_and_reopening():
    six = list(range(6))
    assert effect_verdict(None) == "待观察"  # not fixed
    assert effect_verdict(_effect([], six, 10, 0, False)) == "待观察"  # no month after the fix yet
    assert effect_verdict(_effect(six, six, 30, 5, True)) == "有效"
    assert effect_verdict(_effect(six, six, 12, 10, False)) == "待观察"  # a fall within chance
    assert effect_verdict(_effect(six, six, 10, 14, False)) == "未见下降"
    assert needs_reopen("已整改", "未见下降") and needs_reopen("已验证", "未见下降")
    assert not needs_reopen("整改中", "未见下降") and not needs_reopen("已整改", "有效")
    assert shown_status("已整改", "未见下降") == "待重开" and shown_status("已整改", "待观察") == "已整改"


def test_no_fall_needs_evidence_like_a_fall():
    # H124: 3 complaints in the 6 months before, 1 in the one month after (p = 0.90): nothing can be concluded
    six = list(range(6))
    assert effect_verdict(_effect([0], six, 3, 1, False)) == "待观察"
    assert effect_verdict(_effect([0, 1], six, 3, 4, False)) == "待观察"  # higher, but 2 months only
    assert effect_verdict(_effect([0, 1, 2], six, 0, 1, False)) == "待观察"  # 3 months, a single complaint
    assert effect_verdict(_effect([0, 1, 2], six, 6, 3, False)) == "未见下降"  # 1 a month before and after
    assert effect_verdict(_effect([0, 1, 2], six, 0, 2, False)) == "未见下降"
    # the rule's words, in one place, name its thresholds
    assert "3 个完整月份" in VERDICT_HELP and "2 件" in VERDICT_HELP


def test_list_leads_with_status_and_puts_overdue_then_reopen_first(small_store):
    ledger = Ledger(small_store)
    calm = make(ledger, title="正常", due_date="2027-01-01")
    reopen = make(ledger, title="未见效", due_date="2027-02-01")
    ledger.update(reopen, 1, {"status": "已整改", "fixed_at": "2026-10-01"}, "张三", today=TODAY)
    late = make(ledger, title="逾期", due_date="2026-11-01")
    items = export.ordered(ledger.items(TODAY), {reopen: "未见下降"})
    assert items["id"].tolist() == [late, reopen, calm]
    table = export.items_table(items, {reopen: "未见下降"})
    assert list(table.columns[:5]) == ["整改状态", "整改期限", "责任部门", "来源", "整改成效"]
    assert table["整改状态"].tolist() == ["待整改", "待重开", "待整改"]
    assert table["提示"].tolist() == ["已逾期", "成效未见下降，建议重新整改", ""]


# --- A fix done before the item was recorded (hostile H112) --------------------------------------------------
def test_a_fix_done_last_month_can_be_recorded_but_not_before_the_issue_began(small_store):
    ledger = Ledger(small_store)
    created = "2026-11-20 09:00:00"
    # 0101 信用卡 定价收费: C08 (2025-10-15), C01 (2026-09-03), C03 (2026-10-01): the issue began 2025-10-15
    slice_fields = dict(branch_code="0101", business_category="信用卡", reason="定价收费", now=created)
    done = make(ledger, "recurring", status="已整改", fixed_at="2026-10-15", **slice_fields)
    assert ledger.get(done)["fixed_at"] == "2026-10-15"  # before the item's creation: accepted now
    with pytest.raises(LedgerError, match="早于该问题最早一件投诉的受理日期（2025-10-15）"):
        make(ledger, "recurring", status="已整改", fixed_at="2025-10-14", **slice_fields)
    with pytest.raises(LedgerError, match="晚于今天"):
        make(ledger, "recurring", status="已整改", fixed_at="2026-11-24", **slice_fields)
    # an item citing complaints: its first cited one, C03 received 2026-10-01
    cited = dict(complaint_ids=["C03"], now=created)
    with pytest.raises(LedgerError, match="早于该问题最早一件投诉的受理日期（2026-10-01）"):
        make(ledger, "complaint", status="已整改", fixed_at="2026-09-30", **cited)
    assert ledger.get(make(ledger, "complaint", status="已整改", fixed_at="2026-10-01", **cited))["fixed_at"] == (
        "2026-10-01"
    )
    # editing later follows the same rule
    open_item = make(ledger, "recurring", **slice_fields)
    assert ledger.update(open_item, 1, {"status": "已整改", "fixed_at": "2025-10-15"}, "张三", today=TODAY) == 2


def test_a_branch_items_fix_date_is_checked_against_its_subtree_as_its_effect_counts(small_store):
    """A 手工建立 item of 北京分行 0100 · 借记卡 follows 0100 and its 支行 (its effect's slice), so the date is
    checked against their first 借记卡 complaint: C02, 0102, 2026-09-20. The branch office itself holds none,
    and the back-dated record was refused as 没有可据以核对的投诉 (hostile H174)."""
    ledger = Ledger(small_store)
    slice_fields = dict(branch_code="0100", business_category="借记卡", now="2026-11-20 09:00:00")
    done = make(ledger, "manual", status="已整改", fixed_at="2026-10-20", **slice_fields)
    assert ledger.get(done)["fixed_at"] == "2026-10-20"
    with pytest.raises(LedgerError, match="早于该问题最早一件投诉的受理日期（2026-09-20）"):
        make(ledger, "manual", status="已整改", fixed_at="2026-09-19", **slice_fields)
    # a recurring issue's item follows the organisation itself: 0100 has no complaint of its own
    with pytest.raises(LedgerError, match="没有可据以核对的投诉"):
        make(ledger, "recurring", status="已整改", fixed_at="2026-10-20", reason="定价收费", **slice_fields)


# --- A second item for the same issue and scope (hostile H133) ----------------------------------------------
def test_a_second_item_for_the_same_issue_and_scope_is_warned_of(small_store):
    from dashboard.ui.ledger_form import duplicate_warning

    ledger = Ledger(small_store)
    slice_fields = dict(branch_code="0101", business_category="信用卡", reason="定价收费")
    first = make(ledger, "recurring", title="海淀年费整改", **slice_fields)
    assert duplicate_warning(ledger, first) is None  # alone: nothing to say
    other_reason = make(ledger, "recurring", branch_code="0101", business_category="信用卡", reason="信息披露")
    other_branch = make(ledger, "recurring", branch_code="0102", business_category="信用卡", reason="定价收费")
    second = make(ledger, "recurring", title="海淀年费整改（再建）", **slice_fields)
    # by hand: only `first` shares organisation, category and reason with `second`
    assert ledger.same_issue(**slice_fields, exclude=second)["id"].tolist() == [first]
    warning = duplicate_warning(ledger, second)
    assert warning is not None and f"#{first}" in warning and "待整改" in warning and "重复建立" in warning
    assert f"#{other_reason}" not in warning and f"#{other_branch}" not in warning
    # a verified item is history: a new item for a recurrence is not warned of
    ledger.update(first, 1, {"status": "已整改", "fixed_at": "2026-09-15"}, "张三", today=TODAY)
    ledger.update(first, 2, {"status": "已验证"}, "张三", today=TODAY)
    assert duplicate_warning(ledger, second) is None
    # items citing complaints: the same only when they cite one of the same
    one = make(ledger, "complaint", complaint_ids=["C03"])
    two = make(ledger, "complaint", complaint_ids=["C03", "C01"])
    three = make(ledger, "complaint", complaint_ids=["C07"])
    assert ledger.same_issue(None, None, None, ["C03", "C01"], exclude=two)["id"].tolist() == [one]
    assert duplicate_warning(ledger, three) is None


@pytest.mark.parametrize("lens", [{"basis": "referred"}, {"age_group": "non_elderly"}, {"basis": "merged"}])
def test_an_items_effect_is_the_same_whatever_the_readers_sidebar(small_store, lens):
    """北京分行 0100 · 借记卡 holds C02 (2026-09, 监管转送, 67) and C06 (2026-10, not referred, 67): 1 and 1
    complaint, whatever 统计口径 or 客户群体 the reader chose; the page says 不受侧边栏筛选条件影响 (hostile H171:
    under 监管转送 the same fixed item read 未见下降 and 待重开)."""
    from dashboard import db
    from dashboard.analysis import ledger as ledger_data
    from dashboard.analysis.source import Source
    from dashboard.filters import Filters

    ledger = Ledger(small_store)
    item = ledger.get(make(ledger, "manual", branch_code="0100", business_category="借记卡"))
    snapshot, con = db.current(small_store)
    span = ledger_data.data_span(snapshot.meta)
    month = date(2026, 10, 1)

    def counts(filters: Filters) -> dict:
        frame = ledger_data.load_effect(Source.of(con, filters), item, span).frame
        return {pd.Timestamp(m).strftime("%Y-%m"): int(n) for m, n in zip(frame["month"], frame["complaints"]) if n}

    plain = counts(Filters(month_from=month, month_to=month))
    assert plain == {"2026-09": 1, "2026-10": 1}
    assert counts(Filters(month_from=month, month_to=month, **lens)) == plain


def test_an_item_cites_only_complaints_of_its_own_organisation(small_store):
    """消保部 filing an item under 上海分行 0200 may cite C07 (0201, 上海浦东支行), not C01 (0101, 北京海淀支行):
    the 上海 user would read a 北京 complaint's number (hostile H175)."""
    ledger = Ledger(small_store)
    assert ledger.get(make(ledger, "complaint", branch_code="0200", complaint_ids=["C07"]))["complaint_ids"] == ["C07"]
    with pytest.raises(LedgerError, match="不属于事项的机构（0200）及其下辖机构.*C01"):
        make(ledger, "complaint", branch_code="0200", complaint_ids=["C07", "C01"])
    # without an organisation the item is the bank's: any complaint
    assert ledger.get(make(ledger, "complaint", complaint_ids=["C01"]))["complaint_ids"] == ["C01"]


def test_a_key_term_items_effect_is_counted_in_its_organisation_for_every_reader(small_store):
    """A 相似投诉 item of 上海分行 0200 · 信用卡 with the key term 年费: its effect counts 0200's subtree (C05, C07 are
    its 信用卡 complaints, neither about 年费: none), not 北京's C01, C03, C08, whether 消保部 (the whole bank) or 上海分行
    reads it (hostile H183: the reader's scope decided, two verdicts for one item)."""
    from dashboard import db
    from dashboard.analysis import ledger as ledger_data
    from dashboard.analysis.source import Source
    from dashboard.filters import Filters

    ledger = Ledger(small_store)
    item = ledger.get(make(ledger, "similar", branch_code="0200", business_category="信用卡", key_terms=["年费"]))
    snapshot, con = db.current(small_store)
    span = ledger_data.data_span(snapshot.meta)
    month = date(2026, 10, 1)
    ((expected,),) = con.sql(
        "select count(*) from complaints where business_category = '信用卡' and branch_code in ('0200', '0201') "
        "and content like '%年费%'"
    ).fetchall()

    def total(scope) -> int:
        effect = ledger_data.load_effect(
            Source.of(con, Filters(month_from=month, month_to=month, scope=scope)), item, span
        )
        assert effect.what.startswith("机构 0200 及下辖机构")
        return int(effect.frame["complaints"].sum())

    assert total(None) == total("0200") == expected == 0
