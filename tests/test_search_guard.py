"""Search must not reveal what the mask hides (issue 15, section 2): a user without the reveal right
cannot find a complaint by a masked name or number; a user with it can."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import roles
from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, LEADER, Principal
from dashboard.ingest.pipeline import import_files
from dashboard.text.search_guard import refusal, refusal_by_hits
from dashboard.ui.complaint_list import search_refusal
from tests.apptest_support import APP
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

PLANTED = "客户李春花反映信用卡6222021234567890123被盗刷，联系邮箱lichunhua@example.com"


@pytest.mark.parametrize(
    "query",
    [
        "李春花",
        "王磊",
        "欧阳明辉",
        "6222021234567890123",
        "2123456789",
        "13812345678",
        "1234",
        "lichunhua@example.com",
        "张先生",
        "客户王小明",
        "１３９１２３４５６７８",  # full-width (H266: the fold must not let these pass)
        "１２３４",
        "ｌｉｃｈｕｎｈｕａ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "张先生１２月",
    ],
)
def test_identifier_queries_refused(query):
    message = refusal(query)
    assert message and "个人信息" in message


@pytest.mark.parametrize(
    "query",
    [
        "年费",
        "盗刷",
        "信用卡",
        "黄金",
        "周末还款",
        "高利贷",
        "陈述",
        "招联金融",
        "暴力催收",
        "2026",
        "2026年",
        "ATM",
        "李",
        "１２月",  # H266: refused as personal data because the mask folds full-width digits and signs
        "第１支行",
        "－金卡",
        "＋静安支行",
        "２０２６年",
    ],
)
def test_ordinary_queries_pass(query):
    assert refusal(query) is None


def test_who_may_search_for_personal_data():
    for role in (LEADER, BRANCH):
        assert search_refusal("李春花", Principal("u", role, "0200")) is not None
    assert search_refusal("李春花", None) is not None  # nobody decided: fail closed
    assert search_refusal("李春花", Principal("u", CONSUMER_PROTECTION)) is None
    assert search_refusal("年费", Principal("u", BRANCH, "0200")) is None


@pytest.fixture
def planted_store(tmp_path, small_extracts):
    row = list(COMPLAINTS[2])
    row[0], row[11] = "C99", PLANTED
    complaints = write_csv(tmp_path / "planted.csv", COMPLAINT_HEADERS_ZH, [*COMPLAINTS, tuple(row)])
    import_files([*small_extracts[:2], complaints], tmp_path / "store")
    return tmp_path / "store"


def _search(query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"], at.query_params["to"] = "2026-10", "2026-10"
    at.run()
    at.switch_page("app_pages/hotspots.py").run()
    at.text_input(key="hs_q").input(query).run()  # the page's search (filters the whole page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _listed(at: AppTest) -> list[str]:
    return [cid for df in at.dataframe if "投诉编号" in df.value.columns for cid in df.value["投诉编号"]]


def test_query_hidden_in_every_match_refused():
    # 春花 and lichunhua read as ordinary text, but in this narrative they occur only inside masked spans
    for query in ("春花", "lichunhua", "LiChunHua"):
        assert refusal(query) is None
        assert refusal_by_hits(query, [PLANTED, "柜员态度差"]) is not None
    assert refusal_by_hits("盗刷", [PLANTED]) is None  # readable in the masked text


@pytest.mark.parametrize("query", ["李春花", "6222021234567890123"])
def test_masked_data_not_searchable_without_reveal_right(planted_store, app_env, monkeypatch, query):
    app_env(planted_store)
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    at = _search(query)
    assert "C99" not in _listed(at)
    assert any("个人信息" in w.value for w in at.warning)


# By hand from PLANTED as the list shows it (客户李**反映信用卡6222***********0123被盗刷，联系邮箱l********@...):
# 春花 and lichunhua occur only inside masked spans, 盗刷 and 信用卡 are readable.
@pytest.mark.parametrize(
    "query, listed",
    [
        ("春花", []),
        ("lichunhua", []),
        ("盗刷 OR 春花", ["C99"]),
        ("盗刷 NOT 春花", ["C99"]),
        ("盗刷 春花", []),
        ("信用卡 -lichunhua", ["C99"]),
    ],
)
def test_search_without_reveal_right_matches_the_masked_text(planted_store, app_env, monkeypatch, query, listed):
    """H237: a word found only inside a masked span was refused, so a refusal told, one character at a time on a
    narrowed selection, what the masked name holds; now it is searched as the list shows the text: no refusal,
    and the hits are those of the masked narrative."""
    app_env(planted_store)
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    at = _search(query)
    assert not any("为保护个人信息" in w.value for w in at.warning), [w.value for w in at.warning]
    assert sorted(set(_listed(at))) == listed


@pytest.mark.parametrize("query", ["盗刷 NOT 李春花", "(盗刷 -6222021234567890123)"])
def test_every_word_of_a_boolean_search_is_checked(planted_store, app_env, monkeypatch, query):
    """A negated word reveals by the counts what it excludes; an OR'd word by what it adds: each is checked."""
    app_env(planted_store)
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    at = _search(query)
    assert not _listed(at) and not at.metric
    assert any("个人信息" in w.value for w in at.warning)


