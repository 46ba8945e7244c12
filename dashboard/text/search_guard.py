"""Searching the narratives must not reveal what the mask hides.

A user without the right to reveal personal data (dashboard.auth.roles.can_reveal) sees narratives
masked; if the search matched the raw text, searching 李春花 or a full card number would confirm who
complained although the list shows 李** and 6222***********0123. So for such a user a query that looks
like personal data is refused, with the reason in Chinese (:func:`refusal`):

* anything the masking would hide (a phone, ID, card, e-mail, 张先生, 客户王小明 …); folding full-width
  digits and signs, which the mask also does, hides nothing (１２月, 第１支行 pass: hostile H266);
* four or more digits in a row (the hidden middle of a phone, card or ID number), except a year;
* something that reads as a person's name: a surname followed by one to three characters that the
  tagger's dictionary does not read as ordinary words (李春花, 王磊; not 黄金, 陈述, 周末还款) and
  that is not an institution or product (dashboard/text/institutions.txt). Names that are also
  dictionary words (高峰, 林海) pass: refusing them would refuse ordinary words.

A query that passes these checks is then tried on the narratives it matches: where it occurs only inside
what the mask hides (a pinyin e-mail name, a given name), that narrative counts as not containing it
(:func:`hidden_in`, the hotspots search), so the search matches the masked text (masking only ever turns
characters into '*'). The masked text stored at import (complaint_masked, dashboard/derived/masked_text.py)
decides that in SQL for every hit, however many (queries/complaints_search_hidden.sql); a hit without it (the
analysis deferred, an older snapshot) is masked here, up to HITS_CHECKED of them, more refused (fail closed). Refusing instead (:func:`refusal_by_hits`) told a user, one
character at a time on a narrowed selection, what a masked name holds (hostile H237). A ledger item's key
terms pass :func:`refusal` only and are counted on the masked text (analysis/effect.masked_terms).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from dashboard.text import institutions, names
from dashboard.text.masking import fold_fullwidth, fold_search, mask

__all__ = [
    "HITS_CHECKED",
    "checked_hits",
    "hidden_in",
    "never_masked",
    "refusal",
    "refusal_by_hits",
    "written",
]

HITS_CHECKED = 2_000  # narratives checked after the query itself passed; ~0.4 s to mask at most

_FULLWIDTH_DIGITS = {0xFF10 + i: chr(0x30 + i) for i in range(10)}
_LONG_DIGITS = re.compile(r"\d{4,}")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_BANKING_DICT = Path(__file__).resolve().parent / "banking_dict.txt"
_CJK_ONLY = re.compile("[" + names.HAN + "]{2,4}")  # rare characters too (𠮷, 䶮: hostile H51)

_WHY = (
    "为保护个人信息，无查看权限的用户不能按{what}搜索投诉内容（搜索结果会暴露列表中已脱敏的信息）。"
    "请改用业务关键词（如：年费、征信、催收），或请消保部有权限的同事查询。"
)


@functools.lru_cache(maxsize=1)
def _business_words() -> frozenset[str]:
    """The project's business vocabulary: banking terms (banking_dict.txt) and institutions, products and
    regulators (institutions.txt), two characters or more."""
    words = set(institutions.names())
    for line in _BANKING_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            words.add(parts[0])
    return frozenset(w for w in words if len(w) >= 2)


def never_masked(query: str) -> bool:
    """A business word the masking does not hide (hostile H59): a banking term or an institution of the
    dictionaries (names.py refuses an institution inside a name, no number rule matches Han words) that
    the masking leaves as it is. Its hits need no check one by one, however many there are (信用卡, 催收:
    the words the refusal itself recommends). The one way such a word is masked is as a given name after
    a cue (我叫王征信): no one is named after a banking term, so that is accepted."""
    text = query.strip()
    return text in _business_words() and mask(text) == text


def _looks_like_name(query: str) -> bool:
    if not _CJK_ONLY.fullmatch(query) or any(query in w or w in query for w in institutions.names() if len(w) > 1):
        return False
    surname = 2 if query[:2] in names.SURNAMES_2 else 1 if query[0] in names.SURNAMES_1 else 0
    if not surname or len(query) == surname:
        return False
    tagger = names._get_tagger()
    if tagger.has_word(query):
        return False  # one dictionary word: 陈述, 高峰, 黄金
    first_word, flag = tagger.tag(query)[0]
    # 黄金账户, 周末还款: the surname starts an ordinary dictionary word; 李/春花, 王磊, 欧阳明/辉: not
    return not (len(first_word) > surname and tagger.has_word(first_word) and not flag.startswith("nr"))


def _only_masked(needle: str, content) -> bool:
    """Does the (lower-case) needle occur in this narrative only inside what the mask hides? Both read with
    full-width digits and signs folded, as the search matches them (queries/macro_search_match.sql)."""
    if not isinstance(content, str):
        return False
    return needle in fold_search(content).lower() and needle not in fold_search(mask(content)).lower()


def refusal_by_hits(query: str, contents) -> str | None:
    """Refuse when the query, in some narrative it matches, occurs only inside a masked span."""
    needle = query.strip().lower()
    return _WHY.format(what="已脱敏的个人信息") if any(_only_masked(needle, c) for c in contents) else None


def _unchecked(hit) -> bool:
    """An (id, narrative) pair, or an (id, narrative, unchecked) row of complaints_search_hidden: False when
    the stored masked text already found the query hidden there, True when it is to be masked here."""
    return len(hit) < 3 or bool(hit[2])


def hidden_in(query: str, hits) -> tuple[str, ...]:
    """The ids of the hits in which the query occurs only inside a masked span: (id, narrative) pairs masked
    here, or rows of complaints_search_hidden, hidden by the stored masked text or, unchecked, masked here."""
    needle = query.strip().lower()
    return tuple(str(hit[0]) for hit in hits if not _unchecked(hit) or _only_masked(needle, hit[1]))


def checked_hits(text: str, hits, cap: int, too_many: str) -> tuple[str | None, list | None]:
    """The checks a search word passes before its hits are read: (refusal(text), or
    `too_many` when hits(text) gives more than cap hits to mask here (they cannot all be checked: fail
    closed), None), or (None, the hits to check; None for a business word the masking never hides, which
    needs none). Hits the stored masked text decided (complaints_search_hidden) count against no cap."""
    refused = refusal(text)
    if refused or never_masked(text):
        return refused, None
    found = list(hits(text))
    return (too_many, None) if sum(map(_unchecked, found)) > cap else (None, found)


def refusal(query: str | None) -> str | None:
    """Why this search is refused to a user who may only see masked narratives; None if it is fine."""
    text = (query or "").strip()
    if not text:
        return None
    digits = text.translate(_FULLWIDTH_DIGITS)
    if "@" in digits or "＠" in text:
        return _WHY.format(what="电子邮箱")
    if any(not _YEAR.fullmatch(run) for run in _LONG_DIGITS.findall(digits)):
        return _WHY.format(what="连续 4 位以上的数字（可能是手机号、证件号或银行卡号）")
    # the mask folds full-width digits and signs (１２月, 第１支行, －金卡): that alone hides nothing (hostile H266)
    if mask(text) != fold_fullwidth(text):
        return _WHY.format(what="手机号、证件号、银行卡号或姓名等个人信息")
    if _looks_like_name(text):
        return _WHY.format(what="姓名")
    return None


def written(query: str | None, hidden: tuple[str, ...] = ()) -> str | None:
    """The search as it may leave the page (an export's 说明 sheet, the URL, the audit log): a query that looks
    like personal data (refusal would refuse it) or holds `hidden` words (found only inside masked spans: a
    name fragment, complaint_list.person_words) masked and said so, None when there is no search (hostile
    H114: an export's 说明 sheet tied the complaint to the full ID number searched for; H257: 春花 passed)."""
    text = (query or "").strip()
    if not text:
        return None
    if not refusal(text) and not hidden:
        return text
    out = mask(text)
    for word in sorted(hidden, key=len, reverse=True):  # masking only ever turns characters into '*'
        out = re.sub(re.escape(word), "*" * len(word), out, flags=re.IGNORECASE)
    return f"{out}（按个人信息搜索，已脱敏）"
