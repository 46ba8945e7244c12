"""Masking of personal data in complaint narratives (投诉内容脱敏).

Every view and every export shows narratives through :func:`mask` (one value) or :func:`mask_series`
(a column; each distinct value masked once with :func:`mask`), and ``python -m dashboard mask`` masks
a file with the same function, so there is one definition of what is hidden and how. Names are found
by dashboard/text/names.py (rules checked against the rjieba tagger, an institutions dictionary and
propagation); this module holds the number rules and applies both.

Style: keep enough for a reader to see *what* was there, not *who*.

==========================  ================================  ===============================
what                        example in                        example out
==========================  ================================  ===============================
mobile number               13812345678 / 138-1234-5678       138****5678 / 138-****-5678
                            +86 138 1234 5678                 +86 138 **** 5678
                            tel13812345678 / 138.1234.5678    tel138****5678 / 138.****.5678
                            (139)12345678 / 139—1234—5678     (139)****5678 / 139—****—5678
                            手机139O1234567 / 139 1234⏎5678   手机139****4567 / 139 ****⏎5678
landline with area code     010-62345678 / 0755-1234567       010-****5678 / 0755-***4567
                            (025) 6857 9206 / 0731 8504 3459  (025) **** 9206 / 0731 **** 3459
                            0755—8888 1234 / 0371-6789 123    0755—**** 1234 / 0371-***9 123
                            +86-10-62345678 / 010-62345678ext8001  +86-10-****5678 / 010-****5678ext8001
ID card, 18 digits          11010119900307123X                110101********123X
                            110101-19900307-123X              110101-********-123X
ID card, 15 digits (old)    110101900307123                   110101******123
bank card, 16-19 digits     6222021234567890123               6222***********0123
account number after a cue  存折账号0200001234567890123         存折账号0200***********0123
                            账号 6217 0012 3456 789           账号 6217 **** ***6 789
                            6222 0212 3456 7890 / 6222.0212…  6222 **** **** 7890 / 6222.****…
                            卡号六二二八四八零零一二三四五六七八  卡号六二二八********五六七八
e-mail                      zhangsan@example.com              z***@example.com
full name after a role      客户王小明 / 持卡人李四            客户王** / 持卡人李*
full name before a title    张伟先生                          张*先生
surname + title             张先生 / 李女士 / 王阿姨           *先生 / *女士 / *阿姨
surname + 总 / 工           张总让我 / 鄢总说                 *总让我 / *总说
nickname 小 + given name    客服小雨说 / 我是小雅，           客服小*说 / 我是小*，
surname + 某                王某 / 客户王某某                  *某 / 客户*某某
self-introduction, staff    我叫畅新宇 / 业务员苑立新          我叫畅** / 业务员苑**
later mentions              丁国庆签的…丁国庆按的…丁经理       丁**签的…丁**按的…*经理
a surname named alone       自称姓栾 / 复姓东方 / 叫申什么的    自称姓* / 复姓** / 叫*什么的
signature, list, pinyin     …谢谢。陈立新 / 王海燕、刘向前两人  …谢谢。陈** / 王**、刘**两人
                            Zhang Wei来电                     Z**** ***来电
names on views of the text  客户张 伟来电 / 客户張偉來電        客户张 *来电 / 客户張*來電
(name_views.py)             委托王芳办理 / 客户ZHANGWEI来电     委托王*办理 / 客户Z*******来电
Latin-script name           Wulin.Zhao先生                    W****.****先生
labelled identifiers        QQ号是284756193 / 微信jasonliu88   QQ号是2******** / 微信j*********
                            微信号：13812345678 / wx138…       微信号：1********** / wx1**********
licence plate               车牌浙B·3M7Q2 / 粤AD12345          车牌浙B·***** / 粤A******
address after 地址/住址     地址：河南省周口市川汇区七一路88号   地址：河南省周口市川汇区******
                            (a house number, 号, 室, 楼, 村 … needed: 地址就写的贺兰山路 stays)
address after 住 alone      我住朝阳区建国路88号               我住朝阳区******
                            (a district and a house number needed: 住院, 住房贷款3年 stay)
customer id (客户号)        13812345678 / C4306341289         138****5678 / C4306341289
==========================  ================================  ===============================

Decisions (each one a trade-off, written down so that it can be revisited):

* Digits are replaced one for one by ``*`` and separators are kept, so the reader still sees the shape
  (a phone, a card) and the text keeps its length. Digit runs are only considered when they are not glued
  to other letters or digits, so ticket numbers such as ``TS2026100500123`` or ``C202610050001`` and
  their digit parts are never touched.
* A full name keeps its surname and loses the given name (王小明 -> 王**), the usual display masking of
  names. When the surname is the only part of the name (张先生, 王某) the surname itself is masked
  (*先生); keeping it would leave the text unchanged.
* Names: see dashboard/text/names.py (cues, titles, speech verbs, the tagger, propagation, and the
  checks that keep institutions and ordinary words readable). A name that is an ordinary word and
  stands without any cue (跟方圆说了, 我和林海一起) is not found, a known gap.
* Staff names are personal data too: 客户经理张伟 -> 客户经理张*, 王经理 -> *经理. The role word itself
  (客户经理, 理财经理) is never masked.
* Bank cards: a 16-19 digit run (contiguous, or in groups of four separated by a space, hyphen or dot) is a
  card when it starts with an issuer digit of cards used in China (3 JCB/Amex, 4 Visa, 5 Mastercard,
  6 UnionPay, 9 old domestic cards, or Mastercard's 2221-2720 range), or when it passes the Luhn check
  and does not start with a date (19YYMMDD / 20YYMMDD). Luhn is *not* required for issuer-prefixed runs,
  because card numbers typed by staff contain typos and a missed card is worse than an over-masked
  number. So long order or transaction numbers that start with a date (2026100500012345) stay, while a
  16-digit number starting with 6 is masked even if it is an order number.
* ID cards need a plausible birth date (18: 18xx-20xx, 15: YYMMDD) in the right place; the checksum is
  not verified (typos again). An 18-digit run that looks like an ID is masked as an ID even if it is a
  card: either way it is hidden.
* The last four digits of a card after 尾号 (尾号8866) are not masked: banks print them on every
  statement and SMS, and they identify no one alone. The labelled sets disagree (some label them); left
  as is in round six.
* Policy numbers (保单号P2023110876) are not masked: the labelled sets disagree (dev keeps one as an
  identifier of the contract, dev8 labels them personal data); left as is in round seven, like 尾号.
* A 客户号 is masked by the number rules only (:func:`mask_customer_id`, hostile H99): a source system
  that keys customers by ID or mobile number puts personal data in the key; ordinary keys stay readable.
* Not masked: amounts (5,000元, 12000.00元, 3万元), dates (2026-10-05, 2026年10月5日, 20261005), times,
  percentages, branch codes (0101), ticket numbers, 12-digit transaction serials (not personal data),
  service numbers (95588, 400-820-8888: they start with neither 1[3-9] nor 0), and 11-digit runs that
  do not start with 1[3-9].
* Full-width digits, Latin letters and +, -, @ (１３８…, ＡＴＭ, common in GBK exports) are turned into ASCII
  first; that is the only other change made to the text (full-width brackets, commas and spaces stay).
* Landlines need a leading 0 area code (0XX or 0XXX, brackets allowed) and a 7-8 digit local number,
  possibly in two groups; the area code stays.
* A mobile number may follow letters (tel, wx) but never digits; ticket numbers start with letters and
  a date, not 1[3-9] followed by exactly ten digits.
* Masking is idempotent (mask(mask(x)) == mask(x)): a masked value contains ``*`` where the patterns
  need digits or name characters. None, NaN and other non-strings are returned unchanged.
"""

