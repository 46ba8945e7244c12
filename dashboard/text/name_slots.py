"""Names that names.py misses in slots a fresh writer uses (brief N18, the misses of masking_dev17):
rules keyed on the slot around a name, not on the name, each adding spans (start, end, keep) as names.py
writes them. masking.py adds them after names.name_spans and name_views.extra_spans, then trims them.

* a role word and a surname standing alone before a speech verb or 让我 (催收员X说, 坐席X已告知, 柜员X让我);
* a surname that is a common word before a title, in a slot that only a person fills: 客户X先生称,
  的X经理（, 其母亲X阿姨, a name, 和, X行长;
* the familiar forms 小X / 阿X after a role word, after 自称 / 叫, before a staff title, as a vocative,
  opening a clause that says who the person is, and every later mention of one found;
* a full name that reads as words (江雪, 时雨) after a role or kinship word and before a verb, opening a
  clause X是…的客户经理, after 行的(那个) with a person word in the next clause, in a cleft 前台是X接的, or in a
  list of names before a role (X、Y两个客户经理);
* a reduplicated given name (AA) after a role word or between a verb and a verb;
* a Latin-script name after a Han kinship or role word, after 是 / 叫 before a Han verb, after an English
  role word (customer, client), and its later mentions;
* a name spelled with spaces or dots in quotes after a signature word (落款“X · Y”);
* a kinship word and a surname before 去世 or 老爷子.

trim() drops a verb that a name ran on into (X飞骂哭了, X晓拿着) and the 姐 / 哥 of X姐 (the surname is the name).
"""

from __future__ import annotations

import functools
import re

from dashboard.text import given_names, names

Span = tuple[int, int, int]

_HAN = "[" + names.HAN + "]"
# a single-character surname; the rare ones start few words, the word-like ones (常, 和, 向) need the slot
_SUR = "[" + "".join(sorted(names.SURNAMES_ALL)) + "]"

# Characters that are surnames but here read as adverbs, conjunctions or pronouns (客服都说, 客服常说, 连称, 白说, 我爸刚去世,
# 母亲和阿姨): never a lone surname in these slots.
_NOT_LONE = names.ADVERB_SURNAMES | frozenset(
    "与于亦仍从便其却叫各同向和在大对小已常并所才把明本某每突给老自被让该跟这那"
)

_STAFF = (
    "客户经理",
    "理财经理",
    "大堂经理",
    "信贷经理",
    "客服人员",
    "客服专员",
    "客服代表",
    "工作人员",
    "催收人员",
    "销售人员",
    "催收员",
    "业务员",
    "信贷员",
    "销售员",
    "营业员",
    "推销员",
    "话务员",
    "接线员",
    "外访员",
    "理赔员",
    "审批员",
    "调解员",
    "保险代理人",
    "代理人",
    "销售顾问",
    "理财顾问",
    "顾问",
    "专员",
    "柜员",
    "坐席",
    "客服",
    "前台",
    "催收",
)
_KIN = (
    "男朋友",
    "女朋友",
    "未婚夫",
    "未婚妻",
    "男友",
    "女友",
    "老公",
    "老婆",
    "丈夫",
    "妻子",
    "前夫",
    "前妻",
    "爱人",
    "儿子",
    "女儿",
    "母亲",
    "父亲",
    "妈妈",
    "爸爸",
    "婆婆",
    "公公",
    "奶奶",
    "爷爷",
    "外婆",
    "外公",
    "岳母",
    "岳父",
    "舅舅",
    "姑姑",
    "叔叔",
    "表哥",
    "表姐",
    "表弟",
    "表妹",
    "堂哥",
    "堂姐",
    "堂弟",
    "堂妹",
    "哥哥",
    "姐姐",
    "弟弟",
    "妹妹",
    "同事",
    "朋友",
    "邻居",
    "姥爷",
    "姥姥",
    "大伯",
    "伯父",
    "伯母",
    "叔父",
    "婶婶",
    "舅妈",
    "姨妈",
    "姑父",
    "姨夫",
    "嫂子",
    "姐夫",
    "妹夫",
    "女婿",
    "儿媳",
    "侄子",
    "侄女",
    "外甥",
    "孙子",
    "孙女",
    "我爸",
    "我妈",
    "我哥",
    "我姐",
    "我弟",
    "我妹",
    "其母",
    "其父",
)