@pytest.mark.parametrize("query", ["李春花", "6222021234567890123"])
def test_reveal_right_searches_the_stored_text(planted_store, app_env, query):
    app_env(planted_store)  # demo mode: a 消保部 user, who may reveal
    at = _search(query)
    assert _listed(at) == ["C99"]
    shown = next(df.value for df in at.dataframe if "投诉编号" in df.value.columns)
    assert "李春花" not in shown["投诉内容（已脱敏）"].iloc[0]  # the list itself stays masked


def test_ordinary_search_still_works_without_reveal_right(planted_store, app_env, monkeypatch):
    app_env(planted_store)
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    assert _listed(_search("盗刷")) == ["C99"]


def test_refused_search_stays_out_of_the_url(planted_store, app_env, monkeypatch):
    """H8: a refused search is not written into the link (the page's other state is)."""
    app_env(planted_store)
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    at = _search("盗刷 NOT 李春花")
    assert any("个人信息" in w.value for w in at.warning)
    assert "hs_q" not in at.query_params


def test_a_word_with_more_hits_than_can_be_checked_is_refused():
    """H7: every hit of the drilled selection is checked, or the search is refused at the cap (fail closed)."""
    from dashboard.text import search_guard
    from dashboard.text.search_query import parse
    from dashboard.ui.complaint_list import guarded_search

    guarded = Principal("u", LEADER, name="u", demo=True)
    many = lambda text: [(str(i), f"客户反映{text}") for i in range(search_guard.HITS_CHECKED + 1)]  # noqa: E731
    few = lambda text: [(str(i), f"客户反映{text}") for i in range(search_guard.HITS_CHECKED)]  # noqa: E731
    # 等了很久 is no word of the business dictionaries (banking terms stand apart since H59, below)
    assert "无法逐件核对" in guarded_search(parse("等了很久"), guarded, many)[0]
    assert guarded_search(parse("等了很久"), guarded, few)[0] is None


def test_business_words_are_searched_however_common():
    """H59: the words the refusal recommends (年费, 征信, 催收) and the main business lines (信用卡) are in
    the dictionaries, never masked: searched without a hit check even past the cap, alone or in an OR list;
    a given name alone past the cap is still refused, and an unchecked word in the list refuses it all."""
    from dashboard.text import search_guard
    from dashboard.text.search_query import parse
    from dashboard.ui.complaint_list import guarded_search

    guarded = Principal("u", LEADER, name="u", demo=True)
    many = lambda text: [(str(i), f"客户反映{text}") for i in range(search_guard.HITS_CHECKED + 1)]  # noqa: E731
    for query in ("催收", "信用卡", "年费 OR 征信 OR 催收", "招商银行", "盗刷 NOT 年费"):
        assert guarded_search(parse(query), guarded, many)[0] is None, query
    assert "无法逐件核对" in guarded_search(parse("春花"), guarded, many)[0]
    assert "无法逐件核对" in guarded_search(parse("催收 OR 等了很久"), guarded, many)[0]
    assert search_guard.never_masked("信用卡") and not search_guard.never_masked("春花")
    assert not search_guard.never_masked("王小明") and not search_guard.never_masked("13812345678")


@pytest.mark.parametrize("query", ["李春花", "6222021234567890123"])
def test_a_search_for_a_person_by_a_user_who_may_stays_out_of_the_url(planted_store, app_env, query):
    """H114: with the reveal right the search runs, but the identifier is not written into the link."""
    app_env(planted_store)
    at = _search(query)
    assert _listed(at) == ["C99"]
    assert "hs_q" not in at.query_params


def test_an_ordinary_search_is_kept_in_the_url(planted_store, app_env):
    app_env(planted_store)
    at = _search("盗刷")
    assert at.query_params["hs_q"] in ("盗刷", ["盗刷"])


def test_the_search_as_written_into_an_export_is_masked():
    """H114: the export's 说明 sheet said 搜索 | 610103200312034782 beside the masked list."""
    from dashboard.text.search_guard import written

    assert written("  ") is None
    assert written("年费 OR 盗刷") == "年费 OR 盗刷"
    for query, hidden in (("610103200312034782", "200312034"), ("李春花", "春花"), ("13812345678", "1234")):
        shown = written(query)
        assert hidden not in shown and "已脱敏" in shown


