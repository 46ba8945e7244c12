"""Hot topics (热点词) from complaint narratives.

* :func:`tokenize` masks the narrative first (:func:`dashboard.text.masking.mask`, so a name next to a
  role word or title never shows up as a "hot term"), then cuts it with jieba (its bundled dictionary
  plus ``banking_dict.txt``, a user dictionary of banking and complaint terms, so 信用卡, 理财经理,
  暴力催收 stay whole), then drops stop words (``stopwords.txt``: function words and complaint
  boilerplate such as 客户/反映/要求/银行), punctuation, anything with a digit, short number words
  (两笔, 三天) and single characters. ASCII words are upper-cased (atm -> ATM).
* :func:`term_counts` counts document frequency: a term counts once per narrative.
* :func:`hot_terms` compares a current period with a previous one.

The segmenter is rjieba, the Python binding of jieba-rs: jieba's algorithm and its bundled dictionary,
in Rust, about 15-20 times faster than the pure-Python jieba (100,000 narratives of ~84 characters:
~9 s including masking on a busy 2-core machine, against ~165 s with jieba; ~5 s since each distinct
clause is cut once, see _CLAUSE_BREAK; masking is then the larger half). It is set up lazily, once per
process; the dictionary ships inside the wheel, so nothing is downloaded or cached on disk. HMM new-word
discovery is off: it invents fragments such as 客户称 that are not topics; the user dictionary covers the
domain words instead. Identical narratives are cut once, and the terms of the last 200,000 distinct
narratives are cached in memory (~26 MB per 100,000), so a rerun over the same narratives takes ~0.4 s. For large
spans, tokenize once at import time and pass the stored term lists to :func:`term_counts` /
:func:`hot_terms`, which accept them instead of strings.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from dashboard.text import institutions
from dashboard.text.masking import mask

__all__ = ["tokenize", "term_counts", "hot_terms", "stopwords", "pieces"]

# Bump when a change here or in dashboard/text/masking.py changes the terms of any narrative: the
# complaint_terms of every snapshot are then recomputed once (dashboard/derived/terms_index.py).
SEGMENTATION_VERSION = 3  # 2: names masked by dashboard/text/names.py, institutions kept whole, masked e-mails dropped
# 3: function words dropped by part of speech, institution aliases counted under one name, English path

_HERE = Path(__file__).resolve().parent
USER_DICT = _HERE / "banking_dict.txt"
STOPWORDS_FILE = _HERE / "stopwords.txt"
STOPWORDS_EN_FILE = _HERE / "stopwords_en.txt"
PHRASES_EN_FILE = _HERE / "phrases_en.txt"


def data_files() -> tuple[Path, ...]:
    """Every data file that decides a narrative's terms (fingerprinted by dashboard/derived/terms_index.py)."""
    return (USER_DICT, STOPWORDS_FILE, institutions.DICTIONARY, STOPWORDS_EN_FILE, PHRASES_EN_FILE)


# Parts of speech (jieba's tags) of function words: adverbs (仅仅), conjunctions (无论), prepositions,
# pronouns (此事), auxiliaries, numerals and measure words, time and locality words (正在, 目前, 之后),
# interjections, onomatopoeia, modal particles, idioms (无论如何), adverbial adjectives. (Plain adjectives stay:
# jieba tags 合同 as one.) A token with one of
# these tags is dropped unless it is a word of our dictionaries.
FUNCTION_TAGS = frozenset(
    {
        "d",
        "c",
        "p",
        "r",
        "u",
        "uj",
        "ul",
        "uz",
        "ud",
        "ug",
        "uv",
        "m",
        "mq",
        "q",
        "t",
        "tg",
        "f",
        "e",
        "y",
        "o",
        "l",
        "i",
        "ad",
        "ag",
        "z",
        "zg",
        "rr",
        "rz",
        "ry",
    }
)
# A dictionary word of jieba's with a particle glued to its end (账户就, 银行也): the word before it.
_TRAILING_PARTICLE = "就也都还又才再却了着过的地得吗呢吧啊呀嘛"

