"""Similar-narrative clusters: one shared cause told by many different customers within a few days.

Each member's text is the cluster's story with small variations: the numbers, times and names change, one
optional sentence may be dropped, two sentences may swap places, the pronoun and the intake prefix vary.
Rendered in Python per member (clusters are small).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dashboard.demo import fragments as F
from dashboard.demo import pii


@dataclass(frozen=True)
class ClusterSpec:
    key: str
    story: str  # short description for the ground truth
    business_category: str
    reason: str
    product: str
    root_cause: str
    size: tuple[int, int]  # members, inclusive range
    span_days: int  # members arrive within this many days from the incident
    scope: str  # "national" | "tier1" (branches of one tier-1 subtree)
    channels: dict[str, float] = field(default_factory=dict)
    elderly: bool = False


SPECS = (
    ClusterSpec(
        "mobile_banking_outage",
        "手机银行系统故障导致转账扣款未到账",
        "支付结算",
        "服务设施、设备、业务系统",
        "手机银行",
        "系统故障",
        (45, 60),
        2,
        "national",
        {"客服热线": 0.6, "手机银行/网银": 0.3, "媒体网络": 0.05, "监管转办": 0.05},
    ),
    ClusterSpec(
        "wealth_misselling_script",
        "理财经理以“保本保息”话术销售中风险净值型理财",
        "理财",
        "营销方式和手段",
        "稳利季季盈理财",
        "员工行为",
        (18, 26),
        5,
        "tier1",
        {"网点现场": 0.45, "客服热线": 0.35, "监管转办": 0.2},
        elderly=True,
    ),
    ClusterSpec(
        "fraud_insurance_cancel",
        "冒充平台客服以“取消百万保障扣费”诱导共享屏幕转账",
        "借记卡",
        "消费者资金安全",
        "一类借记卡",
        "外部欺诈",
        (28, 40),
        4,
        "national",
        {"客服热线": 0.6, "网点现场": 0.25, "监管转办": 0.15},
    ),
    ClusterSpec(
        "card_annual_fee_change",
        "白金信用卡年费减免政策调整未告知即扣收年费",
        "信用卡",
        "定价收费",
        "白金信用卡",
        "产品设计",
        (30, 50),
        4,
        "national",
        {"客服热线": 0.65, "手机银行/网银": 0.2, "监管转办": 0.15},
    ),
    ClusterSpec(
        "collection_agency_threats",
        "委外催收机构自称“金融调解中心”恐吓并联系亲友",
        "债务催收",
        "债务催收方式和手段",
        "线上消费贷",
        "第三方合作",
        (15, 24),
        5,
        "national",
        {"客服热线": 0.5, "监管转办": 0.35, "媒体网络": 0.15},
    ),
    ClusterSpec(
        "etc_double_charge",
        "ETC信用卡高速通行费重复扣款",
        "信用卡",
        "服务设施、设备、业务系统",
        "ETC信用卡",
        "第三方合作",
        (20, 32),
        3,
        "national",
        {"客服热线": 0.7, "手机银行/网银": 0.3},
    ),
)

_PREFIX = {
    "客服热线": ("客户来电反映：", "客户来电投诉：", "来电人反映：", ""),
    "网点现场": ("客户至网点现场反映：", "网点现场接待记录：", ""),
    "手机银行/网银": ("客户通过手机银行在线客服反映：", "在线客服工单：", ""),
    "监管转办": ("12378热线转办：", "监管转办件，客户称：", "金融监管局转办："),
    "媒体网络": ("客户在黑猫投诉平台发帖称：", "客户在社交媒体发文反映："),
}


def _money(rng, lo, hi, step=100, store: dict | None = None) -> str:
    v = int(rng.integers(lo // step, hi // step + 1)) * step
    if store is not None:
        store["amount"] = float(v)
    return f"{v:,}" if rng.random() < 0.5 else str(v)


def _sentences(key: str, rng: np.random.Generator, md: str, amt: dict) -> list[tuple[str, bool]]:
    """(sentence, optional) in story order; md is the incident date like '3月5日'. The amount in dispute goes
    into amt["amount"]."""
    r = rng.random
    if key == "mobile_banking_outage":
        who = ("房东", "家人", "朋友", "供应商", "装修公司")[int(rng.integers(0, 5))]
        return [
            (
                f"{md}上午{int(rng.integers(9, 12))}点左右，我用手机银行给{who}转账{_money(rng, 500, 50000, store=amt)}元，页面一直显示“交易处理中”。",
                False,
            ),
            ("过了半个多小时账户余额已经扣减，但对方说没有收到钱。", False),
            ("再次登录手机银行时又提示“系统繁忙，请稍后再试”，无法查询交易明细。", True),
            ("拨打客服热线一直占线，排队等了四十多分钟才接通。", True),
            ("客服只说当天手机银行系统出现异常，正在抢修，让我耐心等待。", False),
            (
                (
                    "要求银行尽快确认这笔转账的状态，钱没到账要马上退回，并说明系统故障的原因。",
                    "要求银行尽快查明转账状态，没到账的钱马上退回，并说明系统故障的原因。",
                )[int(r() < 0.4)],
                False,
            ),
        ]
    if key == "wealth_misselling_script":
        return [
            (f"{md}我到网点办理定期存款，理财经理说现在定期利率太低，推荐我买“稳利季季盈”理财。", False),
            (
                f"她说这款产品“保本保息、年化收益{('4.5', '4.6', '4.8', '5')[int(rng.integers(0, 4))]}%、随时可以取”，跟存款一样安全，很多老客户都买了。",
                False,
            ),
            (
                f"我听信后买了{_money(rng, 50000, 500000, 10000)}元，签字的时候她让我在几个地方签名，没有给我看合同。",
                False,
            ),
            ("风险评估也是她帮我在电脑上勾选的。", True),
            (
                f"最近我查看才发现这是R3中风险的非保本净值型产品，目前已经亏损{_money(rng, 1000, 30000, store=amt)}元，而且封闭期内不能赎回。",
                False,
            ),
            ("要求银行退还本金并赔偿损失，对理财经理的误导销售进行处理。", False),
        ]
    if key == "fraud_insurance_cancel":
        return [
            (
                f"{md}我接到一个自称某平台客服的电话，说我开通了“百万医疗保障”服务，不取消的话每月会自动扣费{int(rng.integers(3, 9)) * 100}元。",
                False,
            ),
            (f"对方能准确说出我的姓名和银行卡尾号{int(rng.integers(0, 10000)):04d}，我就信了。", False),
            ("他让我下载一个会议软件共享屏幕，按照提示操作“取消扣费”，还把验证码告诉了他。", False),
            ("操作过程中银行没有任何风险提示或者拦截。", True),
            (
                f"随后我卡里的钱被分{('两', '三', '四')[int(rng.integers(0, 3))]}笔转走了{_money(rng, 3000, 90000, store=amt)}元。",
                False,
            ),
            ("我已经报警，要求银行协助追回资金，并说明为什么没有识别出这种明显异常的交易。", False),
        ]
    if key == "card_annual_fee_change":
        fee = ("2,000", "2000", "3,600", "3600")[int(rng.integers(0, 4))]
        amt["amount"] = float(fee.replace(",", ""))
        return [
            (
                f"我的白金信用卡原来刷卡满{('6', '10', '12')[int(rng.integers(0, 3))]}次就可以免次年年费，我今年也刷够了次数。",
                False,
            ),
            (f"但{md}还是被扣收了年费{fee}元。", False),
            (
                f"客服说从今年起年费政策调整为年消费满{('10', '15', '20')[int(rng.integers(0, 3))]}万元才能减免，新规只在官网发了公告。",
                False,
            ),
            ("我没有收到任何短信或者账单提示，完全不知情。", True),
            ("客服还说可以给我降级为金卡，但我不同意。", True),
            ("要求退还这笔年费，并按照办卡时的约定执行。", False),
        ]
    if key == "collection_agency_threats":
        return [
            (
                f"我的线上消费贷逾期了{('两', '三', '四', '五')[int(rng.integers(0, 4))]}个月，欠款{_money(rng, 8000, 80000, store=amt)}元左右。",
                False,
            ),
            (f"{md}开始有自称“金融调解中心”的人不停给我打电话，说已经对我立案，要到我户籍地和单位上门调查。", False),
            ("他们还给我的父母和同事发短信，说我涉嫌恶意逃债、要被拘留。", False),
            ("电话号码每天都不一样，一天打二三十个。", True),
            ("我从来没有拒绝还款，只是暂时困难，想和银行协商分期。", False),
            ("要求银行立即停止这种恐吓式催收，核查合作的催收公司。", False),
        ]
    if key == "etc_double_charge":
        road = ("京港澳高速", "沪昆高速", "沈海高速", "京沪高速", "连霍高速")[int(rng.integers(0, 5))]
        toll = int(rng.integers(35, 260))
        amt["amount"] = float(toll)
        return [
            (f"我的ETC信用卡{md}收到扣费短信，同一趟高速通行费被扣了两次，每次{toll}元。", False),
            (f"我那天只走了一趟{road}。", False),
            ("查了账单发现之前几天也有类似的重复扣款。", True),
            ("打客服电话，客服说是高速联网收费系统对账异常，让我自己联系ETC发行方。", False),
            ("ETC是在银行办的，凭什么让客户自己去找。", False),
            ("要求银行尽快退回重复扣款，并排查还有没有其他多扣的费用。", False),
        ]
    raise KeyError(key)


def render_member(
    spec: ClusterSpec, rng: np.random.Generator, incident_md: str, channel: str, with_pii: bool
) -> tuple[str, dict]:
    """One member's narrative and a dict with the personal data written into it (name, mobile) and the
    amount in dispute (amount)."""
    found: dict = {}
    sents = _sentences(spec.key, rng, incident_md, found)
    optional = [i for i, (_, o) in enumerate(sents) if o]
    if optional and rng.random() < 0.3:
        del sents[optional[int(rng.integers(0, len(optional)))]]
    if rng.random() < 0.3 and len(sents) > 4:  # swap two middle sentences
        i = int(rng.integers(1, len(sents) - 2))
        sents[i], sents[i + 1] = sents[i + 1], sents[i]
    text = "".join(s for s, _ in sents)
    if rng.random() < 0.3:
        text = text.replace("我", "本人", 1)
    prefixes = _PREFIX.get(channel, ("",))
    text = prefixes[int(rng.integers(0, len(prefixes)))] + text
    if with_pii:
        if rng.random() < 0.5:
            nm = str(pii.names(rng, 1, F.SURNAMES, F.NAME_SUFFIX)[0])
            text = f"客户{nm}反映，" + text if not text.startswith("客户") else text.replace("客户", f"客户{nm}", 1)
            found["name"] = nm
        mob = pii.mobiles(rng, 1)[0].decode()
        text += f"联系电话{mob}。"
        found["mobile"] = mob
    return text, found


def char_ngrams(text: str, n: int = 3) -> set[str]:
    return {text[i : i + n] for i in range(max(len(text) - n + 1, 1))}


def jaccard(a: str, b: str, n: int = 3) -> float:
    x, y = char_ngrams(a, n), char_ngrams(b, n)
    return len(x & y) / len(x | y) if x or y else 1.0
