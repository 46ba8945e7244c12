"""The narrative search language of the hotspots page: words, "exact phrases", AND / OR / NOT, brackets.

    年费 ATM                 both (a space is AND)
    年费 OR 手续费            either; also 或, |
    年费 NOT 信用卡           the first without the second; also 非, -信用卡, !信用卡, - 信用卡, -(A OR B)
    "credit report"          the phrase as written, spaces included; also “中文引号”
    (年费 OR 手续费) 信用卡    brackets group; also （）

AND, OR and NOT are operators in any case (and / or / not); NOT binds tighter than AND, AND than OR.
The search is NFKC-normalised first, so full-width letters, brackets and signs (ＮＯＴ, （, －) read as their
ASCII forms; a '-' or '!' alone or before a bracket or a quote is NOT (never a literal: a search for a bare
sign would silently find nothing).
A word or phrase matches a narrative that contains it, case-insensitively and with the narrative's full-width
digits and signs read as ASCII as the search's are (第1支行 and 第１支行 find both; masking.fold_search,
hostile H266). Chinese has no word breaks, so 年费 also matches 免年费.

:func:`parse` gives a :class:`Search`: the expression in conjunctive normal form (an AND of clauses, each
an OR of literals, a literal a text and whether it is negated), which queries/macro_search_match.sql
evaluates from two bound list parameters (:meth:`Search.params`). The user's text is only ever data,
never SQL. Bad input raises :class:`SearchError` with a message in Chinese; so does a '*' in a word or
phrase (text copied from the masked list: no '*' stands for what the mask hid).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import product

from dashboard.text.masking import fold_search

__all__ = ["Search", "SearchError", "parse", "MAX_LITERALS", "MAX_CLAUSES"]

MAX_LITERALS = 20  # words and phrases in one search
MAX_CLAUSES = 64  # clauses of its normal form (brackets of ORs multiply them)
MAX_LENGTH = 200  # characters of the search text

_TOKEN = re.compile(r'"([^"]*)"?|“([^”]*)”?|([()（）])|([^\s()（）"“]+)')
_OPS = {
    "and": "AND",
    "且": "AND",
    "&": "AND",
    "&&": "AND",
    "or": "OR",
    "或": "OR",
    "|": "OR",
    "||": "OR",
    "not": "NOT",
    "非": "NOT",
    "!": "NOT",
    "！": "NOT",
}


class SearchError(ValueError):
    """A search that cannot be read; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Literal:
    text: str  # lower case, as matched
    negated: bool = False


@dataclass(frozen=True)
class Search:
    """A parsed search: `clauses` is an AND of ORs of literals; `text` the search as typed."""

    text: str
    clauses: tuple[tuple[Literal, ...], ...]
    # parallel to clauses: the complaint ids in whose narrative that literal occurs only inside what the mask
    # hides, for a user who may not reveal it (ui.complaint_list.guarded_search); None: the stored text
    hidden: tuple[tuple[tuple[str, ...], ...], ...] | None = None

    @property
    def literals(self) -> tuple[Literal, ...]:
        return tuple(dict.fromkeys(lit for clause in self.clauses for lit in clause))

    @property
    def positive_terms(self) -> tuple[str, ...]:
        """The texts a matching narrative may contain (for highlighting): the literals not negated."""
        return tuple(dict.fromkeys(lit.text for lit in self.literals if not lit.negated))

    def params(self) -> dict:
        """The bound parameters of queries/macro_search_match.sql: s_terms (VARCHAR[][]), s_neg
        (BOOLEAN[][]) and s_hidden (VARCHAR[][][] or NULL), clause by clause."""
        return {
            "s_terms": [[lit.text for lit in clause] for clause in self.clauses],
            "s_neg": [[lit.negated for lit in clause] for clause in self.clauses],
            "s_hidden": None if self.hidden is None else [[list(ids) for ids in clause] for clause in self.hidden],
        }

    def matches(self, content: str | None) -> bool:
        """The same predicate in Python (for tests and highlighting)."""
        low = fold_search(content or "").lower()
        return all(any((lit.text in low) != lit.negated for lit in clause) for clause in self.clauses)


NO_SEARCH = {"s_terms": None, "s_neg": None, "s_hidden": None}


