"""The fast paths of the masking and the terms index (issue 21, brief P: CPU per narrative): each gives
what a simple reference gives, on the labelled masking sets and on tests/fixtures/terms_fast_paths.txt."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from dashboard import db
from dashboard.derived import terms_index
from dashboard.text import alternation, institutions, masking, names, terms

FIXTURES = Path(__file__).parent / "fixtures"


def _texts() -> list[str]:
    out = [
        line
        for line in (FIXTURES / "terms_fast_paths.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in sorted(FIXTURES.glob("masking_*.jsonl")):
        out += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


TEXTS = _texts()
NUMBERS = [masking._mask_numbers(t) for t in TEXTS]  # what the name finder reads


def test_fixture_is_read():
    assert len(TEXTS) > 1000 and "业务员巴特尔说可以免息，催收员张立平、李春梅两人多次打电话。" in TEXTS


def test_a_repeated_clause_is_tagged_once(monkeypatch):
    """The tagger reads a clause once, however many narratives hold it (it read each occurrence anew)."""
    tagger = names._get_tagger()
    calls: list[str] = []

    class Counting:
        def tag(self, text):
            calls.append(text)
            return tagger.tag(text)

        def has_word(self, word):
            return tagger.has_word(word)

    monkeypatch.setattr(names, "_tagger", Counting())
    clause = "客户王晓明于本周三来电称分期手续费收得过高"  # in no other test: read here first
    names.name_spans(clause + "，要求退还。")
    names.name_spans("要求减免，" + clause + "。")
    assert calls.count(clause) == 1


def _tokens_reference(text: str) -> list[tuple[int, int, str, str]]:
    """The narrative's reading word by word: each clause with a surname character tagged, the rest one
    word flagged x."""
    tagger = names._get_tagger()
    out, pos = [], 0
    for m in re.finditer(r"[^，。；：！？、“”‘’（）《》【】「」\s]+|[，。；：！？、“”‘’（）《》【】「」\s]+", text):
        clause = m.group()
        pieces = tagger.tag(clause) if names._NAME_START.search(clause) else [(clause, "x")]
        for word, flag in pieces:
            out.append((pos, pos + len(word), word, flag))
            pos += len(word)
    return out


def test_tokens_match_the_word_by_word_reading():
    for text in NUMBERS:
        tokens = names._Tokens(text, partial=True)
        expected = _tokens_reference(text)
        assert tokens.words == expected, text
        assert tokens.at == {w[0]: w for w in expected}
        assert tokens.ends == {w[1] for w in expected} and tokens._starts == [w[0] for w in expected]
    shifted = names._Tokens("客户王小明来电", offset=7)  # a piece of a narrative, read whole
    pos, expected = 7, []
    for word, flag in names._get_tagger().tag("客户王小明来电"):
        expected.append((pos, pos + len(word), word, flag))
        pos += len(word)
    assert shifted.words == expected


def test_cue_scan_matches_the_plain_alternation():
    """The first-character lookahead changes where the engine looks, not what it finds."""
    plain = re.compile(
        "(?:("
        + alternation.trie(names._STRONG_CUES)
        + ")|("
        + alternation.trie(names._WEAK_CUES)
        + ")|("
        + alternation.trie(names._ROLES)
        + ")(是|叫|为)?)"
        + r"([:：\s“”\"'‘’「」]*)"
    )
    for text in NUMBERS:
        got = [(m.span(), m.groups()) for m in names._CUE_RE.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(text)], text


def test_institution_spans_match_the_flat_alternation():
    """The dictionary as a trie finds what the alternation of its entries, longest first, finds."""
    flat = re.compile("|".join(re.escape(w) for w in institutions.names()))
    extra = ["招联消费金融招联金融招联", "马上消费金融马上消费", "蚂蚁借呗花呗借呗"]
    for text in TEXTS + extra:
        assert institutions.spans(text) == [m.span() for m in flat.finditer(text)], text


def test_trie_prefers_the_longest_word():
    pattern = re.compile(alternation.trie(["招联", "招联消费金融", "招商银行", "招商"]))
    assert [m.group() for m in pattern.finditer("招联消费金融和招商银行、招联金融、招商证券")] == [
        "招联消费金融",
        "招商银行",
        "招联",
        "招商",
    ]


def _numbers_reference(text: str) -> str:
    """Every rule in turn, the digit rules without their shared gate."""
    for gate, pattern, repl in masking._RULES:
        if gate is masking._DIGITS3 or gate.search(text):
            text = pattern.sub(repl, text)
    return text


@pytest.mark.parametrize(
    "text",
    [
        "客户称2笔共5万元",  # digits, never three in a row: the digit rules are skipped
        "电话13812345678",
        "１３８１２３４５６７８",  # full-width: three digits in a row only after the first rule
        "卡号6222021234567890123，身份证110101199003071234",
        "座机（025）6857 9206，0755-1234567",
    ],
)
def test_number_rules_match_every_rule_applied(text):
    assert masking._mask_numbers(text) == _numbers_reference(text)


def test_number_rules_match_every_rule_applied_on_the_sets():
    for text in TEXTS:
        assert masking._mask_numbers(text) == _numbers_reference(text), text


class _Everything:
    def __contains__(self, item) -> bool:
        return True


def test_role_word_skip_changes_no_name(monkeypatch):
    """Skipping a role word before a character that starts no name finds what calling after_cue finds."""
    fast = [names.name_spans(t) for t in NUMBERS]
    monkeypatch.setattr(names, "_CUE_NEXT", _Everything())
    assert [names.name_spans(t) for t in NUMBERS] == fast


def test_chunk_terms_are_each_narratives_terms():
    texts = TEXTS[:300] + [None, "", TEXTS[0]]
    assert terms_index._chunk_terms(texts) == [terms_index.narrative_terms(t) for t in texts]
    assert terms_index._chunk_terms(["客户反映信用卡年费被重复收取，要求退还。"]) == [
        list(dict.fromkeys(terms.tokenize("客户反映信用卡年费被重复收取，要求退还。")))
    ]


def test_todo_batches_are_gathered():
    """The reader's parts are gathered into tables of at least the batch size, rows and order kept."""
    batches = [
        pa.record_batch({"n": list(range(start, start + size))}) for start, size in ((0, 3), (3, 4), (7, 5), (12, 1))
    ]
    tables = list(terms_index.gathered(pa.RecordBatchReader.from_batches(batches[0].schema, batches), 6))
    assert [t.num_rows for t in tables] == [7, 6]
    assert pa.concat_tables(tables).column("n").to_pylist() == list(range(13))
    assert list(terms_index.gathered(pa.RecordBatchReader.from_batches(batches[0].schema, []), 6)) == []


