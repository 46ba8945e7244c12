"""Names the rules find on a view of the text (dashboard/text/name_views.py, hostile H242-H245, H249): split by
separators, in traditional characters, in pinyin without a space, after a proxy or a staff number; and what
stays readable. Every expectation is written by hand: the surname stays, each character of the given name
becomes *, separators stay where they were."""

from __future__ import annotations

import pytest

from dashboard.text import name_views
from dashboard.text.masking import mask

# H243: a surname, a separator (space, U+3000, zero-width and other format characters, U+00AD, a middle dot),
# the given name.
SPLIT = [
    ("持卡人李 娜来电", "持卡人李 *来电"),
    ("客户赵\u3000敏说", "客户赵\u3000*说"),
    ("投诉人孙\u200b丽华反映", "投诉人孙\u200b**反映"),
    ("客户周\u00ad杰说", "客户周\u00ad*说"),
    ("借款人吴·刚称", "借款人吴·*称"),
    ("客户马 小 军说", "客户马 * *说"),
    ("客户郑\u2060强来电", "客户郑\u2060*来电"),
    ("客户钱\ufeff芳说", "客户钱\ufeff*说"),
    ("客户王 芳 来电", "客户王 * 来电"),
]
# H244: traditional characters, the cue, the name or the verb.
TRADITIONAL = [
    ("客户陳志強來電", "客户陳**來電"),
    ("投訴人黃麗說", "投訴人黃*說"),
    ("客戶劉偉說", "客戶劉*說"),
    ("持卡人趙敏來電", "持卡人趙*來電"),
    ("本人楊國華，", "本人楊**，"),
]
# H245: a pinyin name without a space after a role word or a self-introduction: the first letter stays.
PINYIN = [
    ("持卡人LIUYANG来电", "持卡人L******来电"),
    ("投诉人chenjing称", "投诉人c*******称"),
    ("借款人ZHAOMIN来电", "借款人Z******来电"),
    ("我叫OUYANGNANA", "我叫O*********"),
    ("客户SUNLI说", "客户S****说"),
    ("持卡人MAJUN来电，MAJUN说卡丢了", "持卡人M****来电，M****说卡丢了"),
]
# H242: 委托 / 代 + a name acting for the customer, and the role word 经手人.
PROXY = [
    ("委托孙丽办理", "委托孙*办理"),
    ("代周杰还款", "代周*还款"),
    ("我委托黄磊去网点", "我委托黄*去网点"),
    ("经手人赵敏", "经手人赵*"),
    ("经手人吴刚办理", "经手人吴*办理"),
]
# H249: a name after a staff number; a verb glued to a name's end stays readable.
STAFF_AND_VERB = [
    ("工号5678李娜", "工号5***李*"),
    ("工号B0033赵敏说", "工号B****赵*说"),
    ("工号：7788孙丽来电", "工号：7***孙*来电"),
    ("客户古丽·买买提说", "客户古*·***说"),
    ("客户阿依古丽·吐尔逊说", "客户阿***·***说"),
]
# H249 too: after a label and a space or a colon the rules read both the name and the name + the speech verb
# (客户 张伟来电 -> 客户 张***): the shorter reading is the name.
RUN_ON = [
    ("客户 赵敏来电", "客户 赵*来电"),
    ("客户：孙丽来电", "客户：孙*来电"),
    ("投诉人 孙丽反映情况", "投诉人 孙*反映情况"),
    ("持卡人 周杰来电", "持卡人 周*来电"),
    ("客户：王强表示不满", "客户：王*表示不满"),
    ("借款人 吴刚投诉", "借款人 吴*投诉"),
]
CASES = SPLIT + TRADITIONAL + PINYIN + PROXY + STAFF_AND_VERB + RUN_ON