# A term is "rising" when it is both markedly more common than before and unlikely to be so by chance.
RISING_LIFT = 1.5  # smoothed share ratio current / previous
RISING_G2 = 6.63  # log-likelihood ratio, chi-square 1 df, p < 0.01
USER_WORD_FREQ = 3000  # minimum jieba frequency of a user-dictionary word
TOKEN_CACHE_SIZE = 200_000  # narratives whose terms are kept in memory (~0.4 KB each with the text)
CLAUSE_CACHE_SIZE = 500_000  # distinct clauses whose terms are kept (~0.2 KB each)

_lock = threading.Lock()
_tokenizer = None
_domain_words: frozenset[str] = frozenset()  # banking_dict.txt and institutions.txt: never dropped
_stopwords: frozenset[str] | None = None

# starts with a digit or punctuation, contains a digit, or is a short number word (两笔, 三天, 十二期)
_DROP = re.compile(r"[\d\W_]|.*\d|[零一二三四五六七八九十两几][\u4e00-\u9fff]{0,2}$", re.UNICODE)
_ASCII = re.compile(r"[A-Za-z]+")


def _get_tokenizer():
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import rjieba

            tk = rjieba.Jieba()  # jieba's algorithm and bundled dictionary, in Rust; nothing to cache
            domain = set(_load_user_dict(tk))
            for word in institutions.names():  # 招联金融, 安逸花 stay whole (institutions.txt)
                tk.add_word(word, max(tk.suggest_freq(word), USER_WORD_FREQ), None)
                domain.add(word)
            global _domain_words
            _domain_words = frozenset(domain)
            _tokenizer = tk
    return _tokenizer


def _load_user_dict(tk) -> list[str]:
    """Add banking_dict.txt ("word [freq]" per line). A word without a frequency gets at least
    USER_WORD_FREQ: jieba's own suggestion is just enough to beat the word's characters one by one, so
    盗刷 would still lose to 被盗|刷 in 被盗刷."""
    words = []
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 else max(tk.suggest_freq(word), USER_WORD_FREQ)
        tk.add_word(word, freq, None)
        words.append(word)
    return words


def stopwords() -> frozenset[str]:
    """The stop words (stopwords.txt), loaded once."""
    global _stopwords
    if _stopwords is None:
        words = set()
        for line in STOPWORDS_FILE.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(line)
        _stopwords = frozenset(words)
    return _stopwords


@functools.lru_cache(maxsize=1 << 18)
def _keep(token: str) -> str | None:
    """The term a token stands for, or None. Cached: a few hundred thousand distinct tokens make up
    millions of narratives, and the checks cost more than the cut itself.

    A word of our dictionaries is kept (an alias under its canonical name: 捷信消费金融 -> 捷信). Anything
    else is dropped when it is a stop word, shorter than two characters, holds a digit or punctuation, is a
    short number word, or is a function word by its part of speech (FUNCTION_TAGS); a jieba word with a
    particle glued to its end (账户就) stands for the word before the particle."""
    token = token.strip()
    if token in _domain_words:
        return institutions.canonical().get(token, token)
    stop = stopwords()
    if len(token) < 2 or token in stop or _DROP.match(token):
        return None
    if _ASCII.fullmatch(token):
        return token.upper()
    if len(token) >= 3 and token[-1] in _TRAILING_PARTICLE:
        return _keep(token[:-1])
    tags = _get_tokenizer().tag(token)
    if len(tags) == 1 and tags[0][1] in FUNCTION_TAGS:
        return None
    return token