def _alt(words) -> str:
    # a lookahead on the first characters lets the engine skip most positions
    first = "".join(sorted({w[0] for w in words}))
    return "(?=[" + re.escape(first) + "])(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")"


_STAFF_RE = _alt(_STAFF)
_KIN_RE = _alt(_KIN)  # 其母亲, 我的表妹: the word alone is enough to match
_SPEECH = "(?:已|也|又|还|就|却|当时|则)?(?:说|称|表示|告知|告诉|回复|答复|讲|承诺|答应|解释|回答|提醒)"
_STAFF_TITLE = _alt(("经理", "行长", "专员", "主任", "主管", "总监", "科长", "组长", "顾问", "老师"))

# 1. a role word, a surname alone, a speech verb: 催收员X说, 坐席X已告知
_LONE_AFTER_STAFF = re.compile(_STAFF_RE + "(" + _SUR + ")(?=" + _SPEECH + "|[让叫要逼催]我)")
# a name word, a surname alone, a list's joint (我的名字X和欠款, 姓名X、电话…)
_LONE_AFTER_NAME_WORD = re.compile("(?:名字|姓名|大名)(" + _SUR + ")(?=和|、|，|,|。|跟|与|以及|被)")
# 2. a surname before a title where only a person stands
_CLIENT_TITLED = re.compile(
    "(?:客户|投诉人|来电人|申请人|当事人|借款人|持卡人|举报人)("
    + _SUR
    + ")(?:先生|女士|小姐)(?=称|反映|来电|表示|致电|要求|投诉|诉称|反馈)"
)
_OF_STAFF_TITLED = re.compile("的(" + _SUR + ")" + _STAFF_TITLE + r"(?=[（(]|工号)")
_KIN_TITLED = re.compile(_KIN_RE + "(" + _SUR + ")(?=阿姨|大爷|大妈|老太太|老先生|老爷子|老太|老人家)")
_LIST_TITLED = re.compile("[和、与及](" + _SUR + ")" + _STAFF_TITLE)
_CONJUNCTIONS = frozenset("和与跟同及的也都还又就才")  # 母亲和阿姨: two people, no surname
# 3. familiar forms
_FAMILIAR_FORM = "([小阿])(" + _HAN + ")"
_FAMILIAR_AFTER_STAFF = re.compile(_STAFF_RE + '[“"「]?' + _FAMILIAR_FORM)
_FAMILIAR_NAMED = re.compile("(?:自称|名叫|叫做|一个叫|那个叫|叫)" + _FAMILIAR_FORM + '(?=的|[，,。”"])')
_FAMILIAR_TITLED = re.compile(r"(?=[小阿])(?<![\d额度值数量率])" + _FAMILIAR_FORM + "(?=" + _STAFF_TITLE + ")")
_FAMILIAR_VOCATIVE = re.compile('[“"「]' + _FAMILIAR_FORM + "(?=[，,！!])")
_FAMILIAR_IS = re.compile(
    "(?:^|[。！？；\n])" + _FAMILIAR_FORM + "(?=是(?:我|我们|我的)?[^。；！？]{0,20}?" + _alt(_STAFF + _KIN) + ")"
)
# after X: what may follow a familiar form (a clause end, a quote, a verb, a title)
_FAMILIAR_END = re.compile('[，,。；！？!?、”"」）)\\s]|$|[的说称是也又就一让给跟和答在打帮把还都]|' + _STAFF_TITLE)
_OPEN_QUOTES = frozenset('“"「')
_CLOSE_QUOTES = frozenset('”"」')
_FAMILIAR_NOT = frozenset("姐妹弟哥孩伙们爷奶叔姨婶舅婆公伯妈爸嫂")
# 4. full names that read as words: surname + one or two given characters
_FULL = "(" + _SUR + ")(" + _HAN + "{1,2}?)"
_ACT = "(?:在|说|称|承诺|表示|告知|答应|通过|给|帮|让|跟|把|用|去年|今年|前年|当时|一直|已经|曾|向|打|拿|骗|卖)"
_FULL_AFTER_ROLE = re.compile("(?:" + _STAFF_RE + "|" + _KIN_RE + ")" + _FULL + "(?=" + _ACT + ")")
_FULL_IS_STAFF = re.compile(
    "(?:^|[。！？；\n])" + _FULL + "(?=是[^。；！？，]{0,20}的" + _alt(_STAFF) + "(?:[，,。；！？]|$))"
)
# a two-character word as a full name where only a person stands (brief N20): after a role or kinship word
# before 把 / 被 / 冒用, a field's end, or 、 and another role word (柜员高山把, 表弟田野冒用, 柜员甘露｜); after a
# checker's field label at a field's end (复核：蓝海). Not a time word or an adverb (客服白天把, 柜员马上把).
_WORD_AFTER_ROLE = re.compile(
    "(?:"
    + _STAFF_RE
    + "|"
    + _KIN_RE
    + ")("
    + _SUR
    + _HAN
    + r")(?=把|被|冒用|[｜|]|\n|$|、[^。；！？]{0,8}?"
    + _STAFF_RE
    + ")"
)
_WORD_AFTER_CHECKER = re.compile(
    r"(?:复核|经办|审核|审批|处理)人?[：:]\s*(" + _SUR + _HAN + r")(?=\s*(?:$|\n|[｜|，,。；;]))"
)
_WORD_NAME_TAGS = ("n", "nr", "ns", "nz", "v", "a")
_FULL_OF_BRANCH = re.compile(
    "(?:行|网点|营业部|公司|中心)的((?:那个|这个|那位|这位)?)" + "(" + _SUR + ")(" + _HAN + "{1,2})(?=[，,。])"
)
_PERSON_NEXT = re.compile("这个人|此人|这人|[他她]|卖我|骗我|让我|拉我|给我|坑我")
_FULL_CLEFT = re.compile(_STAFF_RE + "是" + _FULL + "(?=(?:接|办|经手|处理|受理|卖|推荐|接待)的)")
_LIST_ITEM = _SUR + _HAN + "{1,2}?"
_FULL_LIST = re.compile(
    "(" + _LIST_ITEM + "(?:、" + _LIST_ITEM + ")+)(?=(?:[两三四几][个位名]|俩|等人|等)?" + _alt(_STAFF) + ")"
)
# 5. reduplicated given names
_DOUBLE_AFTER_STAFF = re.compile(_STAFF_RE + '[“"「]?((' + _HAN + r")\2)(?=[（(，,。”\"」]|说|称|也|又|一直|天天)")
_DOUBLE_BETWEEN_VERBS = re.compile("(?:给|帮|替|让|叫|和|跟)((" + _HAN + r")\2)(?=还|转|借|买|打|说|办)")
_DOUBLE_NOT = frozenset("宝娃妹姐哥弟爸妈爷奶叔婶舅姑伯公婆姥")
# 6. Latin-script names
_LATIN_WORD = r"((?!(?:App|Pad|Plus|Pro|Max|Mini|Web|Pay|Store|Online|Service|Center|Centre|Support|Care|Hotline|Bank|Card|Visa|Master|Relationship|Account|Manager|Team|Department|Branch|Office|Apple|Google)(?![a-z]))[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})(?![A-Za-z0-9@])"
_LATIN_AFTER_KIN = re.compile("(?:" + _KIN_RE + "|" + _STAFF_RE + r")\s?" + _LATIN_WORD)
_LATIN_BEFORE_VERB = re.compile(
    r"(?:是|叫|找|问)\s?" + _LATIN_WORD + r"(?=\s?(?:帮|给|说|办|处理|接|让|跟|告诉|答应|承诺))"
)
_LATIN_AFTER_ENGLISH_ROLE = re.compile(
    r"(?<![A-Za-z])(?:[Cc]ustomer|[Cc]lient|[Cc]ardholder|[Cc]omplainant|[Aa]pplicant|[Bb]orrower) " + _LATIN_WORD
)
_CLAUSE_MARK = re.compile(r"\s*(?:[,(.;:)，（。；：]|$)")
_LATIN_VERB_NEXT = frozenset("用借拿骗办帮替以")  # 男朋友Marcus用我的身份证
# 7. spaced or dotted names in quotes after a signature word
_SPELLED_SIGNED = re.compile(
    '(?:落款|署名|签名|名片上|胸牌上|工牌上)[^“”"。]{0,6}[“"「]('
    + _SUR
    + r"(?:(?:\s*[·・•]\s*|\s+)"
    + _HAN
    + '){1,2})[”"」]'
)
# 8. a kinship word, a surname alone, a death or an old man's word
_KIN_LONE = re.compile(_KIN_RE + "(" + _SUR + ")(?=去世|过世|病逝|离世|生前|走了)")

