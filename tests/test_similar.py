"""Similar complaints: a hand-made corpus with two planted groups, template noise and traps."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.text.similar import normalise, similar_groups

OPEN = "客户来电反映其信用卡"
CLOSE = "，客户对此非常不满，情绪激动，多次致电客服热线未果，要求我行尽快核实处理，给予合理解释并退还相关费用。"

# 40 unrelated credit-card complaints, all wrapped in the same intake template
UNRELATED = [
    "在未激活的情况下被扣收年费",
    "账单日被单方面调整导致还款逾期",
    "境外消费被收取货币转换费",
    "最低还款后仍被计收全额利息",
    "附属卡消费没有短信提醒",
    "申请提高额度被拒且不说明原因",
    "积分兑换的礼品迟迟未寄出",
    "注销后仍收到年费账单",
    "自动还款绑定的借记卡扣款失败",
    "临时额度到期后没有提前通知",
    "现金分期的实际年化利率远高于宣传",
    "在加油站的优惠返现没有到账",
    "手机银行查询不到上月的账单明细",
    "挂失补卡后新卡一直没有寄到",
    "被收取了从未办理过的账户安全险",
    "溢缴款领回时被收取手续费",
    "征信报告出现一笔不属于本人的逾期",
    "办卡时承诺的机场贵宾厅权益无法使用",
    "网上商城订单退货后退款没有退回卡内",
    "因长期未使用被降低额度",
    "快捷支付被第三方平台重复扣款",
    "账单寄送地址被修改却没有收到通知",
    "生日月双倍积分活动没有兑现",
    "外币账单自动购汇的汇率不合理",
    "协商停息挂账的申请无人受理",
    "营销人员在商场门口强行推销办卡",
    "激活时被要求同时开通多项收费服务",
    "消费分期提前结清仍被收取全部手续费",
    "密码多次输入错误后卡片被锁无法解锁",
    "公交地铁闪付交易被重复记账",
    "海淘网站的交易被风控拦截导致订单取消",
    "年费减免条件在办卡后被单方面修改",
    "车位分期的合同条款没有提前告知",
    "储蓄卡还款到账时间晚于承诺的时间",
    "商户退款长达两个月仍未入账",
    "贵宾客户专线长时间无人接听",
    "滞纳金计算方式与合同约定不一致",
    "信用卡被冒名申领并产生欠款",
    "换卡后原卡绑定的水电费代扣全部失效",
    "境外酒店预授权金额长期未解除冻结",
]

# group A: interest-free instalment promise broken; numbers, names and one clause vary
GROUP_A = [
    (
        "A1",
        "KA1",
        "客户张伟"
        + OPEN
        + "在万达广场苏宁门店购买空调时办理信用卡分期，销售人员承诺十二期免息，但本期账单显示被收取分期手续费356元，致电客服被告知免息活动早已结束"
        + CLOSE,
    ),
    (
        "A2",
        "KA2",
        OPEN
        + "在万达广场苏宁门店购买空调时办理信用卡分期，销售人员承诺十二期免息，但本期账单显示被收取分期手续费412.5元，致电客服被告知免息活动早已结束"
        + CLOSE,
    ),
    (
        "A3",
        "KA3",
        "客户李娜"
        + OPEN
        + "于10月3日在万达广场苏宁门店购买空调时办理信用卡分期，销售人员承诺十二期免息，但本期账单显示被收取分期手续费288元，致电客服被告知免息活动早已结束"
        + CLOSE,
    ),
    (
        "A4",
        "KA4",
        OPEN
        + "在万达广场苏宁门店购买空调时办理信用卡分期，销售人员承诺十二期免息，但本期账单显示被收取分期手续费356元，客服称需自行联系商户处理"
        + CLOSE,
    ),
    (
        "A5",
        "KA5",
        OPEN
        + "在万达广场苏宁门店购买空调时办理信用卡分期，销售人员口头承诺二十四期免息，但本期账单显示被收取分期手续费1,024元，致电客服被告知免息活动早已结束"
        + CLOSE,
    ),
    (
        "A6",
        "KA6",
        "客户王芳"
        + OPEN
        + "在万达广场苏宁门店购买空调时办理信用卡分期，销售人员承诺十二期免息，但本期账单显示被收取分期手续费199元，致电客服被告知免息活动早已结束，"
        + CLOSE[1:],
    ),
    (
        "A7",
        "KA7",
        OPEN
        + "国庆期间在万达广场苏宁门店购买空调时办理信用卡分期，销售人员承诺十二期免息，但本期账单显示被收取分期手续费356元，致电客服被告知免息活动早已结束"
        + CLOSE,
    ),
]

# group B: phishing text message about expiring points, a short story inside the long template;
# amounts, dates and names vary
GROUP_B = [
    ("B1", "KB1", OPEN + "收到积分清零短信，点击链接输入验证码后被盗刷5,000元" + CLOSE),
    ("B2", "KB2", OPEN + "10月5日收到积分清零短信，点击链接输入验证码后被盗刷12000元" + CLOSE),
    ("B3", "KB3", "客户赵强" + OPEN + "收到积分清零短信，点击链接输入验证码后被盗刷3,200元" + CLOSE),
    ("B4", "KB4", OPEN + "收到积分清零短信，点击链接输入验证码后卡片被盗刷800美元" + CLOSE),
    ("B5", "KB5", OPEN + "昨日收到积分清零短信，点击链接输入验证码后被盗刷9,999元" + CLOSE),
    ("B6", "KB6", OPEN + "收到积分即将清零的短信，点击链接输入验证码后被盗刷5,000元" + CLOSE),
]

# one customer telling the same story four times: a repeat complaint, not a similar group
REPEATS = [
    (
        f"R{i}",
        "KR",
        OPEN + f"{day}在自助设备还款时被机器吞卡，网点工作人员要求三个工作日后凭身份证领取，影响其正常使用" + CLOSE,
    )
    for i, day in enumerate(["10月1日", "10月2日", "10月6日", "10月8日"], start=1)
]

# shares only the template with group B (and everyone else)
TEMPLATE_ONLY = ("T1", "KT1", OPEN + "额度被调低" + CLOSE)


def _corpus() -> pd.DataFrame:
    rows = [(f"U{i:02d}", f"KU{i:02d}", OPEN + body + CLOSE) for i, body in enumerate(UNRELATED, start=1)]
    rows += GROUP_A + GROUP_B + REPEATS + [TEMPLATE_ONLY]
    df = pd.DataFrame(rows, columns=["complaint_id", "customer_id", "content"])
    df["branch_code"] = "0101"  # extra columns are ignored
    return df.sample(frac=1.0, random_state=3).reset_index(drop=True)


def _jaccard_all_shingles(a: str, b: str) -> float:
    sa = {a[i : i + 3] for i in range(len(a) - 2)}
    sb = {b[i : i + 3] for i in range(len(b) - 2)}
    return len(sa & sb) / len(sa | sb)


def test_trap_is_real_template_only_narrative_looks_similar_on_raw_shingles() -> None:
    # Without boilerplate removal the template-only narrative would pass the 0.6 threshold against group B.
    t = normalise(TEMPLATE_ONLY[2])
    assert max(_jaccard_all_shingles(t, normalise(text)) for _, _, text in GROUP_B) >= 0.6


def test_finds_exactly_the_two_planted_groups() -> None:
    out = similar_groups(_corpus())
    assert list(out.columns) == ["group_id", "complaint_id", "is_representative"]
    groups = {gid: set(g["complaint_id"]) for gid, g in out.groupby("group_id")}
    assert groups == {1: {c for c, _, _ in GROUP_A}, 2: {c for c, _, _ in GROUP_B}}  # numbered by size
    assert "T1" not in set(out["complaint_id"])
    assert not any(c.startswith("R") or c.startswith("U") for c in out["complaint_id"])
    # exactly one representative per group: the medoid, i.e. the highest mean Jaccard to the group
    # (worked out by hand on the informative shingles: A2 0.86 ahead of A1/A6 0.83; B1 0.79 ahead of B3 0.73)
    reps = out[out["is_representative"]].set_index("group_id")["complaint_id"]
    assert reps.to_dict() == {1: "A2", 2: "B1"}
    # representative first within its group
    assert out.groupby("group_id")["is_representative"].first().all()
    assert out["group_id"].dtype == "int64" and out["is_representative"].dtype == bool


def test_single_customer_group_is_not_returned() -> None:
    df = pd.DataFrame(REPEATS, columns=["complaint_id", "customer_id", "content"])
    assert similar_groups(df).empty
    # the same narratives from three customers are a group
    df["customer_id"] = ["K1", "K2", "K3", "K3"]
    out = similar_groups(df)
    assert set(out["complaint_id"]) == {"R1", "R2", "R3", "R4"}
    assert similar_groups(df, min_customers=4).empty
    assert similar_groups(df, min_size=5).empty


def test_empty_and_missing_input() -> None:
    empty = pd.DataFrame(columns=["complaint_id", "customer_id", "content"])
    out = similar_groups(empty)
    assert out.empty and list(out.columns) == ["group_id", "complaint_id", "is_representative"]
    df = pd.DataFrame(
        {"complaint_id": ["a", "b", "c"], "customer_id": ["1", "2", "3"], "content": [None, "", float("nan")]}
    )
    assert similar_groups(df).empty


@pytest.mark.parametrize("threshold", [0.6, 0.7])
def test_deterministic(threshold: float) -> None:
    a = similar_groups(_corpus(), threshold=threshold)
    b = similar_groups(_corpus().iloc[::-1].reset_index(drop=True), threshold=threshold)
    pd.testing.assert_frame_equal(a, b)


def test_normalise_is_per_code_point_as_the_lookup_table_assumes() -> None:
    # similar._codes_table() normalises a text one code point at a time: that is only normalise() if no
    # code point lowers to two kept characters, and none above the BMP lowers into the kept ranges
    from dashboard.text.similar import _codes_table

    table = _codes_table()
    for c in range(0x110000):
        if 0xD800 <= c < 0xE000:
            continue
        kept = normalise(chr(c))
        if c > 0xFFFF:
            assert kept == "", hex(c)
        else:
            assert len(kept) <= 1 and table[c] == (ord(kept) if kept else 0), hex(c)


def test_table_normalisation_equals_normalise_on_mixed_text() -> None:
    # an independent check of the array path: the concatenated normalise() of each text, by the regex
    from dashboard.text.similar import _normalised_codes

    texts = [
        "ＡＢＣ客户İstanbul Σσς 123 **王** 𠀀😀 ｘｙｚ",
        None,
        "",
        "KELVIN\u212a 信用卡",
        float("nan"),
        "\x00a\x00b",
    ]
    chars, lengths = _normalised_codes(texts)
    expected = [normalise(t) for t in texts]
    assert lengths.tolist() == [len(e) for e in expected]
    assert "".join(map(chr, chars.tolist())) == "".join(expected)


def test_minhash_is_each_sets_minimum_hash() -> None:
    # Reference in Python integers: hash k of x is the top 32 bits of (a_k * x + b_k) mod 2^64. Sets of 1 to
    # 150 shingles (short ones mostly miss the low-hash shortcut and take the full reduction), one empty.
    import random

    import numpy as np

    from dashboard.text.similar import _hash_params, _minhash, _minhash_all

    rng = random.Random(5)
    n_docs, m, num_perm = 400, 5000, 96
    sets = [sorted(rng.sample(range(m), rng.choice([1, 2, 5, 8, 26, 76, 150]))) for _ in range(n_docs)]
    sets[17] = []
    doc = np.array([d for d, s in enumerate(sets) for _ in s], dtype=np.int64)
    sid = np.array([x for s in sets for x in s], dtype=np.int64)
    a, b = (list(map(int, v)) for v in _hash_params(num_perm, 99))
    expected = np.full((n_docs, num_perm), 2**32 - 1, dtype=np.uint32)
    for d, s in enumerate(sets):
        for k in range(num_perm):
            if s:
                expected[d, k] = min(((a[k] * x + b[k]) % 2**64) >> 32 for x in s)
    np.testing.assert_array_equal(_minhash(doc, sid, n_docs, num_perm, 99), expected)
    np.testing.assert_array_equal(_minhash_all(doc, sid, n_docs, num_perm, 99), expected)


def _brute_force_groups(df: pd.DataFrame, threshold=0.6, min_size=3, min_customers=3, max_df=0.05, floor=30):
    """similar_groups by its definition, in plain Python: every pair's Jaccard over the informative 3-gram
    sets, connected components, the size and customer rules, the medoid (ties: smallest id)."""
    import math

    ids = sorted(df["complaint_id"])
    customer = dict(zip(df["complaint_id"], df["customer_id"]))
    text = {c: normalise(t) for c, t in zip(df["complaint_id"], df["content"])}
    grams = {c: {t[i : i + 3] for i in range(len(t) - 2)} for c, t in text.items()}
    counts: dict[str, int] = {}
    for g in grams.values():
        for x in g:
            counts[x] = counts.get(x, 0) + 1
    cut = max(math.ceil(max_df * len(ids)), floor)
    info = {c: {x for x in grams[c] if counts[x] <= cut} for c in ids}
    info = {c: s for c, s in info.items() if len(s) >= 8}
    kept = [c for c in ids if c in info]

    def jac(p, q):
        return len(info[p] & info[q]) / len(info[p] | info[q])

    parent = {c: c for c in kept}

    def root(c):
        while parent[c] != c:
            c = parent[c]
        return c

    linked = set()
    for i, p in enumerate(kept):
        for q in kept[i + 1 :]:
            if jac(p, q) >= threshold:
                linked |= {p, q}
                parent[root(q)] = root(p)
    components: dict[str, list[str]] = {}
    for c in sorted(linked):
        components.setdefault(root(c), []).append(c)
    out = {}
    for members in components.values():
        if len(members) >= min_size and len({customer[c] for c in members}) >= min_customers:
            score = {c: sum(jac(c, o) for o in members) for c in members}
            best = max(score.values())
            out[frozenset(members)] = min(c for c in members if score[c] >= best - 1e-12)
    return out


@pytest.mark.parametrize("size", [0, 600])
def test_groups_equal_the_brute_force_method(size: int) -> None:
    # The hand-made corpus, and the bench's generated narratives (planted groups of one story retold, and the
    # genuine near-duplicates its small clause banks make): the same groups and representatives as all pairs.
    from bench.similar_bench import make_corpus

    df = _corpus() if size == 0 else make_corpus(size, group_share=0.2, seed=11)[0]
    df = df[["complaint_id", "customer_id", "content"]]
    out = similar_groups(df)
    found = {
        frozenset(g["complaint_id"]): g.loc[g["is_representative"], "complaint_id"].item()
        for _, g in out.groupby("group_id")
    }
    expected = _brute_force_groups(df)
    assert len(expected) >= (2 if size == 0 else 10)
    assert found == expected
