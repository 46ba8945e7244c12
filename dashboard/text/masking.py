"""Masking of personal data in complaint narratives (投诉内容脱敏).

Every view and every export shows narratives through :func:`mask` (one value) or :func:`mask_series`
(a column; same rules, applied with pandas' vectorised ``str.replace``), so there is one definition of
what is hidden and how.

Style: keep enough for a reader to see *what* was there, not *who*.

==========================  ================================  ===============================
what                        example in                        example out
==========================  ================================  ===============================
mobile number               13812345678 / 138-1234-5678       138****5678 / 138-****-5678
                            +86 138 1234 5678                 +86 138 **** 5678
landline with area code     010-62345678 / 0755-1234567       010-****5678 / 0755-***4567
ID card, 18 digits          11010119900307123X                110101********123X
ID card, 15 digits (old)    110101900307123                   110101******123
bank card, 16-19 digits     6222021234567890123               6222***********0123
                            6222 0212 3456 7890               6222 **** **** 7890
e-mail                      zhangsan@example.com              z***@example.com
full name after a role      客户王小明 / 持卡人李四            客户王** / 持卡人李*
full name before a title    张伟先生                          张*先生
surname + title             张先生 / 李女士 / 王阿姨           *先生 / *女士 / *阿姨
surname + 某                王某 / 客户王某某                  *某 / 客户*某某
==========================  ================================  ===============================

Decisions (each one a trade-off, written down so that it can be revisited):

* Digits are replaced one for one by ``*`` and separators are kept, so the reader still sees the shape
  (a phone, a card) and the text keeps its length. Digit runs are only considered when they are not glued
  to other letters or digits, so ticket numbers such as ``TS2026100500123`` or ``C202610050001`` and
  their digit parts are never touched.
* A full name keeps its surname and loses the given name (王小明 -> 王**), the usual display masking of
  names. When the surname is the only part of the name (张先生, 王某) the surname itself is masked
  (*先生); keeping it would leave the text unchanged.
* Names are found next to a role word (客户, 持卡人, 借款人, 本人, 联系人, family words, ...), before
  a title (先生, 女士, 小姐, 老师, 阿姨, 大爷, 经理, 行长, ...), or opening a clause before a speech
  verb (，张国答复… / 王芳表示…), always with a surname from a list of the ~280 commonest surnames and
  a given name of one or two characters that are not function words. A bare name elsewhere (与张三
  联系) is not found: there is no named-entity model (nothing may be downloaded), a known gap.
* Staff names are personal data too: 客户经理张伟 -> 客户经理张*, 王经理 -> *经理. The role word itself
  (客户经理, 理财经理) is never masked.
* Bank cards: a 16-19 digit run (contiguous, or in groups of four separated by a space or hyphen) is a
  card when it starts with an issuer digit of cards used in China (3 JCB/Amex, 4 Visa, 5 Mastercard,
  6 UnionPay, 9 old domestic cards, or Mastercard's 2221-2720 range), or when it passes the Luhn check
  and does not start with a date (19YYMMDD / 20YYMMDD). Luhn is *not* required for issuer-prefixed runs,
  because card numbers typed by staff contain typos and a missed card is worse than an over-masked
  number. So long order or transaction numbers that start with a date (2026100500012345) stay, while a
  16-digit number starting with 6 is masked even if it is an order number.
* ID cards need a plausible birth date (18: 18xx-20xx, 15: YYMMDD) in the right place; the checksum is
  not verified (typos again). An 18-digit run that looks like an ID is masked as an ID even if it is a
  card: either way it is hidden.
* Not masked: amounts (5,000元, 12000.00元, 3万元), dates (2026-10-05, 2026年10月5日, 20261005), times,
  percentages, branch codes (0101), ticket numbers, 12-digit transaction serials (not personal data),
  service numbers (95588, 400-820-8888: they start with neither 1[3-9] nor 0), and 11-digit runs that
  do not start with 1[3-9].
* Full-width digits and +, -, @ (１３８…, common in GBK exports) are turned into ASCII first; that is the
  only other change made to the text.
* Landlines need a leading 0 area code (0XX or 0XXX) and a 7-8 digit local number; the area code stays.
* Masking is idempotent (mask(mask(x)) == mask(x)): a masked value contains ``*`` where the patterns
  need digits or name characters. None, NaN and other non-strings are returned unchanged.
"""
from __future__ import annotations

import re
from typing import Callable

import pandas as pd

__all__ = ["mask", "mask_series"]