# trim: a single-character verb a name ran on into, before its complement (X飞骂哭了, X晓拿着)
_RUN_ON_VERB = frozenset("骂拿打带逼骗拉推吓气害坑搞弄哄")
_RUN_ON_NEXT = frozenset("着了哭走过到跑死坏伤怕晕醒")

# a transliterated name's characters (莫妮卡, 安娜, 露西): inside one, the one it ends with, what may follow it
_TRANSLIT_INSIDE = frozenset("妮娜莎丝娅琳莉蒂黛露")
_TRANSLIT_END = frozenset("卡娜莎丝娅琳莉斯尔特克姆")
_TRANSLIT_AFTER = frozenset("的，,。说")
_NAMING_BEFORE = re.compile("(?:叫|名叫|自称|叫做)$")

_MIN_GIVEN = 0.05  # each given character at least this plausible (given_names.txt): 洋 0.053, 面 0.014, 案 0


_ROLE_ANY = re.compile("(?=" + _alt(_STAFF + _KIN) + ")")  # every start, overlapping ones too (我爸爸)
# keyed by id: a pattern's hash is its source's, long here (the role alternations)
_ROLE_OPENED = frozenset(
    map(
        id,
        (
            _LONE_AFTER_STAFF,
            _KIN_TITLED,
            _KIN_LONE,
            _FAMILIAR_AFTER_STAFF,
            _FULL_AFTER_ROLE,
            _FULL_CLEFT,
            _DOUBLE_AFTER_STAFF,
            _LATIN_AFTER_KIN,
        ),
    )
)
# patterns with a role word inside their lookahead: nothing to find in a text without one (half the texts)
_NEEDS_ROLE = frozenset(map(id, (_FAMILIAR_IS, _FULL_IS_STAFF, _FULL_LIST)))
_GATES: dict[int, tuple[str, ...]] = {
    id(_LONE_AFTER_NAME_WORD): ("名字", "姓名", "大名"),
    id(_CLIENT_TITLED): ("先生", "女士", "小姐"),
    id(_OF_STAFF_TITLED): ("的",),
    id(_LIST_TITLED): ("和", "、", "与", "及"),
    id(_FAMILIAR_NAMED): ("叫", "自称"),
    id(_FAMILIAR_VOCATIVE): ("“", '"', "「"),
    id(_FAMILIAR_IS): ("是",),
    id(_FULL_IS_STAFF): ("是",),
    id(_FULL_OF_BRANCH): ("的",),
    id(_FULL_LIST): ("、",),
    id(_SPELLED_SIGNED): ("“", '"', "「"),
}


