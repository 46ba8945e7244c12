"""Demo data generator: a realistic complaint extract of a Chinese bank, with planted patterns.

    generate(out_dir, rows=300_000, seed=7, months=36, end_month="2026-10") -> dict

writes into out_dir, in the contract's canonical English column names (dashboard.schema):
  branches.parquet           branch_code, branch_name, parent_code (null for the head office), level, province, city,
                             is_outlet (contract section 7; null = by level for most sub-branches)
  customers_monthly.parquet  branch_code, month ('YYYY-MM'), customer_count (int64), elderly_customer_count (int64): the organisation's own
                             customers. Sub-branches (支行) hold most; tier-1 branches a small own base; about half of
                             the tier-2 branches and the head office have no row at all.
  complaints.parquet         complaint_id, received_at, closed_at (timestamp[us], naive local time), branch_code,
                             channel, business_category, reason, product, customer_id, customer_age (int32),
                             amount (float64, yuan), content, status, result, satisfaction,
                             regulator_referred (bool), root_cause, and contract section 7's deadline_days (int32,
                             15/30/60 or null), referral_source, redress_amount (float64). Rows sorted by received_at.
  ground_truth.json          the returned dict (below).
Codes are strings with leading zeros (head office "0000", tier-1 "0100", tier-2 "0101", sub-branch "010101").
Deterministic for a given seed and parameters. About `rows` complaints (within ~2 %).

Ground truth (ground_truth.json; all codes/values as they appear in the files, months as 'YYYY-MM'):
{
  "generator": "dashboard.demo.generator", "version": 1,
  "params": {"rows", "seed", "months", "end_month"},
  "first_month", "last_month", "as_of" (ISO timestamp: the extraction time; the latest closed_at is before it),
  "counts": {"complaints", "branches", "customers_monthly", "planted_rows"},
  "head_office_code": "0000",
  "orgs_without_customers": [branch_code, ...],          # organisations with no customers_monthly row at all
  "surge_rule": {"ratio": 1.5, "min_increase": 10, "p_max": 0.01, "window": 6},
  "surges": [                                              # planted; each satisfies the contract's rule
    {"id": "S1", "kind": "category_reason" | "branch_category" | "branch_category_reason" | "product",
     "month": "YYYY-MM", "branch_code": str | null, "branch_scope": "subtree" | null,
     "branch_level": "一级分行" | "二级分行" | "支行" | null,
     "business_category": str | null, "reason": str | null, "product": str | null,
     "planted_extra": int,        # rows added on top of the background in that month
     "volume": int, "baseline_mean": float, "p_value": float,   # recomputed on the written data
     "story": str}, ...],
  "incidental_surges": [...],   # every other slice-month meeting the contract's rule (full 6-month history),
                                # each caused by planted rows: same keys as a surge plus "channel" (kind may
                                # also be total/category/reason/channel/branch/category_reason/...), "volume",
                                # "baseline_mean", "p_value" and "caused_by": [plant ids, e.g. "S1", "C3", "R2"].
                                # Branch slices count the organisation's subtree. A bank-wide surge shows up in
                                # many branch slices, so this list is long at large row counts.
  "background_surge_check": {"rule", "iterations", "flagged_slice_months", "rows_removed", "rows_after"},
                                # the background alone was thinned until no slice-month (of the kinds above,
                                # with >= 3 months of history) met even a looser rule (surges.BACKGROUND)
  "recurring_issues": [{"id": "R1", "branch_code", "business_category", "reason", "months": ["YYYY-MM", ...],
                        "planted_counts": {"YYYY-MM": int}, "background_mean_per_month", "story"}, ...],
                                # 支行 x category x reason, complaints in >= 4 of the last 6 months
  "repeat_complainants": [{"id": "P01", "customer_id", "business_category", "complaint_ids": [...in time order],
                           "received_at": [...], "max_gap_days": float}, ...],
  "similar_clusters": [{"id": "C1", "key", "story", "business_category", "reason", "product",
                        "complaint_ids": [...], "customer_ids": [...], "branch_codes": [...distinct],
                        "channels": [...distinct], "first_received_at", "last_received_at",
                        "representative_complaint_id", "representative_text", "mean_jaccard_3gram",
                        "min_jaccard_3gram"}, ...],      # members: distinct customers, within a few days
  "pii": {"rows_with_any", "rows_with_mobile", "rows_with_id_card", "rows_with_bank_card", "rows_with_name",
          "examples": [{"complaint_id", "mobile"?, "id_card"?, "bank_card"?, "name"?}, ...]},
  "stats": {...},              # shares for orientation (categories, channels, elderly, open, regulator)
  "timings_seconds": {...}      # generation time per step (not deterministic)
}
Slice kinds (surges.KINDS): total, category, reason, channel, product, category_reason, branch, branch_category,
branch_category_reason. Surge rule: volume >= 1.5 x mean of the previous 6 months, volume - mean >= 10, Poisson
P(X >= volume | mean) < 0.01. Planted surge extras are sized to reach >= 2 x the mean and p < 1e-6.
Similar clusters: 3-gram Jaccard between members mostly > 0.6; between unrelated background narratives of one
category the 99.99th percentile is about 0.35-0.4 (pairs above 0.5 are about 1 in 10^5..10^6).
Planted ids: surges S1..S4, recurring issues R1..R5, repeat complainants P01..P20, clusters C1..C6.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.demo import catalog as K
from dashboard.demo import clusters as CL
from dashboard.demo import fragments as F
from dashboard.demo import narratives as NR
from dashboard.demo import surges as SG
from dashboard.demo.org import HEAD_OFFICE_CODE, build_orgs
from dashboard.schema import (
    BUSINESS_CATEGORIES,
    CHANNELS,
    LEVELS,
    REASONS,
    REFERRAL_SOURCES,
    RESULTS,
    ROOT_CAUSES,
    SATISFACTIONS,
    STATUSES,
)

CHUNK = 250_000
DAY = 86_400
FOLLOWUP_SHARE = 0.045  # background complaints that are a follow-up of an earlier one within 30 days
PII_SHARE = 0.12
STUCK_SHARE = 0.001  # complaints left open far past the deadline

COLS = (
    "day",
    "sec",
    "org",
    "cust",
    "age",
    "cat",
    "rsn",
    "prod",
    "chan",
    "reg",
    "amt",
    "story",
    "tag",
    "prev_day",
    "k",
    "root",
    "pii_kind",
    "cl_idx",
    "orig",
)
DTYPES = dict(
    day=np.int32,
    sec=np.int32,
    org=np.int16,
    cust=np.int64,
    age=np.int16,
    cat=np.int8,
    rsn=np.int8,
    prod=np.int16,
    chan=np.int8,
    reg=np.bool_,
    amt=np.float64,
    story=np.int16,
    tag=np.int16,
    prev_day=np.int32,
    k=np.int8,
    root=np.int8,
    pii_kind=np.int8,
    cl_idx=np.int32,
    orig=np.bool_,
)


# ====================================================================== small frame helpers
def _frame(n: int, **cols) -> dict:
    f = {}
    defaults = dict(
        sec=0,
        cust=-1,
        age=-1,
        prod=-1,
        reg=False,
        amt=np.nan,
        story=-1,
        tag=-1,
        prev_day=-1,
        k=0,
        root=-1,
        pii_kind=-1,
        cl_idx=-1,
        orig=False,
    )
    for c in COLS:
        v = cols.get(c, defaults.get(c))
        if v is None:
            raise KeyError(c)
        f[c] = (
            np.broadcast_to(np.asarray(v, dtype=DTYPES[c]), (n,)).copy()
            if np.ndim(v) == 0
            else np.asarray(v, dtype=DTYPES[c])
        )
    return f


def _concat(frames: list[dict]) -> dict:
    return {c: np.concatenate([f[c] for f in frames]) for c in COLS}


def _take(f: dict, idx) -> dict:
    return {c: f[c][idx] for c in COLS}


def _len(f: dict) -> int:
    return len(f["day"])


def _ascii(n: int, *parts) -> np.ndarray:
    """Fixed-width ASCII ids as an S<w> array; parts are bytes constants or (int array, digits)."""
    width = sum(len(p) if isinstance(p, bytes) else p[1] for p in parts)
    mat = np.empty((n, width), dtype=np.uint8)
    col = 0
    for p in parts:
        if isinstance(p, bytes):
            mat[:, col : col + len(p)] = np.frombuffer(p, dtype=np.uint8)
            col += len(p)
            continue
        x, w = np.asarray(p[0], dtype=np.int64), p[1]
        for k in range(w):
            mat[:, col + k] = (x // 10 ** (w - 1 - k)) % 10 + 48
        col += w
    return mat.view(f"S{width}").ravel()


def _cond_choice(rng, groups: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Row-wise draw from table[group] (table rows are probability vectors)."""
    groups = np.asarray(groups)
    out = np.zeros(len(groups), dtype=np.int64)
    if len(groups) == 0:
        return out
    g16 = groups.astype(np.int16) if table.shape[0] < 32000 else groups
    order = np.argsort(g16, kind="stable")
    bounds = np.searchsorted(g16[order], np.arange(table.shape[0] + 1))
    for g in range(table.shape[0]):
        lo, hi = bounds[g], bounds[g + 1]
        if hi > lo:
            out[order[lo:hi]] = rng.choice(table.shape[1], hi - lo, p=table[g])
    return out


