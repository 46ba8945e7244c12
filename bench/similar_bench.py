"""Timing of the narrative text utilities on synthetic complaint narratives (not a test).

    .venv/bin/python bench/similar_bench.py                 # similar_groups on 10,000 and 100,000
    .venv/bin/python bench/similar_bench.py --sizes 20000   # other sizes
    .venv/bin/python bench/similar_bench.py --text          # also mask_series and term_counts

The generator writes narratives the way intake staff do: a category opener and closer (template text
shared by thousands of narratives), two or three body clauses drawn from per-category clause banks with
word slots, random amounts, dates, names, phone numbers. Planted groups (about 1 % of narratives) are
one story retold for different customers with other numbers, dates and names, and sometimes one clause
swapped. It reports the time and how many planted groups were recovered (>= 80 % of a group's members
in one found group). The generator's clause banks are small, so unrelated narratives that happen to
draw the same two stock clauses are near-duplicates too and form extra (genuine, by text) groups.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from dashboard.text.similar import similar_groups

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰志海燕云峰"
CITIES = [
    "朝阳",
    "海淀",
    "浦东",
    "天河",
    "福田",
    "南山",
    "武侯",
    "江北",
    "鼓楼",
    "雨花",
    "西湖",
    "滨江",
    "历下",
    "和平",
]
SHOPS = ["超市", "商场", "加油站", "药店", "便利店", "餐厅", "酒店", "电器城", "家具城", "健身房", "培训机构", "4S店"]
PRODUCTS = ["稳盈", "添利", "安享", "鑫福", "天天盈", "月月赢", "聚宝", "恒信", "睿远", "臻享"]

CATEGORIES = {
    "信用卡": {
        "open": ["客户来电反映其信用卡", "客户致电客服热线反映其名下信用卡", "持卡人来电称其信用卡"],
        "close": ["，要求我行核实处理。", "，要求退还相关费用并给予合理解释。", "，客户情绪激动，要求尽快处理。"],
        "clauses": [
            "于{date}被扣收年费{amt}元",
            "办卡时{staff}承诺首年免年费",
            "在{city}{shop}消费{amt}元后未收到短信提醒",
            "账单分期手续费与办理时告知的不一致",
            "额度被无故降低至{amt}元",
            "最低还款后仍产生利息{amt}元",
            "还款日前已通过手机银行还款但显示逾期",
            "境外交易被收取货币转换费",
            "积分在未通知的情况下被清零",
            "申请提额被拒绝且未说明原因",
            "卡片在{city}{shop}被盗刷{amt}元",
            "自动还款未成功扣款导致逾期",
            "收到催收短信但已全额还款",
            "注销信用卡后仍被收取年费",
            "临时额度到期后未提醒",
            "办理现金分期时未告知实际年化利率",
            "多次拨打客服热线无法转人工",
            "附属卡消费未发送短信通知",
        ],
    },
    "个人贷款": {
        "open": ["客户来电反映其个人贷款", "借款人致电称其在我行办理的消费贷款", "客户到{city}支行反映其房贷"],
        "close": ["，要求我行给予解释并妥善处理。", "，要求减免相关费用。", "，要求撤销不良征信记录。"],
        "clauses": [
            "提前还款被收取违约金{amt}元",
            "贷款利率高于合同约定",
            "放款时间比承诺延迟{n}天",
            "征信报告显示逾期记录与实际不符",
            "客户经理{staff}要求购买保险才能放款",
            "扣款日账户余额充足但扣款失败",
            "申请延期还款未获批准",
            "贷款结清后未及时解押",
            "合同条款未向其充分说明",
            "被收取未告知的服务费{amt}元",
            "第三方中介以我行名义收取费用",
            "停息挂账申请无人受理",
            "月供金额与贷款合同不一致",
        ],
    },
    "债务催收": {
        "open": ["客户来电投诉我行催收人员", "客户反映近期频繁接到我行委外催收电话", "客户家属来电反映催收问题"],
        "close": ["，要求停止骚扰。", "，要求我行规范催收行为。", "，要求严肃处理相关人员。"],
        "clauses": [
            "每天拨打电话超过{n}次",
            "催收人员言语威胁恐吓",
            "联系其通讯录中的亲友",
            "在非工作时间拨打电话",
            "冒充律师发送律师函",
            "向其单位同事透露欠款信息",
            "已协商分期仍被催收",
            "催收短信内容含侮辱性语言",
            "上门催收时态度粗暴",
            "要求其向指定个人账户还款",
        ],
    },
    "理财": {
        "open": ["客户来电反映其购买的理财产品", "客户到网点反映其在我行购买的{product}理财", "客户投诉理财经理"],
        "close": ["，要求赔偿损失。", "，要求我行给予说明并赔偿。", "，要求调查销售过程。"],
        "clauses": [
            "理财经理{staff}承诺保本保息",
            "实际收益远低于宣传的预期收益",
            "购买时未进行风险评估",
            "风险等级与其风险承受能力不匹配",
            "提前赎回被收取高额费用",
            "产品到期后资金延迟到账{n}天",
            "存款被误导转为保险产品",
            "未进行双录",
            "本金亏损{amt}元",
            "销售时未告知产品风险",
        ],
    },
    "借记卡": {
        "open": ["客户来电反映其借记卡", "客户到{city}支行反映其银行卡", "客户反映其储蓄卡"],
        "close": ["，要求我行尽快解决。", "，要求解释原因。", "，要求退还费用。"],
        "clauses": [
            "被无故冻结无法转账",
            "在ATM取款时被吞卡",
            "被收取小额账户管理费{amt}元",
            "非柜面交易被限额",
            "挂失补卡需要等待{n}天",
            "跨行转账未到账",
            "短信通知费被重复扣收",
            "开户被要求提供额外证明",
            "在{city}{shop}刷卡被拒",
            "手机银行登录时提示账户异常",
        ],
    },
}
SERVICE = {
    "open": ["客户反映在{city}支行办理业务时", "客户来电投诉{city}网点", "客户到营业厅反映"],
    "close": ["，要求我行改进服务。", "，要求相关人员道歉。", "，对服务不满意。"],
    "clauses": [
        "排队等候超过{n}小时",
        "柜员{staff}态度恶劣",
        "大堂经理推诿不予办理",
        "叫号系统故障",
        "只开放{n}个窗口",
        "自助设备故障无人处理",
        "老年客户被要求使用手机银行",
        "工作人员未告知所需材料",
    ],
}
CATEGORIES["服务"] = SERVICE


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        date=f"{rng.randint(2025, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        amt=rng.choice([rng.randint(10, 999), rng.randint(1000, 99999)]),
        n=rng.randint(2, 30),
        staff=_name(rng),
        city=rng.choice(CITIES),
        shop=rng.choice(SHOPS),
        product=rng.choice(PRODUCTS),
    )


TIMES = ["", "", "近期", "上个月", "本月初", "前几天", "今年以来", "{date}", "上周", "月底", "节假日期间", "昨天下午"]
PLACES = [
    "",
    "",
    "在{city}{shop}",
    "通过手机银行",
    "在网点柜台",
    "通过客服热线",
    "在ATM机上",
    "通过微信公众号",
    "在{city}支行",
    "在{city}{shop}附近",
]
AFTER = [
    "",
    "",
    "",
    "导致其损失{amt}元",
    "给其生活带来困扰",
    "多次沟通无果",
    "至今未解决",
    "客服答复前后不一致",
    "等待{n}天仍无结果",
    "{staff}答复会尽快处理",
    "其家人{staff}也遇到同样问题",
    "影响其{product}使用",
]


def _clause_parts(template: str, rng: random.Random) -> list[str]:
    """A body clause as [time and place, event, consequence] (each part may be empty)."""
    lead = "".join(_fill(p, rng) for p in (rng.choice(TIMES), rng.choice(PLACES)))
    after = rng.choice(AFTER)
    return [lead, _fill(template, rng), "，" + _fill(after, rng) if after else ""]


def _clause(template: str, rng: random.Random) -> str:
    return "".join(_clause_parts(template, rng))


def _narrative(cat: dict, clauses: list[str], rng: random.Random) -> str:
    parts = [_fill(rng.choice(cat["open"]), rng)]
    body = "，".join(_clause(c, rng) for c in clauses)
    parts.append(body)
    if rng.random() < 0.4:
        parts.append(f"，联系电话1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}")
    parts.append(_fill(rng.choice(cat["close"]), rng))
    return "".join(parts)


def make_corpus(n: int, group_share: float = 0.01, seed: int = 7) -> tuple[pd.DataFrame, list[set[str]]]:
    """n narratives; about ``group_share`` of them belong to planted groups of 3-30 members."""
    rng = random.Random(seed)
    names = list(CATEGORIES)
    rows, truth = [], []
    n_grouped = int(n * group_share)
    while sum(len(g) for g in truth) < n_grouped:
        cat = CATEGORIES[rng.choice(names)]
        story = [_clause_parts(c, rng) for c in rng.sample(cat["clauses"], 3)]
        detail = f"涉及{rng.choice(CITIES)}{rng.choice(SHOPS)}{rng.choice(PRODUCTS)}活动"
        opener = _fill(rng.choice(cat["open"]), rng)
        members = set()
        for _ in range(rng.randint(3, 30)):
            cid = f"C{len(rows):07d}"
            clauses = [list(c) for c in story]
            if rng.random() < 0.3:  # one event swapped for another of the category
                clauses[rng.randrange(3)][1] = _fill(rng.choice(cat["clauses"]), rng)
            body = ["".join(c) for c in clauses] + [detail]
            text = (f"客户{_name(rng)}" if rng.random() < 0.5 else "") + opener + "，".join(body)
            text = text.replace("元", f"{rng.randint(1, 9)}元", 1) + _fill(rng.choice(cat["close"]), rng)
            rows.append((cid, f"K{rng.randrange(10**9):09d}", text))
            members.add(cid)
        truth.append(members)
    while len(rows) < n:
        cat = CATEGORIES[rng.choice(names)]
        clauses = rng.sample(cat["clauses"], 2)
        rows.append((f"C{len(rows):07d}", f"K{rng.randrange(10**9):09d}", _narrative(cat, clauses, rng)))
    rng.shuffle(rows)
    return pd.DataFrame(rows, columns=["complaint_id", "customer_id", "content"]), truth


def _recall(result: pd.DataFrame, truth: list[set[str]]) -> tuple[int, int]:
    found = [set(g) for _, g in result.groupby("group_id")["complaint_id"]]
    hit = sum(any(len(t & f) >= 0.8 * len(t) for f in found) for t in truth)
    return hit, len(truth)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--text", action="store_true", help="also time mask_series and term_counts")
    args = ap.parse_args()
    for n in args.sizes:
        corpus, truth = make_corpus(n)
        avg = corpus["content"].str.len().mean()
        t0 = time.perf_counter()
        result = similar_groups(corpus)
        dt = time.perf_counter() - t0
        hit, total = _recall(result, truth)
        print(
            f"similar_groups n={n:,} (avg {avg:.0f} chars): {dt:.2f} s, "
            f"{result['group_id'].nunique()} groups / {len(result)} members; "
            f"planted groups recovered: {hit}/{total}"
        )
        if args.text:
            from dashboard.text.masking import mask_series
            from dashboard.text.terms import term_counts, tokenize

            tokenize("预热")  # load jieba once, outside the timing
            t0 = time.perf_counter()
            mask_series(corpus["content"])
            print(f"mask_series n={n:,}: {time.perf_counter() - t0:.2f} s")
            t0 = time.perf_counter()
            term_counts(corpus["content"])
            dt = time.perf_counter() - t0
            mb = corpus["content"].str.encode("utf-8").str.len().sum() / 1e6
            print(f"term_counts n={n:,} ({mb:.1f} MB UTF-8): {dt:.2f} s, {mb / dt:.2f} MB/s")


if __name__ == "__main__":
    main()