@functools.lru_cache(maxsize=1)
def pieces() -> dict[str, frozenset[str]]:
    """The dictionary pieces of each dictionary compound, for wave detection only (analysis/events.py): a
    word of our dictionaries that another one starts or ends with is a piece of it, and so are the pieces of
    its pieces (住房贷款利率: 住房贷款, 利率, and through 贷款利率 and 住房贷款 also 贷款; 存量房贷利率: 房贷利率, 利率,
    房贷). Hot terms keep every compound whole; a wave counts it also under its pieces, so one new problem
    written as 利率, 住房贷款利率 and 存量房贷利率 rises as one family. Canonical names only (aliases are
    counted under them by the tokenizer)."""
    _get_tokenizer()
    canonical = institutions.canonical()
    words = {canonical.get(w, w) for w in _domain_words if len(w) >= 2}
    direct = {w: {p for p in words if 2 <= len(p) < len(w) and (w.startswith(p) or w.endswith(p))} for w in words}
    out: dict[str, frozenset[str]] = {}
    for word, parts in direct.items():
        seen, todo = set(), list(parts)
        while todo:
            part = todo.pop()
            if part not in seen:
                seen.add(part)
                todo.extend(direct.get(part, ()))
        if seen:
            out[word] = frozenset(seen)
    return out


def tokenize(text: str) -> list[str]:
    """Terms of one narrative, in order (repeats kept). None/NaN/empty give []."""
    if not isinstance(text, str) or not text:
        return []
    return list(_cut(text))


@functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _cut(text: str) -> tuple[str, ...]:
    """Cached: Streamlit reruns a page on every widget change, and the same narratives come back."""
    return cut_masked(mask(text))


def cut_masked(masked: str) -> tuple[str, ...]:
    """Terms of a narrative already masked (mask(text)): _cut after its mask, for the import, which keeps the
    masked text too (dashboard/derived/terms_index.py) and so masks each narrative once."""
    if "*" in masked:  # every match of _MASKED_ASCII holds one (most narratives have none: its scan skipped)
        masked = _MASKED_ASCII.sub(_drop_masked_ascii, masked)  # masked e-mails etc. gone first
    if is_english(masked):
        return _english_terms(masked)
    out: list[str] = []
    for clause in _CLAUSE_BREAK.split(masked):
        if clause:
            out.extend(_clause_terms(clause))
    return tuple(out)


# --- English narratives -------------------------------------------------------------------------------
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z]+")
# A word, or a masked/redacted run (XXXX, XX/XX/XXXX, {$XXXX.00}, z***): the run breaks phrases, no term.
_EN_TOKEN = re.compile(r"[A-Za-z0-9*]+(?:['’][A-Za-z]+)?|[.,;:!?()]")
_REDACTED = re.compile(r"(?i)x{2,}|.*\*")
_en_words: tuple[frozenset[str], dict[tuple[str, ...], str], int] | None = None


def is_english(text: str) -> bool:
    """The narrative's script: English when it has more Latin letters than Han characters."""
    # counted in runs: a list of every character cost 3 % of an import's CPU
    latin = sum(map(len, _LATIN.findall(text)))
    return latin > 0 and latin > sum(map(len, _CJK.findall(text)))


def _english_lists() -> tuple[frozenset[str], dict[tuple[str, ...], str], int]:
    global _en_words
    if _en_words is None:

        def lines(path: Path) -> list[str]:
            return [
                ln.strip().lower()
                for ln in path.read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.startswith("#")
            ]

        phrases = {tuple(p.split()): p for p in lines(PHRASES_EN_FILE)}
        _en_words = (frozenset(lines(STOPWORDS_EN_FILE)), phrases, max(map(len, phrases), default=1))
    return _en_words