def _at_roles(pattern: re.Pattern, text: str, roles: list[int]):
    """The matches of a pattern that opens with a role word, tried only where a role word starts (one scan of
    the text for all of them, not one a pattern)."""
    for start in roles:
        m = pattern.match(text, start)
        if m is not None:
            yield m


def _scan(pattern: re.Pattern, text: str, roles: list[int]):
    """pattern's matches: at the role words for one that opens with a role word, else only in a text with one of
    the words the pattern needs (most texts have none: a scan is skipped)."""
    if id(pattern) in _ROLE_OPENED:
        return _at_roles(pattern, text, roles)
    if not roles and id(pattern) in _NEEDS_ROLE:
        return iter(())
    gate = _GATES.get(id(pattern))
    if gate is not None and not any(word in text for word in gate):
        return iter(())
    return pattern.finditer(text)


@functools.lru_cache(maxsize=names.TAG_CACHE_SIZE)  # bounded: a long import sees many distinct words
def _ordinary(word: str) -> bool:
    """A dictionary word the tagger does not read as a name (方面, 高兴, 小时, 常常)."""
    if not names._get_tagger().has_word(word):
        return False
    tags = names._tag(word)
    return not (len(tags) == 1 and tags[0][1].startswith("nr"))


def _given_ok(given: str) -> bool:
    return bool(given) and all(given_names.plausibility(c) >= _MIN_GIVEN for c in given)