# ====================================================================== calendar
class Calendar:
    def __init__(self, months: int, end_month: str):
        end = np.datetime64(end_month, "M")
        self.first = end - (months - 1)
        self.M = months
        ms = np.arange(self.first, end + 2)  # month starts incl. the next one
        self.month_labels = [str(m) for m in ms[:-1]]
        self.start = ms[0].astype("datetime64[D]")
        self.month_start_day = (ms.astype("datetime64[D]") - self.start).astype(np.int64)
        self.n_days = int(self.month_start_day[-1])
        self.epoch_start = int((self.start - np.datetime64("1970-01-01")).astype(np.int64)) * DAY
        self.as_of = self.epoch_start + (self.n_days + 4) * DAY + 8 * 3600  # the 5th, 08:00, after end_month
        self.dates = self.start + np.arange(self.n_days)

    def month_of(self, day):
        return np.searchsorted(self.month_start_day, day, side="right") - 1

    def day_weights(self, rng) -> np.ndarray:
        d = self.dates
        t = np.arange(self.n_days) / 365.25
        w = np.exp(0.08 * t)  # slight year-over-year growth
        dow = (d.astype(np.int64) + 3) % 7  # Monday = 0
        w = w * np.where(dow >= 5, 0.72, 1.0)
        years = d.astype("datetime64[Y]").astype(np.int64) + 1970
        month = (d.astype("datetime64[M]") - d.astype("datetime64[Y]")).astype(np.int64) + 1
        dom = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
        for yy in range(int(years.min()), int(years.max()) + 2):  # Spring Festival dip
            cny = np.datetime64(K.SPRING_FESTIVAL.get(yy, f"{yy}-02-05"))
            rel = (d - cny).astype(np.int64)
            w = w * np.where((rel >= -3) & (rel <= 6), 0.5, 1.0)
            w = w * np.where((rel >= -10) & (rel < -3), 0.85, 1.0)
            w = w * np.where((rel > 6) & (rel <= 12), 0.88, 1.0)
        w = w * np.where((month == 10) & (dom <= 7), 0.62, 1.0)  # National Day week
        w = w * np.where((month == 3) & (dom >= 8) & (dom <= 20), 1.2, 1.0)  # around 3·15
        w = w * np.where((month == 3) & (dom >= 14) & (dom <= 16), 1.2, 1.0)
        mi = self.month_of(np.arange(self.n_days))
        w = w * np.exp(rng.normal(0, 0.03, self.M))[mi]
        return w


# ====================================================================== organisation
class Orgs:
    def __init__(self):
        self.list = build_orgs()
        o = self.list
        self.n = len(o)
        self.code = [x.code for x in o]
        self.idx = {c: i for i, c in enumerate(self.code)}
        self.level = np.array([LEVELS.index(x.level) for x in o])
        self.parent = np.array([self.idx[x.parent] if x.parent else -1 for x in o])
        self.head = self.idx[HEAD_OFFICE_CODE]
        A = np.zeros((self.n, self.n))
        for i in range(self.n):
            j = i
            while j >= 0:
                A[j, i] = 1.0
                j = self.parent[j]
        self.A = A
        # organisations are listed depth-first, so every subtree is a contiguous index range [o, sub_end[o])
        self.sub_end = np.arange(self.n) + A.sum(axis=1).astype(np.int64)
        assert all(A[o, o : self.sub_end[o]].all() for o in range(self.n))
        self.subs = np.flatnonzero(self.level == 3)
        self.short = pa.array([x.short for x in o], type=pa.string())
        self.city = pa.array([x.city.removesuffix("市") for x in o], type=pa.string())
        reg = []
        for x in o:
            p = x.province.removesuffix("省").removesuffix("市")
            reg += ["12378热线", f"金融监管总局{p}监管局", f"人民银行{p}分行"]
        self.reg = pa.array(reg, type=pa.string())

    def in_subtree(self, root: int) -> np.ndarray:
        return np.flatnonzero(self.A[root] > 0)


# ====================================================================== generator
# What each step of the generation is, for the progress lines of `python -m dashboard demo`.
_STEP_LABELS = {
    "background": "生成日常投诉",
    "desurge": "平滑随机波动",
    "plants": "植入重复、集中与激增情形",
    "handling": "生成办理过程与个人信息",
    "write": "写出 Parquet 文件",
    "ground_truth": "写出答案文件",
}


