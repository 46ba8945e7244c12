"""Masking of personal data in narratives: a table of realistic cases with hand-written expectations."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.text.masking import mask, mask_series

CASES = [
    # --- mobile numbers ---
    ("客户张三来电反映其手机号13812345678收到催收短信", "客户张*来电反映其手机号138****5678收到催收短信"),
    ("客户称联系电话138-1234-5678，备用+86 139 8765 4321", "客户称联系电话138-****-5678，备用+86 139 **** 4321"),
    ("回拨号码+8615912345678未接通", "回拨号码+86159****5678未接通"),
    ("8613812345678是客户手机", "86138****5678是客户手机"),
    ("全角号码１３８１２３４５６７８，金额５０００元", "全角号码138****5678，金额5000元"),
    ("客户：李娜，联系电话：13912345678", "客户：李*，联系电话：139****5678"),
    # --- landlines ---
    (
        "联系邮箱zhangsan@example.com，座机010-62345678或0755-1234567",
        "联系邮箱z***@example.com，座机010-****5678或0755-***4567",
    ),
    ("单位电话(010)12345678，分机无", "单位电话(010)****5678，分机无"),
    # --- ID cards ---
    ("身份证号11010119900307123X，旧证号110101900307123", "身份证号110101********123X，旧证号110101******123"),
    ("本人身份证110101199003071234已挂失", "本人身份证110101********1234已挂失"),
    # --- bank cards ---
    ("客户王小明反映其信用卡6222021234567890123被盗刷5,000元", "客户王**反映其信用卡6222***********0123被盗刷5,000元"),
    ("客户卡号6222 0212 3456 7890于2026-10-05被扣年费300元", "客户卡号6222 **** **** 7890于2026-10-05被扣年费300元"),
    ("Visa卡4111-1111-1111-1111境外交易被拒", "Visa卡4111-****-****-1111境外交易被拒"),
    ("旧借记卡1030123456789017无法使用", "旧借记卡1030********9017无法使用"),  # Luhn-valid, no issuer digit
    # --- e-mail ---
    ("请将对账单发送至Li.Ming_88@bank-mail.com.cn", "请将对账单发送至L***@bank-mail.com.cn"),
    # --- names with titles ---
    ("张先生称其在网点排队2小时，柜员态度差", "*先生称其在网点排队2小时，柜员态度差"),
    ("李女士反映理财经理销售误导，购买基金亏损3万元", "*女士反映理财经理销售误导，购买基金亏损3万元"),
    ("客户陈建国先生反映信用卡年费未减免", "客户陈**先生反映信用卡年费未减免"),
    ("王阿姨和李大爷一起来网点办理挂失", "*阿姨和*大爷一起来网点办理挂失"),
    ("客户张先生称已提前还款", "客户*先生称已提前还款"),
    ("欧阳女士要求退还违约金", "**女士要求退还违约金"),
    ("客户对王经理的服务不满", "客户对*经理的服务不满"),
    # --- names after roles ---
    ("持卡人李四于2026年10月5日14:30在ATM取款12000.00元", "持卡人李*于2026年10月5日14:30在ATM取款12000.00元"),
    ("客户经理张伟表示已为客户办理退款", "客户经理张*表示已为客户办理退款"),
    ("客户王某某称分行0101网点拒绝办理挂失", "客户*某某称分行0101网点拒绝办理挂失"),
    ("借款人刘德华逾期3期，催收员王芳多次致电其母亲", "借款人刘**逾期3期，催收员王*多次致电其母亲"),
    ("客户母亲王秀英代为投诉", "客户母亲王**代为投诉"),
    ("客户曾小红称其曾多次投诉", "客户曾**称其曾多次投诉"),
    ("王某反映于某日收到陌生电话", "*某反映于某日收到陌生电话"),
    ("户名：赵丽颖，账户被冻结", "户名：赵**，账户被冻结"),
    # --- near misses: nothing to mask ---
    (
        "投诉工单TS2026100500123，投诉编号C202610050001，金额3.5万元",
        "投诉工单TS2026100500123，投诉编号C202610050001，金额3.5万元",
    ),
    (
        "订单号2026100500012345，交易流水号202610051234",  # dated 16-digit order no. and 12-digit serial
        "订单号2026100500012345，交易流水号202610051234",
    ),
    ("商户订单1234567890123456扣款失败", "商户订单1234567890123456扣款失败"),  # fails Luhn, no issuer digit
    ("客户称11位编号20261005123不是手机号", "客户称11位编号20261005123不是手机号"),
    ("服务热线95588，400-820-8888，机构0101", "服务热线95588，400-820-8888，机构0101"),
    ("客户于今日来电，要求我行退还违约金12000.00元", "客户于今日来电，要求我行退还违约金12000.00元"),
    ("客户向我行反映原先生活困难，要求减免利息", "客户向我行反映原先生活困难，要求减免利息"),
    (
        "客户本人表示从未办理分期，年化利率为5.5%，20261005前还款",
        "客户本人表示从未办理分期，年化利率为5.5%，20261005前还款",
    ),
    ("客户要求客户经理回电，客户经理称会处理", "客户要求客户经理回电，客户经理称会处理"),
    ("客户于网点办理业务时与大堂经理发生争执", "客户于网点办理业务时与大堂经理发生争执"),
    ("客户向大堂经理投诉，客户黄金账户余额不足", "客户向大堂经理投诉，客户黄金账户余额不足"),
    ("客户金额有误，客户高度不满，客户方面称其已还款", "客户金额有误，客户高度不满，客户方面称其已还款"),
    ("客户于某网点办理，2026年10月5日09:30到账", "客户于某网点办理，2026年10月5日09:30到账"),
    # --- a WeChat ID that is a mobile number is masked whole (hostile H63), a wx before it stays ---
    ("微信号码：wx13912345678，加了就骂人", "微信号码：wx1**********，加了就骂人"),
    ("他的微信号：15067894321", "他的微信号：1**********"),
    ("加我微信 150 6789 4321 联系", "加我微信 1** **** **** 联系"),
    ("用微信支付13912345678的订单", "用微信支付139****5678的订单"),  # a phone after 微信支付 is a phone
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[f"case{i:02d}" for i in range(len(CASES))])
def test_mask(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[f"case{i:02d}" for i in range(len(CASES))])
def test_mask_is_idempotent(text: str, expected: str) -> None:
    assert mask(mask(text)) == mask(text)


def test_missing_values_unchanged() -> None:
    assert mask(None) is None
    nan = float("nan")
    assert math.isnan(mask(nan))
    assert mask(pd.NA) is pd.NA


@pytest.mark.parametrize("dtype", [object, "str"])
def test_mask_series_matches_mask(dtype) -> None:
    texts = [t for t, _ in CASES]
    s = pd.Series(texts + [None], index=range(100, 100 + len(texts) + 1), name="content", dtype=dtype)
    out = mask_series(s)
    assert out.name == "content"
    assert list(out.index) == list(s.index)
    assert out.iloc[:-1].tolist() == [mask(t) for t in texts]
    assert pd.isna(out.iloc[-1])


def test_mask_series_empty_and_all_missing() -> None:
    assert mask_series(pd.Series([], dtype=object)).empty
    out = mask_series(pd.Series([None, None], dtype=object))
    assert out.isna().all()


# A place that ends in a surname's character, then 某某: the name of a firm there, not a person (dev11, brief N10);
# a surname before 某 elsewhere is still masked.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("催收自称是吉林某某律师事务所的", "催收自称是吉林某某律师事务所的"),
        ("说是沈阳某某商贸公司的人", "说是沈阳某某商贸公司的人"),
        ("委托的是黑龙江某某信息公司", "委托的是黑龙江某某信息公司"),
        ("客户林某某来电称，和苏某一起去的", "客户*某某来电称，和*某一起去的"),
    ],
)
def test_a_place_before_mou_is_a_firm_not_a_person(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [  # hostile H36: an ID copied off a card photo or read out in groups stayed readable at every exit
        ("身份证 110101-1990-0307-1234", "身份证 110101-****-****-1234"),
        ("身份证号为 110101 1990 0307 1234", "身份证号为 110101 **** **** 1234"),
        ("身份证1101-0119-9003-0712-34", "身份证1101-01**-****-**12-34"),
        ("身份证：1101 0119 9003 0712 3X", "身份证：1101 01** **** **12 3X"),
        ("身份证 110101.19900307.1234", "身份证 110101.********.1234"),
        # the same grouping without an ID's birth date is not an ID (an order number): left alone
        ("订单号 2025 1001 2345 6789 01", "订单号 2025 1001 2345 6789 01"),
        # a mobile in Chinese numerals after a cue
        ("电话一三九一二三四五六七八", "电话一三九****五六七八"),
        ("我的手机139一2345678", "我的手机139****5678"),
        ("联系方式：幺三八 一二三四 五六七八", "联系方式：幺三八 **** 五六七八"),
        ("一二三四五六七八九十个人都说", "一二三四五六七八九十个人都说"),  # no cue: a count, not a number
        # hostile H61: a card read out digit by digit, like the phone in the same shape
        ("卡号是 6 2 2 2 0 2 1 2 3 4 5 6 7 8 9 0 1 2 3", "卡号是 6 2 2 2 * * * * * * * * * * * 0 1 2 3"),
        ("手机号码是1 3 8 1 2 3 4 5 6 7 8。", "手机号码是1 3 8 * * * * 5 6 7 8。"),
        ("评分 1 2 3 4 5 分", "评分 1 2 3 4 5 分"),  # a short run of digits is no card
        # hostile H63: an e-mail whose dots are full-width
        ("邮箱 zhangsan@163。com", "邮箱 z***@163。com"),
        ("邮箱 lisi@mail．qq．com", "邮箱 l***@mail．qq．com"),
    ],
)
def test_grouped_ids_and_phones_in_chinese_numerals_are_masked(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [  # round six (issue 15): identifier shapes missed on unseen text; sentences written for this file
        # a landline with an em or en dash after the area code, and a local number in 4 + 3 digits
        ("打了0755—8888 1234没人接", "打了0755—**** 1234没人接"),
        ("座机021–6123 4567一直占线", "座机021–**** 4567一直占线"),
        ("网点电话0371-6789 123", "网点电话0371-***9 123"),
        ("客服热线400—820—8888", "客服热线400—820—8888"),  # a service number: no area code
        # a space on either side of the dash after the area code (typed as it is said)
        ("座机：010 - 6552 3344", "座机：010 - **** 3344"),
        ("请回电0571 — 88886666", "请回电0571 — ****6666"),
        ("2026 - 01 - 05 办理", "2026 - 01 - 05 办理"),  # a date spaced the same way stays
        ("2026—10—05到期", "2026—10—05到期"),  # a date with dashes stays
        # a card number in Chinese numerals after a cue (the mobile's rule, for cards)
        ("卡号六二二二零二一二三四五六七八九零一二三被盗刷", "卡号六二二二***********零一二三被盗刷"),
        ("银行卡号是六二二八 四八零零 一二三四 五六七八", "银行卡号是六二二八 **** **** 五六七八"),
        ("卡里只剩一二三块钱", "卡里只剩一二三块钱"),
        # an address after 住 / 住在 / 家住 with a street and number: the district stays
        ("我住朝阳区建国路88号3单元", "我住朝阳区*********"),
        ("我母亲住在浦东新区世纪大道100弄", "我母亲住在浦东新区********"),
        ("住院期间被扣了利息", "住院期间被扣了利息"),
        ("我住的地方离网点很远，住了十年", "我住的地方离网点很远，住了十年"),
        # the last four digits of a card after 尾号 stay: banks print them (the labelled sets disagree)
        ("尾号8866的信用卡被盗刷", "尾号8866的信用卡被盗刷"),
    ],
)
def test_round_six_identifiers(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text, masked",
    [
        # hostile H199: account numbers that follow no card BIN, masked because the text calls them accounts
        ("存折账号0200001234567890123有问题", "存折账号0200***********0123有问题"),
        ("账号 0200 0012 3456 7890 123 有问题", "账号 0200 **** **** ***0 123 有问题"),
        ("客户的银行卡号是0200001234567890123", "客户的银行卡号是0200***********0123"),
        ("账号621700123456789有问题", "账号6217*******6789有问题"),
        ("账号 1031 0012 3456 7890 有问题", "账号 1031 **** **** 7890 有问题"),
        ("对公账户：1234567890", "对公账户：******7890"),
        # hostile H205: a passbook, a deposit slip, a salary or social-security card
        ("存折号0200001234567890123", "存折号0200***********0123"),
        ("我的工资卡 0200 0012 3456 7890 123", "我的工资卡 0200 **** **** ***0 123"),
        ("社保卡1031001234567890", "社保卡1031********7890"),
        ("工资卡12000元到账", "工资卡12000元到账"),
        # not accounts: an amount after 账户余额, a card tail, a contract number, a short code
        ("账户余额12000元", "账户余额12000元"),
        ("卡号尾号1234", "卡号尾号1234"),
        ("贷款合同编号202609298825", "贷款合同编号202609298825"),
        ("账号0101开户", "账号0101开户"),
    ],
)
def test_an_account_number_the_text_calls_one_is_masked(text, masked):
    assert mask(text) == masked


@pytest.mark.parametrize(
    "text, kept",
    [
        ("客户经理推荐我买了“交银施罗德”的一只基金，说是银行自己的产品。", "交银施罗德"),
        ("华夏银行一直打电话推销易达金，我说了不需要。", "易达金"),
        ("柜台卖给我母亲的是易方达的混合基金，亏了两成。", "易方达"),
        ("理财经理说万家基金的产品保本，其实不保本。", "万家基金"),
    ],
)
def test_fund_companies_and_card_products_are_not_people(text, kept):
    """Fund companies whose funds banks sell at the counter, and card cash products, often start with a
    surname's character (交银施罗德 read as 施罗德, 华夏易达金 as 易达金): they are institutions, never masked."""
    assert kept in mask(text)