def _full_ok(text: str, m: re.Match, sur: int, given: int, given_word: bool = False) -> bool:
    """given_word: the slot is strong enough for a two-character given name that is a word (高明远是…的客户经理)."""
    name, rest = m.group(sur) + m.group(given), m.group(given)
    if (
        rest in names._TITLE_WORDS
        or name in names._TITLE_WORDS
        or name in names._ROLE_WORDS
        or m.group(sur) in _NOT_LONE
    ):
        return False  # 其母亲于阿姨: a surname and a title; 于是: a word
    if len(rest) == 2 and (_ordinary(name[:2]) or rest[1] in "人家"):
        return False  # 表妹苏州人在上海: a place and 人, not 苏 + a given name
    return _given_ok(rest) and not _ordinary(name) and (given_word or not (len(rest) == 2 and _ordinary(rest)))


def _word_as_name(word: str, strict: bool) -> bool:
    """A noun, verb or adjective that a person may be named (高山, 甘露, 文静); strict: a noun only (复核：通过)."""
    tags = names._tag(word)
    if len(tags) != 1 or word in names._TITLE_WORDS or word in names._ROLE_WORDS or word[0] in _NOT_LONE:
        return False
    if word[-1] in "行部处科室组厅点台司局所会" or names._banking_terms().fullmatch(word):
        return False  # 复核：支行, 经办：网点: a body or a banking term
    return tags[0][1] in (_WORD_NAME_TAGS[:4] if strict else _WORD_NAME_TAGS)


def _overlaps(spans: list[Span], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in spans)


def _lone(text: str, m: re.Match, group: int = 1) -> Span | None:
    sur = m.group(group)
    if sur in _NOT_LONE:
        return None
    start = m.start(group)
    if any(names._get_tagger().has_word(text[start : start + size]) for size in (2, 3, 4)):
        return None  # 客服胡说八道: the surname starts a word
    return (m.start(group), m.end(group), 0)


def _familiar(text: str, m: re.Match, strict: bool) -> Span | None:
    """小X / 阿X at m (groups 1, 2): X masked. strict: X must be a surname after 小 and the form no word."""
    prefix, given = m.group(1), m.group(2)
    form = prefix + given
    if given in _FAMILIAR_NOT or form in names._KINSHIP_FAMILIAR:
        return None
    if (
        prefix == "小"
        and given not in names.SURNAMES_ALL
        and (not strict or given_names.plausibility(given) < 0.1 or _ordinary(form))
    ):
        # 小心, 小额: after 小 a family name (小王, 小于); a given name's character (小舟) only in the strict slots,
        # as a clerk's handle after 客服 (客服小美) is no name the sets label
        return None
    if prefix == "阿" and given_names.plausibility(given) < _MIN_GIVEN:
        return None
    end = m.end(2)
    if _ordinary(text[m.start(2) : end + 1]) or _ordinary(text[m.start(1) : end + 1]):
        return None  # 小程序, 阿拉伯
    if not _FAMILIAR_END.match(text, end):
        return None
    if strict and _ordinary(form):
        return None
    if prefix == "小" and _ordinary(form) and names._tag(form)[0][1][:1] in ("n", "t", "s", "f", "m", "q"):
        # 叫小区的地方, 叫小米的手机: a noun the dictionary has (not 小付, 小于: verbs, before a title); 阿X stays
        # (客服阿兰: a place in the dictionary, a clerk's name here)
        return None
    return (m.start(1), end, 1)


