"""A ledger item's key terms are searched in the stored narratives (its effect): for a user who may not
reveal personal data they pass the search guard, and they leave the store masked (hostile H146)."""

from __future__ import annotations

import pytest

from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, Principal
from dashboard.ledger import export
from dashboard.ledger.store import Ledger, LedgerError
from dashboard.text.masking import mask
from tests.conftest import COMPLAINTS, write_small_extracts

CP = Principal("cp@bank.test", CONSUMER_PROTECTION)
SHANGHAI = Principal("sh@bank.test", BRANCH, "0200")
PHONE = "13576051150"
NARRATIVE = f"客户王春花反映信用卡年费争议，联系电话{PHONE}，要求退还年费。"


def _with_a_named_complaint(folder):
    row = list(COMPLAINTS[0])
    row[0], row[3], row[5], row[11] = "C90", "0201", "信用卡", NARRATIVE
    return write_small_extracts(folder, complaints=[*COMPLAINTS, tuple(row)])


@pytest.fixture
def store(store_factory):
    return store_factory("named_narrative", _with_a_named_complaint)


def _similar(ledger: Ledger, terms: list[str]) -> int:
    return ledger.create(
        source="similar", title="年费争议", branch_code="0201", business_category="信用卡", key_terms=terms
    )


def test_the_fixture_masks_what_the_tests_search():
    masked = mask(NARRATIVE)
    assert PHONE not in masked and "春花" not in masked and "年费" in masked


@pytest.mark.parametrize("term", [PHONE, "王春花"])
def test_a_branch_user_cannot_save_personal_data_as_a_key_term(store, term):
    # the phone and the name by the guard's own rules
    with pytest.raises(LedgerError, match="不能使用"):
        _similar(Ledger(store, SHANGHAI), ["年费", term])
    item = _similar(Ledger(store, SHANGHAI), ["年费"])
    with pytest.raises(LedgerError, match="不能使用"):
        Ledger(store, SHANGHAI).update(item, 1, {"key_terms": ["年费", term]})
    assert Ledger(store).get(item)["key_terms"] == ["年费"]  # nothing saved


def test_a_word_found_only_inside_a_masked_name_is_saved_without_looking_at_the_narratives(store):
    """Issue 15: 春花 occurs only inside C90's masked name; refusing it told what the name holds. It is saved,
    and the effect counts it on the masked text (tests/test_search_oracles.py)."""
    item = _similar(Ledger(store, SHANGHAI), ["年费", "春花"])
    assert Ledger(store).get(item)["key_terms"] == ["年费", "春花"]


def test_business_terms_pass_and_consumer_protection_may_save_any_term(store):
    item = _similar(Ledger(store, SHANGHAI), ["年费", "退还"])
    assert Ledger(store).get(item)["key_terms"] == ["年费", "退还"]
    Ledger(store, CP).update(item, 1, {"key_terms": ["年费", PHONE]})  # may reveal: searches the stored text
    # a branch user editing something else keeps the term it could not have typed
    Ledger(store, SHANGHAI).update(item, 2, {"owner_dept": "信用卡中心"})
    stored = Ledger(store).get(item)
    assert stored["key_terms"] == ["年费", PHONE] and stored["owner_dept"] == "信用卡中心"


def test_key_terms_leave_the_store_masked(store):
    from dashboard.analysis.effect import item_slice

    item = _similar(Ledger(store, CP), ["年费", PHONE])
    stored = Ledger(store).get(item)
    assert PHONE not in export.slice_text(stored) and "年费" in export.slice_text(stored)
    _, overrides, what = item_slice(stored)
    assert PHONE not in what and overrides["terms"] == ["年费", PHONE]  # counted on the stored terms


@pytest.mark.parametrize("who", [SHANGHAI, CP])
def test_a_key_term_copied_from_the_masked_list_is_refused_with_the_reason(store, who):
    # hostile H250: 王** as the list shows 王春花 was saved and counted no complaint ever, without a word why
    shown = mask(NARRATIVE)[2:5]
    assert shown == "王**"  # the fixture's name as the masked list shows it
    with pytest.raises(LedgerError, match="不是通配符"):
        _similar(Ledger(store, who), ["年费", shown])
    item = _similar(Ledger(store, who), ["年费"])
    with pytest.raises(LedgerError, match="不是通配符"):
        Ledger(store, who).update(item, 1, {"key_terms": ["年费", "王＊＊"]})  # the full-width form too
    assert Ledger(store).get(item)["key_terms"] == ["年费"]  # nothing saved


def test_a_full_width_key_term_is_saved_as_its_half_width_form(store):
    item = _similar(Ledger(store, CP), ["１２月", "ＡＴＭ", "12月", "年费"])
    assert Ledger(store).get(item)["key_terms"] == ["12月", "ATM", "年费"]
