"""Hostile finding H16: the ledger's store (dashboard/ledger/store.py), not only its form, refuses what no
rectification item can be: a due date of 9999-12-31, an organisation the snapshot does not have, a category
or reason outside the data contract, a 100,000-character title. Each refusal is a Chinese LedgerError and
writes nothing; the small bank (tests/conftest.py) has organisations 0000, 0100, 0101, 0102, 0200, 0201."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.ledger.store import DUE_YEARS_MAX, TITLE_MAX, Ledger, LedgerError

TODAY = date(2026, 11, 20)
CREATED = "2026-11-01 09:00:00"


def make(ledger, **fields):
    fields.setdefault("title", "年费整改")
    return ledger.create(source="manual", user="张三", now=CREATED, today=TODAY, **fields)


@pytest.mark.parametrize(
    "fields,says",
    [
        ({"due_date": "9999-12-31"}, f"超过 {DUE_YEARS_MAX} 年"),
        ({"due_date": "2029-11-02"}, f"超过 {DUE_YEARS_MAX} 年"),
        ({"branch_code": "9999"}, "不在已导入的机构中"),
        ({"branch_code": "0101 "}, "不在已导入的机构中"),
        ({"business_category": "天气"}, "未知的业务类别"),
        ({"reason": "心情不好"}, "未知的投诉原因"),
        ({"title": "长" * 100_000}, "事项名称过长（100,000 字）"),
        ({"title": "长" * (TITLE_MAX + 1)}, "事项名称过长"),
        ({"action": "做" * 4001}, "整改措施过长"),
        ({"owner_dept": "部" * 101}, "责任部门过长"),
        ({"source_note": "注" * 4001}, "来源说明过长"),
        ({"key_terms": [f"词{i}" for i in range(31)]}, "关键词最多"),
        ({"complaint_ids": [f"C{i}" for i in range(5001)]}, "最多列入"),
        ({"title": "\u200b\u200b"}, "请填写事项名称"),  # H111: only zero-width characters
        ({"title": " \ufeff\u2060\u202e "}, "请填写事项名称"),  # BOM, word joiner, a bidi override
    ],
)
def test_the_store_refuses_the_absurd(small_store, fields, says):
    ledger = Ledger(small_store)
    with pytest.raises(LedgerError, match=says):
        make(ledger, **fields)
    assert ledger.items(TODAY).empty  # nothing written


def test_sane_values_pass(small_store):
    ledger = Ledger(small_store)
    item = make(
        ledger,
        title="长" * TITLE_MAX,
        branch_code="0201",
        business_category="信用卡",
        reason="定价收费",
        due_date="2029-10-31",  # within 3 years of 2026-11-01
        action="做" * 4000,
        key_terms=[f"词{i}" for i in range(30)],
    )
    assert ledger.get(item)["due_date"] == "2029-10-31"


def test_bidi_controls_are_removed_from_titles(small_store):
    # H111: U+202E made "单订改整" display as "整改订单" while it was stored reversed; U+2066..2069 likewise
    ledger = Ledger(small_store)
    item = make(ledger, title="\u202e单订改整")
    assert ledger.get(item)["title"] == "单订改整"
    ledger.update(item, 1, {"title": "\u2066信用卡\u2069\u202a年费\u202c整改"}, "张三", today=TODAY)
    assert ledger.get(item)["title"] == "信用卡年费整改"


def test_an_edit_is_held_to_the_same_limits(small_store):
    ledger = Ledger(small_store)
    item = make(ledger, branch_code="0101")
    for changes, says in [
        ({"due_date": "9999-12-31"}, "超过"),
        ({"title": "x" * 100_000}, "过长"),
        ({"key_terms": ["x" * 41]}, "关键词"),
    ]:
        with pytest.raises(LedgerError, match=says):
            ledger.update(item, 1, changes, "张三", today=TODAY)
    assert ledger.get(item)["version"] == 1


def test_without_data_no_organisation_can_be_checked(tmp_path):
    ledger = Ledger(tmp_path)
    with pytest.raises(LedgerError, match="尚未导入机构数据"):
        make(ledger, branch_code="0101")
    assert make(ledger, business_category="信用卡") > 0  # a whole-bank item needs no organisation