def _english_terms(text: str) -> tuple[str, ...]:
    """Terms of an English narrative: lower-case words, the phrases of phrases_en.txt joined (credit
    report), redaction tokens (XXXX) and masked spans dropped and breaking phrases, stop words, numbers
    and words under three letters dropped."""
    stop, phrases, longest = _english_lists()
    # runs of words between breaks (punctuation, redactions, masked spans)
    runs: list[list[str]] = [[]]
    for tok in _EN_TOKEN.findall(text):
        low = tok.lower().replace("’", "'")
        if not low[0].isalpha() and not low[0] == "*" or _REDACTED.fullmatch(low) or any(c.isdigit() for c in low):
            runs.append([])
        else:
            runs[-1].append(low)
    out: list[str] = []
    for run in runs:
        i = 0
        while i < len(run):
            for n in range(min(longest, len(run) - i), 1, -1):
                phrase = phrases.get(tuple(run[i : i + n]))
                if phrase:
                    out.append(phrase)
                    i += n
                    break
            else:
                word = run[i].split("'")[0]
                if len(word) >= 3 and word not in stop:
                    out.append(sys.intern(word))
                i += 1
    return tuple(out)


# What is left of a masked e-mail, Latin name or labelled number (z***@example.com, W****.****): nothing
# of it is a topic (its domain gave the terms COM and EXAMPLE), so it becomes a clause break.
_MASKED_ASCII = re.compile(r"[A-Za-z0-9._%+\-]*\*+[A-Za-z0-9._%+\-*]*(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*)?")


def _drop_masked_ascii(m: re.Match) -> str:
    span = m.group(0)
    return " " if any(c.isascii() and (c.isalnum() or c == "@") for c in span) else span


# Clause breaks: Chinese punctuation and white space. jieba never joins characters across them into one
# word, so cutting clause by clause gives the same terms as cutting the whole narrative; and clauses repeat
# across narratives far more than narratives do (boilerplate such as 要求对相关工作人员进行处理; on the
# demo data 11 % of clauses are distinct), so each distinct clause is cut once. ASCII '.', '%' and '-'
# are not breaks: jieba keeps 13.8% together.
_CLAUSE_BREAK = re.compile(r"[，。；！？：、“”‘’（）《》【】…\s]+")


@functools.lru_cache(maxsize=CLAUSE_CACHE_SIZE)
def _clause_terms(clause: str) -> tuple[str, ...]:
    toks = _get_tokenizer().cut(clause, hmm=False)
    out = []
    for i, tok in enumerate(toks):
        if i + 1 < len(toks) and toks[i + 1].startswith("*"):
            continue  # glued to a masked name (客户王** -> 客户王 | **): it holds the surname
        kept = _keep(tok)
        if kept is not None:
            out.append(sys.intern(kept))  # a few thousand distinct terms: share them across cache entries
    return tuple(out)


def term_counts(texts: Iterable[str | Sequence[str]]) -> Counter:
    """Document frequency: for each term, the number of narratives that contain it.

    An element may also be an already tokenized narrative (a list or tuple of terms, e.g. stored at
    import time), which skips jieba; None/NaN/empty elements count as narratives without terms.
    """
    per_text: Counter = Counter()
    counts: Counter = Counter()
    for t in texts:
        if isinstance(t, str):
            if t:
                per_text[t] += 1
        elif isinstance(t, (list, tuple)):
            counts.update(set(t))
    for text, n in per_text.items():  # identical narratives are cut once
        for term in set(tokenize(text)):
            counts[term] += n
    return counts