def test_a_todo_duckdb_yields_in_parts_is_tokenized_at_once(monkeypatch):
    """The todo query over 300,000 complaints, half of them with terms already, which DuckDB's reader yields
    in several parts, is one call of cut_all (one worker pool, one dedupe): each part started a pool."""
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute(
        "create table complaints as select 'C' || i::varchar as complaint_id, "
        "'客户反映第' || (i % 7)::varchar || '笔' as content from range(300000) t(i)"
    )
    previous = con.sql(
        "select complaint_id, md5(content) as content_md5, 'v' as tokenizer, ['旧']::varchar[] as terms "
        "from complaints where hash(complaint_id) % 2 = 0"
    ).to_arrow_table()
    con.register("previous_terms", previous)
    todo = con.sql(db.load_sql("terms_index_todo"), params={"tokenizer": "v"})
    parts = [b.num_rows for b in todo.to_arrow_reader(terms_index.TOKENIZE_BATCH)]
    assert len(parts) > 1 and sum(parts) == 300000 - previous.num_rows  # what the gathering is for
    calls: list[int] = []

    def fake(texts, workers=None):
        calls.append(len(texts))
        return [[t[-2:]] for t in texts], [None] * len(texts)

    monkeypatch.setattr(terms_index, "cut_all", fake)
    out = terms_index._tokenize_todo(todo)
    assert calls == [sum(parts)]
    done = set(previous.column("complaint_id").to_pylist())
    expected = {f"C{i}": [f"{i % 7}笔"] for i in range(300000) if f"C{i}" not in done}
    assert dict(zip(out.column("complaint_id").to_pylist(), out.column("terms").to_pylist())) == expected