# Ordinary text near each class's triggers: no name, nothing masked.
KEPT = [
    # separators between words, not inside a name
    "2026年 10月",
    "招商 银行",
    "支付 宝",
    "存了5万现金 到现在还没到",
    # traditional text without a person
    "招商銀行信用卡中心來電",
    "這筆貸款利率太高",
    "請處理我的投訴",
    # Latin after a role word that is no pinyin name
    "客户ATM",
    "客户CHINA BANK",
    "客户CHINA来电",
    "客户HUAWEI手机",
    "客户APP",
    "客户TAOBAO",
    # 委托 / 代 starting an ordinary word
    "代理业务",
    "代扣",
    "代付款项",
    "代金券",
    "委托贷款",
    "委托扣款",
    "委托书已签",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_a_name_on_a_view_is_masked_in_the_text(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_the_view_keeps_length_and_is_idempotent(text: str, expected: str) -> None:
    assert len(mask(text)) == len(text)
    assert mask(mask(text)) == mask(text)


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_near_a_trigger_stays(text: str) -> None:
    assert mask(text) == text


def test_a_staff_number_alone_keeps_only_its_own_masking() -> None:
    # the number rules' masking (first character kept), nothing after it
    assert mask("工号1234") == "工号1***"
    assert mask("工号5678已记录") == "工号5***已记录"


def test_a_name_and_a_label_after_a_space_is_read_on_the_text_itself() -> None:
    # the space follows the whole name: the view adds nothing, and 手机 stays
    assert mask("本人：管清华 手机：182") == "本人：管** 手机：182"


def test_a_given_name_ending_in_lai_is_not_cut() -> None:
    # 来 ends given names (覃春来, 魏东来 in the labelled sets): only 去 and 说 are cut off a name's end
    assert mask("我叫覃春来，") == "我叫覃**，"


def test_the_traditional_table_maps_one_character_to_one() -> None:
    table = name_views._t2s_table()
    assert all(len(v) == 1 for v in table.values())
    # pairs from a dictionary, by hand
    for traditional, simplified in zip("張偉來說處訴陳強劉趙麗國華", "张伟来说处诉陈强刘赵丽国华"):
        assert table[ord(traditional)] == simplified
    # a simplified character is no key (it would change text that is already simplified)
    assert not any(ord(c) in table for c in "张伟来说处诉客户银行")


def test_pinyin_split_needs_a_surname_and_syllables() -> None:
    assert name_views._pinyin_name("WANGFANG")
    assert name_views._pinyin_name("zhangxiaoming")
    assert not name_views._pinyin_name("BANK")  # no surname + syllables
    assert not name_views._pinyin_name("zhangxyz")  # not syllables after the surname
    assert not name_views._pinyin_name("pingan")  # a brand in the veto list


# Hostile H251 (brief N19): a name split by - _ / ． ‧ as by a middle dot: the given name masked, the separators
# kept; a slash only in the three-part form (张/王两位 is a list of two surnames), no separator between other words.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("客户邓-秀-英称卡被盗刷。", "客户邓-*-*称卡被盗刷。"),
        ("客户邓_秀_英称卡被盗刷。", "客户邓_*_*称卡被盗刷。"),
        ("客户邓/秀/英称卡被盗刷。", "客户邓/*/*称卡被盗刷。"),
        ("客户邓．秀．英称卡被盗刷。", "客户邓．*．*称卡被盗刷。"),
        ("客户邓‧秀‧英称卡被盗刷。", "客户邓‧*‧*称卡被盗刷。"),
        ("客户胡-敏来电", "客户胡-*来电"),
        ("张/王两位客户经理都不接电话", "张/王两位客户经理都不接电话"),
        ("工商/建设银行的卡", "工商/建设银行的卡"),
        ("网点：城南-东区支行", "网点：城南-东区支行"),
        ("2025-03-01 客户来电", "2025-03-01 客户来电"),
    ],
)
def test_n19_other_separators_inside_a_name(text: str, expected: str) -> None:
    assert mask(text) == expected


def test_n19_a_spaced_view_stops_at_the_next_label() -> None:
    # 经办人：柴 复核人：… : 复核 is the next field's label, not a given name after a space
    assert mask("经办人：邬 复核人：蒋文静") == "经办人：* 复核人：蒋**"
    assert name_views._gaps("经办人：邬 复核人：") == []
    assert name_views._gaps("我叫 邬 文静") != []


# Hostile H254 (brief N19): a dotted Uyghur name whose parts the tagger reads as a place and a noun is still a name
def test_n19_dotted_name_of_common_parts() -> None:
    assert mask("客户阿不都热依木·买买提称外汇汇款被退回。") == "客户阿*****·***称外汇汇款被退回。"
    assert mask("客户吐尔逊·麦麦提称") == "客户吐**·***称"
    # ordinary words on both sides of a dot stay (H131)
    assert mask("个人贷款·定价收费") == "个人贷款·定价收费"
