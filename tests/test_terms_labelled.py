"""The labelled check of hot terms (issue 20 §2): on hand-written realistic narratives, Chinese and
English (tests/fixtures/terms_labelled.json), the terms a consumer-protection reader names appear whole
and as often as the narratives say, and the junk (function words, generic words, fragments, pieces of
masked e-mails, redaction tokens) does not appear at all. The expectations were written by reading the
narratives, not from the tokenizer's output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.text import institutions
from dashboard.text.terms import is_english, term_counts, tokenize

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "terms_labelled.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["chinese", "english"])
def test_reader_terms_appear(lang):
    counts = term_counts(FIXTURE[lang])
    missing = {t: (n, counts.get(t, 0)) for t, n in FIXTURE[f"{lang}_expected"].items() if counts.get(t, 0) < n}
    assert not missing, f"expected term: (narratives, counted) {missing}"


@pytest.mark.parametrize("lang", ["chinese", "english"])
def test_junk_absent(lang):
    counts = term_counts(FIXTURE[lang])
    assert not [j for j in FIXTURE[f"{lang}_junk"] if j in counts]


def test_most_frequent_terms_are_readable():
    """Of the Chinese terms in more than one narrative, most are terms a reader names (the labelled ones);
    in English, every term in more than one narrative is."""
    for lang, least in (("chinese", 0.6), ("english", 1.0)):
        counts = term_counts(FIXTURE[lang])
        top = [t for t, n in counts.items() if n >= 2]
        labelled = set(FIXTURE[f"{lang}_expected"])
        assert top and sum(t in labelled for t in top) >= least * len(top), (lang, top)


def test_script_decides_the_path():
    assert all(not is_english(t) for t in FIXTURE["chinese"])
    assert all(is_english(t) for t in FIXTURE["english"])
    # a Chinese narrative with a masked e-mail stays Chinese (the e-mail's letters do not count)
    terms = tokenize("联系邮箱 zhangsan.lisi.wangwu@example.com，360借条")
    assert terms == ["邮箱", "360借条"]


def test_aliases_count_under_one_name():
    """捷信消费金融, 捷信金融 and 捷信 in three narratives: one term 捷信 in three narratives."""
    counts = term_counts(["我在捷信消费金融借款", "捷信金融的客服不接电话", "捷信乱收费"])
    assert counts["捷信"] == 3
    assert "捷信消费金融" not in counts and "捷信金融" not in counts
    assert institutions.canonical()["招联消费金融"] == "招联"
    assert "捷信消费金融" in institutions.names()  # the masking still knows the long name


def test_consumer_finance_stays_whole():
    assert tokenize("消费金融的利率太高")[0] == "消费金融"
    assert "金融" not in tokenize("消费金融的利率太高")


def test_redaction_and_masked_spans_give_no_terms():
    assert tokenize("XXXX XX/XX/XXXX {$XXXX.00} called about my credit report") == ["credit report"]
    assert "example" not in tokenize("Email me at jane.doe@example.com about the late fee")


def test_rising_chart_shows_counts_on_one_linear_scale_sorted_by_increase():
    """229 -> 569 beside 0 -> 162: both as bars from the previous count to the current one on a linear
    axis from 0, the larger increase (+340) first (on top), whatever their lift (0 -> 162 has the larger)."""
    import pandas as pd

    from dashboard.analysis import hotspots as hs
    from dashboard.charts import hotspots as charts

    table = pd.DataFrame(
        {
            "term": ["新词", "房贷利率", "年费"],
            "docs": [162, 569, 40],
            "prev_docs": [0, 229, 39],
            "share": [0.0] * 3,
            "prev_share": [0.0] * 3,
            "lift": [325.0, 2.5, 1.0],
            "score": [400.0, 150.0, 0.1],
            "rising": [True, True, False],
        }
    )
    rising = hs.rising_terms(table)
    assert list(rising["term"]) == ["房贷利率", "新词"]
    bar = charts.rising_bars(rising).data[0]
    top_first = dict(zip(list(bar.y)[::-1], zip(list(bar.base)[::-1], list(bar.x)[::-1])))
    assert list(bar.y)[::-1] == ["房贷利率", "新词"]
    assert top_first == {"房贷利率": (229, 340), "新词": (0, 162)}
    layout = charts.rising_bars(rising).layout.xaxis
    assert layout.type in (None, "linear", "-") and layout.range[0] == 0 and layout.range[1] >= 569
