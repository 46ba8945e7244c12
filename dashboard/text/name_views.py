"""Views of a narrative that the name rules read besides the text itself (issue 15, hostile H242-H245, H249).

dashboard/text/names.py reads a name as a run of Han characters after a cue. Some names are written so that
the run is broken or the characters are not the ones its tables hold; :func:`extra_spans` builds a *view* of
the text where they read as usual, lets :func:`names.name_spans` find the names there, and maps each span back
to the original offsets. The original characters are masked and the rest of the text is kept as it was
(separators included), so the masking stays one function of the text and keeps its length.

* Invisible characters (zero-width spaces and joiners, U+00AD, U+FEFF, U+2060…: Unicode format characters)
  are dropped anywhere: a reader never sees them (客户张\u200b伟来电).
* Traditional characters are read as simplified ones, character for character, with OpenCC's TSCharacters
  table (客户張偉來電, 投訴人張偉): one character becomes one, so offsets map 1:1. OpenCC's phrase table is not
  used (it may change a phrase's length); its character table is conservative (乾, 著 stay).
* A space (ASCII, U+3000, U+00A0) between two Han characters is dropped, and so is a middle dot between a
  surname and a Han character (客户张 伟来电, 客户王·芳说); a span found this way counts only when a dropped
  separator lies inside it, so text that merely has spaces between its phrases gains no names. Other separators
  after a surname are read likewise (李-春-花, 李_春_花, 李．春．花, 李‧春‧花; a slash only as 李/春/花: H251), and a space
  before the next field's label is no gap (经办人：柴 复核人：).
* Proxies: 委托 / 代 + a surname, and a name right after a staff number (工号1***张伟), are read after a role
  word (客户), which the name rules know; the span counts only when it starts right there.
* A pinyin name written without a space after a role word (客户ZHANGWEI来电, 持卡人zhangwei) is split into a
  pinyin surname and one or two syllables of a given name (the syllable table below).

Spans of a view only add to the text's own: nothing found on the text itself is dropped. Each view costs a
second reading by the name rules, so it is built only when its trigger is in the text (most texts have none).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from dashboard.text import given_names, names

__all__ = ["extra_spans", "pinyin_spans"]

_HAN = names.HAN
_SPACE = " \u3000\u00a0"
_DOTS = "·・•"
# Unicode format characters (Cf: U+200B-U+200F, U+202A-U+202E, U+2060-U+2064, U+FEFF, U+00AD …) in the BMP.
_INVISIBLE = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf")
_INVISIBLE_RE = re.compile("[" + re.escape(_INVISIBLE) + "]")
# (only after a surname's last character: a gap elsewhere splits no name, and each view is one more reading)
_SURNAME_ENDS = "".join(sorted(names.SURNAMES_1 | {s[-1] for s in names.SURNAMES_2}))
_SPACED_HAN_ANY = re.compile("[" + _SPACE + "]{1,2}(?=[" + _HAN + "])")
_SPACED_HAN = re.compile("(?<=[" + _SURNAME_ENDS + "])[" + _SPACE + "]{1,2}(?=[" + _HAN + "])")
# Other separators a writer puts between a name's characters (李-春-花, 李_春_花, 李/春/花, 李．春．花, 李‧春‧花, 李.春.花:
# hostile H251): after a surname, before a Han character; the same separator once more inside the given name
_SEPARATORS = "-_/．‧."
_SURNAME_SEP = re.compile(
    "(?<=[" + "".join(sorted(names.SURNAMES_1)) + "])([" + re.escape(_SEPARATORS) + "])(?=[" + _HAN + "])"
)
_SURNAME_DOT = re.compile("(?<=[" + "".join(sorted(names.SURNAMES_1)) + "])[" + _DOTS + "](?=[" + _HAN + "])")
# 委托 / 代 before a surname as the one acting for the customer (委托王芳办理, 代张伟还款); 代 starts many words
# whose second character is a surname too (代付, 代金券, 代谢): not those.
_PROXY = re.compile(
    "(?=[委代])(?:委托|代)(?=[" + "".join(sorted((names.SURNAMES_1 - names.SURNAMES_RARE) - set("付金谢理表"))) + "])"
)
# A staff number, as the number rules leave it (工号1***, 工号A****, 工号：1***), then a Han character.
_STAFF_NUMBER = re.compile(r"工号[号码是为:：\s]*[A-Za-z]{0,3}-?[\d*]{4,18}[A-Za-z]?(?=[" + _HAN + "])")
_ROLE = "，客户"  # what a proxy cue or a staff number reads as in the view (a comma: 我委托 is no 我客户)


@functools.cache
def _t2s_table() -> dict[int, str]:
    """Traditional -> simplified, one character to one, from OpenCC's character table (the converter run on each
    character alone, so that no phrase applies)."""
    import opencc  # noqa: PLC0415  (loaded once, on the first text that may hold a traditional character)

    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        raise RuntimeError("OpenCC t2s changed the number of lines: the traditional view cannot be built")
    return {ord(a): b for a, b in zip(chars, converted) if a != b and len(b) == 1}


@functools.cache
def _traditional_re() -> re.Pattern:
    return re.compile("[" + "".join(sorted(chr(c) for c in _t2s_table())) + "]")


@functools.cache
def _unusual_re() -> re.Pattern:
    """An invisible or a traditional character: one scan of the text for both views' triggers."""
    return re.compile("[" + re.escape(_INVISIBLE) + "".join(sorted(chr(c) for c in _t2s_table())) + "]")