from __future__ import annotations

import functools
import re
from typing import Callable

import pandas as pd

from dashboard.text import learned, name_slots, name_views, names

__all__ = [
    "MASKING_VERSION",
    "SEARCH_FOLD_FROM",
    "SEARCH_FOLD_TO",
    "fold_fullwidth",
    "fold_search",
    "id_check_ok",
    "luhn_ok",
    "mask",
    "mask_customer_id",
    "mask_customer_ids",
    "mask_series",
]

# Bump when a change here or in names.py masks any narrative differently. The hot terms are cut from the
# masked narratives at import, so the stored terms of every snapshot keep what the masking of their day
# left readable (a name today's rules find would still be a term) until this changes the tokenizer's
# fingerprint and the next import recomputes them (dashboard/derived/terms_index.py).
MASKING_VERSION = 14  # 14: dev23's classes (the agent's word filling its turn, I'm + a Latin name, spelled by a three-character word, Tibetan parts, 同志), a tab between a number's groups, a slash between an account's after its label, a mobile's 3-4-4 groups separated by commas, a mobile read out in Chinese numerals in its groups without a cue (幺八六，零五七三，二九一四), a name of two characters opening a sentence before 的 + its ID, QQ, WeChat or e-mail, the payee after 转给了, a kind of payee (商家) no name; hostile round s40 (H278-H301): a mailbox named in Chinese characters, digits read out with ideographic spaces, no-break and thin spaces, zero-width characters and typographic dashes inside a number, IDs after their label whatever the birth date, HK and TW IDs, mail at a provider without its domain end, slashes in a mobile or ID, full-width letters folded, input-method separators (— – · 　 _ and two spaces) between a number's groups, a mobile's first three digits in brackets, landlines with the country code or a glued extension, numbers broken across a line, IDs in groups of 6-6-3 and in Chinese numerals, QQ's and WeChat's other names, disguised dots of an e-mail, lower-case plates after 车牌, letters for digits after a label, account labels spaced or before a bracket or the holder's name, 大写 numerals, a mobile-shaped amount before 元 stays; 13: spoken spelling aids masked whole (言午许 -> ***, 多余的余 -> ****), dev22's classes (parties to a deposit or an estate and 市民 as role words, 郑老伯, a made-up place before 先生, 关于娄建新客户, the agent's turn, numerals read out, 免贵, an address ends with its bracket), a dictionary word the tagger reads as a person opening a sentence before its card (陈国强的卡), an ID glued to letters with its check digit right (ID5426…), tabs and line breaks an export escaped (\\t, \\n) read as breaks, a dictionary place before a bank outlet is no name (客户林芝网点办理: dev21), a lone surname after a staff title before a sanction is masked (对柜员甘警告处分); 12: a mobile read out in groups of up to seven and eight digits (1391234 5678, 139 12345678: hostile H274), a given name in brackets after a surname and a title (李女士（春花）: H276), a name opening a sentence before 的 + its card or 于 + a date (H275), underscores between a mobile’s groups (H277); 11: a name opening a line glued to 身份证, a number or an e-mail, also after a field label or a Latin run, a dictionary word before a number stays (hostile H264, H252, H270-H272), dev21’s classes (a closing bracket ends a value, a customer’s turn after a space, sanctions, 代其, a title inside a word, 老周 after 周先生); 2: the name rules of rounds four to six and the identifier shapes of round six; 3: round seven and eight, account numbers after a cue (H199); 4: rounds nine and ten, fund companies and card products in institutions.txt; 5: round eleven (N11: surnames between a role word and 某 or a title, surnames added); 6: N13 (hostile H226-H228: a name glued to an institution before a verb, a dictionary name opening a clause, 于 + a given name); 7: N14 (hostile H234-H236, H238: a name beside an institution, a service point or an app, before an identifier; dev15's classes); 8: N15's views (separators, traditional characters, pinyin, proxies) and N16 (dev16's classes); 9: N17 (dev16's remaining misses, hostile 叫王芳来 / 客户权益投诉 / 客户农民 / 叫金融局, the other sets' classes, 某 before an institution's kind); N18 (name_slots.py) and N19 (dev18's classes) ship in 9 too; 10: lower-case pinyin after a cue (hostile H253), one table of romanised surnames, dev19's wrong masks and misses by class, QQ号，/微信号，/护照号， (hostile H265), dev20's classes, a landline without its area code after a phone label