# ---------------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------------
_NB = r"(?<![0-9A-Za-z\uff10-\uff19])"  # not glued to a preceding digit or letter
_NA = r"(?![0-9A-Za-z\uff10-\uff19])"   # not glued to a following digit or letter
_DATE8 = r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_DATE6 = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9])[A-Za-z0-9._%+\-]*@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"
)
# Each number pattern starts with a lookahead on its first character: it lets the regex engine skip
# quickly to candidate positions (4-5x faster than starting with the lookbehind).
_ID18 = re.compile(r"(?=[1-9])" + _NB + r"[1-9]\d{5} ?" + _DATE8 + r" ?\d{3}[\dXx]" + _NA)
_ID15 = re.compile(r"(?=[1-9])" + _NB + r"[1-9]\d{5}" + _DATE6 + r"\d{3}" + _NA)
_CARD = re.compile(r"(?=\d)" + _NB + r"(?:\d{4}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?|\d{16,19})" + _NA)
_MOBILE = re.compile(r"(?=[+081])" + _NB + r"((?:\+|00)?86[ \-]?)?(1[3-9]\d(?:[ \-]?\d{4}){2})" + _NA)
_LANDLINE = re.compile(
    r"(?=[0(（])(?<![0-9A-Za-z.\-\uff10-\uff19])([(（]?0[1-9]\d{1,2}[)）]?)([ \-]?)([1-9]\d{6,7})" + _NA
)
# Full-width digits and signs (GBK exports have them: １３８１２３４５６７８) become ASCII first, so the
# number rules see them; only these characters change.
_FULLWIDTH_TABLE = {**{0xFF10 + i: chr(0x30 + i) for i in range(10)}, 0xFF0B: "+", 0xFF0D: "-", 0xFF20: "@"}
_FULLWIDTH = re.compile("[\uff10-\uff19\uff0b\uff0d\uff20]+")
_DATE_PREFIX = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


def _mask_digits(text: str, keep_head: int, keep_tail: int) -> str:
    """Replace every digit (and an ID card's final X) by '*' except the first ``keep_head`` and the last
    ``keep_tail`` of them; separators stay."""
    n_digits = sum(ch.isdigit() or ch in "Xx" for ch in text)
    out = []
    seen = 0
    for ch in text:
        if ch.isdigit() or ch in "Xx":
            seen += 1
            if seen > keep_head and seen <= n_digits - keep_tail:
                out.append("*")
                continue
        out.append(ch)
    return "".join(out)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _is_card(digits: str) -> bool:
    if digits[0] in "34569":
        return True
    if 2221 <= int(digits[:4]) <= 2720:
        return True
    return _luhn_ok(digits) and not _DATE_PREFIX.match(digits)


def _repl_email(m: re.Match) -> str:
    return f"{m.group(1)}***@{m.group(2)}"


def _repl_id(m: re.Match) -> str:
    text = m.group(0)
    # 18 digits: keep the 6-digit area code and the last 4; 15 digits: area code and the last 3.
    return _mask_digits(text, 6, 4 if len(text.replace(" ", "")) == 18 else 3)


def _repl_card(m: re.Match) -> str:
    text = m.group(0)
    digits = "".join(c for c in text if c.isdigit())
    if not _is_card(digits):
        return text
    return _mask_digits(text, 4, 4)


def _repl_mobile(m: re.Match) -> str:
    return (m.group(1) or "") + _mask_digits(m.group(2), 3, 4)


def _repl_landline(m: re.Match) -> str:
    return m.group(1) + m.group(2) + _mask_digits(m.group(3), 0, 4)


# ---------------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------------
_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅"
    "童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项"
    "连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞"
    "敖巩明佘池查麻苑迟邝"
)
_SURNAMES_2 = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟", "长孙", "宇文",
    "公孙", "端木", "独孤", "南宫", "西门", "轩辕", "澹台", "呼延", "万俟",
)
_SUR = "(?:" + "|".join(_SURNAMES_2) + "|[" + _SURNAMES_1 + "])"

# Characters that do not start a given name here: function words, verbs and nouns that follow a role
# word in narratives (客户于…, 客户向我行…, 客户称…, 客户名下…). A surname followed by one of them is
# not taken as a name.
_STOP1 = (
    "称说讲表反要于在的因来致到对与和及持名已未办申咨询投诉被将把从是也都又再就不没等通多曾每所认希拨提收"
    "发使用购买贷借存取还付转欠逾卡账户电情此该其这那之以而但并遭误拒签告问质担怀接权满度额款面网柜营银"
    "我你他她它贵行月日年周号元亿次项笔个些今昨近本上下内外后前当时先女男客服务理财工作员主请求得续处现"
    "自随仍却便只才刚正共总均全无非有带拿去打看想同如若确最很某所需可能应会让给替帮为向态承答回复末"
)
# ... nor end it (numbers and counters after a one-character given name: 客户王芳两次…).
_STOP2 = _STOP1 + "一两三四五六七八九十百千万次个天年月日号元人"
_G1 = "(?:(?![" + _STOP1 + "])[\u4e00-\u9fff])"
_G2 = "(?:(?![" + _STOP2 + "])[\u4e00-\u9fff])"