class _Gen:
    def __init__(self, out_dir: Path, rows: int, seed: int, months: int, end_month: str):
        if months < 12:
            raise ValueError("months must be at least 12 (planted surges need 6 months of history)")
        if rows < 2000:
            raise ValueError("rows must be at least 2000")
        self.out_dir, self.rows, self.seed, self.months, self.end_month = out_dir, rows, seed, months, end_month
        ss = np.random.SeedSequence(seed)
        self.rngs = [np.random.default_rng(s) for s in ss.spawn(16)]
        self.cal = Calendar(months, end_month)
        self.O = Orgs()
        self.prod_names, self.P_prod = K.product_tables()
        self.P_rsn = K.reason_matrix()
        self.P_chan = K.channel_matrix()
        self.P_amt, self.MU_amt = K.amount_tables()
        self.P_root = K.root_cause_matrix()
        self.plants: list[tuple[str, str]] = []  # tag -> (kind, id)
        self.timings: dict[str, float] = {}

    # ------------------------------------------------------------------ customers
    def customer_base(self):
        rng = self.rngs[0]
        O, M = self.O, self.cal.M
        base0 = np.zeros(O.n)
        lv = O.level
        base0[lv == 3] = np.clip(rng.lognormal(np.log(32000), 0.65, (lv == 3).sum()), 5000, 150000)
        base0[lv == 1] = rng.uniform(3000, 15000, (lv == 1).sum())
        t2 = np.flatnonzero(lv == 2)
        own_t2 = rng.random(t2.size) < 0.5
        base0[t2[own_t2]] = rng.uniform(1000, 8000, own_t2.sum())
        growth = rng.normal(0.004, 0.003, O.n)
        noise = np.cumsum(rng.normal(0, 0.003, (O.n, M)), axis=1)
        cnt = np.rint(base0[:, None] * np.exp(growth[:, None] * np.arange(M) + noise)).astype(np.int64)
        cnt[base0 == 0] = 0
        self.cust_count = cnt
        self.has_base = base0 > 0
        # complaint propensity of each organisation
        f = np.exp(rng.normal(0, 0.3, O.n))
        subs = O.subs
        bad = rng.choice(subs, 8, replace=False)
        f[bad] *= rng.uniform(2.0, 2.6, bad.size)
        self.bad_branches = bad
        w = cnt.mean(axis=1) * f
        w[lv < 3] *= 0.5
        w[O.head] = 0.008 * w.sum()
        self.w_org = w / w.sum()
        self.late_factor = np.exp(rng.normal(0, 0.4, O.n))
        self.late_factor[bad] *= 1.8
        # a weak spot: some sub-branches attract one business line more than others
        self.weak_cat = np.full(O.n, -1)
        pick = subs[rng.random(subs.size) < 0.3]
        weak_choices = [K.CAT[c] for c in ("理财", "个人贷款", "借记卡", "信用卡", "代理业务", "个人存款")]
        self.weak_cat[pick] = rng.choice(weak_choices, pick.size, p=[0.25, 0.2, 0.2, 0.15, 0.1, 0.1])

    def customer_pool(self, n_expected: int):
        rng = self.rngs[1]
        size = np.maximum(30, np.ceil(4.0 * n_expected * self.w_org)).astype(np.int64)
        self.pool_off = np.concatenate([[0], np.cumsum(size)[:-1]])
        self.pool_size = size
        total = int(size.sum())
        self.pool_total = total
        self.pool_age = self._ages(rng, total)
        self.next_fresh = total  # planted customers get ids from here on

    @staticmethod
    def _ages(rng, n: int) -> np.ndarray:
        edges = np.array([[18, 30], [30, 45], [45, 60], [60, 75], [75, 91]])
        b = rng.choice(5, n, p=[0.22, 0.35, 0.26, 0.13, 0.04])
        age = rng.integers(edges[b, 0], edges[b, 1]).astype(np.int16)
        age[rng.random(n) < 0.03] = -1
        return age

    def fresh_customers(self, n: int) -> np.ndarray:
        ids = np.arange(self.next_fresh, self.next_fresh + n)
        self.next_fresh += n
        return ids

    def pool_customers(self, rng, org: np.ndarray) -> np.ndarray:
        return self.pool_off[org] + np.minimum(
            (rng.random(len(org)) * self.pool_size[org]).astype(np.int64), self.pool_size[org] - 1
        )

    # ------------------------------------------------------------------ attribute draws
    @staticmethod
    def age_group(age):
        return np.where((age >= 0) & (age < 35), 0, np.where(age >= 60, 2, 1))

    def draw_category(self, rng, month, ag):
        M = self.cal.M
        base = K.vec(K.CATEGORY_BASE, BUSINESS_CATEGORIES)
        agem = np.stack(
            [K.vec({c: v[g] for c, v in K.CATEGORY_AGE.items()}, BUSINESS_CATEGORIES, 1.0) for g in range(3)]
        )
        frac = np.arange(M) / max(M - 1, 1)
        drift = np.ones((M, len(BUSINESS_CATEGORIES)))
        for c, (a, b) in K.CATEGORY_DRIFT.items():
            drift[:, K.CAT[c]] = a + (b - a) * frac
        table = K.norm(drift[:, None, :] * agem[None, :, :] * base).reshape(M * 3, -1)
        return _cond_choice(rng, month * 3 + ag, table)

    def draw_reason(self, rng, cat):
        return _cond_choice(rng, cat, self.P_rsn)

    def draw_product(self, rng, cat):
        prod = _cond_choice(rng, cat, self.P_prod)
        pnull = K.vec(K.PRODUCT_NULL, BUSINESS_CATEGORIES)[cat]
        return np.where(rng.random(len(cat)) < pnull, -1, prod)

    def draw_channel(self, rng, ag, cat):
        return _cond_choice(rng, ag * len(BUSINESS_CATEGORIES) + cat, self.P_chan.reshape(-1, len(CHANNELS)))

    def draw_amount(self, rng, cat, rsn, force: float | None = None):
        n = len(cat)
        p = self.P_amt[cat, rsn] if force is None else np.full(n, force)
        has = rng.random(n) < p
        a = np.exp(self.MU_amt[cat, rsn] + 1.1 * rng.normal(size=n))
        a = np.clip(a, 1.0, 5_000_000)
        big = a >= 1000
        r = rng.random(n)
        a = np.where(
            big & (r < 0.6), np.round(a, -2), np.where(big, np.round(a), np.where(r < 0.5, np.round(a, 2), np.round(a)))
        )
        a = np.maximum(a, 1.0)
        return np.where(has, a, np.nan)

    def draw_sec(self, rng, chan):
        hours = np.array(
            [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 7, 10, 11, 10, 7, 8, 10, 10, 9, 8, 6, 5, 4.5, 3.5, 2.5, 1.5]
        )
        branch_hours = np.where((np.arange(24) >= 9) & (np.arange(24) < 17), 1.0, 0.0)
        h = np.where(
            chan == K.CHN["网点现场"],
            rng.choice(24, len(chan), p=branch_hours / branch_hours.sum()),
            rng.choice(24, len(chan), p=hours / hours.sum()),
        )
        return (h * 3600 + rng.integers(0, 3600, len(chan))).astype(np.int32)

    def fill_rows(self, rng, day, org, cust, cat=None, rsn=None, prod=None, chan=None, **extra) -> dict:
        """A frame for given days/orgs/customers; missing attributes are drawn like the background."""
        n = len(day)
        age = extra.pop("age", None)
        if age is None:
            age = np.where(cust < self.pool_total, self.pool_age[np.minimum(cust, self.pool_total - 1)], -1)
        ag = self.age_group(age)
        month = self.cal.month_of(day)
        if cat is None:
            cat = self.draw_category(rng, month, ag)
        cat = np.broadcast_to(cat, (n,)).astype(np.int64)
        if rsn is None:
            rsn = self.draw_reason(rng, cat)
        rsn = np.broadcast_to(rsn, (n,)).astype(np.int64)
        if prod is None:
            prod = self.draw_product(rng, cat)
        if chan is None:
            chan = self.draw_channel(rng, ag, cat)
        chan = np.broadcast_to(chan, (n,)).astype(np.int64)
        reg = (chan == K.CHN["监管转办"]) | (rng.random(n) < K.OTHER_REGULATOR_SHARE)
        amt = extra.pop("amt", None)
        if amt is None:
            amt = self.draw_amount(rng, cat, rsn)
        sec = self.draw_sec(rng, chan)
        return _frame(
            n,
            day=day,
            sec=sec,
            org=org,
            cust=cust,
            age=age,
            cat=cat,
            rsn=rsn,
            prod=prod,
            chan=chan,
            reg=reg,
            amt=amt,
            **extra,
        )

    # ------------------------------------------------------------------ background
    def background(self, n_bg: int, rng=None) -> dict:
        rng = rng or self.rngs[2]
        w = self.cal.day_weights(rng)
        counts = rng.multinomial(n_bg, w / w.sum())
        day = np.repeat(np.arange(self.cal.n_days), counts)
        cw = np.cumsum(self.w_org)
        org = np.minimum(np.searchsorted(cw, rng.random(n_bg) * cw[-1]), self.O.n - 1)
        cust = self.pool_customers(rng, org)
        age = self.pool_age[cust]
        ag = self.age_group(age)
        month = self.cal.month_of(day)
        cat = self.draw_category(rng, month, ag)
        weak = self.weak_cat[org]
        ov = (weak >= 0) & (rng.random(n_bg) < 0.12)
        cat[ov] = weak[ov]
        return self.fill_rows(rng, day, org, cust, cat=cat, age=age)

    def followups(self, bg: dict, rng=None) -> dict:
        rng = rng or self.rngs[3]
        n = _len(bg)
        src = np.sort(rng.choice(n, int(FOLLOWUP_SHARE * n), replace=False))
        gap = rng.integers(2, 29, src.size)
        day = bg["day"][src] + gap
        ok = day < self.cal.n_days
        src, day = src[ok], day[ok]
        bg["orig"][src] = True
        cat = bg["cat"][src].astype(np.int64)
        rsn = bg["rsn"][src].astype(np.int64)
        redraw = rng.random(src.size) < 0.2
        rsn[redraw] = self.draw_reason(rng, cat[redraw])
        chan = bg["chan"][src].astype(np.int64)
        esc = rng.random(src.size) < 0.15
        chan[esc] = K.CHN["监管转办"]
        f = self.fill_rows(
            rng,
            day,
            bg["org"][src],
            bg["cust"][src],
            cat=cat,
            rsn=rsn,
            prod=bg["prod"][src],
            chan=chan,
            age=bg["age"][src],
            amt=bg["amt"][src],
            prev_day=bg["day"][src],
            k=2,
        )
        return f

    # ------------------------------------------------------------------ slices
    def counter(self) -> SG.SliceCounter:
        return SG.SliceCounter(
            self.O.n,
            self.O.A,
            len(BUSINESS_CATEGORIES),
            len(REASONS),
            len(CHANNELS),
            len(self.prod_names),
            self.cal.M,
            self.O.head,
        )

    def slice_counts(self, f: dict, sc: SG.SliceCounter):
        month = self.cal.month_of(f["day"])
        return sc.counts(month, f["org"], f["cat"], f["rsn"], f["chan"], f["prod"]), month

    def desurge(self, f: dict) -> tuple[dict, dict]:
        """Remove a few background rows wherever the background alone comes close to a surge."""
        rng = self.rngs[4]
        sc = self.counter()
        n_org, n_rsn = self.O.n, len(REASONS)
        sub_end = self.O.sub_end
        removed_total, flagged_total, it = 0, 0, 0
        for it in range(12):  # noqa: B007  (it: the iterations used, reported after the loop)
            cnts, month = self.slice_counts(f, sc)
            starts = np.searchsorted(month, np.arange(self.cal.M + 1))
            drop = np.zeros(_len(f), dtype=bool)
            flags_by_month: dict[int, list] = {}
            for kind, (keys, C) in cnts.items():
                flags, means = SG.evaluate(C, SG.BACKGROUND)
                for s_, m in zip(*np.nonzero(flags)):
                    flags_by_month.setdefault(int(m), []).append((kind, keys[s_], C[s_, m], means[s_, m]))
            n_flag = sum(len(v) for v in flags_by_month.values())
            eligible = ~f["orig"] & (f["prev_day"] < 0)
            for m, items in flags_by_month.items():
                lo, hi = int(starts[m]), int(starts[m + 1])
                org_m = f["org"][lo:hi].astype(np.int64)
                key = (f["cat"][lo:hi].astype(np.int64) * n_rsn + f["rsn"][lo:hi]) * n_org + org_m
                o_key = np.argsort(key, kind="stable")
                k_sorted = key[o_key]
                o_org = np.argsort(org_m, kind="stable")
                org_sorted = org_m[o_org]
                for kind, k, v, mean in items:
                    still = SG.is_surge(v - np.arange(int(v) + 1), mean, SG.BACKGROUND)
                    r = int(np.argmin(still)) if not still.all() else int(v)
                    if kind == "branch_category_reason" or kind == "branch_category":
                        o, c = int(k[0]), int(k[1])
                        reasons = [int(k[2])] if kind == "branch_category_reason" else range(n_rsn)
                        idx = []
                        for rr in reasons:
                            base = (c * n_rsn + rr) * n_org
                            a, b = np.searchsorted(k_sorted, [base + o, base + sub_end[o]])
                            idx.append(o_key[a:b])
                        cand = np.concatenate(idx)
                    elif kind == "branch":
                        o = int(k[0])
                        a, b = np.searchsorted(org_sorted, [o, sub_end[o]])
                        cand = o_org[a:b]
                    else:
                        sl = slice(lo, hi)
                        cand = np.flatnonzero(
                            sc.row_mask(kind, k, f["org"][sl], f["cat"][sl], f["rsn"][sl], f["chan"][sl], f["prod"][sl])
                        )
                    cand = cand + lo
                    cand = cand[eligible[cand] & ~drop[cand]]
                    if cand.size and r > 0:
                        drop[rng.choice(cand, min(r, cand.size), replace=False)] = True
            flagged_total += n_flag
            if not drop.any():
                break
            removed_total += int(drop.sum())
            f = _take(f, ~drop)
        return f, {
            "rule": SG.BACKGROUND.__dict__,
            "iterations": it + 1,
            "flagged_slice_months": flagged_total,
            "rows_removed": removed_total,
        }

    # ------------------------------------------------------------------ planted patterns
    def add_tag(self, kind: str, pid: str) -> int:
        self.plants.append((kind, pid))
        return len(self.plants) - 1

    def month_days(self, m: int) -> tuple[int, int]:
        return int(self.cal.month_start_day[m]), int(self.cal.month_start_day[m + 1])

    def pick_orgs(self, rng, n: int, candidates: np.ndarray) -> np.ndarray:
        w = self.w_org[candidates]
        return candidates[rng.choice(candidates.size, n, p=w / w.sum())]

    def plant_recurring(self, bg: dict, exclude: set[int]) -> tuple[list[dict], list[dict]]:
        rng = self.rngs[5]
        M = self.cal.M
        specs = (
            ("deposit_to_insurance", "代理业务", "营销方式和手段", ("增额终身寿险", "分红型年金保险"), "员工行为"),
            ("fund_risk_undisclosed", "代理业务", "信息披露", ("代销基金",), "员工行为"),
            ("atm_faults", "借记卡", "服务设施、设备、业务系统", ("一类借记卡", "工资卡"), "系统故障"),
            ("branch_queue_service", "其他", "服务态度及服务质量", ("网点服务",), "员工行为"),
            ("loan_bundled_insurance", "个人贷款", "自主选择权", ("个人消费贷款", "个人经营贷款"), "员工行为"),
        )
        subs = np.array([s for s in self.O.subs if s not in exclude])
        w = self.w_org[subs]
        chosen = subs[rng.choice(subs.size, len(specs), replace=False, p=w / w.sum())]
        frames, truth = [], []
        for i, ((story, c, r, prods, root), org) in enumerate(zip(specs, chosen)):
            pid = f"R{i + 1}"
            tag = self.add_tag("recurring", pid)
            ci, ri = K.CAT[c], K.RSN[r]
            bgm = np.count_nonzero((bg["org"] == org) & (bg["cat"] == ci) & (bg["rsn"] == ri)) / M
            n_active = int(rng.choice([4, 5, 6], p=[0.3, 0.4, 0.3]))
            months = np.sort(rng.choice(np.arange(M - 6, M), n_active, replace=False))
            counts = {}
            for m in months:
                cnt = max(2, int(round(1.5 * bgm))) + 1 + int(rng.poisson(1.0))
                lo, hi = self.month_days(m)
                day = np.sort(rng.integers(lo, hi, cnt))
                cust = self.pool_customers(rng, np.full(cnt, org))
                if story == "deposit_to_insurance":  # elderly customers of that branch
                    seg = np.arange(self.pool_off[org], self.pool_off[org] + self.pool_size[org])
                    old = seg[self.pool_age[seg] >= 60]
                    if old.size:
                        cust = rng.choice(old, cnt)
                pr = np.array([self.prod_names.index(p) for p in prods])[rng.integers(0, len(prods), cnt)]
                fr = self.fill_rows(
                    rng,
                    day,
                    np.full(cnt, org),
                    cust,
                    cat=ci,
                    rsn=ri,
                    prod=pr,
                    story=NR.STORY_KEYS.index(story),
                    tag=tag,
                    root=K.RC[root],
                )
                frames.append(fr)
                counts[self.cal.month_labels[m]] = int(cnt)
            truth.append(
                {
                    "id": pid,
                    "branch_code": self.O.code[org],
                    "business_category": c,
                    "reason": r,
                    "months": sorted(counts),
                    "planted_counts": counts,
                    "background_mean_per_month": round(float(bgm), 3),
                    "story": story,
                }
            )
        return frames, truth

    def plant_repeats(self) -> tuple[list[dict], list[dict]]:
        rng = self.rngs[6]
        n_days = self.cal.n_days
        cats = ("信用卡", "债务催收", "个人贷款", "借记卡", "理财", "支付结算")
        cw = np.array([6, 4, 3, 3, 2, 2], dtype=float)
        frames, truth = [], []
        custs = self.fresh_customers(20)
        for i in range(20):
            pid = f"P{i + 1:02d}"
            tag = self.add_tag("repeat", pid)
            k = int(rng.integers(3, 9))
            gaps = rng.integers(3, 26, k - 1)
            first = int(rng.integers(0, n_days - gaps.sum() - 1))
            day = first + np.concatenate([[0], np.cumsum(gaps)])
            org = int(self.pick_orgs(rng, 1, np.arange(self.O.n)[self.O.level == 3])[0])
            ci = K.CAT[cats[rng.choice(len(cats), p=cw / cw.sum())]]
            ri = int(self.draw_reason(rng, np.array([ci]))[0])
            rsn = np.full(k, ri)
            alt = rng.random(k) < 0.2
            rsn[alt] = self.draw_reason(rng, np.full(alt.sum(), ci))
            age = self._ages(rng, 1)[0]
            prod = int(self.draw_product(rng, np.array([ci]))[0])
            chan = np.full(k, K.CHN["客服热线"])
            chan[0] = self.draw_channel(rng, self.age_group(np.array([age])), np.array([ci]))[0]
            if rng.random() < 0.5:
                chan[-1] = K.CHN["监管转办"]
            amt = self.draw_amount(rng, np.array([ci]), np.array([ri]))[0]
            prev = np.concatenate([[-1], day[:-1]])
            fr = self.fill_rows(
                rng,
                day,
                np.full(k, org),
                np.full(k, custs[i]),
                cat=ci,
                rsn=rsn,
                prod=prod,
                chan=chan,
                age=np.full(k, age),
                amt=np.full(k, amt),
                tag=tag,
                prev_day=prev,
                k=np.where(prev >= 0, np.arange(1, k + 1), 0),
            )
            frames.append(fr)
            truth.append({"id": pid, "business_category": BUSINESS_CATEGORIES[ci], "customer_index": int(custs[i])})
        return frames, truth

    def plant_clusters(self, avoid_months: set[int]) -> tuple[list[dict], list[dict], list[str], list[dict]]:
        rng = self.rngs[7]
        M = self.cal.M
        frames, truth, texts, pii_found = [], [], [], []
        months = [m for m in range(6, M - 1) if m not in avoid_months]
        chosen_months = rng.choice(months, len(CL.SPECS), replace=len(months) < len(CL.SPECS))
        t1 = np.flatnonzero(self.O.level == 1)
        for i, (spec, m) in enumerate(zip(CL.SPECS, chosen_months)):
            pid = f"C{i + 1}"
            tag = self.add_tag("cluster", pid)
            size = int(rng.integers(spec.size[0], spec.size[1] + 1))
            lo, hi = self.month_days(int(m))
            inc = int(rng.integers(lo, max(lo + 1, hi - spec.span_days - 1)))
            day = np.sort(inc + rng.integers(0, spec.span_days, size))
            day = np.minimum(day, self.cal.n_days - 1)
            if spec.scope == "tier1":
                root = int(rng.choice(t1))
                cand = np.array([o for o in self.O.in_subtree(root) if self.O.level[o] == 3])
            else:
                cand = self.O.subs
            org = self.pick_orgs(rng, size, cand)
            chs = list(spec.channels)
            chan = np.array([K.CHN[c] for c in chs])[rng.choice(len(chs), size, p=list(spec.channels.values()))]
            age = rng.integers(60, 83, size).astype(np.int16) if spec.elderly else self._ages(rng, size)
            cust = self.fresh_customers(size)
            y, mo, d = NR._dates(np.array([inc]), self.cal.start)
            md = f"{int(mo[0])}月{int(d[0])}日"
            idx0 = len(texts)
            amts = np.full(size, np.nan)
            kinds = np.full(size, -1)
            for j in range(size):
                with_pii = rng.random() < PII_SHARE
                txt, found = CL.render_member(spec, rng, md, CHANNELS[chan[j]], with_pii)
                texts.append(txt)
                pii_found.append(found)
                amts[j] = found.pop("amount", np.nan)
            fr = self.fill_rows(
                rng,
                day,
                org,
                cust,
                cat=K.CAT[spec.business_category],
                rsn=K.RSN[spec.reason],
                prod=self.prod_names.index(spec.product),
                chan=chan,
                age=age,
                amt=amts,
                tag=tag,
                root=K.RC[spec.root_cause],
                cl_idx=np.arange(idx0, idx0 + size),
                pii_kind=kinds,
            )
            frames.append(fr)
            truth.append(
                {
                    "id": pid,
                    "key": spec.key,
                    "story": spec.story,
                    "business_category": spec.business_category,
                    "reason": spec.reason,
                    "product": spec.product,
                }
            )
        return frames, truth, texts, pii_found

    def choose_surge_targets(self):
        rng = self.rngs[8]
        O = self.O
        t1 = np.flatnonzero(O.level == 1)
        self.t1_pick = int(rng.choice(t1[np.argsort(self.w_org[t1])][3:-3]))
        order = O.subs[np.argsort(self.w_org[O.subs])]
        self.s3_org = int(rng.choice(order[len(order) // 2 :]))

    def plant_surges(self, f: dict) -> tuple[list[dict], list[dict]]:
        rng = self.rngs[8]
        M, O = self.cal.M, self.O
        sc = self.counter()
        cnts, _ = self.slice_counts(f, sc)
        t1_pick, s3_org = self.t1_pick, self.s3_org
        specs = [
            dict(
                kind="category_reason",
                m=M - 5,
                org=None,
                cat="理财",
                rsn="产品收益",
                prod=None,
                story="wealth_nav_drop",
                root="产品设计",
                desc="债市调整导致多只净值型理财产品破净，客户集中投诉收益亏损",
            ),
            dict(
                kind="branch_category",
                m=M - 3,
                org=t1_pick,
                cat="个人贷款",
                rsn=None,
                prod=None,
                story="loan_prepay_queue",
                root="流程缺陷",
                desc="该分行收紧个人贷款额度，提前还款需排队、续贷被拒",
            ),
            dict(
                kind="branch_category_reason",
                m=M - 1,
                org=s3_org,
                cat="借记卡",
                rsn="管理制度、业务规则与流程",
                prod=None,
                story="debit_card_restriction",
                root="流程缺陷",
                desc="该支行集中排查账户，大批借记卡被限制非柜面交易",
            ),
            dict(
                kind="product",
                m=M - 1,
                org=None,
                cat=None,
                rsn=None,
                prod="个人住房贷款",
                story="mortgage_rate_reset",
                root="系统故障",
                desc="存量房贷利率批量调整未生效，客户集中投诉月供未下调",
            ),
        ]
        frames, truth = [], []
        for i, s in enumerate(specs):
            pid = f"S{i + 1}"
            m = s["m"]
            keys, C = cnts[s["kind"]]
            key = []
            if s["kind"] in ("branch_category", "branch_category_reason"):
                key.append(s["org"])
            if s["cat"] is not None:
                key.append(K.CAT[s["cat"]])
            if s["rsn"] is not None:
                key.append(K.RSN[s["rsn"]])
            if s["prod"] is not None:
                key.append(self.prod_names.index(s["prod"]))
            row = int(np.flatnonzero((keys == np.array(key)).all(axis=1))[0])
            v0 = C[row, m]
            mean6 = C[row, m - 6 : m].mean()
            target = max(np.ceil(2.0 * mean6), np.ceil(mean6) + 25)
            while SG.poisson_sf(target, mean6) >= 1e-6:
                target += 1
            extra = int(max(target - v0, 20))
            tag = self.add_tag("surge", pid)
            lo, hi = self.month_days(m)
            day = np.sort(lo + np.floor((hi - lo) * rng.random(extra) ** 0.7).astype(np.int64))
            if s["kind"] == "branch_category_reason":
                org = np.full(extra, s["org"])
            elif s["kind"] == "branch_category":
                cand = np.array([o for o in O.in_subtree(s["org"]) if O.level[o] == 3])
                org = self.pick_orgs(rng, extra, cand)
            else:
                org = self.pick_orgs(rng, extra, np.arange(O.n)[O.level == 3])
            cust = self.pool_customers(rng, org)
            if s["kind"] == "category_reason":
                cat, rsn = K.CAT["理财"], K.RSN["产品收益"]
                pn = ("净值型理财180天", "固收+理财一年期", "稳健理财30天", "养老理财产品", "封闭式理财三年期")
                prod = np.array([self.prod_names.index(p) for p in pn])[
                    rng.choice(5, extra, p=[0.35, 0.3, 0.15, 0.1, 0.1])
                ]
                amt = self.draw_amount(rng, np.full(extra, cat), np.full(extra, rsn), force=0.9)
            elif s["kind"] == "branch_category":
                cat = K.CAT["个人贷款"]
                rsn = np.array(
                    [K.RSN[r] for r in ("管理制度、业务规则与流程", "定价收费", "服务态度及服务质量", "合同条款")]
                )[rng.choice(4, extra, p=[0.6, 0.15, 0.15, 0.1])]
                pn = ("个人住房贷款", "个人经营贷款", "个人消费贷款")
                prod = np.array([self.prod_names.index(p) for p in pn])[rng.choice(3, extra, p=[0.6, 0.25, 0.15])]
                amt = None
            elif s["kind"] == "branch_category_reason":
                cat, rsn = K.CAT["借记卡"], K.RSN["管理制度、业务规则与流程"]
                pn = ("一类借记卡", "工资卡")
                prod = np.array([self.prod_names.index(p) for p in pn])[rng.choice(2, extra, p=[0.6, 0.4])]
                amt = None
            else:
                cat = K.CAT["个人贷款"]
                rsn = np.array([K.RSN[r] for r in ("定价收费", "管理制度、业务规则与流程", "合同条款")])[
                    rng.choice(3, extra, p=[0.55, 0.3, 0.15])
                ]
                prod = np.full(extra, self.prod_names.index("个人住房贷款"))
                amt = None
            root = np.where(rng.random(extra) < 0.8, K.RC[s["root"]], -1)
            fr = self.fill_rows(
                rng,
                day,
                org,
                cust,
                cat=cat,
                rsn=rsn,
                prod=prod,
                amt=amt,
                story=NR.STORY_KEYS.index(s["story"]),
                tag=tag,
                root=root,
            )
            frames.append(fr)
            level = LEVELS[O.level[s["org"]]] if s["org"] is not None else None
            truth.append(
                {
                    "id": pid,
                    "kind": s["kind"],
                    "month": self.cal.month_labels[m],
                    "branch_code": O.code[s["org"]] if s["org"] is not None else None,
                    "branch_scope": "subtree" if s["org"] is not None else None,
                    "branch_level": level,
                    "business_category": s["cat"],
                    "reason": s["rsn"],
                    "product": s["prod"],
                    "planted_extra": extra,
                    "story": s["desc"],
                    "_key": key,
                    "_m": m,
                }
            )
        return frames, truth

    # ------------------------------------------------------------------ handling
    def handling(self, f: dict):
        rng = self.rngs[9]
        n = _len(f)
        recv = self.cal.epoch_start + f["day"].astype(np.int64) * DAY + f["sec"]
        p_late = np.clip(0.05 * self.late_factor[f["org"]], 0.005, 0.3)
        p_late = np.where(f["chan"] == K.CHN["监管转办"], p_late * 1.5, p_late)
        u = rng.random(n)
        fast = np.clip(rng.gamma(1.6, 1.7, n), 0.02, 10)
        dur = np.where(u < 0.66, fast, np.where(u < 0.9, rng.uniform(4, 10, n), rng.uniform(10, 14.9, n)))
        late = rng.random(n) < p_late
        dur = np.where(late, np.where(rng.random(n) < 0.7, rng.uniform(15.1, 30, n), rng.uniform(30, 60, n)), dur)
        close_day = (recv + (dur * DAY).astype(np.int64)) // DAY
        close = close_day * DAY + rng.integers(9 * 3600, 18 * 3600 + 1800, n)
        close = np.where(close < recv + 600, recv + 600 + rng.integers(0, 7200, n), close)
        stuck = (rng.random(n) < STUCK_SHARE) & (recv < self.cal.as_of - 60 * DAY)
        is_open = (close > self.cal.as_of) | stuck
        status = np.where(is_open, np.where((self.cal.as_of - recv < 2 * DAY) | (rng.random(n) < 0.1), 0, 1), 2)
        hard = np.isin(f["rsn"], [K.RSN["产品收益"], K.RSN["合同条款"]])
        res = np.where(hard, rng.choice(4, n, p=K.RESULT_P_HARD), rng.choice(4, n, p=K.RESULT_P))
        sat = _cond_choice(rng, res, np.array(K.SATISFACTION_GIVEN_RESULT))
        root = _cond_choice(rng, f["rsn"].astype(np.int64), self.P_root)
        root = np.where(f["root"] >= 0, f["root"], root)
        filled = np.where(is_open, rng.random(n) < 0.05, rng.random(n) < K.ROOT_CAUSE_FILLED)
        root = np.where(filled, root, -1)
        res = np.where(is_open, -1, res)
        sat = np.where(is_open, -1, sat)
        close = np.where(is_open, -1, close)
        return recv, close, status, res, sat, root

    # ------------------------------------------------------------------ run
    def run(self, progress: Callable[[str], None] = lambda step: None) -> dict:
        t0 = time.perf_counter()
        tick = [t0]

        steps = list(_STEP_LABELS)

        def lap(name):
            now = time.perf_counter()
            self.timings[name] = round(now - tick[0], 3)
            tick[0] = now
            progress(f"{_STEP_LABELS[name]}：完成（{self.timings[name]:.0f} 秒）")
            following = steps[steps.index(name) + 1 :]
            if following:  # say what the next silent stretch is before it starts
                progress(f"{_STEP_LABELS[following[0]]}…")

        progress(f"{_STEP_LABELS[steps[0]]}…")
        self.customer_base()
        surge_share = 0.064 / self.cal.M
        n_small_plants = 6 * 35 + 20 * 5 + 5 * 15
        n_bg = int(round((self.rows - n_small_plants) * (1 - surge_share) / (1 + FOLLOWUP_SHARE * 0.97)))
        self.customer_pool(int(n_bg * (1 + FOLLOWUP_SHARE)))
        bg = self.background(n_bg)
        fu = self.followups(bg)
        target = _len(bg) + _len(fu)
        f = _concat([bg, fu])
        f = _take(f, np.argsort(f["day"], kind="stable"))
        lap("background")
        f, bg_check = self.desurge(f)
        # top up what the de-surging removed, then de-surge again (a few rounds)
        for attempt in range(3):
            deficit = target - _len(f)
            if deficit <= 0.002 * target:
                break
            r = self.rngs[12 + attempt]
            xb = self.background(int(deficit / (1 + FOLLOWUP_SHARE)) + 1, rng=r)
            xf = self.followups(xb, rng=r)
            f = _concat([f, xb, xf])
            f = _take(f, np.argsort(f["day"], kind="stable"))
            f, chk = self.desurge(f)
            for k in ("iterations", "flagged_slice_months", "rows_removed"):
                bg_check[k] += chk[k]
        bg_check["rows_after"] = _len(f)
        lap("desurge")
        self.choose_surge_targets()
        rec_frames, rec_truth = self.plant_recurring(f, {self.s3_org})
        rep_frames, rep_truth = self.plant_repeats()
        M = self.cal.M
        cl_frames, cl_truth, cl_texts, cl_pii = self.plant_clusters({M - 1, M - 3, M - 5})
        f = _concat([f] + rec_frames + rep_frames + cl_frames)
        s_frames, s_truth = self.plant_surges(f)
        f = _concat([f] + s_frames)
        lap("plants")
        recv, close, status, res, sat, root = self.handling(f)
        order = np.argsort(recv, kind="stable")
        f = _take(f, order)
        recv, close, status, res, sat, root = (a[order] for a in (recv, close, status, res, sat, root))
        n = _len(f)
        # complaint ids: TS + yyyymmdd + 6-digit sequence within the day
        rday = recv // DAY
        first = np.searchsorted(rday, rday)
        seq = np.arange(n) - first
        ymd = self._ymd_int(rday)
        cid = _ascii(n, b"TS", (ymd, 8), (seq + 1, 6))
        cust_num = (f["cust"] * 6_700_417 + 1_234_567_891) % 10_000_000_000
        cust_id = _ascii(n, b"C", (cust_num, 10))
        # personal data in narratives
        rng = self.rngs[10]
        bgm = f["cl_idx"] < 0
        has_pii = bgm & (rng.random(n) < PII_SHARE)
        f["pii_kind"] = np.where(has_pii, rng.choice(len(F.PII_KINDS), n, p=F.PII_KIND_P), -1).astype(np.int8)
        lap("handling")
        self.write_small()
        pii_stats = self.write_complaints(f, recv, close, status, res, sat, root, cid, cust_id, cl_texts, cl_pii)
        lap("write")
        gt = self.ground_truth(
            f, recv, cid, cust_id, bg_check, s_truth, rec_truth, rep_truth, cl_truth, cl_texts, pii_stats, status
        )
        lap("ground_truth")
        gt["timings_seconds"] = dict(self.timings, total=round(time.perf_counter() - t0, 3))
        (self.out_dir / "ground_truth.json").write_text(json.dumps(gt, ensure_ascii=False, indent=1), "utf-8")
        return gt

    def _ymd_int(self, day_abs: np.ndarray) -> np.ndarray:
        d = day_abs.astype("datetime64[D]")
        y = d.astype("datetime64[Y]").astype(np.int64) + 1970
        m = (d.astype("datetime64[M]") - d.astype("datetime64[Y]")).astype(np.int64) + 1
        dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
        return y * 10000 + m * 100 + dd

    # ------------------------------------------------------------------ writing
    def write_small(self):
        O = self.O
        br = pa.table(
            {
                "branch_code": pa.array(O.code, pa.string()),
                "branch_name": pa.array([x.name for x in O.list], pa.string()),
                "parent_code": pa.array([x.parent for x in O.list], pa.string()),
                "level": pa.array([x.level for x in O.list], pa.string()),
                "province": pa.array([x.province for x in O.list], pa.string()),
                "city": pa.array([x.city for x in O.list], pa.string()),
                # contract section 7: every 支行 is an outlet (left empty, the contract's default, for most of
                # them); a tier-2 branch's own business department (营业部) counts as one too
                "is_outlet": pa.array(self._outlets(), pa.bool_()),
            }
        )
        pq.write_table(br, self.out_dir / "branches.parquet")
        orgs = np.flatnonzero(self.has_base)
        M = self.cal.M
        cm = pa.table(
            {
                "branch_code": pa.array(np.repeat(np.array(O.code, dtype=object)[orgs], M).tolist(), pa.string()),
                "month": pa.array(self.cal.month_labels * orgs.size, pa.string()),
                "customer_count": pa.array(self.cust_count[orgs].ravel(), pa.int64()),
                "elderly_customer_count": pa.array(self._elderly_base(orgs).ravel(), pa.int64()),
            }
        )
        pq.write_table(cm, self.out_dir / "customers_monthly.parquet")
        self.n_cm = cm.num_rows

    def _outlets(self) -> list[bool | None]:
        """is_outlet per organisation: None (= by level) for 9 in 10 sub-branches, True for the rest of
        them and for a third of the tier-2 branches, False elsewhere. Its own random stream."""
        rng = np.random.default_rng([self.seed, 4243])
        out: list[bool | None] = []
        for level in self.O.level:
            if level == 3:
                out.append(None if rng.random() < 0.9 else True)
            else:
                out.append(bool(level == 2 and rng.random() < 1 / 3))
        return out

    def _elderly_base(self, orgs: np.ndarray) -> np.ndarray:
        """Customers aged 60+ of each organisation's own base: 15-30 % of it, drifting up slowly."""
        rng = np.random.default_rng([self.seed, 4244])
        share = rng.uniform(0.15, 0.30, orgs.size)[:, None] * (1 + 0.002 * np.arange(self.cal.M))[None, :]
        return np.rint(self.cust_count[orgs] * np.clip(share, 0, 1)).astype(np.int64)

    @staticmethod
    def section7(rng, recv, close, reg, amt, res) -> dict:
        """The optional columns of contract section 7 for one chunk, from its own random stream:
        deadline_days (an extension to 30 for most complaints handled past 15 days, 60 for some handled
        past 30, and a few extensions that were then met early; empty = 15 for most of the rest),
        referral_source (referred complaints only: 12378, 12363, 地方监管局, 其他) and redress_amount
        (a part of the amount in dispute, for some complaints resolved in the customer's favour)."""
        n = recv.size
        closed = close >= 0
        days = np.where(closed, (close - recv) / DAY, np.inf)
        u = rng.random(n)
        deadline = np.full(n, -1, dtype=np.int64)  # -1: empty
        deadline[(days > 15) & (days <= 30) & (u < 0.75)] = 30
        deadline[(days > 30) & (u < 0.55)] = 60
        deadline[(days > 30) & (u >= 0.55) & (u < 0.8)] = 30
        deadline[(days <= 15) & (u < 0.02)] = 30  # extended, then closed early
        deadline[~closed & (u < 0.12)] = 30  # open, extended
        stated = (deadline < 0) & (rng.random(n) < 0.3)  # 15 written out for some, empty for most
        deadline[stated] = 15
        src = rng.choice(4, size=n, p=[0.55, 0.25, 0.15, 0.05]).astype(np.int64)
        src[~reg] = -1
        paid = np.isin(res, (0, 1)) & ~np.isnan(amt) & (rng.random(n) < 0.4)
        redress = np.where(paid, np.round(amt * rng.uniform(0.05, 1.0, n), 2), np.nan)
        return {"deadline": deadline, "source": src, "redress": redress}

    def write_complaints(self, f, recv, close, status, res, sat, root, cid, cust_id, cl_texts, cl_pii) -> dict:
        O = self.O
        n = _len(f)
        code_arr = pa.array(O.code, pa.string())
        prod_arr = pa.array(self.prod_names, pa.string())
        biz_arr = pa.array([K.BIZ_WORD[c] for c in BUSINESS_CATEGORIES], pa.string())
        cats = pa.array(BUSINESS_CATEGORIES, pa.string())
        rsns = pa.array(REASONS, pa.string())
        chans = pa.array(CHANNELS, pa.string())
        stats_a = pa.array(STATUSES, pa.string())
        res_a, sat_a, root_a = (pa.array(x, pa.string()) for x in (RESULTS, SATISFACTIONS, ROOT_CAUSES))
        schema = pa.schema(
            [
                ("complaint_id", pa.string()),
                ("received_at", pa.timestamp("us")),
                ("closed_at", pa.timestamp("us")),
                ("branch_code", pa.string()),
                ("channel", pa.string()),
                ("business_category", pa.string()),
                ("reason", pa.string()),
                ("product", pa.string()),
                ("customer_id", pa.string()),
                ("customer_age", pa.int32()),
                ("amount", pa.float64()),
                ("content", pa.string()),
                ("status", pa.string()),
                ("result", pa.string()),
                ("satisfaction", pa.string()),
                ("regulator_referred", pa.bool_()),
                ("root_cause", pa.string()),
                ("deadline_days", pa.int32()),
                ("referral_source", pa.string()),
                ("redress_amount", pa.float64()),
            ]
        )
        epoch_day0 = self.cal.epoch_start // DAY
        counts = dict(rows_with_any=0, rows_with_mobile=0, rows_with_id_card=0, rows_with_bank_card=0, rows_with_name=0)
        examples = []
        keymap = dict(mobile="mobile", idcard="id_card", card="bank_card", name="name")

        def build(ci: int):
            lo = ci * CHUNK
            hi = min(n, lo + CHUNK)
            sl = slice(lo, hi)
            rng = np.random.default_rng([self.seed, 7919, ci])

            def idx(a, null):
                a = np.asarray(a[sl]).astype(np.int64)
                return pa.array(a, mask=a == null)

            prod_col = prod_arr.take(idx(f["prod"], -1))
            cat_i = f["cat"][sl].astype(np.int64)
            cx = NR.Context(
                cat=cat_i,
                rsn=f["rsn"][sl].astype(np.int64),
                prod_name=pc.coalesce(prod_col, biz_arr.take(pa.array(cat_i))),
                chan=f["chan"][sl].astype(np.int64),
                amt=f["amt"][sl],
                age=f["age"][sl].astype(np.int64),
                org=f["org"][sl].astype(np.int64),
                recv_day=recv[sl] // DAY - epoch_day0,
                prev_day=f["prev_day"][sl].astype(np.int64),
                k=f["k"][sl].astype(np.int64),
                story=f["story"][sl].astype(np.int64),
                pii_kind=f["pii_kind"][sl].astype(np.int64),
                start=self.cal.start,
                org_short=O.short,
                org_city=O.city,
                org_reg=O.reg,
            )
            content, vals = NR.render(rng, cx)
            cl = f["cl_idx"][sl]
            clm = cl >= 0
            if clm.any():
                content = pc.replace_with_mask(
                    content, pa.array(clm), pa.array([cl_texts[i] for i in cl[clm]], pa.string())
                )
            # personal data bookkeeping
            has_by = {}
            for key, col in keymap.items():
                has = vals[key] != (b"" if vals[key].dtype.kind == "S" else "")
                if clm.any():
                    has[np.flatnonzero(clm)] = [col in cl_pii[i] for i in cl[clm]]
                has_by[col] = has
            ca = close[sl]
            s7 = self.section7(
                np.random.default_rng([self.seed, 4245, ci]),
                recv[sl],
                ca,
                f["reg"][sl],
                f["amt"][sl],
                np.asarray(res[sl]).astype(np.int64),
            )
            src_a = pa.array(REFERRAL_SOURCES, pa.string())
            t = pa.table(
                {
                    "complaint_id": pc.cast(pa.array(cid[sl]), pa.string()),
                    "received_at": pa.array(recv[sl] * 1_000_000, pa.timestamp("us")),
                    "closed_at": pa.array(ca * 1_000_000, pa.timestamp("us"), mask=ca < 0),
                    "branch_code": code_arr.take(pa.array(f["org"][sl].astype(np.int64))),
                    "channel": chans.take(pa.array(f["chan"][sl].astype(np.int64))),
                    "business_category": cats.take(pa.array(cat_i)),
                    "reason": rsns.take(pa.array(f["rsn"][sl].astype(np.int64))),
                    "product": prod_col,
                    "customer_id": pc.cast(pa.array(cust_id[sl]), pa.string()),
                    "customer_age": pa.array(f["age"][sl].astype(np.int32), pa.int32(), mask=f["age"][sl] < 0),
                    "amount": pa.array(f["amt"][sl], pa.float64(), mask=np.isnan(f["amt"][sl])),
                    "content": content,
                    "status": stats_a.take(pa.array(status[sl].astype(np.int64))),
                    "result": res_a.take(idx(res, -1)),
                    "satisfaction": sat_a.take(idx(sat, -1)),
                    "regulator_referred": pa.array(f["reg"][sl], pa.bool_()),
                    "root_cause": root_a.take(idx(root, -1)),
                    "deadline_days": pa.array(s7["deadline"], pa.int32(), mask=s7["deadline"] < 0),
                    "referral_source": src_a.take(pa.array(s7["source"], mask=s7["source"] < 0)),
                    "redress_amount": pa.array(s7["redress"], pa.float64(), mask=np.isnan(s7["redress"])),
                },
                schema=schema,
            )
            return lo, t, has_by, vals, cl, clm

        n_chunks = (n + CHUNK - 1) // CHUNK
        with (
            pq.ParquetWriter(self.out_dir / "complaints.parquet", schema, compression="zstd") as w,
            ThreadPoolExecutor(max_workers=2) as ex,
        ):
            pending: deque = deque()
            for ci in range(n_chunks):
                pending.append(ex.submit(build, ci))
                if len(pending) < 2 and ci < n_chunks - 1:
                    continue
                while pending and (len(pending) >= 2 or ci == n_chunks - 1):
                    lo, t, has_by, vals, cl, clm = pending.popleft().result()
                    w.write_table(t, row_group_size=CHUNK)
                    anyp = np.zeros(t.num_rows, dtype=bool)
                    for col, has in has_by.items():
                        counts[f"rows_with_{col}"] += int(has.sum())
                        anyp |= has
                    counts["rows_with_any"] += int(anyp.sum())
                    if len(examples) < 40:
                        for j in np.flatnonzero(anyp)[: 40 - len(examples)]:
                            ex_ = {"complaint_id": cid[lo + j].decode()}
                            if clm[j]:
                                ex_.update(cl_pii[cl[j]])
                            else:
                                for key, col in keymap.items():
                                    v = vals[key][j]
                                    v = v.decode() if isinstance(v, bytes) else v
                                    if v:
                                        ex_[col] = v
                            examples.append(ex_)
                    del t
        counts["examples"] = examples
        return counts

    # ------------------------------------------------------------------ ground truth
    def ground_truth(
        self, f, recv, cid, cust_id, bg_check, s_truth, rec_truth, rep_truth, cl_truth, cl_texts, pii_stats, status
    ) -> dict:
        O, cal = self.O, self.cal
        iso = lambda s: str(np.datetime64(int(s), "s"))  # noqa: E731
        tag = f["tag"]
        order_by_tag = np.argsort(tag, kind="stable")
        tag_sorted = tag[order_by_tag]
        bounds = np.searchsorted(tag_sorted, np.arange(len(self.plants) + 1))
        rows_of = {self.plants[t][1]: order_by_tag[bounds[t] : bounds[t + 1]] for t in range(len(self.plants))}
        sc = self.counter()
        cnts, month = self.slice_counts(f, sc)
        # planted surges: recompute on the final data
        for s in s_truth:
            keys, C = cnts[s["kind"]]
            row = int(np.flatnonzero((keys == np.array(s.pop("_key"))).all(axis=1))[0])
            m = s.pop("_m")
            v, mean = C[row, m], C[row, m - 6 : m].mean()
            s["volume"], s["baseline_mean"] = int(v), round(float(mean), 3)
            s["p_value"] = float(SG.poisson_sf(v, mean))
            assert SG.is_surge(v, mean), s
        # all other slice-months meeting the contract's rule
        planted_rows = tag >= 0
        incidental = []
        p_f = _take(f, planted_rows)
        p_month = month[planted_rows]
        planted_keys = {
            (s["kind"], s["month"], s["branch_code"], s["business_category"], s["reason"], s["product"])
            for s in s_truth
        }
        for kind, (keys, C) in cnts.items():
            flags, means = SG.evaluate(C, SG.CONTRACT)
            for srow, m in zip(*np.nonzero(flags)):
                d = self._slice_desc(kind, keys[srow])
                if (
                    kind,
                    cal.month_labels[m],
                    d["branch_code"],
                    d["business_category"],
                    d["reason"],
                    d["product"],
                ) in planted_keys:
                    continue
                pm = p_month == m
                mask = sc.row_mask(
                    kind, keys[srow], p_f["org"][pm], p_f["cat"][pm], p_f["rsn"][pm], p_f["chan"][pm], p_f["prod"][pm]
                )
                tags = np.unique(p_f["tag"][pm][mask])
                d.update(
                    kind=kind,
                    month=cal.month_labels[m],
                    volume=int(C[srow, m]),
                    baseline_mean=round(float(means[srow, m]), 3),
                    p_value=float(SG.poisson_sf(C[srow, m], means[srow, m])),
                    caused_by=[self.plants[t][1] for t in tags],
                )
                incidental.append(d)
        # repeat complainants
        reps = []
        for r in rep_truth:
            ix = rows_of[r["id"]]
            ix = ix[np.argsort(recv[ix], kind="stable")]
            gaps = np.diff(recv[ix]) / DAY
            reps.append(
                {
                    "id": r["id"],
                    "customer_id": cust_id[ix[0]].decode(),
                    "business_category": r["business_category"],
                    "complaint_ids": [cid[i].decode() for i in ix],
                    "received_at": [iso(recv[i]) for i in ix],
                    "max_gap_days": round(float(gaps.max()), 3),
                }
            )
        clusters = []
        for c in cl_truth:
            ix = rows_of[c["id"]]
            ix = ix[np.argsort(recv[ix], kind="stable")]
            txts = [cl_texts[f["cl_idx"][i]] for i in ix]
            grams = [CL.char_ngrams(t) for t in txts]
            sim = np.array([[len(a & b) / len(a | b) for b in grams] for a in grams])
            rep = int(np.argmax(sim.sum(axis=1)))
            off = sim[~np.eye(len(ix), dtype=bool)]
            clusters.append(
                dict(
                    c,
                    complaint_ids=[cid[i].decode() for i in ix],
                    customer_ids=[cust_id[i].decode() for i in ix],
                    branch_codes=sorted({O.code[f["org"][i]] for i in ix}),
                    channels=sorted({CHANNELS[f["chan"][i]] for i in ix}),
                    first_received_at=iso(recv[ix[0]]),
                    last_received_at=iso(recv[ix[-1]]),
                    representative_complaint_id=cid[ix[rep]].decode(),
                    representative_text=txts[rep],
                    mean_jaccard_3gram=round(float(off.mean()), 3),
                    min_jaccard_3gram=round(float(off.min()), 3),
                )
            )
        n = _len(f)
        age = f["age"]
        stats = {
            "category_share": {c: round(float(np.mean(f["cat"] == i)), 4) for i, c in enumerate(BUSINESS_CATEGORIES)},
            "channel_share": {c: round(float(np.mean(f["chan"] == i)), 4) for i, c in enumerate(CHANNELS)},
            "regulator_referred_share": round(float(f["reg"].mean()), 4),
            "elderly_share_of_known_age": round(float(np.mean(age[age >= 0] >= 60)), 4),
            "age_null_share": round(float(np.mean(age < 0)), 4),
            "amount_share": round(float(np.mean(~np.isnan(f["amt"]))), 4),
            "open_count": int(np.sum(status < 2)),
            "distinct_customers": int(np.unique(f["cust"]).size),
            "bad_branches": [O.code[b] for b in self.bad_branches],
        }
        return {
            "generator": "dashboard.demo.generator",
            "version": 1,
            "params": {"rows": self.rows, "seed": self.seed, "months": self.months, "end_month": self.end_month},
            "first_month": cal.month_labels[0],
            "last_month": cal.month_labels[-1],
            "as_of": iso(cal.as_of),
            "counts": {
                "complaints": n,
                "branches": O.n,
                "customers_monthly": self.n_cm,
                "planted_rows": int(planted_rows.sum()),
            },
            "head_office_code": HEAD_OFFICE_CODE,
            "orgs_without_customers": [O.code[i] for i in np.flatnonzero(~self.has_base)],
            "surge_rule": {
                "ratio": SG.CONTRACT.ratio,
                "min_increase": SG.CONTRACT.min_increase,
                "p_max": SG.CONTRACT.p_max,
                "window": SG.CONTRACT.window,
            },
            "surges": s_truth,
            "incidental_surges": incidental,
            "background_surge_check": bg_check,
            "recurring_issues": rec_truth,
            "repeat_complainants": reps,
            "similar_clusters": clusters,
            "pii": pii_stats,
            "stats": stats,
        }

    def _slice_desc(self, kind: str, key) -> dict:
        d = dict(
            branch_code=None,
            branch_scope=None,
            branch_level=None,
            business_category=None,
            reason=None,
            product=None,
            channel=None,
        )
        key = list(key)
        if kind.startswith("branch"):
            o = int(key.pop(0))
            d.update(branch_code=self.O.code[o], branch_scope="subtree", branch_level=LEVELS[self.O.level[o]])
        if kind in ("category", "category_reason", "branch_category", "branch_category_reason"):
            d["business_category"] = BUSINESS_CATEGORIES[int(key.pop(0))]
        if kind in ("reason", "category_reason", "branch_category_reason"):
            d["reason"] = REASONS[int(key.pop(0))]
        if kind == "channel":
            d["channel"] = CHANNELS[int(key.pop(0))]
        if kind == "product":
            d["product"] = self.prod_names[int(key.pop(0))]
        return d


def generate(
    out_dir: Path,
    rows: int = 300_000,
    seed: int = 7,
    months: int = 36,
    end_month: str = "2026-10",
    progress: Callable[[str], None] = lambda step: None,
) -> dict:
    """Write the demo extract (branches, customers_monthly, complaints Parquet + ground_truth.json) into out_dir
    and return the ground truth. See the module docstring for the formats. `progress` is told each step as it
    ends (Chinese, with its seconds): the generation of the default bank takes a minute or two."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return _Gen(out_dir, int(rows), int(seed), int(months), str(end_month)).run(progress)