def _build(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[int]]:
    """The view of text with each (start, end, replacement) applied, and for each of its characters the offset
    in text it came from (-1 for a replacement's characters)."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for start, end, repl in sorted(edits):
        if start < pos:
            continue  # overlapping edits: the first one wins
        out.append(text[pos:start])
        where.extend(range(pos, start))
        out.append(repl)
        where.extend([-1] * len(repl))
        pos = end
    out.append(text[pos:])
    where.extend(range(pos, len(text)))
    return "".join(out), where


def _back(span: tuple[int, int, int], where: list[int]) -> tuple[int, int, int] | None:
    """A view's span in the text's offsets: from the first to the last character that came from the text, the
    same characters kept (a separator between them is inside the span; masking leaves non-letters alone)."""
    start, end, keep = span
    origin = [where[i] for i in range(start, end) if where[i] >= 0]
    masked = [where[i] for i in range(start + keep, end) if where[i] >= 0]
    if not masked:
        return None
    first = origin[0]
    return first, origin[-1] + 1, masked[0] - first if keep else 0


def extra_spans(text: str) -> list[tuple[int, int, int]]:
    """Name spans (start, end, keep), in text's offsets, that the views above find; [] for most texts."""
    out: list[tuple[int, int, int]] = []
    if not names._CJK.search(text):
        return out
    base = text
    edits: list[tuple[int, int, str]] = []
    if _unusual_re().search(text):
        edits += [(m.start(), m.end(), "") for m in _INVISIBLE_RE.finditer(text)]
        if _traditional_re().search(text):
            base = text.translate(_t2s_table())
    if edits or base is not text:
        # invisible characters and traditional ones: every span of the view counts
        view, where = _build(base, edits)
        for span in names.name_spans(view):
            mapped = _back(span, where)
            if mapped is not None:
                out.append(mapped)
    # separators, proxies and staff numbers: a span counts where its view differs from the text
    cues = [(m.start(), m.end(), _ROLE) for m in _PROXY.finditer(base)] if "代" in base or "委托" in base else []
    cues += [(m.start(), m.end(), _ROLE) for m in _STAFF_NUMBER.finditer(base)] if "工号" in base else []
    gaps = _gaps(base) if _has_space(base) else []
    gaps += [(m.start(), m.end(), "") for m in _SURNAME_DOT.finditer(base)] if _has_dot(base) else []
    gaps += _sep_gaps(base) if _SURNAME_SEP.search(base) else []
    if cues or gaps:
        view, where = _build(base, edits + cues + gaps)
        cue_ends = {end for _, end, _ in cues}
        for span in names.name_spans(view):
            mapped = _back(span, where)
            if mapped is None:
                continue
            if mapped[0] in cue_ends:
                out.append(mapped)
            elif gaps:
                split = _split_name(base, mapped, gaps)
                if split is not None:
                    out.append(split)
    if _LETTERS4.search(text) and _LATIN_RUN.search(text):
        out += pinyin_spans(text)
    return out


def _split_name(text: str, span: tuple[int, int, int], gaps: list[tuple[int, int, str]]) -> tuple | None:
    """A view's span that is a name split by separators (张 伟, 欧阳 娜娜, 张 小 明, 王·芳): a surname, a separator
    right after it, and one or two characters of a given name (separators between them allowed). None for a span
    a separator only borders or follows (石伟 日期：… is a name, then a label: the text itself has it)."""
    start, end, _ = span
    cuts = sorted((g, e) for g, e, _ in gaps if start < g < end)
    if not cuts:
        return None
    surname = text[start : cuts[0][0]]
    if surname not in names.SURNAMES_ALL and surname not in names.SURNAMES_2:
        return None
    given = end - cuts[0][1] - sum(e - g for g, e in cuts[1:])
    return span if 1 <= given <= 2 else None


