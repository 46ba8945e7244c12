"""Vectorised composition of complaint narratives (投诉内容) from the fragments in fragments.py.

A narrative is the concatenation of pieces: prefix (by channel), personal data at the head, core sentence (by
business category x reason x amount present, or by the story of a planted pattern), category detail,
follow-up note, handling so far, feeling, demand, personal data at the tail, closing. Each piece is a
template picked per row; its {slots} are filled from per-row Arrow string arrays. Everything runs as Arrow
compute kernels over whole chunks: there is no Python loop per row.
"""

from __future__ import annotations

import re
import zlib
from typing import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.demo import fragments as F
from dashboard.demo import pii
from dashboard.demo.catalog import BIZ_WORD, CATS, FEES, STAFF
from dashboard.schema import CHANNELS, REASONS

_SLOT = re.compile(r"\{(\w+)\}")
EMPTY = ("",)


_ALT = re.compile(r"\[([^\[\]]*)\]")
MAX_VARIANTS = 96


# Synonyms applied to the literal text of every template (outside existing alternations), turning each
# occurrence into an alternation. Patterns avoid compounds such as 手机银行 / 银行卡 / 不但.
SYNONYMS = (
    (re.compile(r"(?<![手机网上该贵家])银行(?![卡的])"), ("银行", "贵行", "该行")),
    (re.compile(r"一直(?!都)"), ("一直", "始终")),
    (re.compile(r"非常"), ("非常", "十分", "特别")),
    (re.compile(r"已经"), ("已经", "早已")),
    (re.compile(r"(?<![并])没有(?!任何人)"), ("没有", "并没有")),
    (re.compile(r"至今"), ("至今", "到现在")),
    (re.compile(r"仍然"), ("仍然", "依然", "还是")),
    (re.compile(r"(?<![不])但(?![是])"), ("但", "但是", "可是")),
    (re.compile(r"多次"), ("多次", "好几次", "屡次")),
    (re.compile(r"认为"), ("认为", "觉得")),
    (re.compile(r"尽快"), ("尽快", "尽早", "抓紧")),
    (re.compile(r"现在"), ("现在", "目前", "如今")),
    (re.compile(r"突然"), ("突然", "忽然")),
    (re.compile(r"(?<![才])发现"), ("发现", "注意到")),
    (re.compile(r"工作人员"), ("工作人员", "员工")),
)


def _add_synonyms(template: str) -> str:
    parts = re.split(r"(\[[^\[\]]*\]|\{\w+\})", template)
    out = []
    for p in parts:
        if p.startswith("[") or p.startswith("{"):
            out.append(p)
            continue
        for rx, alts in SYNONYMS:
            # not inside an alternation added before: 至今 -> [至今|到现在] must not become [至今|到[现在|目前]],
            # which expand leaves half resolved in the text (hostile H202: "[至今|到目前]" in 4 % of narratives)
            pieces = re.split("(\x00[^\x00\x01]*\x01)", p)
            p = "".join(q if q.startswith("\x00") else rx.sub("\x00" + "|".join(alts) + "\x01", q) for q in pieces)
        out.append(p.replace("\x00", "[").replace("\x01", "]"))
    return "".join(out)


def expand(template: str) -> list[str]:
    """All spellings of a template with [a|b|c] alternations and synonyms (a deterministic sample when there
    are many)."""
    template = _add_synonyms(template)
    groups = [g.split("|") for g in _ALT.findall(template)]
    if not groups:
        return [template]
    parts = _ALT.split(template)  # lit, group, lit, group, ..., lit
    sizes = [len(g) for g in groups]
    total = int(np.prod(sizes))
    if total <= MAX_VARIANTS:
        combos = np.array(np.unravel_index(np.arange(total), sizes)).T
    else:
        r = np.random.default_rng(zlib.crc32(template.encode()))
        combos = np.stack([r.integers(0, s, MAX_VARIANTS) for s in sizes], axis=1)
    out = []
    for c in combos:
        t = parts[0]
        for gi, ci in enumerate(c):
            t += groups[gi][ci] + parts[2 * gi + 2]
        out.append(t)
    return list(dict.fromkeys(out))