# ---------------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------------
_NB = r"(?<![0-9A-Za-z\uff10-\uff19])"  # not glued to a preceding digit or letter
_NA = r"(?![0-9A-Za-z\uff10-\uff19])"  # not glued to a following digit or letter
_DATE8 = r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_DATE6 = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# What may stand between the groups of a mobile, ID or card as exports and input methods write them (hostile
# H279): a space, hyphen or dot; an ideographic space, an em or en dash, a middle dot, an underscore; two spaces;
# a dash with a space either side; a tab (139\t1234\t5678, left open by H22). _SEP_NODOT for the rules that would read a decimal point as one.
# The dashes: ASCII, em, en, and the hyphen, non-breaking hyphen, figure dash and minus sign (U+2010-2012, U+2212)
# that word processors put in (hostile H299).
_DASHES = "\\-—–\u2010\u2011\u2012\u2212"
_SEP_NODOT = r"(?:[ \t" + _DASHES + r"\u3000·・_]| {2}| [" + _DASHES + "] )"
_SEP = r"(?:[ \t" + _DASHES + r".\u3000·・_]| {2}| [" + _DASHES + "] )"
# An amount's unit after a number: it is no phone, card or account (元旦, 元月, 万分感谢 are words, not units).
_UNIT = r"(?:元(?![旦宵月])|万(?![分一望般全])|亿|块)"

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9])[A-Za-z0-9._%+\-]* ?@ ?([A-Za-z0-9\-]+(?:[.。．][A-Za-z0-9\-]+)*[.。．][A-Za-z]{2,})"
)
# the dot of a disguised domain, itself disguised or not (qq [dot] com, qq dot com, qq点com: hostile H285)
_DOT = r"(?:\.|\s?[(\[（【]\s?(?:dot|DOT)\s?[)\]）】]\s?|\s(?:dot|DOT)\s|点)"
# An e-mail with its @ disguised against harvesters: geyaqin#126.com, jianhua.sun(at)gmail.com, x [at] y.cn,
# x艾特qq.com. The disguise and the domain stay, like the @ of a plain address.
_EMAIL_DISGUISED = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9])[A-Za-z0-9._%+\-]*"
    r"(\s?(?:[#＃]|[(\[（【]\s?(?:at|AT)\s?[)\]）】]|艾特)\s?|\s(?:at|AT)\s)"
    r"([A-Za-z0-9\-]+(?:" + _DOT + r"[A-Za-z0-9\-]+)*" + _DOT + r"(?:com|cn|net|org|edu|gov|io|me|co|hk|tw|jp)"
    r"(?:\.[a-z]{2})?)(?![A-Za-z0-9])"
)
# An address at a mail provider written without its domain's end, or with a comma for its dot (zhangsan@qq,
# li@163，com: hostile H294).
_EMAIL_PROVIDER = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9])[A-Za-z0-9._%+\-]* ?@ ?"
    r"((?:qq|163|126|139|189|sina|sohu|yeah|foxmail|gmail|hotmail|outlook|yahoo|aliyun|icloud)(?:[,，](?:com|cn|net))?)"
    r"(?![A-Za-z0-9.@])"
)
# A mailbox named in Chinese characters (李春花@163.com: hostile H300), after a field's colon, a space, a bracket or
# 邮箱: its first character stays, as a Latin one's.
_EMAIL_HAN = re.compile(
    r"(?:(?<=[:：\s，,（(])|(?<=邮箱))([\u4e00-\u9fff])[\u4e00-\u9fff]{0,5} ?@ ?"
    r"([A-Za-z0-9\-]+(?:[.。．][A-Za-z0-9\-]+)*[.。．][A-Za-z]{2,})"
)
# Each number pattern starts with a lookahead on its first character: it lets the regex engine skip
# quickly to candidate positions (4-5x faster than starting with the lookbehind).
# A slash may split an ID or a mobile too (110101/19900307/1234, 139/1234/5678: hostile H298), not a card's groups
# (5000/6000/7000/8000 lists amounts); the ID's birth date and the mobile's 3-4-4 keep dates and fractions out.
_SEP_SLASH = r"(?:" + _SEP + r"|[/／])"
_ID18 = re.compile(
    r"(?=[1-9])" + _NB + r"[1-9]\d{5}" + _SEP_SLASH + "?" + _DATE8 + _SEP_SLASH + r"?\d{3} ?[\dXx]" + _NA
)
# An ID glued to letters before it (ID542621…, x542621…): only with its check digit right (GB 11643, ISO 7064
# MOD 11-2), so a reference number after its letters stays (TX…).
_ID18_AFTER_LETTERS = re.compile(r"(?<=[A-Za-z])[1-9]\d{5}" + _DATE8 + r"\d{3}[\dXx]" + _NA)
_ID18_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11
# an old ID as 18's, its groups (6-6-3) split alike (110101 900307 123: hostile H283)
_ID15 = re.compile(r"(?=[1-9])" + _NB + r"[1-9]\d{5}(" + _SEP + r"?)" + _DATE6 + r"\1\d{3}" + _NA)
# An ID copied off a card photo or read out on a hotline, in groups of any size with one space, hyphen or
# dot between them (110101-1990-0307-1234, 1101 0119 9003 0712 3X): 18 characters, its birth date checked
# in the replacement (hostile H36).
_ID18_GROUPED = re.compile(
    r"(?=[1-9])" + _NB + r"[1-9](?:" + _SEP + r"?\d){16}" + _SEP + r"?[\dXx](?![ \-.]?[0-9A-Za-z])"
)
_DATE8_ONLY = re.compile(_DATE8)
# A mobile written (partly) in Chinese numerals after a cue: 电话一三九一二三四五六七八, 手机139一2345678.
# the financial (大写) numerals too, as a number read out for a form is written (电话壹叁玖…: hostile H290); an
# amount in them has 拾佰仟万 between its digits, which end the run
_HAN_DIGITS = "〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"
_MOBILE_HAN = re.compile(
    r"((?:电话|手机|号码|联系方式|致电|打给?我?)[号码是为:：\s]*)"
    r"([1一幺壹](?:[ \-]?[0-9" + _HAN_DIGITS + r"]){10})(?![0-9" + _HAN_DIGITS + r"])"
)
# A mobile read out in Chinese numerals without a cue before it, in its groups (客户：幺八六，零五七三，二九一四 after
# 请问您的手机号？ in the turn before: dev22): eleven numerals, the second 3-9, commas or spaces between groups only.
_MOBILE_HAN_SPOKEN = re.compile(
    r"(?<![0-9" + _HAN_DIGITS + r"])()([一幺壹][三四五六七八九叁肆伍陆柒捌玖]"
    r"(?:[0-9" + _HAN_DIGITS + r"]|[ ，,、](?=[0-9" + _HAN_DIGITS + r"])){9,12})(?![0-9" + _HAN_DIGITS + r"])"
)
# A card number in Chinese numerals after a card cue (卡号六二二二…, 银行卡号是六二二八 四八零零 …), as the
# mobile in _MOBILE_HAN: 16-19 digits, the first and last four stay.
_CARD_HAN = re.compile(
    r"((?:卡号|银行卡|信用卡|储蓄卡|借记卡|账号|帐号)[号码是为:：\s]*)"
    r"([0-9" + _HAN_DIGITS + r"](?: ?[0-9" + _HAN_DIGITS + r"]){15,18})(?![0-9" + _HAN_DIGITS + r"])"
)
# An ID in Chinese numerals after an ID cue (身份证号码一一零一零一…), as the card in _CARD_HAN: 18 characters, the
# area code and the last four stay (hostile H283).
_ID_HAN_LAST = "[0-9Xx" + _HAN_DIGITS + "]"  # any digit, or the checksum X
_ID_HAN = re.compile(
    r"((?:身份证|证件)[号码是为:：\s]*)"
    + r"([1-9{0}](?: ?[0-9{0}]){{16}} ?{1})(?!{1})".format(_HAN_DIGITS, _ID_HAN_LAST)
)
# An ID after its label whatever its birth date or length (身份证号:110101199013071234, 17 digits: typos, as for
# cards; hostile H292): 15-18 characters, the area code and the last four (three for 15-16) stay.
_ID_LABELLED = re.compile(
    r"((?:身份证|证件)(?:号码?)?[是为:：\s]*)([1-9](?:" + _SEP + r"?\d){13,16}" + _SEP + r"?[\dXx])(?![0-9A-Za-z])"
)
# A Hong Kong or Taiwan ID after an ID label (A123456(7), A123456789: hostile H297): the first letter stays.
_ID_HK_TW = re.compile(
    r"((?:身份证|证件)(?:号码?)?[是为:：\s]*)([A-Z]{1,2}\d{6}[(（][\dA][)）]|[A-Z][12]\d{8})(?![0-9A-Za-z])"
)
# A mobile or ID after its label with letters typed for digits (手机139O1234567, l3912345678, 身份证…I234:
# hostile H287): read O/o as 0 and I/l as 1, and masked when it then has a mobile's or an ID's shape.
_LOOKALIKE = re.compile(
    r"((?:手机|电话|联系方式|身份证|证件|(?i:tel|mobile))(?:号码?)?[是为:：\s]*)"
    r"((?=[0-9OoIl]*[OoIl])(?:[0-9OoIl]{11}|[0-9OoIl]{17}[0-9OoIlXx]))(?![0-9A-Za-z])"
)
_LOOKALIKE_DIGITS = str.maketrans("OoIl", "0011")
_MOBILE_SHAPE = re.compile(r"1[3-9]\d{9}")
# A mobile, ID or card broken across a line (139 1234⏎5678 in a cell typed with line breaks: hostile H282): the
# digits of a run split by a line break, classed by their count and shape as the rules above class them.
_LINE_BROKEN = re.compile(
    r"(?<![0-9A-Za-z])\d[\d ."
    + _DASHES
    + r"\u3000·・_]*(?:[ \u3000]*\r?\n[ \u3000]*[\d ."
    + _DASHES
    + r"\u3000·・_]*[\dXx])+"
    r"(?![0-9A-Za-z])"
)
# An account number the narrative calls one (账号, 存折账号, 银行卡号是, 账户), whatever its first digit or check
# digit: 存折 and 一类/二类户 numbers follow no card BIN (ICBC's begin with the area code, 0200…) and some are
# 15 digits (hostile H199). 10-25 digits, contiguous or in groups; the first four (from 14 digits) and the last
# four stay, as a card's.
# A label may be spaced out as a form prints it (账 号：, 卡 号：), the number opened by a bracket or NO., or follow
# the holder's name after the colon (收款账户：王五 0200…: hostile H289).
_ACCOUNT_CUES = "账 ?号|帐 ?号|账户|帐户|卡 ?号|户号|存折|存单|工资卡|社保卡|银行卡|储蓄卡|借记卡|信用卡"  # H199, H205
_ACCOUNT = re.compile(
    r"((?:" + _ACCOUNT_CUES + r")[号码是为:：\s]*(?:(?<=[:：])[\u4e00-\u9fff]{2,3}[，, ]\s*)?(?:[(（]|(?i:no)\.?\s?)?)"
    # after the label a slash between groups too (卡号6222/0212/3456/7890); an amount after the label stays
    r"(\d(?:(?:" + _SEP_NODOT + r"|/)?\d){9,24})(?![0-9]|/\d|\s?" + _UNIT + ")"
)
_CARD = re.compile(r"(?=\d)" + _NB + r"(?:\d{4}(?:(" + _SEP + r")\d{4})(?:\1\d{4}){2}(?:\1?\d{1,3})?|\d{16,19})" + _NA)
# A mobile number may be glued to letters before it (tel13812345678, wx13812345678) and written with
# dots (138.1234.5678); digits may not touch it on either side.
_MOBILE = re.compile(
    r"(?=[+081(（])(?<![0-9\uff10-\uff19])((?:\+|00)?86[ \-]?)?"
    r"(1[3-9]\d(?:(" + _SEP_SLASH + r"?)\d{4})(?:\3\d{4})|1[3-9]\d{2}(" + _SEP_NODOT + r")\d{4}\4\d{3}"
    # its first three digits in brackets, as an area code is written ((139)12345678, （139）1234 5678: hostile H280)
    r"|[(（]1[3-9]\d[)）]" + _SEP + r"?\d{4}" + _SEP + r"?\d{4})"
    # an amount of a mobile's shape (余额13912345678.00元, 13912345678元: hostile H291) stays
    r"(?![0-9\uff10-\uff19]|\.\d|\s?" + _UNIT + ")"
)
# A mobile typed digit by digit with spaces (1 3 9 0 7 3 5 2 8 4 6).
# One space or ideographic space throughout (1　3　9　1…: hostile H301).
_MOBILE_SPACED = re.compile(
    r"(?=1[ \u3000])(?<![0-9][ \u3000])(?<![0-9])1([ \u3000])[3-9](?:\1\d){9}(?![ \u3000]?[0-9])"
)
# A mobile read out in other groups (13817 256 094, 15974 0318 26, 1391234 5678, 139 12345678): 11 digits
# from 1[3-9], the first group up to seven digits, the others two to eight, split by one space, dash or underscore;
# touching no other digit (checked in _repl_mobile_grouped) and no amount's unit after it (15000 200000元).
# Groups of seven and eight: hostile H274; underscores: H277.
_MOBILE_GROUPED = re.compile(
    r"(?<![0-9])1[3-9]\d{0,5}(?:" + _SEP_NODOT + r"\d{2,8}){1,4}(?![0-9]|" + _SEP_NODOT + r"\d| ?" + _UNIT + ")"
)
# A mobile whose groups an input method separated with commas (139，1234，5678: hostile H22's list): 3-4-4 only,
# as thousands come in threes; a list of amounts with its unit stays.
_MOBILE_COMMAS = re.compile(r"(?<![0-9])1[3-9]\d([，,、])\d{4}\1\d{4}(?![0-9]|[，,、]\d| ?" + _UNIT + ")")
# Hong Kong and Macau numbers (852/853 and eight digits), Taiwan mobiles (886 9xx xxx xxx).
_MOBILE_HK_TW = re.compile(
    r"(?<![0-9])(\+?(?:00)?(?:85[23][ \-]?(?=\d{4}[ \-]?\d{4}(?![0-9]))|886[ \-]?(?=9\d{2}[ \-]?\d{3}[ \-]?\d{3}(?![0-9]))))"
    r"([\d \-]{8,11}\d)(?![0-9])"
)
# Area code in brackets or not, then 7-8 digits, possibly in two groups: (025) 6857 9206, 0731 8504 3459,
# 0371-6789 123; an em or en dash may follow the area code (0755—8888 1234, typed by an input method), with
# a space on either side (010 - 6552 3344).
# An extension glued to the number (010-62345678ext8001) ends it as a space would (hostile H281).
_NA_EXT = r"(?:(?=(?:ext|EXT|Ext|x|X)\.?\d)|" + _NA + ")"
_LANDLINE = re.compile(
    r"(?=[0(（])(?<![0-9A-Za-z.\-\uff10-\uff19])([(（]?0[1-9]\d{1,2}[)）]?)( ?[" + _DASHES + r"] ?|\.| ?)"
    r"([1-9]\d{6,7}|[1-9]\d{2,3}[ " + _DASHES + r"]\d{4}|[1-9]\d{3}[ " + _DASHES + r"]\d{3})" + _NA_EXT
)
# A landline with the country code, whose area code then drops its 0 (+86-10-62345678, 0086 21 6234 5678,
# 86-755-23456789: hostile H281); area codes are 10, 2X or three digits from 3; the codes stay.
_LANDLINE_INTL = re.compile(
    r"(?<![0-9A-Za-z])((?:\+|00)86[ \-]?|86[ \-])([(（]?(?:10|2\d|[3-9]\d{2})[)）]?)( ?[" + _DASHES + r"] ?| ?)"
    r"([1-9]\d{6,7}|[1-9]\d{2,3}[ " + _DASHES + r"]\d{4})" + _NA_EXT
)
# A local landline without its area code after a phone label (联系电话：69451803: dev20): seven or eight digits that
# no mobile starts like; the last four stay, as for a landline with its code.
# In two groups too (电话：6234-5678: hostile H296), not before a year's or an amount's unit.
_LANDLINE_LABELLED = re.compile(
    r"((?:电话|座机|固话|联系方式)[是为:：\s]*)([2-9]\d{6,7}|[2-9]\d{2,3}[ \-]\d{4})(?![\d.]|\s?[年月日]|\s?"
    + _UNIT
    + ")"
)
# A card number in groups of other lengths (622622 0123 4567 890: a 6-4-4-3 print), 16-19 digits in all,
# one separator kept throughout; dates and amounts are never grouped by spaces or hyphens.
_CARD_GROUPED = re.compile(r"(?=\d)" + _NB + r"\d{3,6}(" + _SEP_NODOT + r")\d{3,6}(?:\1\d{3,6}){1,3}" + _NA)
# A card read out digit by digit (6 2 2 2 0 2 …, hostile H61), as phones are in _MOBILE_SPACED.
_CARD_SPACED = re.compile(
    r"(?=\d[ \u3000]\d)(?<![0-9][ \u3000])(?<![0-9])\d([ \u3000])\d(?:\1\d){14,17}(?![ \u3000]?[0-9])"
)
# Other identifiers named by a label: QQ, WeChat ID, passport, staff number, address.
# After a label ending in 号 a comma may stand before the value too (QQ号，123456789: hostile H265); after a bare
# QQ or 微信 it may not (通过QQ，10000元被骗: an amount).
_IN_HAO = r"号码?[是为:：\s，,]*"  # a label ending in 号 (号码) and what may stand before its value, a comma too
_BARE = r"码?[是为:：\s]*"  # a bare label (QQ, 护照) and what may stand before its value, no comma
# QQ's other names (Q Q, 企鹅号, QQ邮箱 before its number) and a number read out in groups (QQ 284 756 193:
# hostile H284); an amount after the label stays (通过QQ 10000元被骗).
_QQ_LABELS = "QQ|qq|Qq|Q Q|Q号|扣扣|企鹅号"
_QQ = re.compile(
    r"((?:" + _QQ_LABELS + r")(?:邮箱)?(?:" + _IN_HAO + "|" + _BARE + r"))"
    r"([1-9]\d{4,11}(?!\d)|[1-9]\d{1,4}(?: \d{2,5}){1,3}(?! ?\d))(?! ?" + _UNIT + ")"
)
# A WeChat ID is masked whole, also when it is a mobile number (微信号码：wx13812345678 -> wx1**********, 微信
# 13812345678: hostile H63; a wx/vx before the number stays, as a label): it runs before the phone rules,
# which would leave seven of its characters.
# WeChat's other spellings (VX, V信, 薇信, 威信, wechat: hostile H284)
_WECHAT_LABELS = "微信码?|[薇威Vv]信|[wWvV][xX]|[wW][eE][cC][hH][aA][tT]|[wW]eixin"
_WECHAT = re.compile(
    r"(?=[微薇威VvWw])((?:微信" + _IN_HAO + r"|(?:" + _WECHAT_LABELS + r")[是为:：\s]*)(?:wx|vx)?)"
    r"([A-Za-z][A-Za-z0-9_\-]{5,19}|(?:\+?86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2})(?![A-Za-z0-9_\-])"
)
_PASSPORT = re.compile(r"((?:护照" + _IN_HAO + "|护照" + _BARE + r"))([A-Za-z]{1,2}(?: ?\d){7,8})(?![0-9A-Za-z])")
_STAFF_NO = re.compile(
    r"((?:工号|学号|台胞证|通行证|回乡证|军官证|护照|证件)号?码?[是为:：\s]*)"
    r"([A-Za-z]{0,3}-?\d{4,18}[A-Za-z]?)(?![0-9A-Za-z])"
)
# A licence plate (浙B·3M7Q2, 粤AD12345): a province's one-character name, the city letter, five or six
# letters and digits, one of them a digit (苏A·ABCDE is no plate); the province and the letter stay.
_PLATE = re.compile(
    r"(?<![A-Za-z0-9])([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·•・ \-]?)"
    r"((?=[A-Z]*\d)[A-Z0-9]{5,6})(?![A-Za-z0-9])"
)
# after 车牌 the letters may be lower case (车牌：浙b3m7q2: hostile H286), a space may follow the province (H295)
_PLATE_CUED = re.compile(
    r"(车牌号?码?[是为:：\s]*[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼] ?[A-Za-z][·•・ \-]?)"
    r"((?=[A-Za-z]*\d)[A-Za-z0-9]{5,6})(?![A-Za-z0-9])"
)
# The address ends where the bracket it stands in closes (投诉人池先生（住址：…27弄5号）反映…: dev22); a bracket of its
# own inside it is part of it (…88号（北门）3栋).
_ADDRESS = re.compile(
    r"((?:地址|住址|家住|住在|户籍地|居住地)[是为在:：\s]*)"
    r"((?:[^，。；;,!！?？（()）\s]|[（(][^，。；;,!！?？（()）\s]{0,20}[）)]){6,60})"
)
# After 住 alone (我住朝阳区建国路88号) only a place with a district and a house number is an address: 住
# starts too many words (住院, 住房贷款3年, 记住).
_ADDRESS_LIVE = re.compile(
    r"((?<![记抓挡忍顶稳站保居盯拦套捂扣压困入])住(?![在址院房宿宅户])[:：\s]*)"
    r"([^，。；;,!！?？\s\d]{1,8}?[省市区县镇乡][^，。；;,!！?？\s]{2,50})"
)
_HOUSE = re.compile(r"\d+(?:号|弄|栋|幢|室|楼|单元)|[村组]")
_ADDRESS_KEEP = re.compile(r"(?:[^省]{0,8}?(?:省|自治区))?(?:[^市]{0,8}?市)?(?:[^区县]{0,8}?[区县])?")
# Full-width digits, Latin letters and signs (GBK exports have them: １３８１２３４５６７８) become ASCII first, so
# the number rules see them; only these characters change. The letters too (hostile H278): an ID's final Ｘ, an
# e-mail (ｚｈａｎｇ＠ｑｑ．ｃｏｍ), a plate (浙Ｂ３Ｍ７Ｑ２) or a label (ＱＱ) stayed whole in full-width.
_FULLWIDTH_TABLE = {
    **{0xFF10 + i: chr(0x30 + i) for i in range(10)},
    **{0xFF21 + i: chr(0x41 + i) for i in range(26)},
    **{0xFF41 + i: chr(0x61 + i) for i in range(26)},
    0xFF0B: "+",
    0xFF0D: "-",
    0xFF20: "@",
}
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0b\uff0d\uff20]+")
# Inside a number, a space of another width (no-break U+00A0, thin, figure, narrow: web pages and Excel write
# them) reads as a space, and an invisible format character (zero-width space, joiners, BOM, soft hyphen) between
# two digits as nothing, so that no rule is blind to 139\u00a01234\u00a05678 or 139\u200b12345678 (hostile H299). Free text
# keeps its characters through the import; only these, only beside digits, change.
_ODD_SPACE = re.compile(r"(?<=[\d" + _DASHES + r"])[\u00a0\u2000-\u200a\u202f\u205f]+(?=[\d" + _DASHES + "])")
_INVISIBLE = re.compile(r"(?<=\d)[\u200b-\u200d\u2060\ufeff\u00ad]+(?=\d)")
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


