"""Rankings that do not swing on noise: the score reconciled with the funnel plot's significance, and each
rank's own uncertainty, so that a rank change within chance is marked as such.

Pure numpy/pandas over the ranking table of analysis/rankings.py (after `score` and funnel.classify); no
Streamlit.

1. Attention tiers (关注结论). The composite score orders organisations by percentiles, and a percentile
   always puts someone first: on a month of a few complaints per sub-branch the top of the list is often
   a branch whose rate is inside the funnel's control limits, i.e. not distinguishable from the average.
   So the final order is by tier first, then by score within the tier:
       tier 0  最需关注  complaint rate above the 99.8 % upper control limit (funnel.ABOVE_998)
       tier 1  需关注    above the 95 % upper limit (funnel.ABOVE_95)
       tier 2  正常波动  inside the limits (or below them): score alone, no significant excess
   (tiers are the complaint rate's: when its weight is 0 the score alone orders, as the user asked).
   A branch inside the limits therefore never ranks above one that is significantly high, however large
   its volume or its score.

2. Rank uncertainty (名次区间). A parametric bootstrap of the period's counts: each organisation's
   complaints ~ Poisson(observed), regulator referrals ~ Poisson(observed); its on-time, satisfaction and
   repeat rates ~ Binomial(denominator, rate) / denominator (closed, surveyed, complaints); average
   handling days kept as observed. Every draw is scored and ranked exactly as the table (percentiles,
   weights, tiers against the organisation's own control limits), SIMULATIONS draws with a fixed seed (the
   same table every run). The 90 % interval of an organisation's rank is the 5th and 95th percentile of its
   simulated ranks. A rank change is within noise (波动内) when the previous rank lies inside this
   period's interval: a move the current counts would produce by chance alone.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from dashboard.analysis import funnel

SIMULATIONS = 400
SEED = 20
INTERVAL = (0.05, 0.95)

TOP = "最需关注"
WATCH = "需关注"
NORMAL = "正常波动"
BELOW = "低于平均"
TIER_OF_STATUS = {funnel.ABOVE_998: 0, funnel.ABOVE_95: 1}
NORMAL_TIER = 2
ATTENTION_LABELS = {0: TOP, 1: WATCH, NORMAL_TIER: NORMAL}
ATTENTION_HELP = (
    "最需关注：万人投诉率高于漏斗图 99.8% 控制限（纯属偶然的概率不足 0.1%）；"
    "需关注：高于 95% 控制限；正常波动：在控制限内，与平均水平的差异可能只是偶然；"
    "低于平均：低于 95% 控制限。排名先按此分档，档内按关注度得分。"
)
NOISE_MARK = "波动内"
ATTENTION_DTYPE = pd.Series(["x"]).dtype  # the attention labels' dtype as pandas infers it for strings


def tiers(status: pd.Series) -> pd.Series:
    """0 (above 99.8 %), 1 (above 95 %), 2 (otherwise) from funnel.classify's status."""
    # on the array: a ranking has a few dozen rows, where pandas' cost per operation was the time
    values = status.to_numpy(dtype=object)
    tier = np.full(len(values), NORMAL_TIER, dtype=int)
    for label, value in TIER_OF_STATUS.items():
        tier[values == label] = value
    return pd.Series(tier, index=status.index, name=status.name)


def attention(status: pd.Series, ranked: pd.Series) -> pd.Series:
    """The 关注结论 of each organisation; empty for the unranked."""
    values = status.to_numpy(dtype=object)
    tier = tiers(status).to_numpy()
    label = np.array([ATTENTION_LABELS[t] for t in range(NORMAL_TIER + 1)], dtype=object)[tier]
    label[(values == funnel.BELOW_95) | (values == funnel.BELOW_998)] = BELOW
    label[~ranked.to_numpy(dtype=bool)] = ""
    return pd.Series(label, index=status.index, dtype=ATTENTION_DTYPE, name=status.name)


def reconciled_rank(score: pd.Series, tier: pd.Series, ranked: pd.Series) -> pd.Series:
    """Rank 1 = most in need of attention: by tier, then by score (highest first); equal keys share a rank
    (1, 2, 2, 4); NA for the unranked."""
    from scipy.stats import rankdata  # here: importing scipy.stats costs 0.6 s of every app start

    values = score.to_numpy(dtype=float, na_value=np.nan)
    key = tier.to_numpy(dtype=float) * 1000.0 - np.round(values, 9)
    valid = ranked.to_numpy(dtype=bool) & ~np.isnan(values)
    rank = np.zeros(len(values), dtype="int64")
    rank[valid] = rankdata(key[valid], method="min")
    name = score.name if tier.name == score.name else None  # as pandas names the result of tier and score
    return pd.Series(pd.arrays.IntegerArray(rank, ~valid), index=score.index, name=name)


# --- the bootstrap ------------------------------------------------------------------------------------


def _percentiles(values: np.ndarray, higher_is_worse: bool) -> np.ndarray:
    """Per row (draw) of values (draws x organisations): 0 (best) .. 100 (worst) among the columns with a
    value, ties at their average place, 50 when one column has a value; NaN where no value."""
    from scipy.stats import rankdata  # here: importing scipy.stats costs 0.6 s of every app start

    out = np.full(values.shape, np.nan)
    valid = ~np.isnan(values[0]) if values.size else np.zeros(values.shape[1], dtype=bool)
    n = int(valid.sum())
    if n == 0:
        return out
    if n == 1:
        out[:, valid] = 50.0
        return out
    oriented = values[:, valid] if higher_is_worse else -values[:, valid]
    places = rankdata(oriented, method="average", axis=1)
    out[:, valid] = (places - 1.0) / (n - 1.0) * 100.0
    return out