class TemplateSet:
    """Pools of templates; rows pick a pool id and a uniform draw, and are rendered column-wise.

    A pool is a list of base templates; each base is expanded into its spellings. A row picks a base
    uniformly within its pool, then a spelling uniformly within the base."""

    def __init__(self, pools: Sequence[Sequence[str]]):
        flat: list[str] = []
        var_off, var_cnt = [], []
        self.offsets = np.zeros(len(pools), dtype=np.int64)
        self.counts = np.zeros(len(pools), dtype=np.int64)
        for i, p in enumerate(pools):
            if not p:
                raise ValueError(f"empty template pool {i}")
            self.offsets[i] = len(var_off)
            self.counts[i] = len(p)
            for base in p:
                v = expand(base)
                var_off.append(len(flat))
                var_cnt.append(len(v))
                flat.extend(v)
        self.var_off, self.var_cnt = np.array(var_off), np.array(var_cnt)
        self.templates = flat
        parsed = [_SLOT.split(t) for t in flat]  # lit, name, lit, name, ..., lit
        n_slots = max((len(p) - 1) // 2 for p in parsed)
        self.slot_names = sorted({p[i] for p in parsed for i in range(1, len(p), 2)})
        pos = {s: i + 1 for i, s in enumerate(self.slot_names)}  # 0 = the empty value
        lits = np.full((len(flat), n_slots + 1), "", dtype=object)
        names = np.zeros((len(flat), max(n_slots, 1)), dtype=np.int8)
        for t, p in enumerate(parsed):
            for k in range(0, len(p), 2):
                lits[t, k // 2] = p[k]
            for k in range(1, len(p), 2):
                names[t, k // 2] = pos[p[k]]
        self.n_slots = n_slots
        self.lit_arrays = [pa.array(list(lits[:, k]), type=pa.string()) for k in range(n_slots + 1)]
        self.names = names
        self.ends_with_comma = np.array([t.endswith("，") for t in flat])

    def pick(self, pool_ids: np.ndarray, u: np.ndarray) -> np.ndarray:
        c = self.counts[pool_ids]
        x = u * c
        b = self.offsets[pool_ids] + np.minimum(x.astype(np.int64), c - 1)
        u2 = x - np.floor(x)
        vc = self.var_cnt[b]
        return self.var_off[b] + np.minimum((u2 * vc).astype(np.int64), vc - 1)

    def parts(self, tidx: np.ndarray, slots: "SlotSource") -> list[pa.Array]:
        """The rendered pieces (literals and slot values, in order) to be joined by the caller."""
        n = len(tidx)
        take = pa.array(tidx)
        empty = pa.repeat(pa.scalar("", pa.string()), n)
        parts = []
        sub = self.names[tidx]
        used = np.bincount(sub.ravel().astype(np.int64), minlength=len(self.slot_names) + 1) > 0
        values = [empty] + [slots[s] if used[i + 1] else empty for i, s in enumerate(self.slot_names)]
        for k in range(self.n_slots + 1):
            lit = self.lit_arrays[k]
            if k == self.n_slots or pc.max(pc.utf8_length(lit)).as_py():
                parts.append(lit.take(take))
            if k < self.n_slots:
                ni = sub[:, k]
                if not ni.any():
                    continue
                parts.append(pc.choose(pa.array(ni), *values))
        return parts

    def render(self, tidx: np.ndarray, slots: "SlotSource") -> pa.Array:
        parts = self.parts(tidx, slots)
        return parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "")


class SlotSource:
    """Lazily built per-row slot values (Arrow string arrays) for one chunk."""

    def __init__(self, builders: dict[str, Callable[[], pa.Array]]):
        self._b = builders
        self._cache: dict[str, pa.Array] = {}

    def __getitem__(self, name: str) -> pa.Array:
        if name not in self._cache:
            self._cache[name] = self._b[name]()
        return self._cache[name]


# ------------------------------------------------------------------ the template sets, built once
N_CAT, N_RSN = len(CATS), len(REASONS)
STORY_KEYS = tuple(F.STORY)


def _core_pools() -> list[list[str]]:
    pools = []
    for c in CATS:
        for r in REASONS:
            base = list(F.CORE_SPECIFIC.get((c, r), ())) + list(F.CORE_REASON[r])
            for has_amt in (0, 1):
                pools.append([t for t in base if has_amt or "{amount}" not in t])
    for key in STORY_KEYS:
        for has_amt in (0, 1):
            pools.append([t for t in F.STORY[key] if has_amt or "{amount}" not in t])
    return pools


def core_pool_id(cat: np.ndarray, rsn: np.ndarray, has_amt: np.ndarray, story: np.ndarray) -> np.ndarray:
    bg = (cat.astype(np.int64) * N_RSN + rsn) * 2 + has_amt
    st = N_CAT * N_RSN * 2 + story.astype(np.int64) * 2 + has_amt
    return np.where(story >= 0, st, bg)


class Sets:
    def __init__(self):
        self.prefix = TemplateSet([F.PREFIX[c] for c in CHANNELS])
        self.pii = TemplateSet([k[0] for k in F.PII_KINDS] + [EMPTY])
        self.core = TemplateSet(_core_pools())
        self.detail = TemplateSet([F.DETAIL_CAT[c] for c in CATS] + [EMPTY])
        self.context = TemplateSet([F.CONTEXT, EMPTY])
        self.followup = TemplateSet([F.FOLLOWUP, EMPTY])
        self.process = TemplateSet([F.PROCESS, EMPTY])
        self.feeling = TemplateSet([F.FEELING, EMPTY])
        self.demand = TemplateSet([tuple(F.DEMAND_REASON.get(r, ())) + F.DEMAND_GENERIC for r in REASONS] + [EMPTY])
        self.closing = TemplateSet([F.CLOSING, EMPTY])


_SETS: Sets | None = None


def sets() -> Sets:
    global _SETS
    if _SETS is None:
        _SETS = Sets()
    return _SETS


# ------------------------------------------------------------------ helpers for slot values
def _s(a) -> pa.Array:
    return pc.cast(pa.array(a), pa.string())


def _pad(a, width: int) -> pa.Array:
    return pc.utf8_lpad(_s(a), width=width, padding="0")


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _pick_list(rng, values: Sequence[str], n: int) -> pa.Array:
    return pa.array(list(values), type=pa.string()).take(pa.array(rng.integers(0, len(values), n)))


def _pick_by_cat(rng, lists: dict, cat: np.ndarray) -> pa.Array:
    flat, off, cnt = [], [], []
    for c in CATS:
        off.append(len(flat))
        cnt.append(len(lists[c]))
        flat.extend(lists[c])
    off, cnt = np.array(off), np.array(cnt)
    idx = off[cat] + (rng.random(len(cat)) * cnt[cat]).astype(np.int64)
    return pa.array(flat, type=pa.string()).take(pa.array(idx))


def _dates(days: np.ndarray, start: np.datetime64):
    d = start + days.astype("timedelta64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = (d.astype("datetime64[M]") - d.astype("datetime64[Y]")).astype(np.int64) + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, m, dd


def _md(m, d) -> pa.Array:
    return _join(_s(m), "月", _s(d), "日")


def format_amount(rng, amt: np.ndarray) -> pa.Array:
    """Amounts in yuan as a customer writes them: 5,000元 / 5000元 / 5000.00元 / 5万元 / 123.45元."""
    a = np.nan_to_num(amt, nan=0.0)
    ip = np.floor(a + 1e-9).astype(np.int64)
    cents = np.rint((a - ip) * 100).astype(np.int64)
    has_cents = cents > 0
    g1, g2, g3 = ip // 1_000_000, (ip // 1000) % 1000, ip % 1000
    s3 = _s(g3)
    comma = pc.if_else(
        pa.array(g1 > 0),
        _join(_s(g1), ",", _pad(g2, 3), ",", _pad(g3, 3)),
        pc.if_else(pa.array(ip >= 1000), _join(_s(ip // 1000), ",", _pad(g3, 3)), s3),
    )
    plain = _s(ip)
    form = rng.random(len(a))
    whole = pc.if_else(pa.array(form < 0.5), comma, pc.if_else(pa.array(form < 0.85), plain, _join(plain, ".00")))
    wan = _join(_s(ip // 10000), "万")
    whole = pc.if_else(pa.array((ip >= 10000) & (ip % 10000 == 0) & (form < 0.3)), wan, whole)
    with_cents = _join(pc.if_else(pa.array(form < 0.5), comma, plain), ".", _pad(cents, 2))
    out = _join(pc.if_else(pa.array(has_cents), with_cents, whole), "元")
    return pc.if_else(pa.array(np.isnan(amt)), pa.scalar("一笔钱"), out)


_RATES = {c: ("3.2%", "2.75%", "4%", "3.85%", "2.1%") for c in CATS} | {
    "信用卡": ("15%", "17.5%", "13.8%", "18%", "16.2%"),
    "个人贷款": ("4.9%", "5.39%", "5.88%", "4.65%", "6.2%", "5.1%"),
    "理财": ("3.5%", "4.2%", "3.8%", "2.9%", "4.5%", "3.1%"),
    "债务催收": ("18%", "24%", "15%"),
}
_ORDINAL = np.array(["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"], dtype=object)


class Context:
    """Per-chunk row attributes the narratives need (numpy arrays of equal length)."""

    def __init__(
        self,
        *,
        cat,
        rsn,
        prod_name: pa.Array,
        chan,
        amt,
        age,
        org,
        recv_day,
        prev_day,
        k,
        story,
        pii_kind,
        start: np.datetime64,
        org_short,
        org_city,
        org_reg,
    ):
        self.cat, self.rsn, self.prod_name, self.chan, self.amt = cat, rsn, prod_name, chan, amt
        self.age, self.org, self.recv_day, self.prev_day, self.k = age, org, recv_day, prev_day, k
        self.story, self.pii_kind, self.start = story, pii_kind, start
        self.org_short, self.org_city, self.org_reg = org_short, org_city, org_reg


def render(rng: np.random.Generator, cx: Context) -> tuple[pa.Array, dict]:
    """Narratives for one chunk, plus the personal data values written into them (numpy S/object arrays,
    empty where absent) keyed by type."""
    S = sets()
    n = len(cx.cat)
    has_amt = ~np.isnan(cx.amt)
    # event date: a few days before receipt
    off = np.minimum(rng.geometric(0.25, n) - 1, 40)
    ev_day = cx.recv_day - off
    y, m, d = _dates(ev_day, cx.start)
    later = ev_day + np.floor(rng.random(n) * (off + 1)).astype(np.int64)
    _, m2, d2 = _dates(later, cx.start)
    _, mp, dp = _dates(np.where(cx.prev_day >= 0, cx.prev_day, ev_day), cx.start)

    # personal data (only for rows that carry it)
    pk = cx.pii_kind
    kinds = F.PII_KINDS
    need = {t: np.zeros(n, dtype=bool) for t in ("name", "mobile", "idcard", "card")}
    for ki, (_, types) in enumerate(kinds):
        for t in types:
            need[t] |= pk == ki
    values: dict[str, np.ndarray] = {}
    ix = np.flatnonzero(need["mobile"])
    values["mobile"] = np.zeros(n, dtype="S11")
    values["mobile"][ix] = pii.mobiles(rng, ix.size)
    ix = np.flatnonzero(need["idcard"])
    values["idcard"] = np.zeros(n, dtype="S18")
    by = np.where(cx.age[ix] >= 0, y[ix] - cx.age[ix], rng.integers(1950, 2004, ix.size))
    values["idcard"][ix] = pii.id_cards(rng, ix.size, by)
    ix = np.flatnonzero(need["card"])
    values["card"] = np.zeros(n, dtype="S19")
    values["card"][ix] = pii.bank_cards(rng, ix.size)
    ix = np.flatnonzero(need["name"])
    values["name"] = np.full(n, "", dtype=object)
    values["name"][ix] = pii.names(rng, ix.size, F.SURNAMES, F.NAME_SUFFIX)

    def when():
        md = _md(m, d)
        forms = [
            md,
            _join(_s(y), "年", md),
            _join(md, "上午"),
            _join(md, "下午"),
            _join(md, "晚上"),
            _pick_list(rng, F.FUZZY_WHEN, n),
        ]
        idx = rng.choice(len(forms), n, p=[0.3, 0.12, 0.08, 0.08, 0.04, 0.38]).astype(np.int8)
        return pc.choose(pa.array(idx), *forms)

    org_take = pa.array(cx.org)
    serial_rand = rng.integers(0, 10000, n)
    b = {
        "subj": lambda: _pick_list(rng, F.SUBJ, n),
        "when": when,
        "date2": lambda: _md(m2, d2),
        "prev": lambda: _md(mp, dp),
        "k": lambda: pa.array(_ORDINAL[np.clip(cx.k, 0, 10)], type=pa.string()),
        "gap": lambda: _s(np.maximum(cx.recv_day - np.where(cx.prev_day >= 0, cx.prev_day, cx.recv_day - 1), 1)),
        "product": lambda: cx.prod_name,
        "biz": lambda: pa.array([BIZ_WORD[c] for c in CATS], type=pa.string()).take(pa.array(cx.cat)),
        "fee": lambda: _pick_by_cat(rng, FEES, cx.cat),
        "staff": lambda: _pick_by_cat(rng, STAFF, cx.cat),
        "rate": lambda: _pick_by_cat(rng, _RATES, cx.cat),
        "branch": lambda: cx.org_short.take(org_take),
        "city": lambda: cx.org_city.take(org_take),
        "reg": lambda: cx.org_reg.take(pa.array(cx.org.astype(np.int64) * 3 + rng.integers(0, 3, n))),
        "amount": lambda: format_amount(rng, cx.amt),
        "days": lambda: _pick_list(rng, F.DAYS, n),
        "hold": lambda: _pick_list(rng, F.HOLD, n),
        "wait": lambda: _pick_list(rng, F.WAIT, n),
        "n": lambda: _pick_list(rng, F.N_WORD, n),
        "calls": lambda: _pick_list(rng, F.CALLS, n),
        "docs": lambda: _pick_list(rng, F.DOCS, n),
        "limit_change": lambda: _pick_list(rng, F.LIMIT_CHANGE, n),
        "limit_small": lambda: _pick_list(rng, F.LIMIT_SMALL, n),
        "small": lambda: _pick_list(rng, F.SMALL, n),
        "years": lambda: _pick_list(rng, F.YEARS, n),
        "period": lambda: _pick_list(rng, F.PERIOD, n),
        "serial": lambda: _join(_s(y), _pad(m, 2), _pad(d, 2), _pad(serial_rand, 4)),
        "tail": lambda: _pad(rng.integers(0, 10000, n), 4),
        "time": lambda: _join(_pad(rng.integers(7, 23, n), 2), ":", _pad(rng.integers(0, 60, n), 2)),
        "pcode": lambda: _join(_pick_list(rng, F.PCODE_HEAD, n), _pad(rng.integers(0, 1_000_000, n), 6)),
        "age": lambda: pc.if_else(pa.array(cx.age >= 0), _s(cx.age), pa.scalar("六十多")),
        "dom": lambda: _s(rng.integers(1, 29, n)),
        "name": lambda: pa.array(values["name"], type=pa.string()),
        "mobile": lambda: pc.cast(pa.array(values["mobile"]), pa.string()),
        "idcard": lambda: pc.cast(pa.array(values["idcard"]), pa.string()),
        "card": lambda: pc.cast(pa.array(values["card"]), pa.string()),
    }
    slots = SlotSource(b)

    def opt(p: float, pool: np.ndarray | int, empty_pool: int) -> np.ndarray:
        return np.where(rng.random(n) < p, pool, empty_pool)

    u = rng.random
    pieces: list[pa.Array] = []
    pieces += S.prefix.parts(S.prefix.pick(cx.chan.astype(np.int64), u(n)), slots)
    pii_pool = np.where(pk >= 0, pk, len(kinds)).astype(np.int64)
    pii_t = S.pii.pick(pii_pool, u(n))
    pii_txt = S.pii.render(pii_t, slots)
    head_mask = pa.array(S.pii.ends_with_comma[pii_t] | (u(n) < 0.5))
    empty = pa.scalar("", pa.string())
    pieces.append(pc.if_else(head_mask, pii_txt, empty))
    core_pool = core_pool_id(cx.cat, cx.rsn, has_amt.astype(np.int64), cx.story)
    pieces += S.core.parts(S.core.pick(core_pool, u(n)), slots)
    # at least one of detail / context, and usually one of process / feeling: no bare two-sentence texts
    r1 = u(n)
    has_detail = r1 < 0.6
    has_context = (r1 >= 0.6) | (u(n) < 0.3)
    pieces += S.detail.parts(S.detail.pick(np.where(has_detail, cx.cat.astype(np.int64), N_CAT), u(n)), slots)
    pieces += S.context.parts(S.context.pick(np.where(has_context, 0, 1), u(n)), slots)
    fu = np.where(cx.prev_day >= 0, 0, 1)
    pieces += S.followup.parts(S.followup.pick(fu, u(n)), slots)
    r2 = u(n)
    has_process = r2 < 0.55
    has_feeling = (r2 >= 0.55) & (r2 < 0.85) | (u(n) < 0.25)
    pieces += S.process.parts(S.process.pick(np.where(has_process, 0, 1), u(n)), slots)
    pieces += S.feeling.parts(S.feeling.pick(np.where(has_feeling, 0, 1), u(n)), slots)
    pieces += S.demand.parts(S.demand.pick(opt(0.85, cx.rsn.astype(np.int64), N_RSN), u(n)), slots)
    pieces.append(pc.if_else(head_mask, empty, pii_txt))
    pieces += S.closing.parts(S.closing.pick(opt(0.35, 0, 1), u(n)), slots)
    text = pc.binary_join_element_wise(*pieces, "")
    return text, values