def luhn_ok(digits: str) -> bool:
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
    return luhn_ok(digits) and not _DATE_PREFIX.match(digits)


def _repl_email(m: re.Match) -> str:
    return f"{m.group(1)}***@{m.group(2)}"


def _repl_id(m: re.Match) -> str:
    text = m.group(0)
    # 18 digits: keep the 6-digit area code and the last 4; 15 digits: area code and the last 3.
    return _mask_digits(text, 6, 4 if sum(c.isdigit() or c in "Xx" for c in text) == 18 else 3)


def id_check_ok(number: str) -> bool:
    """Is the last character of an 18-character ID its check digit (GB 11643, ISO 7064 MOD 11-2)?"""
    return "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], _ID18_WEIGHTS)) % 11] == number[17].upper()


def _repl_id_checked(m: re.Match) -> str:
    return _repl_id(m) if id_check_ok(m.group(0)) else m.group(0)


def _repl_id_grouped(m: re.Match) -> str:
    text = m.group(0)
    digits = "".join(c for c in text if c.isdigit() or c in "Xx")
    if not _DATE8_ONLY.fullmatch(digits[6:14]):
        return text  # not an ID's shape (a card or account number is checked by its own rule)
    return _mask_digits(text, 6, 4)


def _han_numerals_masked(m: re.Match, head: int, tail: int) -> str:
    """A number after its cue (group 1) in Chinese numerals (group 2): all but its first `head` and last `tail`
    characters masked, the separators between its groups kept. Arabic digits only: the digit rules' (unchanged)."""
    number = m.group(2)
    if not any(c in _HAN_DIGITS for c in number):
        return m.group(0)
    positions = [i for i, c in enumerate(number) if c not in " -，,、"]
    hidden = set(positions[head:-tail])
    return m.group(1) + "".join("*" if i in hidden else c for i, c in enumerate(number))