_LETTERS4 = re.compile("[A-Za-z]{4}")
# A given name's first character after a gap, by given_names.txt (刘 洋 0.053; 到 0.002, 手 0.007, 电 0.001: a
# word after a name and a space, 管清华 手机：, which the view would read once more for nothing).
_GIVEN_MIN = 0.03


def _given_next(text: str, pos: int) -> bool:
    return given_names.plausibility(text[pos]) >= _GIVEN_MIN


# A form's next label after a space: a short run of Han characters and a colon (复核人：, 处理结果：)
_LABEL_NEXT = re.compile("[" + _HAN + "]{1,5}[:：]")


def _gaps(text: str) -> list[tuple[int, int, str]]:
    """Spaces after a surname before a plausible given name (张 伟), and one more after the given name's first
    character when a second one follows (张 小 明)."""
    out = []
    for m in _SPACED_HAN.finditer(text):
        # not before the next field's label (经办人：柴 复核人：符晓冬: 复核 is no given name, brief N19)
        if _given_next(text, m.end()) and not _LABEL_NEXT.match(text, m.end()):
            out.append((m.start(), m.end(), ""))
            nxt = _SPACED_HAN_ANY.match(text, m.end() + 1)
            if nxt is not None:
                out.append((nxt.start(), nxt.end(), ""))
    return out


def _sep_gaps(text: str) -> list[tuple[int, int, str]]:
    """A separator after a surname before a Han character (李-春), and the same one after the next character when a
    Han character follows it (李-春-花)."""
    out = []
    for m in _SURNAME_SEP.finditer(text):
        after = m.end() + 1
        twice = text[after : after + 1] == m.group(1) and names._CJK.match(text, after + 1) is not None
        if m.group(1) == "/" and not twice:
            continue  # 张/王两位: a slash between two surnames is a list; only 李/春/花 is a name
        out.append((m.start(), m.end(), ""))
        if twice:
            out.append((after, after + 1, ""))
    return out


def _has_space(text: str) -> bool:
    return " " in text or "\u3000" in text or "\u00a0" in text


def _has_dot(text: str) -> bool:
    return "·" in text or "・" in text or "•" in text


# The syllables of Standard Chinese in pinyin (v for ü), without tones; a, e, o and the interjections (ei, m, ng,
# hm …) left out as given names' syllables, which keeps English words from splitting into "names".
_SYLLABLES = frozenset(
    """
    ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng
    cha chai chan chang chao che chen cheng chi chong chou chu chuai chuan chuang chui chun chuo ci cong cou cu
    cuan cui cun cuo da dai dan dang dao de deng di dian diao die ding diu dong dou du duan dui dun duo en er fa
    fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
    ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin
    jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng kong kou ku kua kuai kuan kuang kui kun kuo la
    lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu long lou lu luan lun luo lv lve ma mai man
    mang mao mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang
    niao nie nin ning niu nong nu nuan nuo nv nve ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po
    pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru
    ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shen sheng shi shou shu shua shuai
    shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting
    tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu
    xuan xue xun ya yan yang yao ye yi yin ying yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha
    zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu
    zuan zui zun zuo
    """.split()
)
# Brands, banks and places that split into a pinyin surname and syllables (客户HUAWEI手机, 客户CHINA).
_NOT_NAMES = frozenset(w.replace(" ", "") for w in names._PINYIN_NOT) | frozenset(
    "china zhaoshang gongshang jianshe nongye jiaotong minsheng pufa zhongxin xingye huaxia guangda youzheng "
    "zhongguo renmin huabei jiebei weili yuebao lingqian yunshan anhui hunan henan hubei hebei shanxi jilin "
    "gansu sichuan fujian hainan guangxi xizang ningxia yunnan taiwan aomen xianggang tianjin chongqing".split()
)
# A Latin run of one case (or capitalised) right after a role word or a self-introduction, then no letter.
_PINYIN_CUES = (
    "客户",
    "投诉人",
    "持卡人",
    "借款人",
    "申请人",
    "开户人",
    "联系人",
    "委托人",
    "经办人",
    "来电人",
    "当事人",
    "本人",
    "户名",
    "姓名",
    "我叫",
    "名叫",
    "拼音",
)
_LATIN_RUN = re.compile(
    "(?=["
    + "".join(sorted({c[0] for c in _PINYIN_CUES}))
    + "])(?:"
    + "|".join(_PINYIN_CUES)
    + r")[:：是为 ]{0,2}([A-Z]{4,16}|[a-z]{4,16}|[A-Z][a-z]{3,15})(?![A-Za-z0-9@._\-])"
)


