"""Hot topics: tokenizer with the banking dictionary, document frequencies, rising terms."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.text.terms import hot_terms, stopwords, term_counts, tokenize

ROOT = Path(__file__).resolve().parents[1]


def test_dictionary_terms_stay_whole() -> None:
    assert tokenize("信用卡年费") == ["信用卡", "年费"]
    assert tokenize("理财经理") == ["理财经理"]
    assert tokenize("理财经理推荐的基金亏损") == ["理财经理", "推荐", "基金", "亏损"]
    assert "暴力催收" in tokenize("客户投诉催收人员多次拨打其家人电话，属于暴力催收")
    assert "盗刷" in tokenize("客户信用卡在境外被盗刷两笔")  # not 被盗 | 刷
    assert tokenize("客户反映手机银行收不到短信验证码") == ["手机银行", "收不到", "短信验证码"]


def test_stop_words_numbers_punctuation_and_single_characters_removed() -> None:
    tokens = tokenize("客户来电反映其信用卡被盗刷，要求我行处理。")
    assert tokens == ["信用卡", "盗刷"]
    assert tokenize("客户称其于2026年10月5日在我行网点办理提前还款，被收取违约金5,000元，客户表示不满") == [
        "网点",
        "提前还款",
        "违约金",
    ]
    assert tokenize("atm吞卡，扣费300元！两笔") == ["ATM", "吞卡", "扣费"]
    for word in ("客户", "投诉", "反映", "表示", "要求", "银行", "我行", "本人", "今日", "来电", "称", "处理"):
        assert word in stopwords()


def test_names_and_numbers_never_become_terms() -> None:
    tokens = tokenize("客户经理唐国强推销保险，客户王静静来电13812345678，张先生在场")
    assert tokens == ["客户经理", "推销", "保险", "在场"]


@pytest.mark.parametrize("value", [None, float("nan"), ""])
def test_tokenize_missing(value) -> None:
    assert tokenize(value) == []


def test_term_counts_is_document_frequency() -> None:
    counts = term_counts(["年费年费年费", "信用卡年费", None, "", ["年费", "年费", "积分"]])
    assert counts["年费"] == 3
    assert counts["信用卡"] == 1
    assert counts["积分"] == 1


def _g2(table: list[list[int]]) -> float:
    """Log-likelihood ratio by hand: 2 * sum O ln(O / E)."""
    n = sum(map(sum, table))
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table)]
    return 2 * sum(o * math.log(o / (rows[i] * cols[j] / n)) for i, r in enumerate(table) for j, o in enumerate(r) if o)


PREVIOUS = ["客户投诉暴力催收"] * 2 + ["信用卡年费扣费"] * 16 + ["手机银行转账失败"] * 16 + ["网点排队时间长"] * 16
CURRENT = (
    ["客户投诉暴力催收"] * 20
    + ["客户要求办理挂失"] * 5
    + ["客户要求销户"] * 3
    + ["信用卡年费扣费"] * 8
    + ["手机银行转账失败"] * 7
    + ["网点排队时间长"] * 7
)


def test_hot_terms_rising_term_first() -> None:
    assert len(PREVIOUS) == len(CURRENT) == 50
    out = hot_terms(CURRENT, PREVIOUS)
    assert list(out.columns) == ["term", "docs", "share", "prev_docs", "prev_share", "lift", "rising", "score"]
    top = out.iloc[0]
    assert top["term"] == "暴力催收"
    assert top["docs"] == 20 and top["share"] == pytest.approx(0.4)
    assert top["prev_docs"] == 2 and top["prev_share"] == pytest.approx(0.04)
    assert top["lift"] == pytest.approx((20.5 / 51) / (2.5 / 51))  # 8.2
    assert top["score"] == pytest.approx(_g2([[20, 30], [2, 48]]))
    assert bool(top["rising"])
    # 挂失 has the larger lift (0 -> 5: 11.0) but less evidence, so it ranks second; still rising (G² 7.19)
    second = out.iloc[1]
    assert second["term"] == "挂失" and second["docs"] == 5 and second["prev_docs"] == 0
    assert second["lift"] == pytest.approx(11.0) and second["lift"] > top["lift"]
    assert second["score"] == pytest.approx(_g2([[5, 45], [0, 50]])) and bool(second["rising"])
    # below min_count (3 < 5) is left out; falling terms are not rising and come last
    assert "销户" not in set(out["term"])
    rest = out.iloc[2:]
    assert not rest["rising"].any() and (rest["score"] < 0).all()
    assert set(rest["term"]) == {"信用卡", "年费", "扣费", "手机银行", "转账", "失败", "网点", "排队"}
    assert out["score"].is_monotonic_decreasing
    assert len(hot_terms(CURRENT, PREVIOUS, top=2)) == 2


def test_hot_terms_without_previous_and_empty() -> None:
    out = hot_terms(CURRENT, [])
    assert out.iloc[0]["term"] == "暴力催收"  # ordered by docs
    assert not out["rising"].any() and out["prev_share"].isna().all()
    empty = hot_terms([], PREVIOUS)
    assert empty.empty and "term" in empty.columns
    assert hot_terms(["客户来电"] * 10, PREVIOUS).empty  # nothing but stop words


def test_pre_tokenized_input_gives_same_result() -> None:
    a = hot_terms(CURRENT, PREVIOUS)
    b = hot_terms([tokenize(t) for t in CURRENT], [tokenize(t) for t in PREVIOUS])
    pd.testing.assert_frame_equal(a, b)


def test_segmenter_is_quiet_and_works_with_read_only_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    code = "from dashboard.text.terms import tokenize; print(tokenize('信用卡年费'))"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['信用卡', '年费']"
    assert proc.stderr == ""


def test_tokenize_all_cuts_each_distinct_narrative_once(monkeypatch) -> None:
    from dashboard.derived import terms_index

    texts = ["客户反映信用卡被盗刷", None, "客户反映信用卡被盗刷", "理财经理承诺保本", "", "理财经理承诺保本"]
    expected = [list(dict.fromkeys(tokenize(t))) if t else [] for t in texts]
    seen: list[list] = []
    real = terms_index._tokenize_distinct
    monkeypatch.setattr(terms_index, "_tokenize_distinct", lambda ts, w=None: seen.append(ts) or real(ts, w))
    out = terms_index.tokenize_all(texts, workers=1)
    assert out == expected
    assert seen == [["客户反映信用卡被盗刷", None, "理财经理承诺保本", ""]]
    out[0].append("x")  # each complaint gets its own list
    assert out[2] == expected[2]


def test_is_english_compares_latin_letters_with_han_characters() -> None:
    from dashboard.text.terms import is_english

    # counted by hand: (latin letters, han characters)
    assert is_english("hello 世界")  # 5 > 2
    assert not is_english("ab 世界")  # 2 = 2
    assert is_english("abc 世界")  # 3 > 2
    assert not is_english("ATM机坏了，卡被吞")  # 3 < 6
    assert not is_english("12345，。")  # 0 = 0
