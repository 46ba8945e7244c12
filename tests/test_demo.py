"""Tests of the demo data generator (dashboard.demo): shape, contract conformity, realism and the planted
patterns, each re-checked by an independent computation on the written files."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scipy.stats import poisson

from dashboard import schema
from dashboard.demo.generator import generate

ROWS = 20_000
SEED = 11
END = "2026-10"
MONTHS = 36


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    gt = generate(out, rows=ROWS, seed=SEED, months=MONTHS, end_month=END)
    c = pd.read_parquet(out / "complaints.parquet")
    b = pd.read_parquet(out / "branches.parquet")
    cm = pd.read_parquet(out / "customers_monthly.parquet")
    return dict(dir=out, gt=gt, c=c, b=b, cm=cm)


def _month(ts: pd.Series) -> pd.Series:
    return ts.dt.strftime("%Y-%m")


def _subtree(b: pd.DataFrame, root: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for code, parent in zip(b.branch_code, b.parent_code):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(code)
    out, stack = set(), [root]
    while stack:
        x = stack.pop()
        out.add(x)
        stack.extend(children.get(x, []))
    return out


def _jaccard(a: str, b: str) -> float:
    x = {a[i : i + 3] for i in range(len(a) - 2)}
    y = {b[i : i + 3] for i in range(len(b) - 2)}
    return len(x & y) / len(x | y)


# ---------------------------------------------------------------------------------------------- files & types
def test_files_and_types(demo):
    d = demo["dir"]
    for name in ("branches.parquet", "customers_monthly.parquet", "complaints.parquet", "ground_truth.json"):
        assert (d / name).exists()
    assert json.loads((d / "ground_truth.json").read_text("utf-8"))["params"]["seed"] == SEED
    sc = pq.read_schema(d / "complaints.parquet")
    expected = [col.name for col in schema.COMPLAINTS if col.name != "extracted_at"]
    assert sc.names == expected
    for name in ("complaint_id", "branch_code", "customer_id", "content", "product"):
        assert pa.types.is_string(sc.field(name).type)
    for name in ("received_at", "closed_at"):
        t = sc.field(name).type
        assert pa.types.is_timestamp(t) and t.tz is None
    assert pa.types.is_integer(sc.field("customer_age").type)
    assert pa.types.is_floating(sc.field("amount").type)
    assert pa.types.is_boolean(sc.field("regulator_referred").type)
    sb = pq.read_schema(d / "branches.parquet")
    assert sb.names == [col.name for col in schema.BRANCHES]
    assert all(pa.types.is_string(sb.field(n).type) for n in sb.names if n != "is_outlet")
    assert pa.types.is_boolean(sb.field("is_outlet").type)
    scm = pq.read_schema(d / "customers_monthly.parquet")
    assert scm.names == [col.name for col in schema.CUSTOMERS_MONTHLY]
    assert pa.types.is_string(scm.field("branch_code").type) and pa.types.is_string(scm.field("month").type)
    assert pa.types.is_integer(scm.field("customer_count").type)
    assert pa.types.is_integer(scm.field("elderly_customer_count").type)


# ---------------------------------------------------------------------------------------------- branches
def test_branch_tree(demo):
    b = demo["b"]
    assert b.branch_code.is_unique
    heads = b[b.level == "总行"]
    assert len(heads) == 1 and heads.parent_code.isna().all()
    assert b[b.level != "总行"].parent_code.isin(set(b.branch_code)).all()
    assert set(b.level) == set(schema.LEVELS)
    n = b.level.value_counts()
    assert 12 <= n["一级分行"] <= 20 and 30 <= n["二级分行"] <= 50 and 250 <= n["支行"] <= 350
    # leading zeros kept, codes are digit strings
    assert b.branch_code.str.fullmatch(r"\d{4}(\d{2})?").all()
    assert b.branch_code.str.startswith("0").sum() > 100
    level_of = dict(zip(b.branch_code, b.level))
    order = {lv: i for i, lv in enumerate(schema.LEVELS)}
    for code, parent in zip(b.branch_code, b.parent_code):
        if isinstance(parent, str):
            assert order[level_of[parent]] < order[level_of[code]]
    assert b.province.notna().all() and (b.province.str.len() >= 2).all()


def test_customers_monthly(demo):
    b, cm, gt = demo["b"], demo["cm"], demo["gt"]
    assert (cm.customer_count > 0).all()
    assert cm.month.str.fullmatch(r"\d{4}-\d{2}").all()
    assert cm.month.nunique() == MONTHS and cm.month.max() == END
    assert not cm.duplicated(["branch_code", "month"]).any()
    assert cm.branch_code.isin(set(b.branch_code)).all()
    without = set(b.branch_code) - set(cm.branch_code)
    assert without and without == set(gt["orgs_without_customers"])
    assert gt["head_office_code"] in without
    subs = cm[cm.branch_code.isin(b.branch_code[b.level == "支行"])]
    assert subs.branch_code.nunique() == (b.level == "支行").sum()  # every sub-branch has a base
    assert subs.customer_count.between(4_000, 260_000).all()
    per_month = cm.groupby("month").customer_count.sum()
    assert per_month.iloc[-1] > per_month.iloc[0]  # slowly growing
    assert subs.customer_count.sum() / cm.customer_count.sum() > 0.9  # most customers sit at sub-branches


# ---------------------------------------------------------------------------------------------- complaints
def test_complaint_basics(demo):
    c, b, gt = demo["c"], demo["b"], demo["gt"]
    assert abs(len(c) - ROWS) / ROWS < 0.03
    assert c.complaint_id.is_unique
    assert c.branch_code.isin(set(b.branch_code)).all()
    assert (c.branch_code.map(dict(zip(b.branch_code, b.level))) == "支行").mean() > 0.9
    for col, values in (
        ("channel", schema.CHANNELS),
        ("business_category", schema.BUSINESS_CATEGORIES),
        ("reason", schema.REASONS),
        ("status", schema.STATUSES),
    ):
        assert c[col].notna().all() and c[col].isin(values).all(), col
    for col, values in (
        ("result", schema.RESULTS),
        ("satisfaction", schema.SATISFACTIONS),
        ("root_cause", schema.ROOT_CAUSES),
    ):
        assert c[col].dropna().isin(values).all(), col
    assert c.customer_id.notna().all() and c.content.notna().all()
    months = _month(c.received_at)
    assert months.min() == gt["first_month"] and months.max() == END and months.nunique() == MONTHS
    ages = c.customer_age.dropna()
    assert ages.between(18, 90).all() and 0.005 < c.customer_age.isna().mean() < 0.1
    assert 0.12 <= (ages >= 60).mean() <= 0.25
    assert (c.amount.dropna() > 0).all() and 0.2 < c.amount.notna().mean() < 0.7


def test_handling_consistency(demo):
    c, gt = demo["c"], demo["gt"]
    closed = c.status == schema.CLOSED_STATUS
    assert (closed == c.closed_at.notna()).all()
    assert (c.closed_at[closed] >= c.received_at[closed]).all()
    assert c.result[closed].notna().all() and c.result[~closed].isna().all()
    assert c.satisfaction[closed].notna().all() and c.satisfaction[~closed].isna().all()
    as_of = pd.Timestamp(gt["as_of"])
    assert c.closed_at.max() <= as_of and c.received_at.max() <= as_of
    days = (c.closed_at - c.received_at).dt.total_seconds() / 86400
    assert days.max() <= 61
    assert 0.85 < (days[closed] <= 15).mean() < 0.99  # most closed within the deadline
    assert (days[closed] > 15).sum() > 0
    assert c.root_cause[closed].notna().mean() > 0.8
    open_ = c[~closed]
    assert 0 < len(open_) < 0.05 * len(c)
    assert (open_.received_at >= as_of - pd.Timedelta(days=30)).mean() > 0.7  # more open near the end
    assert set(open_.status) <= {"已受理", "处理中"}


def test_realistic_shares(demo):
    c = demo["c"]
    cat = c.business_category.value_counts(normalize=True)
    assert cat.index[0] == "信用卡" and 0.35 <= cat["信用卡"] <= 0.55
    assert cat["借记卡"] > cat["理财"] and cat["个人贷款"] > cat["外汇"]
    ch = c.channel.value_counts(normalize=True)
    assert ch.index[0] == "客服热线"
    assert 0.04 <= ch["监管转办"] <= 0.12
    reg = c.regulator_referred
    assert reg[c.channel == "监管转办"].all()
    assert 0 < reg[c.channel != "监管转办"].mean() < 0.05
    # reasons fit their categories
    assert (c.reason[c.business_category == "债务催收"] == "债务催收方式和手段").mean() > 0.5
    assert not ((c.business_category == "外汇") & (c.reason == "债务催收方式和手段")).any()
    # Spring Festival dip and 3·15 rise
    per_month = c.groupby(_month(c.received_at)).size()
    assert per_month["2025-03"] > per_month["2025-02"] * 1.15
    assert per_month["2026-03"] > per_month["2026-02"] * 1.15
    # customers: most complain once, some several times
    per_cust = c.customer_id.value_counts()
    assert (per_cust == 1).mean() > 0.75 and (per_cust >= 3).sum() > 20


def test_narratives_personal_data(demo):
    c = demo["c"].content
    mobile = c.str.contains(r"(?<!\d)1[3-9]\d{9}(?!\d)")
    idcard = c.str.contains(r"(?<!\d)\d{17}[\dX](?!\d)")
    card = c.str.contains(r"(?<![\dA-Z])\d{16,19}(?![\dX])")
    name = c.str.contains(r"[\u4e00-\u9fa5](?:先生|女士|某某)")
    anyp = mobile | idcard | card | name
    assert 0.08 < anyp.mean() < 0.18
    assert mobile.sum() > 100 and idcard.sum() > 20 and card.sum() > 20
    assert c[idcard].str.contains(r"\d{17}X").any()
    # and plenty of numbers that are not personal data
    assert c.str.contains(r"\d元").mean() > 0.15
    assert c.str.contains(r"\d+月\d+日").mean() > 0.3
    assert c.str.len().between(20, 400).all()
    # varied background: few repeated texts
    assert c.nunique() > 0.98 * len(c)


def test_personal_data_ground_truth(demo):
    from dashboard.text.masking import id_check_ok, luhn_ok

    c, gt = demo["c"], demo["gt"]
    p = gt["pii"]
    assert 0.08 * len(c) < p["rows_with_any"] < 0.18 * len(c)
    content = c.set_index("complaint_id").content
    assert len(p["examples"]) >= 20
    for ex in p["examples"]:
        text = content[ex["complaint_id"]]
        for key in ("mobile", "id_card", "bank_card", "name"):
            if key in ex:
                assert ex[key] in text
        if "mobile" in ex:
            assert re.fullmatch(r"1[3-9]\d{9}", ex["mobile"])
        if "id_card" in ex:
            assert re.fullmatch(r"\d{17}[\dX]", ex["id_card"]) and id_check_ok(ex["id_card"])
        if "bank_card" in ex:
            assert re.fullmatch(r"\d{16,19}", ex["bank_card"]) and luhn_ok(ex["bank_card"])


# ---------------------------------------------------------------------------------------------- planted
def test_planted_surges_meet_rule(demo):
    c, b, gt = demo["c"], demo["b"], demo["gt"]
    surges = gt["surges"]
    kinds = {s["kind"] for s in surges}
    assert {"category_reason", "branch_category", "branch_category_reason", "product"} <= kinds
    assert any(s["month"] == END for s in surges)
    levels = dict(zip(b.branch_code, b.level))
    months = sorted(_month(c.received_at).unique())
    cm = _month(c.received_at)
    for s in surges:
        mask = pd.Series(True, index=c.index)
        if s["branch_code"] is not None:
            mask &= c.branch_code.isin(_subtree(b, s["branch_code"]))
        if s["kind"] == "branch_category":
            assert levels[s["branch_code"]] in ("一级分行", "二级分行")
        if s["kind"] == "branch_category_reason":
            assert levels[s["branch_code"]] == "支行"
        for col, key in (("business_category", "business_category"), ("reason", "reason"), ("product", "product")):
            if s[key] is not None:
                mask &= c[col] == s[key]
        per = cm[mask].value_counts().reindex(months, fill_value=0)
        i = months.index(s["month"])
        assert i >= 6
        vol, mean = per.iloc[i], per.iloc[i - 6 : i].mean()
        assert vol >= 1.5 * mean and vol - mean >= 10, s
        assert poisson.sf(vol - 1, mean) < 0.01, s
        assert vol == s["volume"] and s["planted_extra"] >= 10


def test_repeat_complainants(demo):
    c, gt = demo["c"], demo["gt"]
    reps = gt["repeat_complainants"]
    assert 15 <= len(reps) <= 25
    by_id = c.set_index("complaint_id")
    for r in reps:
        rows = by_id.loc[r["complaint_ids"]]
        assert 3 <= len(rows) <= 8
        assert (rows.customer_id == r["customer_id"]).all()
        assert (rows.business_category == r["business_category"]).all()
        t = rows.received_at.sort_values()
        gaps = t.diff().dropna().dt.total_seconds() / 86400
        assert (gaps < 30).all() and (gaps > 0).all()
        # every complaint after the first is a repeat by the contract's 30-day rule
        own = c[(c.customer_id == r["customer_id"]) & (c.business_category == r["business_category"])]
        assert set(own.complaint_id) == set(r["complaint_ids"])


def test_recurring_issues(demo):
    c, b, gt = demo["c"], demo["b"], demo["gt"]
    rec = gt["recurring_issues"]
    assert 4 <= len(rec) <= 6
    last6 = sorted(_month(c.received_at).unique())[-6:]
    levels = dict(zip(b.branch_code, b.level))
    for r in rec:
        assert levels[r["branch_code"]] == "支行"
        sel = c[
            (c.branch_code == r["branch_code"])
            & (c.business_category == r["business_category"])
            & (c.reason == r["reason"])
        ]
        active = set(_month(sel.received_at)) & set(last6)
        assert len(active) >= 4 and set(r["months"]) <= active
        in_last6 = sel[_month(sel.received_at).isin(last6)]
        earlier = sel[~_month(sel.received_at).isin(last6)]
        assert len(in_last6) / 6 > 3 * max(len(earlier) / 30, 0.1)  # clearly above its background


def test_similar_clusters(demo):
    c, gt = demo["c"], demo["gt"]
    clusters = gt["similar_clusters"]
    assert 5 <= len(clusters) <= 8
    by_id = c.set_index("complaint_id")
    rng = np.random.default_rng(0)
    all_members = set()
    for cl in clusters:
        rows = by_id.loc[cl["complaint_ids"]]
        assert 15 <= len(rows) <= 60
        assert rows.customer_id.is_unique  # different customers
        assert rows.branch_code.nunique() >= 3
        span = rows.received_at.max() - rows.received_at.min()
        assert span <= pd.Timedelta(days=7)
        assert (rows.business_category == cl["business_category"]).all()
        texts = rows.content.tolist()
        assert cl["representative_text"] in texts
        sims = [_jaccard(texts[i], texts[j]) for i, j in rng.integers(0, len(texts), (150, 2)) if i != j]
        assert np.mean(sims) > 0.6 and np.mean(np.array(sims) > 0.5) > 0.9
        all_members |= set(cl["complaint_ids"])
    # unrelated background narratives of one category are not near-duplicates
    bg = c[~c.complaint_id.isin(all_members) & (c.business_category == "信用卡")].content.tolist()
    pairs = rng.integers(0, len(bg), (3000, 2))
    sims = np.array([_jaccard(bg[i], bg[j]) for i, j in pairs if i != j])
    assert sims.mean() < 0.1 and np.quantile(sims, 0.999) < 0.5


def test_deterministic(demo, tmp_path):
    gt2 = generate(tmp_path, rows=ROWS, seed=SEED, months=MONTHS, end_month=END)
    for name in ("complaints.parquet", "branches.parquet", "customers_monthly.parquet"):
        assert pq.read_table(tmp_path / name).equals(pq.read_table(demo["dir"] / name)), name
    a = {k: v for k, v in gt2.items() if k != "timings_seconds"}
    b = {k: v for k, v in demo["gt"].items() if k != "timings_seconds"}
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_other_seed_and_span(tmp_path):
    gt = generate(tmp_path, rows=5_000, seed=3, months=13, end_month="2025-01")
    c = pd.read_parquet(tmp_path / "complaints.parquet")
    m = _month(c.received_at)
    assert m.min() == "2024-01" and m.max() == "2025-01" and gt["first_month"] == "2024-01"
    assert abs(len(c) - 5_000) / 5_000 < 0.05
    assert re.fullmatch(r"TS\d{14}", c.complaint_id.iloc[0])


def test_every_generation_step_is_announced_before_it_runs(tmp_path):
    from dashboard.demo.generator import _STEP_LABELS

    lines: list[str] = []
    generate(tmp_path / "demo", rows=2000, seed=SEED, months=MONTHS, end_month=END, progress=lines.append)
    expected = []
    for label in _STEP_LABELS.values():
        expected += [f"{label}…", f"{label}：完成"]
    assert [re.sub(r"（\d+ 秒）$", "", line) for line in lines] == expected


def test_narratives_hold_no_template_syntax(demo):
    # hostile H202: synonyms applied inside synonyms left "[至今|到目前]" in 4 % of the narratives
    from dashboard.demo.narratives import expand

    assert not [v for v in expand("我提交了书面材料，至今没有回复") if "[" in v or "|" in v]
    assert not demo["c"].content.str.contains(r"[\[\]|]", regex=True).any()