@functools.cache
def _split_given(rest: str) -> bool:
    """Is rest one or two pinyin syllables?"""
    if rest in _SYLLABLES:
        return True
    return any(rest[:i] in _SYLLABLES and rest[i:] in _SYLLABLES for i in range(2, len(rest) - 1))


def _pinyin_name(word: str) -> bool:
    lower = word.lower()
    if lower in _NOT_NAMES:
        return False
    return any(
        lower.startswith(surname) and len(lower) > len(surname) and _split_given(lower[len(surname) :])
        for surname in names._PINYIN_SURNAMES
    )


def pinyin_spans(text: str) -> list[tuple[int, int, int]]:
    """A pinyin name without a space after a role word (客户ZHANGWEI来电): keep the first letter, as the spaced
    form (客户Z**** ***来电). Not before a firm's word (客户CHINA BANK)."""
    out = []
    for m in _LATIN_RUN.finditer(text):
        if _pinyin_name(m.group(1)) and not names._FIRM_AFTER_LATIN.match(text, m.end(1)):
            out.append((m.start(1), m.end(1), 1))
    for word in {text[s:e] for s, e, _ in out}:
        # its other mentions, as a word of its own (客户ZHANGWEI来电 … ZHANGWEI说), as latin_again does
        for m in re.finditer(r"(?<![A-Za-z0-9@._-])" + re.escape(word) + r"(?![A-Za-z0-9@])", text):
            out.append((m.start(), m.end(), 1))
    return list(dict.fromkeys(out))


# A verb the tagger reads as a name's last character (客户张伟去网点 -> 张伟去, 迪力木拉提说): hardly ever a given
# name's last character (given_names.txt: 去 12 in names against 1727 in words, 说 1 against 650), so the span ends
# before it. Not 来: it ends given names (叫王芳来 reads as 我叫覃春来, 我老板叫魏东来 of the labelled sets).
# 骂, 找 (0 in names) and 打 (8 against 903: as 去) too: 催收员聂飞骂哭了 (dev17, brief N19)
_VERB_END = frozenset("去说骂找打")
# 拿 ends given names (15 against 164), but before 着 / 了 it is the verb (任晓拿着死亡证明: dev17, brief N19)
_TAKE = "拿"
# 来 ends given names, but before a verb it is the verb of coming (叫王芳来处理, 让张伟来办: brief N17), unless that
# verb is 去 (我爷爷宁福来去农商银行: dev13)
_COME = "来"
# after a middle dot too: 称 and 讲 end no transliterated name (借款人吴·刚称: 称 ends 27 Han given names in jieba)
_VERB_END_DOTTED = _VERB_END | frozenset("称讲")


# A speech verb, as names.py lists them (来电, 反映, 表示 …), longest first.
_SPEECH_START = re.compile("|".join(sorted(map(re.escape, names._SPEECH), key=len, reverse=True)))


def _verb_next(text: str, end: int) -> bool:
    """Does the tagger read a verb other than 去 right after end (来处理, 来找我, 来了)?"""
    after = names._tag(text[end : end + 4]) if names._CJK.match(text, end) else ()
    return bool(after) and (after[0][1].startswith("v") or after[0][0][0] == "了") and not after[0][0].startswith("去")


def trim(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The spans without a verb glued to their end (see _VERB_END), and without a span that runs on from a
    shorter one at the same start into a speech verb (客户 张伟来电 read both as 张伟 and as 张伟来电; 投诉人 王芳
    反映情况 as 王芳 and as 王芳反映情况): the shorter one is the name."""
    ends: dict[int, set[int]] = {}
    if len({start for start, _, _ in spans}) < len(spans):  # two readings at one start: rare
        for start, end, _ in spans:
            ends.setdefault(start, set()).add(end)
    out = []
    for start, end, keep in spans:
        if start in ends and any(e < end and _SPEECH_START.match(text, e) for e in ends[start]):
            continue
        if end - start >= 3 and end - 1 > start + keep and names._CJK.match(text, end - 1):
            last = text[end - 1]
            if last in _VERB_END or (last in _VERB_END_DOTTED and _has_dot(text[start:end])):
                end -= 1
            elif last == _COME and end - start == 3 and keep == 1 and _verb_next(text, end):
                end -= 1
            elif last == _TAKE and text[end : end + 1] in ("着", "了"):
                end -= 1
        out.append((start, end, keep))
    return out
