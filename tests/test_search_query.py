"""The hotspots page's search language (dashboard/text/search_query.py) and its SQL predicate
(queries/macro_search_match.sql): parsing, errors in Chinese, and the same answers in SQL as written by
hand for small narratives."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from dashboard import db
from dashboard.text.search_query import Literal, SearchError, highlight_spans, parse

TEXTS = {
    "A": "信用卡年费被扣，要求退还",
    "B": "提前还款被收取违约金",
    "C": "信用卡分期营销电话骚扰",
    "D": "Credit Report error, the credit bureau did not fix it",
    "E": "短信费每月两元",
    "F": None,
}
# (search, the narratives that match, read off TEXTS by hand)
CASES = [
    ("年费", {"A"}),
    ("信用卡 年费", {"A"}),
    ("信用卡 AND 分期", {"C"}),
    ("年费 OR 违约金", {"A", "B"}),
    ("年费 或 违约金", {"A", "B"}),
    ("年费 | 短信", {"A", "E"}),
    ("信用卡 NOT 年费", {"C"}),
    ("信用卡 -年费", {"C"}),
    ("NOT 费", {"B", "C", "D", "F"}),  # 违约金 has no 费
    ("非 费", {"B", "C", "D", "F"}),
    ('"credit report"', {"D"}),
    ('"report credit"', set()),
    ("“电话骚扰”", {"C"}),
    ('"电话 骚扰"', set()),
    ("CREDIT", {"D"}),
    ("(年费 OR 分期) 信用卡", {"A", "C"}),
    ("（年费 OR 分期）信用卡", {"A", "C"}),
    ("信用卡 OR 违约金 费", {"A", "C"}),  # AND binds tighter: 信用卡 OR (违约金 AND 费)
    ("信用卡 OR 违约金 收取", {"A", "B", "C"}),
    ("NOT (年费 OR 违约金) 费", {"E"}),
    ("NOT NOT 年费", {"A"}),
    ("'; drop table complaints; --", set()),
    # hostile finding H10: these gave 0 hits silently (a bare '-' and ＮＯＴ were read as words)
    ("-(年费 OR 违约金) 费", {"E"}),
    ("信用卡 - 年费", {"C"}),
    ("信用卡 ＮＯＴ 年费", {"C"}),
    ("信用卡 －年费", {"C"}),
    ('信用卡 -"年费"', {"C"}),
    ("信用卡 ！（年费）", {"C"}),
    ("ｃｒｅｄｉｔ　ｒｅｐｏｒｔ", {"D"}),
]


def search_connection() -> duckdb.DuckDBPyConnection:
    """The search's macros: the fold (as the import stores it) and the match on the folded text."""
    c = duckdb.connect()
    c.execute(db.load_sql("macro_search_fold"))
    c.execute(db.load_sql("macro_search_match"))
    return c


@pytest.fixture(scope="module")
def con():
    c = search_connection()
    c.execute(
        "create table t as select * from (values "
        + ", ".join(f"('{k}', {'NULL' if v is None else repr(v)})" for k, v in TEXTS.items())
        + ") v(id, content)"
    )
    return c


def sql_hits(con, search) -> set[str]:
    p = search.params() if search else {"s_terms": None, "s_neg": None, "s_hidden": None}
    # the narrative folded as the import stores it (complaints.search_text, queries/import_derive_complaints.sql)
    sql = (
        "select id from t where search_match(search_fold(content), $s_terms, $s_neg, cid := id, s_hidden := $s_hidden)"
    )
    rows = con.execute(sql, p).fetchall()
    return {r[0] for r in rows}


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_search_matches_what_was_read_by_hand(con, text, expected):
    search = parse(text)
    assert sql_hits(con, search) == expected
    assert {k for k, v in TEXTS.items() if search.matches(v)} == expected


def test_a_text_hidden_in_a_narrative_counts_as_absent_there(con):
    """H237: s_hidden names, per literal, the narratives where it occurs only inside a masked span: the search
    then treats them as not containing it, plain and negated, and leaves the other literals alone."""
    hits = {k for k, v in TEXTS.items() if v and "年费" in v.lower()}
    one = sorted(hits)[0]
    plain = dataclasses.replace(parse("年费"), hidden=(((one,),),))
    assert sql_hits(con, plain) == hits - {one}
    negated = dataclasses.replace(parse("-年费"), hidden=(((one,),),))
    assert sql_hits(con, negated) == (set(TEXTS) - hits) | {one}
    either = parse("年费 OR 分期")
    both = dataclasses.replace(either, hidden=(((one,), ()),))
    assert sql_hits(con, both) == sql_hits(con, either) - ({one} - {k for k, v in TEXTS.items() if v and "分期" in v})


def test_no_search_matches_everything(con):
    assert parse("") is None and parse("   ") is None
    assert sql_hits(con, None) == set(TEXTS)


def test_normal_form_and_parameters():
    search = parse("(年费 OR 分期) 信用卡 -违约金")
    assert search.params() == {
        "s_terms": [["年费", "分期"], ["信用卡"], ["违约金"]],
        "s_neg": [[False, False], [False], [True]],
        "s_hidden": None,
    }
    assert search.positive_terms == ("年费", "分期", "信用卡")
    assert Literal("违约金", True) in search.literals


