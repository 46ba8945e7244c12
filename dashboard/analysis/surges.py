"""Surges (投诉激增): the contract's rule over the slice counts of queries/surges_slice_counts.sql.

A slice surges in a month when, with `mean` the mean of its complaints over the previous 6 months
(months without complaints count as 0):
  * volume >= 1.5 x mean,
  * volume - mean >= 10, and
  * P(X >= volume) < 0.01 for X ~ Poisson(mean).
Thresholds are the defaults of dashboard/config.py and adjustable on the page (SurgeRule).

Decisions (docs/data_contract.md, Surge):
  * Zero or tiny baseline. A Poisson mean of 0 makes every complaint impossible (p = 0), so the p-value
    uses max(mean, 3 / window) = 0.5 for a 6-month window: the "rule of three" upper 95 % bound of a
    monthly rate after six empty months. So a slice new this month surges when it has at least 10
    complaints (P(X >= 10 | 0.5) ~ 1.7e-10), and a steady trickle of one or two complaints is judged
    against at least 0.5 a month. The floor only ever raises p (fewer surges), never lowers it. The ratio
    of a zero baseline is undefined (None, shown as 新出现); the ratio and +10 conditions hold trivially.
  * History. Months before the first month of the data are unknown, not zero: a month is only judged
    when all 6 months before it lie inside the data (history_complete); otherwise nothing is flagged and
    the page says why.
  * Order: by p-value, smallest first; ties (p underflows to 0 for extreme surges) by the excess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Callable

import duckdb
import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analysis.source import Source
from dashboard.config import SURGE_BASELINE_MONTHS, SURGE_MAX_P, SURGE_MIN_EXTRA, SURGE_MIN_RATIO
from dashboard.filters import Filters, add_months
from dashboard.fmt import json_scalar
from dashboard.text.masking import mask

SERIES_MONTHS = 12  # the small chart of each surge
HISTORY = ("history_months", "history_counts")  # surges_slice_counts' monthly counts of a slice

KIND_LABELS = {
    "category_reason": "业务类别×投诉原因",
    "branch_category": "机构×业务类别",
    "branch_category_reason": "机构×业务类别×投诉原因",
    "product": "产品",
}


@dataclass(frozen=True)
class SurgeRule:
    min_ratio: float = SURGE_MIN_RATIO  # volume >= min_ratio x mean
    min_extra: float = SURGE_MIN_EXTRA  # volume - mean >= min_extra
    max_p: float = SURGE_MAX_P  # Poisson P(X >= volume | mean) < max_p
    baseline_months: int = SURGE_BASELINE_MONTHS

    @property
    def mean_floor(self) -> float:
        """The smallest Poisson mean a p-value is computed with (rule of three, see the module doc)."""
        return 3.0 / self.baseline_months

    @property
    def min_complaints(self) -> int:
        """No slice with fewer complaints in the month can surge (volume >= mean + min_extra >= min_extra)."""
        return max(1, math.ceil(self.min_extra))

    def describe(self) -> str:
        return (
            f"当月投诉量 ≥ 前 {self.baseline_months} 个月均值 × {self.min_ratio:g}，比均值多至少 "
            f"{self.min_extra:g} 件，且按泊松分布（均值取前 {self.baseline_months} 个月均值，"
            f"不低于 {self.mean_floor:g}）出现这么多投诉的概率 p < {self.max_p:g}"
        )


def poisson_sf(volume, mean) -> np.ndarray:
    """P(X >= volume) for X ~ Poisson(mean), mean > 0; 1 for volume <= 0."""
    from scipy.special import pdtrc  # here: importing scipy costs ~0.5 s of an app start's first page

    volume = np.asarray(volume, dtype=float)
    mean = np.asarray(mean, dtype=float)
    return np.where(volume > 0, pdtrc(np.maximum(volume - 1, 0), mean), 1.0)


def evaluate(volume, baseline_mean, rule: SurgeRule = SurgeRule()) -> pd.DataFrame:
    """The rule on aligned arrays of month volumes and baseline means: columns complaints, baseline,
    ratio (None where the baseline is 0), extra, p_value, surge."""
    volume = np.asarray(volume, dtype=float)
    mean = np.asarray(baseline_mean, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mean > 0, volume / np.where(mean > 0, mean, 1.0), np.nan)
    extra = volume - mean
    p = poisson_sf(volume, np.maximum(mean, rule.mean_floor))
    surge = (volume >= rule.min_ratio * mean) & (extra >= rule.min_extra) & (p < rule.max_p)
    return pd.DataFrame(
        {
            "complaints": volume.astype(np.int64),
            "baseline": mean,
            "ratio": ratio,
            "extra": extra,
            "p_value": p,
            "surge": surge,
        }
    )


def history_complete(month: date, first_month: date | None, rule: SurgeRule = SurgeRule()) -> bool:
    """Whether all baseline months before `month` lie inside the data (which starts at first_month)."""
    return first_month is not None and first_month <= add_months(month, -rule.baseline_months)


def series(months, counts, month: date, length: int = SERIES_MONTHS) -> list[int]:
    """Dense monthly counts of the `length` months ending at `month`, from the months that have complaints
    and their counts (aligned lists)."""
    by_month = {}
    for m, n in zip(months if months is not None else [], counts if counts is not None else []):
        m = pd.Timestamp(m)  # DuckDB hands a list of dates to pandas as numpy datetime64
        by_month[date(m.year, m.month, 1)] = int(n)
    return [by_month.get(add_months(month, i - length + 1), 0) for i in range(length)]


def find_surges(
    counts: pd.DataFrame,
    month: date,
    rule: SurgeRule = SurgeRule(),
    first_month: date | None = None,
    only_surges: bool = True,
) -> pd.DataFrame:
    """The slices of surges_slice_counts rows that surge in `month`, most significant first.

    Adds baseline (mean of the previous rule.baseline_months months), ratio, extra, p_value, surge and
    series (the last SERIES_MONTHS monthly counts, oldest first). With only_surges=False every row is
    returned with its statistics. With incomplete history (see history_complete) no row surges."""
    columns = [
        *counts.columns.drop(list(HISTORY), errors="ignore"),
        "baseline",
        "ratio",
        "extra",
        "p_value",
        "surge",
        "series",
    ]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    stats = evaluate(counts["complaints"].to_numpy(), counts["baseline_total"].to_numpy() / rule.baseline_months, rule)
    out = counts.drop(columns=list(HISTORY)).reset_index(drop=True)
    for column in ("baseline", "ratio", "extra", "p_value", "surge"):
        out[column] = stats[column].to_numpy()
    if not history_complete(month, first_month, rule) and first_month is not None:
        out["surge"] = False
    months, monthly = counts["history_months"].to_numpy(), counts["history_counts"].to_numpy()
    if only_surges:  # most candidates do not surge: draw the small charts of those that do only
        keep = out["surge"].to_numpy()
        months, monthly, out = months[keep], monthly[keep], out[keep]
    out["series"] = pd.Series([series(m, n, month) for m, n in zip(months, monthly)], index=out.index, dtype=object)
    out = out.sort_values(["p_value", "extra"], ascending=[True, False], kind="mergesort")
    return out.reset_index(drop=True)[columns]


def month_counts(
    query: Callable[..., pd.DataFrame], month: date, rule: SurgeRule = SurgeRule(), **overrides
) -> pd.DataFrame:
    """surges_slice_counts for `month`, asked of query(name, **params) (a loader's source, or a runner with
    the global filters); overrides narrow the counted complaints (a page's search)."""
    return query(
        "surges_slice_counts",
        month_to=month,
        baseline_months=rule.baseline_months,
        series_months=SERIES_MONTHS,
        min_complaints=rule.min_complaints,
        **overrides,
    )


def counted_surges(
    query: Callable[..., pd.DataFrame],
    month: date,
    rule: SurgeRule = SurgeRule(),
    first_month: date | None = None,
    **overrides,
) -> pd.DataFrame:
    """The surging slices of `month`: find_surges over month_counts (the same arguments)."""
    return find_surges(month_counts(query, month, rule, **overrides), month, rule, first_month)


def first_month(start: pd.DataFrame) -> date | None:
    """The month of surges_data_start's row (None without complaints)."""
    value = start["first_month"].iloc[0]
    return None if pd.isna(value) else date(value.year, value.month, 1)


def slice_counts(
    con: duckdb.DuckDBPyConnection, filters: Filters, month: date, rule: SurgeRule = SurgeRule()
) -> pd.DataFrame:
    """surges_slice_counts for `month` under the global filters (their period is not used)."""
    return month_counts(Source.of(con, filters), month, rule)


def data_start(con: duckdb.DuckDBPyConnection, filters: Filters) -> date | None:
    return first_month(db.run(con, "surges_data_start", **filters.params()))


def surges_for_month(
    con: duckdb.DuckDBPyConnection, filters: Filters, month: date, rule: SurgeRule = SurgeRule()
) -> pd.DataFrame:
    """Every surging slice of `month` (no Streamlit): the report and the tests use this."""
    return counted_surges(Source.of(con, filters), month, rule, data_start(con, filters))


def report_section(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> list[dict]:
    """report.SECTIONS["surges"]: the month's surges with the default thresholds (options are ignored)."""
    found = surges_for_month(con, filters, month)
    keys = (
        "kind",
        "branch_code",
        "business_category",
        "reason",
        "product",
        "complaints",
        "baseline",
        "ratio",
        "p_value",
    )
    out = [{key: json_scalar(row[key]) for key in keys} for _, row in found.iterrows()]
    for surge in out:  # 产品名称 is free text: a name or a phone can be typed into it (hostile H191)
        if isinstance(surge["product"], str):
            surge["product"] = mask(surge["product"])
    return out