@pytest.mark.parametrize(
    "text, masked",
    [
        ("联系我13307 312 649。", "联系我133** **2 649。"),
        ("客户联系电话15974 0318 26，已受理。", "客户联系电话159** **18 26，已受理。"),
        ("回访电话13817-256-094", "回访电话138**-**6-094"),
        # hostile H274: groups of seven or eight digits were shown in full
        ("手机1391234 5678", "手机139**** 5678"),
        ("手机139 12345678", "手机139 ****5678"),
        ("手机13912 345678，", "手机139** **5678，"),
        ("联系方式：1391234-5678", "联系方式：139****-5678"),
        # hostile H277: underscores between the groups, as a form field written without spaces
        ("手机139_1234_5678", "手机139_****_5678"),
        ("联系139_12345678谢谢", "联系139_****5678谢谢"),
    ],
)
def test_a_mobile_read_out_in_other_groups_is_masked(text, masked):
    """Unseen set dev13: 11-digit mobiles grouped 5-3-3 or 5-4-2 were shown in full (and 7-4, 3-8: H274)."""
    assert mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "共计13 500 000元",
        "金额 1350 0000 00 元",
        "余额 15 000 元",
        "2025 10 13 15 00",
        "共计15000 200000元",
        "13 500 000 000 元",
        "文件名scan_2026_1205_001.pdf",  # underscores in a file name's date (H277's counter-case)
    ],
)
def test_spaced_amounts_are_not_mobiles(text):
    assert mask(text) == text


