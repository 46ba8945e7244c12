"""Monthly slice counts and the contract's surge rule, used by the generator to keep the background free of
accidental surges and to list every surge that its planted patterns cause.

Slice kinds (every organisation slice counts the organisation's whole subtree; the head office is "total"):
total, category, reason, channel, product, category_reason, branch, branch_category, branch_category_reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import pdtrc

KINDS = (
    "total",
    "category",
    "reason",
    "channel",
    "product",
    "category_reason",
    "branch",
    "branch_category",
    "branch_category_reason",
)


@dataclass(frozen=True)
class Rule:
    ratio: float = 1.5  # volume >= ratio x mean of the previous months
    min_increase: float = 10  # volume - mean >= this
    p_max: float = 0.01  # Poisson P(X >= volume | mean) < p_max
    window: int = 6  # months of history
    min_history: int = 6  # months of history required before a month is judged


CONTRACT = Rule()
# stricter than the contract: the background must not even come close to a surge
BACKGROUND = Rule(ratio=1.4, min_increase=8, p_max=0.05, window=6, min_history=3)


def poisson_sf(volume, mean):
    """P(X >= volume) for X ~ Poisson(mean); 0 when mean is 0 and volume > 0."""
    volume = np.asarray(volume, dtype=float)
    mean = np.asarray(mean, dtype=float)
    with np.errstate(all="ignore"):
        p = pdtrc(volume - 1, np.where(mean > 0, mean, 1.0))
    return np.where(mean > 0, p, np.where(volume > 0, 0.0, 1.0))


def is_surge(volume, mean, rule: Rule = CONTRACT):
    volume = np.asarray(volume, dtype=float)
    mean = np.asarray(mean, dtype=float)
    volume, mean = np.broadcast_arrays(volume, mean)
    cand = (volume >= rule.ratio * mean) & (volume - mean >= rule.min_increase)
    out = np.zeros(volume.shape, dtype=bool)
    if cand.any():
        out[cand] = poisson_sf(volume[cand], mean[cand]) < rule.p_max
    return out


def evaluate(C: np.ndarray, rule: Rule):
    """C: (slices, months) counts. Returns flags, history means (both (slices, months)); months with less than
    rule.min_history months of history are never flagged (their mean is 0)."""
    S, M = C.shape
    cs = np.concatenate([np.zeros((S, 1)), np.cumsum(C, axis=1, dtype=np.float64)], axis=1)
    m = np.arange(M)
    lo = np.maximum(0, m - rule.window)
    h = np.maximum(m - lo, 1)
    means = (cs[:, m] - cs[:, lo]) / h
    valid = m >= rule.min_history
    means[:, ~valid] = 0.0
    flags = is_surge(C, means, rule) & valid
    return flags, means


class SliceCounter:
    """Counts per slice kind and month for rows described by integer code arrays."""

    def __init__(
        self,
        n_org: int,
        ancestors: np.ndarray,
        n_cat: int,
        n_rsn: int,
        n_chan: int,
        n_prod: int,
        n_months: int,
        head: int,
    ):
        self.n_org, self.A, self.head = n_org, ancestors, head  # A[a, o] = a is o or an ancestor of o
        self.n_cat, self.n_rsn, self.n_chan, self.n_prod, self.M = n_cat, n_rsn, n_chan, n_prod, n_months

    def counts(self, month, org, cat, rsn, chan, prod) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """kind -> (keys (slices, k) int array, counts (slices, months))."""
        M = self.M
        key = ((org.astype(np.int64) * self.n_cat + cat) * self.n_rsn + rsn) * M + month
        own = np.bincount(key, minlength=self.n_org * self.n_cat * self.n_rsn * M).astype(np.float64)
        own = own.reshape(self.n_org, -1)
        sub = (self.A @ own).reshape(self.n_org, self.n_cat, self.n_rsn, M)
        own = own.reshape(self.n_org, self.n_cat, self.n_rsn, M)
        out = {}
        tot = own.sum(axis=0)  # (cat, rsn, M)
        out["total"] = (np.zeros((1, 0), dtype=np.int64), tot.sum(axis=(0, 1))[None, :])
        out["category"] = (np.arange(self.n_cat)[:, None], tot.sum(axis=1))
        out["reason"] = (np.arange(self.n_rsn)[:, None], tot.sum(axis=0))
        ci, ri = np.meshgrid(np.arange(self.n_cat), np.arange(self.n_rsn), indexing="ij")
        out["category_reason"] = (np.stack([ci.ravel(), ri.ravel()], 1), tot.reshape(-1, M))
        ch = np.bincount(chan.astype(np.int64) * M + month, minlength=self.n_chan * M).reshape(self.n_chan, M)
        out["channel"] = (np.arange(self.n_chan)[:, None], ch.astype(np.float64))
        ok = prod >= 0
        pr = np.bincount(prod[ok].astype(np.int64) * M + month[ok], minlength=self.n_prod * M)
        out["product"] = (np.arange(self.n_prod)[:, None], pr.reshape(self.n_prod, M).astype(np.float64))
        orgs = np.array([o for o in range(self.n_org) if o != self.head])
        out["branch"] = (orgs[:, None], sub[orgs].sum(axis=(1, 2)))
        oi, ci2 = np.meshgrid(orgs, np.arange(self.n_cat), indexing="ij")
        out["branch_category"] = (np.stack([oi.ravel(), ci2.ravel()], 1), sub[orgs].sum(axis=2).reshape(-1, M))
        oi, ci3, ri3 = np.meshgrid(orgs, np.arange(self.n_cat), np.arange(self.n_rsn), indexing="ij")
        out["branch_category_reason"] = (np.stack([oi.ravel(), ci3.ravel(), ri3.ravel()], 1), sub[orgs].reshape(-1, M))
        return out

    def row_mask(self, kind: str, key: np.ndarray, org, cat, rsn, chan, prod) -> np.ndarray:
        """Rows (of the given arrays) that belong to the slice kind/key."""
        n = len(org)
        if kind == "total":
            return np.ones(n, dtype=bool)
        if kind == "category":
            return cat == key[0]
        if kind == "reason":
            return rsn == key[0]
        if kind == "channel":
            return chan == key[0]
        if kind == "product":
            return prod == key[0]
        if kind == "category_reason":
            return (cat == key[0]) & (rsn == key[1])
        in_sub = self.A[key[0]][org] > 0
        if kind == "branch":
            return in_sub
        if kind == "branch_category":
            return in_sub & (cat == key[1])
        if kind == "branch_category_reason":
            return in_sub & (cat == key[1]) & (rsn == key[2])
        raise KeyError(kind)