# Two-character words that start with a surname character and follow role words in narratives.
_NOT_NAMES = (
    "黄金", "高度", "高额", "高息", "高于", "高达", "全额", "全部", "全款", "全家", "全程", "金额", "金融",
    "金卡", "余额", "钱款", "钱财", "方面", "方式", "方便", "方可", "时间", "时候", "时段", "时限", "时效",
    "常常", "常年", "马上", "许多", "任何", "关于", "关注", "关联", "关闭", "连续", "连带", "严重", "严格",
    "安全", "安排", "安装", "宁愿", "宁可", "明确", "明白", "明细", "明显", "明天", "明日", "白天", "白金",
    "申请", "申诉", "曾经", "向来", "成功", "成员", "单位", "单独", "车贷", "车辆", "车主", "车险", "管理",
    "文件", "商户", "商量", "商业", "包括", "包含", "尚未", "齐全", "解决", "解释", "解冻", "解绑", "解除",
    "解约", "华夏", "农行", "农村", "平安", "和解", "路上", "冷静", "司法", "房贷", "房产", "房屋", "房租",
    "邮储", "费用", "费率", "简单", "应当", "应该", "应付", "应还", "项目", "项下", "查询", "查看", "查到",
    "麻烦", "付款", "顾问", "莫名", "尤其", "符合", "季度", "凌晨", "景点", "仲裁", "甄别", "万元", "万一",
    "钱包", "毛利", "文字", "常用", "施工", "迟延", "纪律", "辛苦", "荣誉", "费心", "关系", "方法", "方案",
    "范围", "程序", "关键", "成立", "全体", "全国", "全省", "全市", "房子", "时刻", "时期", "关心", "毕竟",
    "左右", "周围", "时常", "明知", "迟迟", "迟早", "路过", "连忙", "连夜", "焦急", "焦虑", "顾虑", "申报",
    "全力", "严厉", "何时", "何况", "商店", "商场", "商家", "余地", "成交", "解读", "应急", "冷漠", "单身",
    "全新", "常规", "金钱", "简直", "毛病", "周末", "夏天", "冬天", "春天", "秋天", "白天",
    # three characters: a surname-like preposition followed by a place or a body of people
    "向大堂", "于大堂", "向相关", "于相关", "向监管", "向公安", "向法院", "向媒体", "向人民", "向有关",
    "向家人", "向家属", "向亲友", "向朋友", "向家里", "向大家", "于大约",
)
_NOT_NAME = "(?!" + "|".join(sorted(set(_NOT_NAMES), key=len, reverse=True)) + ")"

_FAMILY_TITLES = (
    "老先生", "老太太", "先生(?!活)", "女士", "小姐", "老师", "阿姨", "大爷", "大妈", "大叔", "大娘", "奶奶",
    "爷爷", "老太", "太太", "师傅",
)
_STAFF_TITLES = ("经理", "主任", "行长", "主管", "科长", "处长", "总监", "专员", "律师", "警官")
_ROLES = (
    "紧急联系人", "客户经理", "理财经理", "大堂经理", "产品经理", "客服人员", "客服专员", "工作人员",
    "催收人员", "被保险人", "共同借款人", "附属卡持卡人", "持卡人", "主卡人", "附卡人", "借款人", "贷款人",
    "担保人", "投保人", "受益人", "申请人", "开户人", "来电人", "投诉人", "当事人", "委托人", "代理人",
    "收款人", "付款人", "联系人", "经办人", "消费者", "催收员", "柜员", "员工", "行长", "户主", "户名",
    "姓名", "客户", "本人", "家人", "家属", "配偶", "丈夫", "妻子", "儿子", "女儿", "母亲", "父亲", "老伴", "亲属",
)
_MOU_NOT_AFTER = "日月年天时些个种项笔次处行家位地人网支分公银店单款类样方面某"