def _column(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float)


def _binomial_rate(rng, rate: np.ndarray, denominator: np.ndarray, draws: int) -> np.ndarray:
    """Binomial(denominator, rate) / denominator per draw; NaN where the rate is missing."""
    n = np.nan_to_num(denominator, nan=0.0).round().astype(np.int64)
    has = ~np.isnan(rate) & (n > 0)
    out = np.tile(rate, (draws, 1))
    if has.any():
        p = np.clip(rate[has], 0.0, 1.0)
        out[:, has] = rng.binomial(n[has], p, size=(draws, int(has.sum()))) / n[has]
    return out


def simulated_ranks(
    table: pd.DataFrame,
    weights: dict,
    metrics: Sequence[tuple[str, bool]],
    draws: int = SIMULATIONS,
    seed: int = SEED,
    tiers: bool = True,
) -> np.ndarray:
    """Simulated reconciled ranks (draws x ranked organisations, in the order of table[table.ranked]).
    table: rankings.score()'s output joined with funnel.classify (upper_95, upper_998); metrics: the
    scored metrics as (key, higher_is_worse), weights by key; tiers=False: the score alone orders."""
    from scipy.stats import rankdata

    ranked = table[table["ranked"]]
    n = len(ranked)
    if n == 0:
        return np.empty((draws, 0))
    rng = np.random.default_rng(seed)
    complaints = np.nan_to_num(_column(ranked, "complaints"), nan=0.0)
    # the rates' own base: rankings_by_org's exposure (period-equivalent, hostile H95) where the table has it
    customers = _column(ranked, "exposure" if "exposure" in ranked else "customers")
    sim_complaints = rng.poisson(np.tile(complaints, (draws, 1)))
    referred = np.nan_to_num(_column(ranked, "regulator_referred"), nan=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        base = np.where(customers > 0, customers, np.nan)
        values = {
            "per_10k": sim_complaints * 10_000.0 / base,
            "referred_per_10k": rng.poisson(np.tile(referred, (draws, 1))) * 10_000.0 / base,
        }
    closed = _column(ranked, "closed")
    values["on_time_rate"] = _binomial_rate(
        rng, _column(ranked, "on_time_rate"), np.where(np.isnan(closed), complaints, closed), draws
    )
    values["satisfaction_rate"] = _binomial_rate(
        rng, _column(ranked, "satisfaction_rate"), _column(ranked, "surveyed"), draws
    )
    values["repeat_rate"] = _binomial_rate(rng, _column(ranked, "repeat_rate"), complaints, draws)
    values["avg_handling_days"] = np.tile(_column(ranked, "avg_handling_days"), (draws, 1))
    numerator, denominator = np.zeros((draws, n)), np.zeros((draws, n))
    for key, higher_is_worse in metrics:
        weight = max(float(weights.get(key, 0.0)), 0.0)
        if weight <= 0:
            continue
        p = _percentiles(values[key], higher_is_worse)
        has = ~np.isnan(p)
        numerator += np.where(has, np.nan_to_num(p) * weight, 0.0)
        denominator += np.where(has, weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(denominator > 0, numerator / denominator, 0.0)
    tier = np.full((draws, n), NORMAL_TIER, dtype=float)
    for column, level in (("upper_95", 1), ("upper_998", 0)) if tiers else ():
        limit = _column(ranked, column)
        above = ~np.isnan(limit) & (sim_complaints > limit)
        tier = np.where(above, np.minimum(tier, level), tier)
    return rankdata(tier * 1000.0 - score.round(9), method="min", axis=1)


def rank_intervals(
    table: pd.DataFrame,
    weights: dict,
    metrics: Sequence[tuple[str, bool]],
    draws: int = SIMULATIONS,
    tiers: bool = True,
) -> pd.DataFrame:
    """rank_low, rank_high: the 90 % interval of each ranked organisation's rank (NA for the unranked)."""
    out = pd.DataFrame(
        {
            "rank_low": pd.Series(pd.NA, index=table.index, dtype="Int64"),
            "rank_high": pd.Series(pd.NA, index=table.index, dtype="Int64"),
        }
    )
    ranks = simulated_ranks(table, weights, metrics, draws, tiers=tiers)
    if ranks.size == 0:
        return out
    index = table.index[table["ranked"].to_numpy(dtype=bool)]
    out.loc[index, "rank_low"] = np.quantile(ranks, INTERVAL[0], axis=0, method="lower").astype(int)
    out.loc[index, "rank_high"] = np.quantile(ranks, INTERVAL[1], axis=0, method="higher").astype(int)
    return out


def within_noise(previous_rank: pd.Series, rank_low: pd.Series, rank_high: pd.Series) -> pd.Series:
    """True when the previous rank lies inside this period's 90 % rank interval (the move may be chance);
    False when it lies outside; NA when either is unknown (new, unranked)."""
    known = previous_rank.notna() & rank_low.notna() & rank_high.notna()
    inside = (previous_rank >= rank_low) & (previous_rank <= rank_high)
    return inside.where(known, pd.NA).astype("boolean")


def interval_label(rank_low, rank_high) -> str:
    if pd.isna(rank_low) or pd.isna(rank_high):
        return ""
    return f"{int(rank_low)}" if int(rank_low) == int(rank_high) else f"{int(rank_low)}–{int(rank_high)}"