@pytest.mark.parametrize(
    "text, kept, hidden",
    [
        ("投诉人於某某反映业务员承诺三年后全额退保。", "某某反映", "於"),
        ("经查，系我行客户经理祖某操作失误，已对相关人员严肃处理。", "严肃处理", "祖"),
        ("客户经理承诺办卡送戴森吹风机，至今没有收到。", "戴森", None),
    ],
)
def test_mou_stays_and_words_after_a_title_are_words(text, kept, hidden):
    """dev13: a name found before 某 masked the 某 too (於某某 -> ***, where the rule for 某 writes *某某); 严肃
    after 相关人员 was read as a surname and a given name; 戴森 (a brand) as a person."""
    masked = mask(text)
    assert kept in masked
    if hidden:
        assert hidden not in masked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an export that escaped its tabs and line breaks (dev21's work orders): read as the breaks they stand for
        (r"客户姓名\t白玛卓嘎\t身份证\t542621199108134427", r"客户姓名\t白***\t身份证\t542621********4427"),
        (r"投诉人：李春花\n联系电话：13912345678", r"投诉人：李**\n联系电话：139****5678"),
        (r"经办人\t马丽\t电话\t13812345361", r"经办人\t马*\t电话\t138****5361"),
        # the same text with real tabs masks the same way
        ("客户姓名\t白玛卓嘎\t身份证\t542621199108134427", "客户姓名\t白***\t身份证\t542621********4427"),
        # a backslash that escapes nothing, or a path, stays as written
        (r"文件在C:\new\王府井.pdf", r"文件在C:\new\王府井.pdf"),
        ("金额\\100元", "金额\\100元"),
    ],
)
def test_escaped_breaks_are_read_as_breaks(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an 18-digit ID glued to letters before it is masked when its check digit is right (computed by hand
        # with the GB 11643 weights 2^(17-i) mod 11)
        ("ID542621199108134426", "ID542621********4426"),
        ("x11010519491231002X。", "x110105********002X。"),
        # a wrong check digit after letters: a reference number, not an ID; standing alone it is still masked
        ("ID542621199108134427", "ID542621199108134427"),
        ("身份证542621199108134427", "身份证542621********4427"),
        ("TX20261104123456789", "TX20261104123456789"),
    ],
)
def test_id_glued_to_letters_needs_its_check_digit(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the address ends where the bracket it stands in closes (dev22); its own bracket is part of it
        (
            "投诉人池先生（住址：温州市龙湾区永中街道罗东南路27弄5号）反映其在温州民商银行申请贷款",
            "投诉人*先生（住址：温州市龙湾区*************）反映其在温州民商银行申请贷款",
        ),
        ("地址：北京市朝阳区建国路88号（北门）3栋2单元，电话", "地址：北京市朝阳区******（**）*****，电话"),
    ],
)
def test_address_ends_with_its_bracket(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a mobile read out in Chinese numerals in its groups, its cue in the turn before (dev22)
        ("请问您的手机号？\n客户：幺八六，零五七三，二九一四。", "请问您的手机号？\n客户：幺八六，****，二九一四。"),
        ("一五八 一二三四 五六七八", "一五八 **** 五六七八"),
        # numerals that are no mobile: too few or too many, a year, a count
        ("一三五，七九", None),
        ("一九八八年", None),
        ("第一三五七九二四六八零一二个", None),
    ],
)
def test_mobile_read_out_in_numerals_without_a_cue(text: str, expected: str | None) -> None:
    assert mask(text) == (text if expected is None else expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a mobile's groups separated by commas (hostile H22's list); amounts with their unit, thousands and a
        # longer last group stay
        ("电话139，1234，5678", "电话139，****，5678"),
        ("手机：139,1234,5678", "手机：139,****,5678"),
        ("分别为139，1234，5678元", None),
        ("共1,234,567元", None),
        ("139，1234，56789", None),
    ],
)
def test_mobile_groups_separated_by_commas(text: str, expected: str | None) -> None:
    assert mask(text) == (text if expected is None else expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a tab between a mobile's groups, a slash between an account's after its label (left open by H22)
        ("139\t1234\t5678", "139\t****\t5678"),
        ("卡号6222/0212/3456/7890", "卡号6222/****/****/7890"),
        ("账号：0200/0012/3456/7890", "账号：0200/****/****/7890"),
        # amounts stay: with their unit after the label, or a list of them
        ("卡号6222/0212/3456/7890元", None),
        ("5000/6000/7000/8000元", None),
        ("金额\t1391\t2345\t6789", None),
    ],
)
def test_tab_and_slash_between_groups(text: str, expected: str | None) -> None:
    assert mask(text) == (text if expected is None else expected)
