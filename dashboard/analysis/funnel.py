"""Funnel plot of complaint rates: each organisation's rate per 10,000 customers against its customer base,
with the average rate and Poisson control limits, so that the organisations really out of line stand apart
from small-number noise.

Model: under the average rate `target` (complaints per customer over the period), an organisation with a
mean monthly customer base of n expects E = target x n complaints, and its count is Poisson(E). The control
limits at coverage c are the c/2-quantiles either side, (1 - c) / 2 and (1 + c) / 2, of Poisson(E), divided
by n (x 10,000 for the rate).

Exact Poisson quantiles are whole numbers, so the limits drawn as curves would be staircases. We use the
interpolation of Spiegelhalter (2005, "Funnel plots for comparing institutional performance", Statistics in
Medicine 24:1185, appendix): with r = the p-quantile of Poisson(E) (scipy.stats.poisson.ppf) and F its
distribution function,

    alpha = (F(r) - p) / (F(r) - F(r - 1)),   limit = (r - alpha) / n

i.e. the point where the distribution function, joined linearly between r - 1 and r, reaches p. An
organisation is outside a limit when its own count is above the upper limit count (or below the lower one)
at its own E: exactly what the drawn curves show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Coverage of the two pairs of control limits (two-sided), as in the usual funnel plots of
# institutional performance: about 2 and 3 standard deviations.
COVERAGES = (0.95, 0.998)
PER = 10_000.0

ABOVE_998 = "高于 99.8% 控制限"
ABOVE_95 = "高于 95% 控制限"
WITHIN = "控制限内"
BELOW_95 = "低于 95% 控制限"
BELOW_998 = "低于 99.8% 控制限"
NO_BASE = "无客户数"
BASE_INCOMPLETE = "客户数不全"  # a member's customer row missing in a month it has complaints (customer_gaps)
STATUS_ORDER = (ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998)
# No organisation qualifies for ranking: the average is of a few complaints, so a limit drawn for an expected
# count far below one flags the one organisation that had a complaint (hostile H151); nobody is judged
NOT_JUDGED = "不作判断"


def poisson_limit(expected, p: float) -> np.ndarray:
    """The interpolated p-quantile of Poisson(expected), as a (fractional) count; vectorised."""
    from scipy.stats import poisson  # here: importing scipy.stats costs 0.6 s of every app start

    expected = np.asarray(expected, dtype=float)
    r = poisson.ppf(p, expected)
    upper_cdf = poisson.cdf(r, expected)
    lower_cdf = poisson.cdf(r - 1, expected)  # 0 when r == 0
    step = upper_cdf - lower_cdf
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(step > 0, (upper_cdf - p) / step, 0.0)
    return np.maximum(r - alpha, 0.0)


def limits(expected, coverage: float) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) control-limit counts at `coverage` for Poisson means `expected`."""
    tail = (1.0 - coverage) / 2.0
    return poisson_limit(expected, tail), poisson_limit(expected, 1.0 - tail)


def target_rate(complaints: pd.Series, customers: pd.Series) -> float | None:
    """The average: total complaints over total customer base of the organisations with a base."""
    base = customers.to_numpy(dtype=float, na_value=np.nan)
    has_base = ~np.isnan(base) & (base > 0)
    total_base = float(base[has_base].sum())
    if total_base <= 0:
        return None
    return float(complaints.to_numpy(dtype=float, na_value=np.nan)[has_base].sum()) / total_base


def classify(
    complaints: pd.Series, customers: pd.Series, target: float | None, base_gaps: pd.Series | None = None
) -> pd.DataFrame:
    """Per organisation: expected count, the four limit counts and its status against them. Without a base,
    客户数不全 when `base_gaps` (rankings_by_org's) says a member's row is missing, else 无客户数."""
    # on arrays, the frame built once: a ranking has a few dozen rows, where pandas' per-operation cost was
    # the time (docs/performance.md, ninth session)
    base = customers.to_numpy(dtype=float, na_value=np.nan)
    has_base = ~np.isnan(base) & (base > 0)
    columns: dict[str, np.ndarray] = {
        "expected": np.where(has_base, np.where(np.isnan(base), 0.0, base) * (target or 0.0), np.nan)
    }
    status = np.full(len(base), NO_BASE, dtype=object)
    if base_gaps is not None:
        status[~has_base & (base_gaps.to_numpy(dtype=float, na_value=np.nan) > 0)] = BASE_INCOMPLETE
    if target is not None and has_base.any():
        expected = columns["expected"][has_base]
        low95, high95 = limits(expected, COVERAGES[0])
        low998, high998 = limits(expected, COVERAGES[1])
        for name, values in (("lower_95", low95), ("upper_95", high95), ("lower_998", low998), ("upper_998", high998)):
            column = np.full(len(base), np.nan)
            column[has_base] = values
            columns[name] = column
        o = complaints.to_numpy(dtype=float, na_value=np.nan)[has_base]
        status[has_base] = np.select(
            [o > high998, o > high95, o < low998, o < low95],
            [ABOVE_998, ABOVE_95, BELOW_998, BELOW_95],
            default=WITHIN,
        )
    out = pd.DataFrame(columns, index=complaints.index)
    out["status"] = pd.Series(status, index=complaints.index, dtype=object)
    return out


def curve(target: float, base_min: float, base_max: float, points: int = 160) -> pd.DataFrame:
    """The limit curves in rate per 10,000 over customer bases from base_min to base_max (log-spaced)."""
    low, high = max(float(base_min), 1.0), max(float(base_max), float(base_min), 1.0)
    base = np.unique(np.geomspace(low / 1.5, high * 1.5, points))
    expected = target * base
    frame = pd.DataFrame({"customers": base, "average": target * PER})
    for coverage, tag in zip(COVERAGES, ("95", "998")):
        lower, upper = limits(expected, coverage)
        frame[f"lower_{tag}"] = lower / base * PER
        frame[f"upper_{tag}"] = upper / base * PER
    return frame