def _repl_mobile_han(m: re.Match) -> str:
    return _han_numerals_masked(m, 3, 4)


def _repl_mobile_han_spoken(m: re.Match) -> str:
    digits = sum(c in _HAN_DIGITS or c.isdigit() for c in m.group(2))
    return _repl_mobile_han(m) if digits == 11 else m.group(0)  # eleven numerals, no more and no fewer


def _repl_id_han(m: re.Match) -> str:
    return _han_numerals_masked(m, 6, 4)


def _repl_id_labelled(m: re.Match) -> str:
    number = m.group(2)
    return m.group(1) + _mask_digits(number, 6, 4 if sum(c.isdigit() or c in "Xx" for c in number) >= 17 else 3)


def _repl_lookalike(m: re.Match) -> str:
    value = m.group(2)
    read = value.translate(_LOOKALIKE_DIGITS)
    if len(read) == 11 and _MOBILE_SHAPE.fullmatch(read):
        head, tail = 3, 4
    elif len(read) == 18 and read[0] != "0" and _DATE8_ONLY.fullmatch(read[6:14]) and read[:17].isdigit():
        head, tail = 6, 4
    else:
        return m.group(0)
    return m.group(1) + value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def _repl_line_broken(m: re.Match) -> str:
    text = m.group(0)
    digits = "".join(c for c in text if c.isdigit() or c in "Xx")
    n = len(digits)
    if n == 11 and _MOBILE_SHAPE.fullmatch(digits):
        return _mask_digits(text, 3, 4)
    if n == 18 and digits[0] != "0" and digits[:17].isdigit() and _DATE8_ONLY.fullmatch(digits[6:14]):
        return _mask_digits(text, 6, 4)
    if n == 15 and digits[0] != "0" and digits.isdigit() and re.fullmatch(_DATE6, digits[6:12]):
        return _mask_digits(text, 6, 3)
    if 16 <= n <= 19 and digits.isdigit() and _is_card(digits):
        return _mask_digits(text, 4, 4)
    return text