def _g2(a: np.ndarray, b: np.ndarray, n1: int, n2: int) -> np.ndarray:
    """Dunning's log-likelihood ratio G² of the 2x2 table [[a, n1-a], [b, n2-b]] (docs with / without)."""
    from scipy.special import xlogy

    n = n1 + n2
    k = a + b  # docs with the term, both periods
    obs = [a, n1 - a, b, n2 - b]
    exp = [n1 * k / n, n1 * (n - k) / n, n2 * k / n, n2 * (n - k) / n]
    g = np.zeros_like(a, dtype=float)
    for o, e in zip(obs, exp):
        o = np.asarray(o, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            g += xlogy(o, o) - xlogy(o, np.where(e > 0, e, 1.0))
    return np.maximum(2.0 * g, 0.0)


def score_terms(
    a: np.ndarray, b: np.ndarray, n1: int, n2: int, rising_lift: float = RISING_LIFT, rising_g2: float = RISING_G2
):
    """The one definition of a term's standing: docs a of n1 now, b of n2 before ->
    (share, prev_share, lift, score, rising). lift is the smoothed share ratio, score the signed G²
    (positive when more common now), rising = lift >= rising_lift and G² >= rising_g2 and share up.
    With no previous narratives (n2 == 0): prev_share and lift NaN, score 0, nothing rising."""
    share = a / n1
    if not n2:
        nan = np.full(len(a), math.nan)
        return share, nan, nan.copy(), np.zeros(len(a)), np.zeros(len(a), dtype=bool)
    prev_share = b / n2
    lift = ((a + 0.5) / (n1 + 1)) / ((b + 0.5) / (n2 + 1))
    g2 = _g2(a, b, n1, n2)
    score = np.where(share >= prev_share, g2, -g2)
    rising = (lift >= rising_lift) & (g2 >= rising_g2) & (share > prev_share)
    return share, prev_share, lift, score, rising


_COLUMNS = ["term", "docs", "share", "prev_docs", "prev_share", "lift", "rising", "score"]


def hot_terms(
    current: Sequence[str | Sequence[str]],
    previous: Sequence[str | Sequence[str]],
    top: int = 30,
    min_count: int = 5,
    *,
    rising_lift: float = RISING_LIFT,
    rising_g2: float = RISING_G2,
) -> pd.DataFrame:
    """The terms that characterise the ``current`` narratives compared with the ``previous`` ones
    (narratives as strings, or as lists of terms already tokenized, see :func:`term_counts`).

    Columns:
      term; docs: narratives in ``current`` containing it; share: docs / len(current);
      prev_docs, prev_share: the same for ``previous``;
      lift: smoothed share ratio ((docs + 0.5) / (len(current) + 1)) / ((prev_docs + 0.5) / (len(previous) + 1));
      rising: lift >= ``rising_lift`` (1.5) and G² >= ``rising_g2`` (6.63, p < 0.01);
      score: signed G², the ordering key.

    Score: Dunning's log-likelihood ratio G² on the 2x2 table (narratives with / without the term, current
    / previous), positive when the term's share went up and negative when it went down. G² rewards a
    change that is both large and well supported by counts, so a term going from 2 to 6 narratives does
    not outrank one going from 40 to 120 (plain lift would). Only terms in at least ``min_count`` current
    narratives are considered; rows are ordered by score descending (then docs, then term) and the first
    ``top`` returned. Most characteristic rising terms come first, stable frequent ones next, falling ones
    last. With no previous narratives there is no baseline: prev_share and lift are NaN, score 0, nothing
    is rising, and rows are ordered by docs.
    """
    n1, n2 = len(current), len(previous)
    cur = term_counts(current)
    terms = sorted(t for t, c in cur.items() if c >= min_count)
    if n1 == 0 or not terms:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=t)
                for c, t in zip(_COLUMNS, [object, "int64", float, "int64", float, float, bool, float])
            }
        )
    prev = term_counts(previous) if n2 else Counter()
    a = np.array([cur[t] for t in terms], dtype=np.int64)
    b = np.array([prev.get(t, 0) for t in terms], dtype=np.int64)
    share, prev_share, lift, score, rising = score_terms(a, b, n1, n2, rising_lift, rising_g2)
    out = pd.DataFrame(
        {
            "term": pd.Series(terms, dtype=object),
            "docs": a,
            "share": share,
            "prev_docs": b,
            "prev_share": prev_share,
            "lift": lift,
            "rising": rising.astype(bool),
            "score": score,
        }
    )
    out = out.sort_values(["score", "docs", "term"], ascending=[False, False, True], kind="mergesort")
    return out.head(top).reset_index(drop=True)