def _familiar_spans(text: str, roles: list[int]) -> list[Span]:
    out = []
    if "小" not in text and "阿" not in text:
        return out
    for pattern, strict in (
        (_FAMILIAR_AFTER_STAFF, False),
        (_FAMILIAR_NAMED, False),
        (_FAMILIAR_TITLED, False),
        (_FAMILIAR_VOCATIVE, True),
        (_FAMILIAR_IS, True),
    ):
        for m in _scan(pattern, text, roles):
            if pattern is _FAMILIAR_AFTER_STAFF and (
                (text[m.start(1) - 1] not in _OPEN_QUOTES and text[m.end(2) : m.end(2) + 1] in _CLOSE_QUOTES)
                or re.search("智能|机器人", text[max(0, m.start() - 6) : m.start()])
            ):
                continue  # a quoted alias, role and all (自称“9号坐席阿青”), or a chatbot: a persona, as names.py reads it
            span = _familiar(text, m, strict)
            if span is not None:
                out.append(span)
    # every other mention of a form found (小于专员 … 小于一直不回电话), but not a comparison (小于5000)
    for form in {text[s:e] for s, e, _ in out}:
        for m in re.finditer(re.escape(form), text):
            nxt = text[m.end() : m.end() + 2]
            if nxt[:1].isdigit() or (
                nxt[:1] in "零一二两三四五六七八九十百千万亿" and nxt not in ("一直", "一再", "一起")
            ):
                continue
            if _FAMILIAR_END.match(text, m.end()):
                out.append((m.start(), m.end(), 1))
    return out


def _full_spans(text: str, roles: list[int]) -> list[Span]:
    out = []
    for pattern in (_FULL_AFTER_ROLE, _FULL_CLEFT, _FULL_IS_STAFF):
        for m in _scan(pattern, text, roles):
            if _full_ok(text, m, 1, 2, given_word=pattern is _FULL_IS_STAFF):
                out.append((m.start(1), m.end(2), 1))
    for pattern in (_WORD_AFTER_ROLE, _WORD_AFTER_CHECKER):
        for m in _scan(pattern, text, roles) if pattern is _WORD_AFTER_ROLE else pattern.finditer(text):
            if _word_as_name(m.group(1), strict=pattern is _WORD_AFTER_CHECKER):
                out.append((m.start(1), m.end(1), 1))
                # a later mention opening a clause (柜员高山把…。高山这个人…)
                for again in re.compile(re.escape(m.group(1))).finditer(text, m.end(1)):
                    if text[again.start() - 1] in "。，；！？\n":
                        out.append((again.start(), again.end(), 1))
    for m in _scan(_FULL_OF_BRANCH, text, roles):
        name = m.group(2) + m.group(3)
        if not _given_ok(m.group(3)) or not _PERSON_NEXT.search(text, m.end(), m.end() + 16):
            continue
        if _ordinary(name) and not m.group(1):
            continue  # 银行的黄金，他说: a word after 的 is a person only after 那个 / 这个
        out.append((m.start(2), m.end(3), 1))
    for m in _scan(_FULL_LIST, text, roles):
        items = m.group(1).split("、")
        pos = m.start(1)
        spans = []
        for item in items:
            if not _given_ok(item[1:]):
                spans = []
                break
            spans.append((pos, pos + len(item), 1))
            pos += len(item) + 1
        if not all(names._get_tagger().has_word(item) for item in items):
            out += spans  # 黄金、白银两个理财经理: words all, no names
    return out


def _double_spans(text: str, roles: list[int]) -> list[Span]:
    out = []
    for pattern in (_DOUBLE_AFTER_STAFF, _DOUBLE_BETWEEN_VERBS):
        for m in _scan(pattern, text, roles):
            double = m.group(1)
            if given_names.plausibility(double[0]) < _MIN_GIVEN:
                continue
            if double[0] in _DOUBLE_NOT:
                continue  # 给宝宝买, 给妈妈打: a baby or a relative, not a name
            if _ordinary(double) and names._tag(double)[0][1] in ("d", "t", "m", "q", "a", "v", "r", "p", "c"):
                continue  # 天天, 常常, 刚刚, 人人: adverbs, times, pronouns
            out.append((m.start(1), m.end(1), 1))
    return out