def _repl_account(m: re.Match) -> str:
    number = m.group(2)
    return m.group(1) + _mask_digits(number, 4 if sum(c.isdigit() for c in number) >= 14 else 0, 4)


def _repl_card_han(m: re.Match) -> str:
    return _han_numerals_masked(m, 4, 4)


def _repl_card(m: re.Match) -> str:
    text = m.group(0)
    digits = "".join(c for c in text if c.isdigit())
    if not _is_card(digits):
        return text
    return _mask_digits(text, 4, 4)


def _repl_card_grouped(m: re.Match) -> str:
    digits = "".join(c for c in m.group(0) if c.isdigit())
    return _repl_card(m) if 16 <= len(digits) <= 19 else m.group(0)


def _repl_mobile(m: re.Match) -> str:
    return (m.group(1) or "") + _mask_digits(m.group(2), 3, 4)


def _repl_mobile_grouped(m: re.Match) -> str:
    digits = sum(c.isdigit() for c in m.group(0))
    return _mask_digits(m.group(0), 3, 4) if digits == 11 else m.group(0)


def _repl_email_disguised(m: re.Match) -> str:
    return f"{m.group(1)}***{m.group(2)}{m.group(3)}"


def _repl_hk_tw(m: re.Match) -> str:
    return m.group(1) + _mask_digits(m.group(2), 0, 4)