# 1. (full name or surname) + title: 张先生 -> *先生, 张伟先生 -> 张*先生, 王经理 -> *经理
_TITLE = re.compile(
    "(" + _SUR + ")(" + _G1 + _G2 + "?)?(" + "|".join(_FAMILY_TITLES) + ")"
    "|(" + _SUR + ")(" + "|".join(_STAFF_TITLES) + ")"
)
# 2. role + name: 客户王小明 -> 客户王**, 客户王某某 -> 客户*某某
_ROLE_NAME = re.compile(
    "(" + "|".join(_ROLES) + ")([:：]\\s*)?" + _NOT_NAME + "(" + _SUR + ")"
    "(某{1,2}(?![" + _MOU_NOT_AFTER + "])|" + _G1 + _G2 + "?)"
)
# 3. surname + 某 anywhere: 王某 -> *某
_MOU = re.compile("(" + _SUR + ")(某{1,2})(?![" + _MOU_NOT_AFTER + "])")
# 4. a bare full name opening a clause and followed by a speech verb: ，张国答复会尽快处理 -> ，张*答复…
_SPEECH = ("答复", "回复", "表示", "称", "说", "告知", "承诺", "解释", "来电", "致电", "投诉", "反映", "要求")
_BARE_NAME = re.compile(
    "(^|[，。；：、！？,.;:!?\\s（(“\"])" + _NOT_NAME + "(" + _SUR + ")(" + _G1 + _G2 + "?)(?=" + "|".join(_SPEECH) + ")"
)


def _repl_title(m: re.Match) -> str:
    if m.group(1) is not None:
        surname, given, title = m.group(1), m.group(2), m.group(3)
        if given:
            return surname + "*" * len(given) + title
        return "*" * len(surname) + title
    return "*" * len(m.group(4)) + m.group(5)


def _repl_role_name(m: re.Match) -> str:
    role, sep, surname, given = m.group(1), m.group(2) or "", m.group(3), m.group(4)
    if given.startswith("某"):
        return role + sep + "*" * len(surname) + given
    return role + sep + surname + "*" * len(given)


def _repl_bare_name(m: re.Match) -> str:
    return m.group(1) + m.group(2) + "*" * len(m.group(3))


def _repl_mou(m: re.Match) -> str:
    return "*" * len(m.group(1)) + m.group(2)


# Order matters: e-mail before digit rules; IDs before cards (an ID is 18 digits too); cards before
# phones and landlines; title names before role names (客户张先生 -> 客户*先生, not 客户张**).
# Each rule has a gate: a cheap pattern that any match of the rule contains; texts without it skip the
# rule (a no-op for them anyway).
_GATE_TITLE = re.compile("先生|女士|小姐|老师|阿姨|大爷|大妈|大叔|大娘|奶奶|爷爷|老太|太太|师傅|"
                         + "|".join(_STAFF_TITLES))
_RULES: tuple[tuple[re.Pattern | None, re.Pattern, Callable[[re.Match], str]], ...] = (
    (_FULLWIDTH, _FULLWIDTH, lambda m: m.group(0).translate(_FULLWIDTH_TABLE)),
    (re.compile("@"), _EMAIL, _repl_email),
    (None, _ID18, _repl_id),
    (None, _ID15, _repl_id),
    (None, _CARD, _repl_card),
    (None, _MOBILE, _repl_mobile),
    (None, _LANDLINE, _repl_landline),
    (_GATE_TITLE, _TITLE, _repl_title),
    (None, _ROLE_NAME, _repl_role_name),
    (re.compile("某"), _MOU, _repl_mou),
    (re.compile("|".join(_SPEECH)), _BARE_NAME, _repl_bare_name),
)


def mask(text: str | None) -> str | None:
    """Mask personal data in one narrative. Non-strings (None, NaN, pd.NA) are returned unchanged."""
    if not isinstance(text, str):
        return text
    for gate, pattern, repl in _RULES:
        if gate is None or gate.search(text):
            text = pattern.sub(repl, text)
    return text


def mask_series(s: pd.Series) -> pd.Series:
    """Mask a whole column; element-wise equal to :func:`mask`, keeps index, name and missing values."""
    if len(s) == 0:
        return s.copy()
    is_str = s.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool)
    if not is_str.any():
        return s.copy()
    out = s[is_str].astype(object)
    for gate, pattern, repl in _RULES:
        if gate is None:
            out = out.str.replace(pattern, repl, regex=True)
            continue
        sel = out.str.contains(gate, regex=True).to_numpy(dtype=bool)
        if sel.any():
            out[sel] = out[sel].str.replace(pattern, repl, regex=True)
    result = s.copy()
    if result.dtype != object and not pd.api.types.is_string_dtype(result.dtype):
        result = result.astype(object)
    result[is_str] = out
    return result