@pytest.mark.parametrize(
    "text,says",
    [
        ("(年费 OR 分期", "缺少右括号"),
        ("年费)", "右括号多于左括号"),
        ("年费 AND", "不完整"),
        ("年费 -", "不完整"),
        ("-", "不完整"),
        ("OR 年费", "前面需要一个词"),
        ('""', "引号中没有内容"),
        ("()", "括号中没有内容"),
        ("年费 OR NOT 年费", "总是成立"),
        (" ".join(f"词{i}" for i in range(25)), "超过 20 个"),
        ("(a OR b) (c OR d) (e OR f) (g OR h) (i OR j) (k OR l) (m OR n)", "过于复杂"),
        ("年" * 201, "过长"),
    ],
)
def test_bad_searches_are_refused_in_chinese(text, says):
    """Too complex: NOT of seven bracketed ORs is an OR of seven ANDs, 2**7 = 128 clauses."""
    if "过于复杂" in says:
        text = f"NOT ({text})"
    with pytest.raises(SearchError, match=says):
        parse(text)


@pytest.mark.parametrize(
    "text,named",
    [
        ("李**", "李**"),
        ("年费 139****5678", "139****5678"),
        ("李＊＊", "李**"),
        ('"张*先生" OR 年费', "张*先生"),
        ("-王*", "王*"),
    ],
)
def test_masked_text_is_refused_with_the_reason(text, named):
    # hostile H233: 李** copied from the masked list was read as a literal and matched nothing, silently.
    # Full-width ＊ is NFKC-normalised to *, so it is refused the same way
    with pytest.raises(SearchError, match=r"脱敏后的内容（含 \*）无法搜索") as refused:
        parse(text)
    assert f"“{named}”" in str(refused.value) and "不是通配符" in str(refused.value)


def test_highlight_spans_merge_and_ignore_case():
    assert highlight_spans("Credit report, CREDIT card", ("credit",)) == [(0, 6), (15, 21)]
    assert highlight_spans("提前还款违约金", ("还款", "提前还")) == [(0, 4)]
    assert highlight_spans("王**的年费", ("王小明",)) == []


def test_full_width_digits_and_signs_match_as_ascii():
    """H266: the search is NFKC-folded (第１支行 -> 第1支行), so the narrative is read with its full-width digits
    and signs folded too: either form finds both narratives (a leading － stays NOT), in SQL, in Python, and in the highlight."""
    c = search_connection()
    c.execute(
        "create table t as select * from (values ('W', '第１支行１２月多收－金卡年费'), ('A', '第1支行12月')) v(id, content)"
    )
    for typed, expected in (
        ("第1支行", {"W", "A"}),
        ("第１支行", {"W", "A"}),
        ("１２月", {"W", "A"}),
        ("多收－金卡", {"W"}),
    ):
        search = parse(typed)
        assert sql_hits(c, search) == expected, typed
        assert {
            k for k, v in (("W", "第１支行１２月多收－金卡年费"), ("A", "第1支行12月")) if search.matches(v)
        } == expected
    assert highlight_spans("第１支行１２月", parse("１２月").positive_terms) == [(4, 7)]


def test_full_width_letters_match_as_ascii_in_sql_and_python():
    """H19's leftover: the query's NFKC reads ＡＴＭ as atm, so the narrative's full-width letters and signs
    (U+FF01-FF5E) are read as ASCII too, the same in SQL and in Python."""
    c = search_connection()
    rows = {"W": "在ＡＴＭ机取款（ｅｔｃ）", "A": "在ATM机取款(etc)", "N": "在柜面取款"}
    c.execute("create table t (id varchar, content varchar)")
    c.executemany("insert into t values (?, ?)", list(rows.items()))
    for typed, expected in (("ATM", {"W", "A"}), ("ＡＴＭ", {"W", "A"}), ("atm机", {"W", "A"}), ("(etc)", {"W", "A"})):
        search = parse(typed)
        assert sql_hits(c, search) == expected, typed
        assert {k for k, v in rows.items() if search.matches(v)} == expected, typed
    assert highlight_spans("在ＡＴＭ机", parse("atm").positive_terms) == [(1, 4)]


def test_the_sql_folds_the_characters_python_folds():
    """The fold is written once for SQL (queries/macro_search_fold.sql), with Python's characters
    (masking.SEARCH_FOLD_FROM / SEARCH_FOLD_TO), and every query that folds calls it: no query file repeats the
    characters, whole or in part (the digits alone were an older, narrower fold)."""
    from dashboard.config import QUERIES_DIR
    from dashboard.text.masking import SEARCH_FOLD_FROM, SEARCH_FOLD_TO

    literal = f"lower(translate(text, '{SEARCH_FOLD_FROM}', '{SEARCH_FOLD_TO.replace(chr(39), chr(39) * 2)}'))"
    assert db.load_sql("macro_search_fold").count(literal) == 1
    holding = sorted(
        p.stem for p in QUERIES_DIR.glob("*.sql") if "０１２３４５６７８９" in p.read_text(encoding="utf-8")
    )
    assert holding == ["macro_search_fold"]
    assert "search_fold(content) as search_text" in db.load_sql("import_derive_complaints")
    for name in ("macro_search_match", "complaints_search_hidden"):  # they read the stored folds
        assert "translate(" not in db.load_sql(name) and "search_fold(" not in db.load_sql(name), name


def test_the_sql_fold_is_pythons_on_every_character():
    """search_fold in SQL gives fold_search(...).lower() for every full-width ASCII form, its neighbours outside
    U+FF01-FF5E (left as they are) and mixed text; NULL stays NULL."""
    from dashboard.text.masking import fold_search

    texts = [chr(c) for c in range(0xFF00, 0xFF61)] + ["第１支行ＡＴＭ，（Ｅｔｃ）", "信用卡 ATM", "ÀÉ Straße ＩＩ", ""]
    c = search_connection()
    got = c.execute("select list_transform($t::varchar[], lambda x: search_fold(x))", {"t": texts}).fetchone()[0]
    assert got == [fold_search(t).lower() for t in texts]
    assert c.execute("select search_fold(null::varchar)").fetchone()[0] is None