def test_a_search_for_a_person_is_audited_once_and_masked(planted_store, app_env):
    """H115: a user with the reveal right could look a person up by ID or name without a trace."""
    from dashboard.auth.audit import log_path

    app_env(planted_store)
    log = log_path(planted_store)
    before = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    at = _search("6222021234567890123")
    assert _listed(at) == ["C99"]
    at.run()  # the same search again in the same session: no second line
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[len(before) :]]
    searches = [line for line in lines if line["event"] == "search"]
    assert len(searches) == 1
    assert "6222021234567890123" not in json.dumps(searches[0], ensure_ascii=False)
    assert searches[0]["detail"]["query"].startswith("6222")
    _search("盗刷")  # an ordinary word is no lookup of a person
    after = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert sum(line["event"] == "search" for line in after) == 1


def _search_lines(store) -> list[dict]:
    from dashboard.auth.audit import log_path

    log = log_path(store)
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [entry for entry in map(json.loads, lines) if entry["event"] == "search"]


# By hand from PLANTED: 春花 occurs only inside 李** and lichunhua only inside l********@…, so each of these finds
# C99 through what the mask hides, while the whole text of the first two is no refusal's (李 春花 is one).
@pytest.mark.parametrize("query", ["春花 李", "lichunhua", "春花"])
def test_a_lookup_by_part_of_a_masked_name_is_audited_too(planted_store, app_env, query):
    """H259: the audit (H115) checked the search's whole text only, so a 消保部 user found C99 by its masked name
    with the words reordered, or by a part of it, and no line was written."""
    app_env(planted_store)  # demo mode: a 消保部 user, who may reveal
    assert refusal(query) is None
    at = _search(query)
    assert _listed(at) == ["C99"]
    assert len(_search_lines(planted_store)) == 1


def test_a_search_by_a_user_without_the_reveal_right_is_no_lookup(planted_store, app_env, monkeypatch):
    """H259: a 行领导's 李 春花 is searched word by word on the masked text (nothing found: 春花 is hidden in C99),
    yet it was logged as a person lookup, which that role cannot make."""
    app_env(planted_store)
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    assert refusal("李 春花") is not None  # the whole text looks like a name
    at = _search("李 春花")
    assert not any("为保护个人信息" in w.value for w in at.warning)
    assert "C99" not in _listed(at)
    assert _search_lines(planted_store) == []


# --- H257: a name fragment in the URL or an audit line --------------------------------------------------
@pytest.mark.parametrize("query", ["春花 李", "lichunhua", "春花"])
def test_a_name_fragment_searched_stays_out_of_the_url_and_is_masked_in_the_audit(planted_store, app_env, query):
    """H257: 春花 (only inside 李** in PLANTED) passed the whole-text checks, so it was kept in the page's URL and
    written as typed into the search's audit line. Now neither: the line holds the words masked."""
    app_env(planted_store)  # a 消保部 user
    at = _search(query)
    assert _listed(at) == ["C99"]
    assert "hs_q" not in at.query_params
    (line,) = _search_lines(planted_store)
    written = line["detail"]["query"]
    assert "春花" not in written and "lichunhua" not in written and "已脱敏" in written


def test_a_name_fragment_searched_by_a_user_without_the_right_stays_out_of_the_url(planted_store, app_env, monkeypatch):
    """A 行领导's 春花 finds nothing (it is hidden in C99), and the link does not carry it either."""
    app_env(planted_store)
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    at = _search("春花")
    assert "C99" not in _listed(at)
    assert "hs_q" not in at.query_params


def test_written_masks_the_hidden_words_only():
    from dashboard.text.search_guard import written

    assert written("年费 春花", ("春花",)) == "年费 **（按个人信息搜索，已脱敏）"
    assert written("LiChunHua", ("lichunhua",)) == "*********（按个人信息搜索，已脱敏）"
    assert written("年费", ()) == "年费"


def test_a_name_planted_in_the_link_is_masked_in_the_export_audit_and_leaves_the_url(planted_store, app_env):
    """H257: a term carried by a link (here 客户李春花) was copied into the export's audit line (its view) as
    written and kept in the page's URL; the line now holds it masked and the page's URL drops it."""
    from dashboard.ui import download
    from tests.apptest_support import run_app

    app_env(planted_store)
    produced = []
    real = download.export_callable

    def spy(data, file_name, what, who, detail=None, **kwargs):
        produced.append(detail)
        return real(data, file_name, what, who, detail, **kwargs)

    download.export_callable = spy
    try:
        at = run_app("app_pages/hotspots.py", {"from": "2026-10", "to": "2026-10", "hs_term": "客户李春花"})
    finally:
        download.export_callable = real
    assert produced, "the page offers an export"
    said = json.dumps(produced, ensure_ascii=False)
    assert "hs_term" in said and "李春花" not in said and "客户李**" in said
    assert "hs_term" not in at.query_params