def _repl_landline(m: re.Match, first: int = 1) -> str:
    return m.group(first) + m.group(first + 1) + _mask_digits(m.group(first + 2), 0, 4)


def _repl_labelled(m: re.Match) -> str:
    """A labelled identifier (QQ 284756193, 微信 jasonliu_0625): keep its first character (and the spaces
    of a number read out in groups: 微信 138 1234 5678 -> 微信 1** **** ****)."""
    value = m.group(2)
    return m.group(1) + value[0] + "".join(c if c == " " else "*" for c in value[1:])


def _repl_plate(m: re.Match) -> str:
    return m.group(1) + "*" * len(m.group(2))


def _repl_address(m: re.Match) -> str:
    """An address: keep the city or district (河南省周口市川汇区), hide the street and the numbers."""
    value = m.group(2)
    if not re.search(r"\d|巷|号|村|组|室|栋|楼|弄|单元", value):
        return m.group(0)  # 住在外地, 家住附近, 地址就写的贺兰山路: no house address
    keep = _ADDRESS_KEEP.match(value)
    head = keep.end() if keep.end() < len(value) else 0
    return m.group(1) + value[:head] + "".join("*" if ch.isalnum() else ch for ch in value[head:])


# ---------------------------------------------------------------------------------------------------
# Names (found by dashboard/text/names.py; surname + 某 stays a regex here)
# ---------------------------------------------------------------------------------------------------
_MOU_NOT_AFTER = names.MOU_NOT_AFTER + "某"
# the rarer surnames start ordinary words too often (上海某某公司): not before 某
_SUR = "(?:" + "|".join(names.SURNAMES_2) + "|[" + "".join(sorted(names.SURNAMES_1 - names.SURNAMES_RARE)) + "])"
# surname + 某 anywhere: 王某 -> *某, 客户王某某 -> 客户*某某
# a rare character (Extension A/B…, 䶮某某) before 某 is a surname: no ordinary word starts with one
# nor before an institution's kind (百色田阳某农商银行, 某村镇银行, 某保险公司: 某 is the firm's name withheld; brief N17)
_MOU_NOT_BEFORE = "农商|农村|农信|农合|村镇|信用社|信用联社|保险|证券|基金|信托|小贷|消费金融|融资"
_MOU = re.compile(
    "(" + _SUR + "|[" + names.HAN_RARE + "])(某{1,2})(?![" + _MOU_NOT_AFTER + "])(?!" + _MOU_NOT_BEFORE + ")"
)


def _repl_mou(m: re.Match) -> str:
    if _place_ends_at_surname(m):
        return m.group(0)
    return "*" * len(m.group(1)) + m.group(2)


def _place_ends_at_surname(m: re.Match) -> bool:
    """Is the surname before 某 the last character of a place the tagger knows (江苏某某公司, 浙江某某律所,
    黑龙江某某)? Then 某某 stands for a firm's name in that place, not for a person's given name (dev11)."""
    start = m.start(1)
    if len(m.group(1)) != 1 or start == 0:
        return False
    text = m.string
    for size in (2, 3):
        if start + 1 - size >= 0:
            word = text[start + 1 - size : start + 1]
            if names._tag(word) == ((word, "ns"),) and names._get_tagger().has_word(word):
                return True  # a dictionary place only: the tagger guesses ns for made-up pairs too (户江)
    return False


# Order matters: e-mail before digit rules; IDs before cards (an ID is 18 digits too); cards before
# phones and landlines. Each rule has a gate: a cheap pattern that any match of the rule contains;
# texts without it skip the rule (a no-op for them anyway).
# Three digits in a row: in every ID, card, mobile (1[3-9]\d) and landline (0[1-9]\d) match. 63 % of
# the demo narratives have none (amounts are the commonest digits); it is looked for once per text.
_DIGITS3 = re.compile(r"\d\d\d")
_GAPPED = re.compile(r"\d" + _SEP + r"\d")  # two digits with a separator between: in every grouped number
_RULES: tuple[tuple[re.Pattern, re.Pattern, Callable[[re.Match], str]], ...] = (
    (_FULLWIDTH, _FULLWIDTH, lambda m: m.group(0).translate(_FULLWIDTH_TABLE)),
    (re.compile("[\u00a0\u2000-\u200a\u202f\u205f]"), _ODD_SPACE, lambda m: " " * len(m.group(0))),
    (re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]"), _INVISIBLE, lambda m: ""),
    (re.compile("@"), _EMAIL, _repl_email),
    (re.compile("[#＃艾]|at|AT"), _EMAIL_DISGUISED, _repl_email_disguised),
    (re.compile("@"), _EMAIL_PROVIDER, _repl_email),
    (re.compile("@"), _EMAIL_HAN, _repl_email),
    (re.compile("\n"), _LINE_BROKEN, _repl_line_broken),
    (_DIGITS3, _ID18, _repl_id),
    (re.compile(r"[A-Za-z]\d{18}|[A-Za-z]\d{17}[Xx]"), _ID18_AFTER_LETTERS, _repl_id_checked),
    (re.compile("身份证|证件"), _ID_LABELLED, _repl_id_labelled),
    (re.compile("身份证|证件"), _ID_HK_TW, _repl_labelled),
    (_DIGITS3, _ID15, _repl_id),
    (_GAPPED, _ID18_GROUPED, _repl_id_grouped),
    (_DIGITS3, _CARD, _repl_card),
    (_GAPPED, _CARD_GROUPED, _repl_card_grouped),
    (re.compile(r"\d[ \u3000]\d[ \u3000]\d[ \u3000]\d[ \u3000]\d"), _CARD_SPACED, _repl_card_grouped),
    (re.compile("电话|手机|号码|联系方式|致电|打"), _MOBILE_HAN, _repl_mobile_han),
    (re.compile("[一幺壹][三四五六七八九叁肆伍陆柒捌玖]"), _MOBILE_HAN_SPOKEN, _repl_mobile_han_spoken),
    (re.compile("卡|账号|帐号"), _CARD_HAN, _repl_card_han),
    (re.compile("身份证|证件"), _ID_HAN, _repl_id_han),
    (re.compile("[OoIl]"), _LOOKALIKE, _repl_lookalike),
    (re.compile(_ACCOUNT_CUES), _ACCOUNT, _repl_account),
    (re.compile("8(?:5[23]|86)"), _MOBILE_HK_TW, _repl_hk_tw),
    (re.compile(_WECHAT_LABELS), _WECHAT, _repl_labelled),
    (re.compile("1[ \u3000][3-9][ \u3000]"), _MOBILE_SPACED, lambda m: _mask_digits(m.group(0), 3, 4)),
    (_DIGITS3, _MOBILE, _repl_mobile),
    (re.compile(r"1[3-9]\d{0,5}" + _SEP_NODOT + r"\d"), _MOBILE_GROUPED, _repl_mobile_grouped),
    (re.compile(r"\d[，,、]\d{4}[，,、]"), _MOBILE_COMMAS, _repl_mobile_grouped),
    (_DIGITS3, _LANDLINE, _repl_landline),
    (re.compile("86"), _LANDLINE_INTL, lambda m: m.group(1) + _repl_landline(m, 2)),
    (re.compile("电话|座机|固话|联系方式"), _LANDLINE_LABELLED, lambda m: m.group(1) + _mask_digits(m.group(2), 0, 4)),
    (re.compile(_QQ_LABELS), _QQ, _repl_labelled),
    (re.compile("护照"), _PASSPORT, _repl_labelled),
    (re.compile("工号|学号|台胞证|通行证|回乡证|军官证|护照|证件"), _STAFF_NO, _repl_labelled),
    (re.compile("[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z]"), _PLATE, _repl_plate),
    (re.compile("车牌"), _PLATE_CUED, _repl_plate),
    (re.compile("地址|住址|家住|住在|户籍地|居住地"), _ADDRESS, _repl_address),
    (re.compile("住"), _ADDRESS_LIVE, lambda m: _repl_address(m) if _HOUSE.search(m.group(2)) else m.group(0)),
    (re.compile("某"), _MOU, _repl_mou),
)