def params(search: "Search | None") -> dict:
    return search.params() if search is not None else dict(NO_SEARCH)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value): kind 'lit' (a word or phrase), 'op' (AND/OR/NOT), '(' or ')'."""
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        quoted = m.group(1) if m.group(1) is not None else m.group(2)
        if quoted is not None:
            phrase = " ".join(quoted.split())
            if not phrase:
                raise SearchError('引号中没有内容：请在引号中输入要查找的短语，如 "提前还款"。')
            out.append(("lit", phrase))
        elif m.group(3):
            out.append(("(" if m.group(3) in "(（" else ")", m.group(3)))
        else:
            word = m.group(4)
            op = _OPS.get(word.lower())
            if op:
                out.append(("op", op))
            elif word in ("-", "－"):
                out.append(("op", "NOT"))
            elif word[0] in "-!！" and len(word) > 1:
                out.append(("op", "NOT"))
                out.append(("lit", word[1:]))
            else:
                out.append(("lit", word))
    return out


class _Parser:
    """or := and ('OR' and)*;  and := not (['AND'] not)*;  not := 'NOT' not | atom;  atom := lit | '(' or ')'.
    Nodes: ('lit', text), ('not', node), ('and', [nodes]), ('or', [nodes])."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.i = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self):
        node = self.or_()
        if self.peek() is not None:
            raise SearchError("右括号多于左括号，请检查搜索条件中的括号。")
        return node

    def or_(self):
        parts = [self.and_()]
        while self.peek() == ("op", "OR"):
            self.i += 1
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def and_(self):
        parts = [self.not_()]
        while True:
            tok = self.peek()
            if tok == ("op", "AND"):
                self.i += 1
                parts.append(self.not_())
            elif tok is not None and (tok[0] in ("lit", "(") or tok == ("op", "NOT")):
                parts.append(self.not_())
            else:
                break
        return parts[0] if len(parts) == 1 else ("and", parts)

    def not_(self):
        if self.peek() == ("op", "NOT"):
            self.i += 1
            return ("not", self.not_())
        return self.atom()

    def atom(self):
        tok = self.peek()
        if tok is None:
            raise SearchError("搜索条件不完整：AND、OR、NOT 后面需要跟一个词或短语。")
        if tok[0] == "lit":
            self.i += 1
            return ("lit", tok[1])
        if tok[0] == "(":
            self.i += 1
            node = self.or_()
            if self.peek() is None or self.peek()[0] != ")":
                raise SearchError("缺少右括号，请检查搜索条件中的括号。")
            self.i += 1
            return node
        if tok[0] == ")":
            raise SearchError("括号中没有内容，或右括号多于左括号，请检查搜索条件中的括号。")
        raise SearchError(f"“{tok[1]}”前面需要一个词或短语（AND、OR 连接两个词，NOT 放在要排除的词前面）。")


def _cnf(node, negate: bool = False) -> list[list[Literal]]:
    """The node (negated when `negate`) as an AND of ORs of literals (De Morgan, then distribution)."""
    kind = node[0]
    if kind == "lit":
        return [[Literal(node[1].lower(), negate)]]
    if kind == "not":
        return _cnf(node[1], not negate)
    conjunction = (kind == "and") != negate
    parts = [_cnf(child, negate) for child in node[1]]
    if conjunction:
        return [clause for part in parts for clause in part]
    out: list[list[Literal]] = []
    for combo in product(*parts):
        if len(out) >= MAX_CLAUSES:
            raise SearchError(f"搜索条件过于复杂（展开后超过 {MAX_CLAUSES} 组条件），请减少括号中 OR 的个数。")
        out.append([lit for clause in combo for lit in clause])
    return out


def parse(text: str | None) -> Search | None:
    """The search typed, parsed; None when it is empty. Raises SearchError (Chinese message)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    if len(text) > MAX_LENGTH:
        raise SearchError(f"搜索条件过长（{len(text)} 个字符），请控制在 {MAX_LENGTH} 个字符以内。")
    tokens = _tokens(text)
    masked = next((value for kind, value in tokens if kind == "lit" and "*" in value), None)
    if masked is not None:
        # copied from the masked list (李**, 139****5678): the search reads the stored text, where no '*'
        # stands for what the mask hid, so it would find nothing and say nothing why (hostile H233)
        raise SearchError(
            f"脱敏后的内容（含 *）无法搜索：“{masked}”中的 * 是列表中隐藏个人信息的符号，不是通配符，"
            "按它搜索找不到任何投诉。请改用投诉内容中的业务关键词（如：年费、征信、催收）。"
        )
    if sum(kind == "lit" for kind, _ in tokens) > MAX_LITERALS:
        raise SearchError(f"搜索条件中的词和短语超过 {MAX_LITERALS} 个，请精简。")
    clauses = []
    for clause in _cnf(_Parser(tokens).parse()):
        lits = tuple(dict.fromkeys(clause))
        if any(Literal(lit.text, not lit.negated) in lits for lit in lits):
            continue  # x OR NOT x: always true
        if lits not in clauses:
            clauses.append(lits)
        if len(clauses) > MAX_CLAUSES:
            raise SearchError(f"搜索条件过于复杂（展开后超过 {MAX_CLAUSES} 组条件），请减少括号中 OR 的个数。")
    if not clauses:
        raise SearchError("搜索条件总是成立（如“年费 OR NOT 年费”），不起筛选作用，请修改。")
    return Search(text=text, clauses=tuple(clauses))


def highlight_spans(text: str, terms: tuple[str, ...] | list[str]) -> list[tuple[int, int]]:
    """(start, end) of every case-insensitive occurrence of the terms in `text`, merged where they
    overlap, in order. The page passes the masked text: what the mask hid is never a match. Full-width digits
    and signs match as the search does (the fold keeps every character's place)."""
    low = fold_search(text).lower()
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = low.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = low.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