def _latin_spans(text: str, roles: list[int]) -> list[Span]:
    out = []
    for pattern in (_LATIN_AFTER_KIN, _LATIN_BEFORE_VERB, _LATIN_AFTER_ENGLISH_ROLE):
        for m in _scan(pattern, text, roles):
            after = text[m.end(1) : m.end(1) + 1]
            if pattern is _LATIN_AFTER_KIN and not (
                not after
                or (not names._CJK.match(after) and after not in "@.-_")
                or after in names._FAMILIAR_NEXT
                or after in _LATIN_VERB_NEXT
            ):
                continue  # 同事Word文档, 客户Visa卡: a word, then a noun
            if names._FIRM_AFTER_LATIN.match(text, m.end(1)):
                continue
            if (
                pattern is _LATIN_AFTER_ENGLISH_ROLE
                and " " not in m.group(1)
                and not _CLAUSE_MARK.match(text, m.end(1))
            ):
                continue  # client Relationship manager: one capitalised word inside a phrase; a name stands whole or at a mark
            out.append((m.start(1), m.end(1), 1))
    for name in {text[s:e] for s, e, _ in out}:
        for m in re.finditer(r"(?<![A-Za-z0-9@._-])" + re.escape(name) + r"(?![A-Za-z0-9@])", text):
            out.append((m.start(), m.end(), 1))
    return out


def extra_spans(text: str, spans: list[Span]) -> list[Span]:
    """Name spans the rules above find that overlap none of `spans` (what the other rules found)."""
    found: list[Span] = []
    roles = [m.start() for m in _ROLE_ANY.finditer(text)]
    for pattern in (_LONE_AFTER_STAFF, _LONE_AFTER_NAME_WORD):
        for m in _scan(pattern, text, roles):
            found.append(_lone(text, m))
    for m in _scan(_KIN_LONE, text, roles):
        found.append(_lone(text, m))
    for pattern in (_CLIENT_TITLED, _KIN_TITLED):
        for m in _scan(pattern, text, roles):
            if m.group(1) not in _CONJUNCTIONS or pattern is _CLIENT_TITLED:
                found.append((m.start(1), m.end(1), 0))
    for m in _scan(_OF_STAFF_TITLED, text, roles):
        found.append((m.start(1), m.end(1), 0))
    for m in _scan(_LIST_TITLED, text, roles):
        if m.group(1) not in _NOT_LONE and any(e == m.start() for _, e, _ in spans + found if e):
            found.append((m.start(1), m.end(1), 0))
    found += _familiar_spans(text, roles)
    found += _full_spans(text, roles)
    found += _double_spans(text, roles)
    if re.search("[A-Z][a-z]", text):
        found += _latin_spans(text, roles)
    if "“" in text or '"' in text or "「" in text:
        for m in _scan(_SPELLED_SIGNED, text, roles):
            found.append((m.start(1), m.end(1), 1))
    out: list[Span] = []
    for span in dict.fromkeys(s for s in found if s is not None):
        if not _overlaps(spans, span[0], span[1]) and not _overlaps(out, span[0], span[1]):
            out.append(span)
    return out


def _transliterated_end(text: str, start: int, end: int) -> int:
    """The end of a two-character span after a naming cue that a transliteration goes on past (叫莫妮卡的客服: the
    rules read 莫妮; 卡 ends it), else end."""
    if (
        end - start == 2
        and text[start + 1] in _TRANSLIT_INSIDE
        and text[end : end + 1] in _TRANSLIT_END
        and text[end + 1 : end + 2] in _TRANSLIT_AFTER
        and _NAMING_BEFORE.search(text, max(0, start - 4), start)
    ):
        return end + 1
    return end


def trim(text: str, spans: list[Span]) -> list[Span]:
    """The spans without a verb a name ran on into (X飞骂哭了 -> X飞) and without the 姐 / 哥 of X姐 (the
    surname alone is the name)."""
    out = []
    for start, end, keep in spans:
        if keep == 1:
            end = _transliterated_end(text, start, end)
        if end - start == 3 and keep == 1 and text[end - 1] in _RUN_ON_VERB and text[end : end + 1] in _RUN_ON_NEXT:
            end -= 1
        elif end - start == 2 and text[end - 1] in "姐哥" and text[start] in names.SURNAMES_ALL:
            end, keep = start + 1, 0
        out.append((start, end, keep))
    return out
