"""Who may create, edit and close rectification items (docs/security.md), enforced in the ledger store.

The small bank (tests/conftest.py): 总行 0000; 北京分行 0100 with 0101, 0102; 上海分行 0200 with 0201.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, LEADER, Principal
from dashboard.ledger.store import ForbiddenError, Ledger, LedgerError
from tests.test_auth import auth_env  # noqa: F401 (fixture)

CP = Principal("cp@bank.test", CONSUMER_PROTECTION)
LEAD = Principal("lead@bank.test", LEADER)
SHANGHAI = Principal("sh@bank.test", BRANCH, "0200")


def item(ledger: Ledger, branch_code: str | None, title: str) -> int:
    return ledger.create(source="recurring", title=title, branch_code=branch_code, user="ignored")


@pytest.fixture
def ledger_items(small_store):
    """Three items made by 消保部: about 0101 (北京), 0201 (上海) and the whole bank."""
    cp = Ledger(small_store, CP)
    return {code: item(cp, code, f"事项 {code}") for code in ("0101", "0201", None)}


def test_a_branch_user_sees_only_items_of_its_subtree(small_store, ledger_items):
    shanghai = Ledger(small_store, SHANGHAI)
    assert list(shanghai.items()["id"]) == [ledger_items["0201"]]
    assert shanghai.get(ledger_items["0101"]) is None and shanghai.get(ledger_items[None]) is None
    assert shanghai.get(ledger_items["0201"])["branch_code"] == "0201"
    assert shanghai.history(ledger_items["0101"]).empty
    assert set(shanghai.history_of(list(ledger_items.values()))["item_id"]) == {ledger_items["0201"]}
    assert len(Ledger(small_store, LEAD).items()) == 3 and len(Ledger(small_store, CP).items()) == 3


def test_a_branch_user_creates_and_closes_items_of_its_subtree_only(small_store, ledger_items):
    shanghai = Ledger(small_store, SHANGHAI)
    own = item(shanghai, "0200", "上海分行自查")
    assert Ledger(small_store).get(own)["created_by"] == "sh@bank.test"  # the user, not the argument
    with pytest.raises(ForbiddenError, match="0101 不在其中"):
        item(shanghai, "0101", "越权")
    with pytest.raises(ForbiddenError, match="全行事项由消保部维护"):
        item(shanghai, None, "全行事项")
    version = shanghai.update(ledger_items["0201"], 1, {"status": "已整改"})
    assert Ledger(small_store).get(ledger_items["0201"])["status"] == "已整改" and version == 2
    with pytest.raises(LedgerError, match="不存在"):  # as if it did not exist
        shanghai.update(ledger_items["0101"], 1, {"status": "已整改"})
    assert Ledger(small_store).get(ledger_items["0101"])["status"] == "待整改"
    assert len(Ledger(small_store).items()) == 4  # nothing else was written


def test_verified_only_after_rectified_a_complete_month_on_and_by_consumer_protection(small_store):
    # H110: 已验证 means the effect was checked. Opened 2026-06-01, fixed 2026-08-10 (month 2026-08): the
    # first complete month after it, September, ends 2026-09-30, so not before 2026-10-01; and by 消保部.
    from datetime import date

    cp, shanghai = Ledger(small_store, CP), Ledger(small_store, SHANGHAI)
    with pytest.raises(LedgerError, match="须先标记为“已整改”"):
        cp.create(source="manual", title="直接验证", branch_code="0201", status="已验证", now="2026-06-01 09:00:00")
    made = cp.create(source="manual", title="浦东整改", branch_code="0201", now="2026-06-01 09:00:00")
    with pytest.raises(LedgerError, match="须先标记为“已整改”"):
        cp.update(made, 1, {"status": "已验证"}, today=date(2026, 11, 1))
    version = shanghai.update(made, 1, {"status": "已整改", "fixed_at": "2026-08-10"}, today=date(2026, 9, 1))
    with pytest.raises(LedgerError, match="2026年9月"):
        cp.update(made, version, {"status": "已验证"}, today=date(2026, 9, 30))
    with pytest.raises(ForbiddenError, match="由消保部"):
        shanghai.update(made, version, {"status": "已验证"}, today=date(2026, 10, 1))
    cp.update(made, version, {"status": "已验证"}, today=date(2026, 10, 1))
    assert Ledger(small_store).get(made)["status"] == "已验证"
    assert Ledger(small_store).get(made)["fixed_at"] == "2026-08-10"


def test_a_branch_users_item_cites_only_complaints_of_its_subtree(small_store):
    shanghai = Ledger(small_store, SHANGHAI)
    # C04, C05, C07 are at 0201 (上海); C01 at 0101 (北京); C99 is in no extract.
    own = shanghai.create(source="similar", title="上海分期营销", branch_code="0200", complaint_ids=["C04", "C07"])
    assert Ledger(small_store).get(own)["complaint_ids"] == ["C04", "C07"]
    for cited, named in ((["C05", "C01"], "C01"), (["C99"], "C99")):
        with pytest.raises(ForbiddenError, match=f"不存在或不在您的机构（0200）及下辖机构中.*{named}"):
            shanghai.create(source="similar", title="越权引用", branch_code="0201", complaint_ids=cited)
    assert len(Ledger(small_store).items()) == 1  # the refused ones wrote nothing
    whole_bank = Ledger(small_store, CP).create(source="similar", title="全行", complaint_ids=["C01", "C04"])
    assert Ledger(small_store).get(whole_bank)["complaint_ids"] == ["C01", "C04"]  # 消保部: any complaint


def test_cited_numbers_must_be_complaints_and_are_read_as_the_data_spells_them(small_store):
    # hostile H42: 消保部's item citing "NOPE-0000; drop table x" was created (its effect never computable);
    # a branch user's " c04 " was refused as outside their organisation
    with pytest.raises(LedgerError, match="这些投诉编号在数据中不存在，请核对：NOPE-0000; drop table x"):
        Ledger(small_store, CP).create(source="complaint", title="t", complaint_ids=["NOPE-0000; drop table x"])
    own = Ledger(small_store, SHANGHAI).create(
        source="complaint", title="t", branch_code="0201", complaint_ids=[" c04 ", "C07", "c07"]
    )
    assert Ledger(small_store).get(own)["complaint_ids"] == ["C04", "C07"]
    assert len(Ledger(small_store).items()) == 1  # the refused one wrote nothing


def test_leaders_read_the_whole_ledger_and_write_nothing(small_store, ledger_items):
    lead = Ledger(small_store, LEAD)
    with pytest.raises(ForbiddenError, match="行领导"):
        item(lead, "0101", "领导建立")
    with pytest.raises(ForbiddenError):
        lead.update(ledger_items["0101"], 1, {"status": "已整改"})
    assert not lead.may_write("0101") and not lead.may_write(None)
    assert Ledger(small_store, CP).may_write(None) and Ledger(small_store, SHANGHAI).may_write("0201")


def test_every_page_opens_the_ledger_as_the_signed_in_user():
    root = Path(__file__).resolve().parent.parent / "dashboard"
    calls = [
        (p.name, m.group(0))
        for p in root.rglob("*.py")
        for m in re.finditer(r"Ledger\(.*", p.read_text(encoding="utf-8"))
        if "app_pages" in p.parts
    ]
    assert calls and all("principal()" in call for _, call in calls), calls


def test_the_ledger_page_shows_a_branch_user_its_items_and_a_leader_cannot_save(
    small_store, ledger_items, app_env, auth_env
):
    from tests.test_auth import signed_in

    app_env(small_store)
    at = signed_in({"email": "sh@bank.test"}, page="app_pages/ledger.py")
    assert [t.value for t in at.title] == ["整改台账"]
    choices = at.selectbox(key="lg_item").options
    assert choices == [f"#{ledger_items['0201']} 事项 0201（待整改）"]
    assert not next(b for b in at.button if b.label == "保存").disabled

    at = signed_in({"email": "lead@bank.test"}, page="app_pages/ledger.py")
    assert len(at.selectbox(key="lg_item").options) == 3
    assert next(b for b in at.button if b.label == "保存").disabled


def test_a_recorded_fix_date_is_corrected_by_consumer_protection_only_and_not_while_verified(small_store):
    # H144: the branch moved a verified item's fix date four months on and its failed effect read 待观察
    from datetime import date

    cp, shanghai = Ledger(small_store, CP), Ledger(small_store, SHANGHAI)
    made = cp.create(source="manual", title="浦东整改", branch_code="0201", now="2026-04-10 09:00:00")
    v = shanghai.update(made, 1, {"status": "已整改", "fixed_at": "2026-05-15"}, today=date(2026, 5, 15))
    with pytest.raises(ForbiddenError, match="须由消保部"):
        shanghai.update(made, v, {"fixed_at": "2026-06-20"}, today=date(2026, 7, 1))
    v = cp.update(made, v, {"fixed_at": "2026-05-20"}, today=date(2026, 7, 1))  # 消保部 corrects it
    v = cp.update(made, v, {"status": "已验证"}, today=date(2026, 7, 5))
    for who in (shanghai, cp):
        with pytest.raises(LedgerError, match="已验证"):
            who.update(made, v, {"fixed_at": "2026-11-20"}, today=date(2026, 11, 25))
    with pytest.raises(ForbiddenError, match="不能撤回"):
        shanghai.update(made, v, {"status": "已整改"}, today=date(2026, 11, 25))
    stored = Ledger(small_store).get(made)
    assert (stored["status"], stored["fixed_at"]) == ("已验证", "2026-05-20")
    # the branch may still reopen an item 消保部 took back and rectify it again, with the history showing it
    v = cp.update(made, v, {"status": "已整改"}, today=date(2026, 11, 25))
    v = shanghai.update(made, v, {"status": "整改中"}, today=date(2026, 11, 25))
    shanghai.update(made, v, {"status": "已整改", "fixed_at": "2026-11-25"}, today=date(2026, 11, 25))
    assert Ledger(small_store).get(made)["fixed_at"] == "2026-11-25"


def test_a_deadline_once_set_is_moved_by_consumer_protection_only(small_store):
    """消保部 sets 上海分行 a deadline; the branch cannot move it (hostile H184: an overdue item left 已逾期 by a due
    date ten months on), but may set one where none was set."""
    cp, shanghai = Ledger(small_store, CP), Ledger(small_store, SHANGHAI)
    set_by_cp = cp.create(source="manual", title="督办", branch_code="0200", user="x", due_date="2027-01-31")
    with pytest.raises(ForbiddenError, match="整改期限已定为 2027-01-31，调整期限须由消保部办理"):
        shanghai.update(set_by_cp, 1, {"due_date": "2027-08-31"})
    with pytest.raises(ForbiddenError, match="调整期限须由消保部办理"):
        shanghai.update(set_by_cp, 1, {"due_date": None})
    assert shanghai.update(set_by_cp, 1, {"status": "整改中"}) == 2  # other fields as before
    assert cp.update(set_by_cp, 2, {"due_date": "2027-02-28"}) == 3
    assert Ledger(small_store).get(set_by_cp)["due_date"] == "2027-02-28"
    open_ended = item(shanghai, "0200", "自查")
    assert shanghai.update(open_ended, 1, {"due_date": "2027-03-15"}) == 2


def test_an_overdue_items_fix_dated_on_time_after_the_deadline_is_recorded_by_consumer_protection(small_store):
    """hostile H195: on 12-04 a 分行 marked an item due 11-20 已整改 with 整改完成日期 11-19, and it left 已逾期 as
    if it had been done in time. The branch records its real, late date; 消保部 may record an earlier one."""
    from datetime import date

    cp, shanghai = Ledger(small_store, CP), Ledger(small_store, SHANGHAI)
    today = date(2026, 12, 4)
    due = cp.create(
        source="manual",
        title="督办",
        branch_code="0200",
        user="x",
        due_date="2026-11-20",
        today=date(2026, 11, 1),
        now="2026-11-01 09:00:00",
    )
    assert bool(cp.items(today).set_index("id").at[due, "overdue"])
    with pytest.raises(
        ForbiddenError, match="整改期限 2026-11-20 已过，现在补记的整改完成日期 2026-11-19 不晚于期限，须由消保部"
    ):
        shanghai.update(due, 1, {"status": "已整改", "fixed_at": "2026-11-19"}, today=today)
    with pytest.raises(ForbiddenError, match="不晚于期限"):
        shanghai.update(due, 1, {"status": "已整改", "fixed_at": "2026-11-20"}, today=today)
    assert bool(cp.items(today).set_index("id").at[due, "overdue"]) and cp.get(due)["status"] == "待整改"
    assert shanghai.update(due, 1, {"status": "已整改", "fixed_at": "2026-11-28"}, today=today) == 2  # late, as it was
    assert cp.get(due)["fixed_at"] == "2026-11-28"

    by_cp = cp.create(
        source="manual",
        title="督办二",
        branch_code="0200",
        user="x",
        due_date="2026-11-20",
        today=date(2026, 11, 1),
        now="2026-11-01 09:00:00",
    )
    assert cp.update(by_cp, 1, {"status": "已整改", "fixed_at": "2026-11-19"}, today=today) == 2
    before = cp.create(
        source="manual",
        title="督办三",
        branch_code="0200",
        user="x",
        due_date="2026-12-20",
        today=date(2026, 11, 1),
        now="2026-11-01 09:00:00",
    )
    assert (
        shanghai.update(before, 1, {"status": "已整改", "fixed_at": "2026-11-19"}, today=today) == 2
    )  # not overdue yet
