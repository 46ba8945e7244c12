"""Institutions and products stay readable next to the people they employ (issue 15, brief I1).

Each sentence puts an institution of dashboard/text/institutions.txt after 和/向/跟/找/在 and next to a real
name; the expected masks are written by hand: the institution unchanged, the name's given name masked."""

from __future__ import annotations

import pytest

from dashboard.text import institutions
from dashboard.text.masking import mask

BESIDE_A_NAME = [
    ("我和招商银行的客户经理王丽联系过三次", "我和招商银行的客户经理王*联系过三次"),
    ("本人向招联消金的客服李娜反映过", "本人向招联消金的客服李*反映过"),
    ("我跟齐商银行的柜员孙梅说过", "我跟齐商银行的柜员孙*说过"),
    ("我找常熟农商银行的客户经理钱伟，他说可以延期", "我找常熟农商银行的客户经理钱*，他说可以延期"),
    ("我在秦农银行办卡时，业务员周强说免年费", "我在秦农银行办卡时，业务员周*说免年费"),
    ("我和中银消金的催收员吴磊通过电话", "我和中银消金的催收员吴*通过电话"),
    ("我向丰田汽车金融的专员郑浩提出提前还款", "我向丰田汽车金融的专员郑*提出提前还款"),
    ("我在泰康养老业务员冯娟处买的保险", "我在泰康养老业务员冯*处买的保险"),
    ("我跟中信建投的经理许亮反映过", "我跟中信建投的经理许*反映过"),
    ("我找拉卡拉的业务员何军说退押金", "我找拉卡拉的业务员何*说退押金"),
    ("我向江苏金融监管局投诉了客户经理宋佳", "我向江苏金融监管局投诉了客户经理宋*"),
    ("我和桂林银行的经理韦小宝谈过", "我和桂林银行的经理韦**谈过"),
    ("我和易方达基金的客服陈晨说过，陈晨答应回电", "我和易方达基金的客服陈*说过，陈*答应回电"),
    # a name right after the institution, without 的 (the tagger reads the name as one word)
    ("我跟招商银行孙梅说过这件事", "我跟招商银行孙*说过这件事"),
    ("我跟人民银行征信中心赵敏说过", "我跟人民银行征信中心赵*说过"),
    # the dictionary's weight in the tagger is fixed: more entries do not change how other text is read
    ("催收员莫小军还是天天打电话", "催收员莫**还是天天打电话"),
]

# Institutions that start with a surname's character, with no person next to them: nothing is masked.
ALONE = [
    "本人和邢台银行签了合同",
    "我向常熟农商银行申请了延期还款",
    "在秦农银行办的贷款",
    "我跟申万宏源说过好几次",
    "我向易安财险报案后没人理",
    "和唐山银行的合同写得很清楚",
    "我在中银消金和马上消金都有借款",
    "投诉到金融消费纠纷调解中心和人民银行广东省分行",
]


@pytest.mark.parametrize(("text", "expected"), BESIDE_A_NAME)
def test_institution_kept_and_the_name_beside_it_masked(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", ALONE)
def test_institution_alone_is_not_masked(text):
    assert mask(text) == text


def test_short_forms_count_under_the_full_name():
    canonical = institutions.canonical()
    assert canonical["中银消金"] == "中银消费金融"
    assert canonical["招联消金"] == "招联"  # the alias's own canonical name, not a new one
    assert canonical["国家金融监管总局"] == "金融监管总局"


@pytest.mark.parametrize("word", ["龙江银行", "昆仑银行", "东方证券", "永安保险", "长城基金"])
def test_a_bank_named_like_a_person_would_hide_the_person(word):
    # 李龙江银行卡: an entry overlapping the name would keep 李龙江 readable (names.py never masks across
    # an entry), so such names are left out of the dictionary (institutions.txt's city-bank comment)
    assert word not in institutions.names()