def _mask_names(text: str) -> str:
    # and the names the views of the text find (split by separators, traditional, proxies: name_views.py)
    spans = names.name_spans(text, learned=learned.persons(text)) + name_views.extra_spans(text)
    spans += name_slots.extra_spans(text, spans)  # names in slots the rules above miss (brief N18)
    spans = name_views.trim(text, spans)  # a verb glued to a name's end stays readable (叫王芳来: H249)
    spans = name_slots.trim(text, spans)
    if not spans:
        return text
    chars = list(text)
    for start, end, keep in spans:
        for i in range(start + keep, end):
            # letters of a name; a Latin name's dot or space stays, and 某, which stands for the name
            # withheld, stays too (於某某 -> *某某, as the rule for 某 writes it: dev13)
            if chars[i].isalpha() and chars[i] != "某":
                chars[i] = "*"
    return "".join(chars)


def mask(text: str | None) -> str | None:
    """Mask personal data in one narrative. Non-strings (None, NaN, pd.NA) are returned unchanged."""
    if not isinstance(text, str):
        return text
    return _mask_cached(text) if len(text) <= _CACHE_MAX_CHARS else _mask_uncached(text)


def _mask_numbers(text: str) -> str:
    """Phones, IDs, cards, e-mails and the other identifiers the regexes find (names come after)."""
    digits = None  # three digits in a row, looked for once: no rule after the full-width one adds digits
    for gate, pattern, repl in _RULES:
        if gate is _DIGITS3:
            if digits is None:
                digits = _DIGITS3.search(text) is not None
            if not digits:
                continue
        elif not gate.search(text):
            continue
        text = pattern.sub(repl, text)
    return text


def fold_fullwidth(text: str) -> str:
    """The text with the full-width digits and signs the number rules fold first (１ -> 1, ＋ -> +): what
    the masking returns for a text it finds nothing in. A caller asking "did the mask hide anything?"
    compares with this, not with the text as written (hostile H260). Spaces of other widths and invisible
    characters beside digits are read as the number rules read them (H299)."""
    return _INVISIBLE.sub("", _ODD_SPACE.sub(lambda m: " " * len(m.group(0)), text.translate(_FULLWIDTH_TABLE)))


# The search reads every full-width ASCII form (U+FF01-FF5E: ＡＴＭ, １２月, ＠) as its ASCII character on both
# sides, as the query's NFKC does; queries/macro_search_fold.sql, the SQL's one fold (stored at import as
# complaints.search_text), translates the same 94 characters (tests/test_search_query.py checks its literals)
SEARCH_FOLD_FROM = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
SEARCH_FOLD_TO = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F))
_SEARCH_FOLD = str.maketrans(SEARCH_FOLD_FROM, SEARCH_FOLD_TO)


def fold_search(text: str) -> str:
    """The text as the search matches it: each full-width ASCII form read as its ASCII character (one for one,
    so every character keeps its place for highlighting)."""
    return text.translate(_SEARCH_FOLD)


def mask_customer_id(value):
    """A 客户号 as shown and exported (hostile H99): a source system that keys customers by their ID or mobile
    number puts personal data in the key. The number rules apply (an 18-digit ID, an 11-digit mobile, a
    card); an ordinary key (C4306341289: a letter glued to the digits) stays, and names are not looked for.
    The raw value stays the drill-down key; only its display goes through here."""
    return _mask_numbers(value) if isinstance(value, str) else value


def mask_customer_ids(s: pd.Series) -> pd.Series:
    """A column of 客户号, element-wise :func:`mask_customer_id`."""
    return s.map(mask_customer_id, na_action="ignore")


# An export that wrote its tabs and line breaks escaped, as a backslash and t, n or r (客户姓名\t白玛卓嘎\t身份证\t5426…):
# the rules read each as the break it stands for, where the text holds no real one of that kind, and the masked
# text writes them back as they came (dev21's work orders).
_ESCAPED_BREAKS = (("\\t", "\t"), ("\\n", "\n"), ("\\r", "\r"))


def _mask_uncached(text: str) -> str:
    if "\\" not in text:
        return _mask_names(_mask_numbers(text))
    escaped = [(written, real) for written, real in _ESCAPED_BREAKS if written in text and real not in text]
    for written, real in escaped:
        text = text.replace(written, real)
    text = _mask_names(_mask_numbers(text))
    for written, real in escaped:
        text = text.replace(real, written)
    return text


def prefetch(texts) -> None:
    """Let the learned tagger read many narratives in one go (dashboard/text/learned.py batches them:
    about a third of the time of one at a time); :func:`mask` then finds them read. Element-wise
    results do not change."""
    learned.prefetch(_mask_numbers(t) for t in texts if isinstance(t, str) and len(t) <= _CACHE_MAX_CHARS)


# Lists and exports mask the same narratives again and again (every rerun of a page): remember them.
_CACHE_MAX_CHARS = 4000
_mask_cached = functools.lru_cache(maxsize=50_000)(_mask_uncached)


def mask_series(s: pd.Series) -> pd.Series:
    """Mask a whole column; element-wise equal to :func:`mask`, keeps index, name and missing values.
    Each distinct narrative is masked once."""
    if len(s) == 0:
        return s.copy()
    is_str = s.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool)
    if not is_str.any():
        return s.copy()
    values = s[is_str].astype(object)
    distinct = pd.unique(values.to_numpy())
    prefetch(distinct)
    masked = {v: mask(v) for v in distinct}
    result = s.copy()
    if result.dtype != object and not pd.api.types.is_string_dtype(result.dtype):
        result = result.astype(object)
    result[is_str] = values.map(masked)
    return result
