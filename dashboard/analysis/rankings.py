"""Branch rankings: a fair comparison of organisations at one level, and each organisation's profile.

Pure pandas over the rows of queries/rankings_*.sql (and kpis_by_month); no Streamlit. The page, the
report command (`branch_ranking` section) and the benchmark all go through `load_ranking`, so they show the
same numbers.

Fairness. Volume is shown but not scored: a branch with 200,000 customers and 60 complaints is not worse
than one with 5,000 customers and 5. The score uses rates only (per 10,000 customers, per complaint).

Composite score (关注度得分, 0-100, HIGHER = WORSE = more in need of attention):
    score = sum_i w_i x P_i / sum_i w_i
over the metrics i an organisation has a value for (a metric without a value, e.g. satisfaction when no
complaint was surveyed, drops out of that organisation's sum and its weight with it). P_i is the metric's
percentile among the ranked organisations, oriented so that 100 is the worst:
    P_i = (place from best - 1) / (ranked organisations with a value - 1) x 100
with ties sharing their average place, and 50 when only one organisation has a value. Percentile ranks
put every metric on the same 0-100 scale whatever its unit, and one extreme organisation cannot squeeze
all others together (as min-max scaling would).

Default weights (DEFAULT_WEIGHTS, in %): 万人投诉率 40, 按时办结率 15, 平均办结天数 10, 满意率 15,
万人监管转办 10, 重复投诉率 10. The complaint rate dominates because it is the regulator's own measure;
regulator referrals are scored per 10,000 customers (not as a count, which would punish size).

Ranked organisations: at least MIN_COMPLAINTS complaints in the period and a mean monthly customer base of
at least MIN_CUSTOMERS; the others are listed as 不参与排名 with the reason, never hidden. Below five
complaints the on-time, satisfaction and repeat rates are a handful of cases.

Rank 1 = the most in need of attention: organisations are first put in attention tiers by the funnel plot
(rank_noise: above the 99.8 % limit, above the 95 % limit, the rest), then ordered by score within a tier,
so that a branch inside the control limits never outranks one significantly high; equal keys share a rank
(1, 2, 2, 4). score_rank keeps the score's own order. Rank change compares
with the previous period of the same length, ranked with the same settings: previous rank - rank, so a
positive change (↑) means the organisation moved up the list, i.e. towards more attention; 新 when it was
not ranked in the previous period (a new organisation, no data, or below the thresholds). A change is
within noise (change_in_noise, 波动内) when the previous rank lies inside this period's 90 % rank interval
(rank_low..rank_high, a parametric bootstrap of the counts: rank_noise).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analysis import completeness, funnel, maturity, rank_noise, repeats
from dashboard.analysis.source import Source
from dashboard.config import RECURRING_MIN_MONTHS, RECURRING_WINDOW_MONTHS
from dashboard.filters import Filters, add_months, period_label, selection_notes
from dashboard.fmt import json_scalar
from dashboard.metrics import KPI_BY_KEY, YOUNG_ZH

LEVELS = ("一级分行", "二级分行", "支行")
REPORT_LEVEL = "支行"
MIN_COMPLAINTS = 5
MIN_CUSTOMERS = 2_000
REPEAT_CUSTOMERS_LIMIT = 50


@dataclass(frozen=True)
class ScoreMetric:
    key: str
    label: str
    higher_is_worse: bool
    help: str


def _headline(key: str, higher_is_worse: bool) -> ScoreMetric:
    """A score metric that is also a headline metric: its label and help text are metrics.py's, one for
    every page."""
    return ScoreMetric(key, KPI_BY_KEY[key].label, higher_is_worse, KPI_BY_KEY[key].help)


SCORE_METRICS = (
    _headline("per_10k", True),
    _headline("on_time_rate", False),
    _headline("avg_handling_days", True),
    ScoreMetric(
        "satisfaction_rate",
        "满意率",
        False,
        "回访结果为“满意”或“基本满意”的投诉 ÷ 已回访投诉（满意度不为空且不是“未回访”）。",
    ),
    ScoreMetric(
        "referred_per_10k",
        "万人监管转办",
        True,
        "监管转办投诉数 ÷ 月均客户数 × 10,000（按客户数折算，避免大机构因规模吃亏）。",
    ),
    _headline("repeat_rate", True),
)
METRIC_BY_KEY = {m.key: m for m in SCORE_METRICS}
DEFAULT_WEIGHTS = {
    "per_10k": 40.0,
    "on_time_rate": 15.0,
    "avg_handling_days": 10.0,
    "satisfaction_rate": 15.0,
    "referred_per_10k": 10.0,
    "repeat_rate": 10.0,
}

NEW = "新"
SAME = "持平"


@dataclass(frozen=True)
class Settings:
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    min_complaints: int = MIN_COMPLAINTS
    min_customers: float = MIN_CUSTOMERS

    def total_weight(self) -> float:
        return float(sum(max(float(w), 0.0) for w in self.weights.values()))


Runner = Callable[..., pd.DataFrame]  # run(query_name, **overrides) -> rows, the global filters applied


def db_runner(con, filters: Filters) -> Runner:
    """A runner over a connection (report command, benchmark), with the global filters' parameters."""
    return lambda name, **overrides: db.run(con, name, **filters.params(**overrides))


# --- periods and levels ---------------------------------------------------------------------------


def months_in(month_from: date, month_to: date) -> int:
    return (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1


def previous_period(month_from: date, month_to: date) -> tuple[date, date]:
    """The period of the same length just before."""
    n = months_in(month_from, month_to)
    return add_months(month_from, -n), add_months(month_to, -n)


def default_level(org_level: str | None) -> str:
    """The page's default level. Whole bank: 一级分行, what the leadership group reviews (a dozen or so
    rows, counts large enough for stable rates). Inside an organisation: the level just below it among
    一级分行 → 支行 is the useful comparison; for a tier-1 branch that is 支行, because sub-branches sit both
    under its tier-2 branches and directly under it."""
    if org_level in (None, "总行"):
        return "一级分行"
    return "支行"


def descendants(branches: pd.DataFrame, code: str) -> pd.DataFrame:
    """The organisations below `code` (not itself), from branch rows with branch_code and parent_code."""
    children: dict[str, list[str]] = {}
    for child, parent in zip(branches["branch_code"], branches["parent_code"]):
        if isinstance(parent, str) and parent:
            children.setdefault(parent, []).append(child)
    found, stack = [], list(children.get(code, []))
    while stack and len(found) <= len(branches):
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return branches[branches["branch_code"].isin(found)]


def sub_levels(branches: pd.DataFrame, code: str) -> list[str]:
    """The ranking levels present below an organisation, in tree order."""
    present = set(descendants(branches, code)["level"])
    return [level for level in LEVELS if level in present]


# --- scores and ranks -----------------------------------------------------------------------------


def add_derived(rows: pd.DataFrame) -> pd.DataFrame:
    # the new and converted columns computed on arrays and set once: a ranking has a few dozen rows, where
    # pandas' per-operation cost, not the data, was the time (docs/performance.md, ninth session)
    customers = pd.to_numeric(rows["customers"], errors="coerce")
    # rankings_by_org's exposure: the period-equivalent base of an organisation present part of the period (H95)
    exposure = pd.to_numeric(rows["exposure"], errors="coerce") if "exposure" in rows else customers
    base = exposure.to_numpy(dtype=float, na_value=np.nan)
    referred = rows["regulator_referred"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        referred_per_10k = np.where(base > 0, referred * 10_000.0 / base, np.nan)
    changed: dict[str, object] = {"customers": customers, "exposure": exposure, "referred_per_10k": referred_per_10k}
    for key in ("per_10k", "on_time_rate", "avg_handling_days", "satisfaction_rate", "repeat_rate"):
        changed[key] = pd.to_numeric(rows[key], errors="coerce").astype(float)
    for key in ("resolution_rate", "elderly_share", "elderly_per_10k", "amount_total", "redress_total"):
        if key in rows:
            changed[key] = pd.to_numeric(rows[key], errors="coerce").astype(float)
    return _with_columns(rows, changed)


def _with_columns(frame: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """frame with `columns` (name -> array, or Series on frame's index) replaced in place or appended at the
    end, built in one construction: setting them one by one copied the frame's blocks per column."""
    names = list(frame.columns) + [name for name in columns if name not in frame.columns]
    data = {}
    for name in names:
        value = columns[name] if name in columns else frame[name]
        if not isinstance(value, pd.Series):  # an object array stays object (not inferred as strings)
            value = pd.Series(value, index=frame.index, dtype=object if value.dtype == object else None)
        data[name] = value
    out = pd.DataFrame(data, index=frame.index)
    out.attrs = dict(frame.attrs)
    return out


def unranked_reason(rows: pd.DataFrame, settings: Settings) -> pd.Series:
    """Why an organisation is not ranked; None when it is."""
    customers = rows["customers"].to_numpy(dtype=float, na_value=np.nan)
    complaints = rows["complaints"].to_numpy(dtype=float, na_value=np.nan)
    no_base = np.isnan(customers) | (customers <= 0)
    small_base = ~no_base & (customers < settings.min_customers)
    few = complaints < settings.min_complaints
    few_text = f"投诉量少于 {settings.min_complaints:,} 件"
    reasons = np.full(len(rows), None, dtype=object)
    reasons[few] = few_text
    reasons[small_base] = f"月均客户数少于 {settings.min_customers:,.0f}"
    reasons[no_base] = "无客户数数据"
    if "base_gaps" in rows:  # rankings_by_org rows: a member's customer row missing in a month (customer_gaps)
        gaps = rows["base_gaps"].to_numpy(dtype=float, na_value=np.nan) > 0
        reasons[no_base & gaps] = "客户数不全（下辖机构有投诉的月份缺少客户数）"
    both = few & (small_base | no_base)
    reasons[both] = [f"{r}，{few_text}" for r in reasons[both]]
    return pd.Series(reasons, index=rows.index, dtype=object)


def _percentiles(values: np.ndarray, higher_is_worse: bool) -> np.ndarray:
    """percentile_score on an array: NaN where no value."""
    from scipy.stats import rankdata  # here: importing scipy.stats costs 0.6 s of every app start

    out = np.full(len(values), np.nan)
    valid = ~np.isnan(values)
    n = int(valid.sum())
    if n == 1:
        out[valid] = 50.0
    elif n > 1:
        oriented = values[valid] if higher_is_worse else -values[valid]
        places = rankdata(oriented, method="average")  # 1 = best; ties share their average place
        out[valid] = (places - 1.0) / (n - 1.0) * 100.0
    return out


def percentile_score(values: pd.Series, higher_is_worse: bool) -> pd.Series:
    """0 (best) .. 100 (worst) among the non-missing values; ties share their average place."""
    array = values.to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(_percentiles(array, higher_is_worse), index=values.index)


def score(rows: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Adds referred_per_10k, ranked, unranked_reason, p_<metric> (percentiles), score and rank."""
    out = add_derived(rows)
    reasons = unranked_reason(out, settings)
    ranked = reasons.isna().to_numpy()
    added: dict[str, object] = {"unranked_reason": reasons, "ranked": ranked}
    numerator = np.zeros(int(ranked.sum()))
    denominator = np.zeros(int(ranked.sum()))
    for metric in SCORE_METRICS:
        p = _percentiles(out[metric.key].to_numpy(dtype=float, na_value=np.nan)[ranked], metric.higher_is_worse)
        full = np.full(len(out), np.nan)
        full[ranked] = p
        added[f"p_{metric.key}"] = full
        weight = max(float(settings.weights.get(metric.key, 0.0)), 0.0)
        if weight > 0:
            has = ~np.isnan(p)
            numerator += np.where(has, p * weight, 0.0)
            denominator += np.where(has, weight, 0.0)
    scores = np.full(len(out), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores[ranked] = numerator / np.where(denominator == 0.0, np.nan, denominator)
    added["score"] = scores
    rounded = pd.Series(np.round(scores, 9), index=out.index)
    added["rank"] = rounded.where(ranked).rank(method="min", ascending=False).astype("Int64")
    return _with_columns(out, added)


def with_rank_change(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """rank_change = previous rank - rank (positive: moved up the list); NA when not ranked in both."""
    out = current.copy()
    before = pd.Series(dtype="Int64")
    if previous is not None and not previous.empty:
        before = previous.set_index("branch_code")["rank"]
    out["previous_rank"] = out["branch_code"].map(before).astype("Int64")
    out["rank_change"] = (out["previous_rank"] - out["rank"]).astype("Int64")
    out["rank_change_label"] = [change_label(r, c) for r, c in zip(out["rank"], out["rank_change"])]
    return out


def change_label(rank, change) -> str:
    if pd.isna(rank):
        return ""
    if pd.isna(change):
        return NEW
    change = int(change)
    return f"↑{change}" if change > 0 else f"↓{-change}" if change < 0 else SAME


def order(table: pd.DataFrame) -> pd.DataFrame:
    """Worst first: ranked by rank, then the unranked by volume."""
    # one permutation of the rows (branch_code is unique, so the order is total; NaN sort last as in
    # sort_values): ranked by rank, per_10k descending, branch_code; then the unranked by complaints
    # descending, branch_code
    ranked = table["ranked"].to_numpy(dtype=bool)
    code = table["branch_code"].to_numpy(dtype=object)
    rank = table["rank"].to_numpy(dtype=float, na_value=np.nan)
    per_10k = table["per_10k"].to_numpy(dtype=float, na_value=np.nan)
    complaints = table["complaints"].to_numpy(dtype=float, na_value=np.nan)
    first = np.flatnonzero(ranked)
    rest = np.flatnonzero(~ranked)
    first = first[np.lexsort((_places(code[first]), -per_10k[first], rank[first]))]
    rest = rest[np.lexsort((_places(code[rest]), -complaints[rest]))]
    out = table.take(np.concatenate([first, rest])).reset_index(drop=True)
    out.attrs = dict(table.attrs)
    return out


def _places(values: np.ndarray) -> np.ndarray:
    """Each value's place in ascending order (ties share one): a numeric sort key for strings."""
    return np.unique(values.astype(str), return_inverse=True)[1] if len(values) else np.zeros(0, dtype=int)


def reconciled(scored: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """score()'s table with the funnel status (against the period's own average) and the rank reconciled
    with it (rank_noise: by attention tier, then score); score_rank keeps the score's own rank. The tiers
    are the complaint rate's: with the complaint rate weighted 0 the score alone orders."""
    base = scored["exposure"]  # customer-months / the period's months: a branch opened mid-period expects less
    target = funnel.target_rate(scored["complaints"], base)
    limits = funnel.classify(scored["complaints"], base, target, scored.get("base_gaps"))
    overlap = set(limits.columns) & set(scored.columns)
    if overlap:  # as join would
        raise ValueError(f"columns overlap: {sorted(overlap)}")
    status = limits["status"]
    if not scored["ranked"].any():  # no ranked population, no outlier (hostile H151: 0 / 15 ranked, 1 above 95 %)
        status = status.where(~status.isin(funnel.STATUS_ORDER), funnel.NOT_JUDGED)
        limits = limits.assign(status=status)
    if tiers_apply(settings):
        tier = rank_noise.tiers(status)
    else:
        tier = pd.Series(np.full(len(scored), rank_noise.NORMAL_TIER, dtype="int64"), index=scored.index)
    added = {name: limits[name] for name in limits.columns}
    added["score_rank"] = scored["rank"]
    added["tier"] = tier
    added["rank"] = rank_noise.reconciled_rank(scored["score"], tier, scored["ranked"])
    added["attention"] = rank_noise.attention(status, scored["ranked"])
    out = _with_columns(scored, added)
    out.attrs["target"] = target
    return out


def tiers_apply(settings: Settings) -> bool:
    return float(settings.weights.get("per_10k", 0.0)) > 0


def with_noise(table: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The rank's 90 % interval (rank_low, rank_high, rank_interval) and change_in_noise: the previous
    rank inside it (rank_noise); the change label then says 波动内."""
    metrics = [(m.key, m.higher_is_worse) for m in SCORE_METRICS]
    out = table.join(rank_noise.rank_intervals(table, settings.weights, metrics, tiers=tiers_apply(settings)))
    out["rank_interval"] = [rank_noise.interval_label(lo, hi) for lo, hi in zip(out["rank_low"], out["rank_high"])]
    noise = rank_noise.within_noise(out["previous_rank"], out["rank_low"], out["rank_high"])
    moved = out["rank_change"].fillna(0) != 0
    out["change_in_noise"] = (noise & moved).where(noise.notna(), pd.NA).astype("boolean")  # NA: new
    out["rank_change_label"] = [
        label + f"（{rank_noise.NOISE_MARK}）" if flag is True else label
        for label, flag in zip(out["rank_change_label"], out["change_in_noise"].astype(object))
    ]
    return out


def rank(current_rows: pd.DataFrame, previous_rows: pd.DataFrame | None, settings: Settings) -> pd.DataFrame:
    """The ranking table: scores, the funnel status, ranks reconciled with it, rank change and whether it
    is within noise; worst first."""
    current = reconciled(score(current_rows, settings), settings)
    previous = reconciled(score(previous_rows, settings), settings) if previous_rows is not None else None
    table = with_noise(with_rank_change(current, previous), settings)
    target = current.attrs["target"]
    table = order(table)
    table.attrs["target"] = target
    return table


@dataclass(frozen=True)
class Ranking:
    table: pd.DataFrame
    level: str
    month_from: date
    month_to: date
    previous_from: date
    previous_to: date
    settings: Settings

    @property
    def target(self) -> float | None:
        return self.table.attrs.get("target")


FILTERS_ORG = object()  # load_ranking's default: the global filters' own organisation


def load_ranking(
    run: Runner,
    month_from: date,
    month_to: date,
    level: str,
    settings: Settings = Settings(),
    org=FILTERS_ORG,
    unknown: bool | None = None,
) -> Ranking:
    """Both periods through rankings_by_org (one statement: the period's rows and its previous period's) and the
    ranking built from them. `org` overrides the filters' organisation (a profile's sub-organisations: its code);
    by default the filters' own one is used. `unknown`: repeats.unknowable, when the caller has asked already
    (else asked here)."""
    extra = {} if org is FILTERS_ORG else {"org": org}
    previous_from, previous_to = previous_period(month_from, month_to)
    both = run(
        "rankings_by_org", month_from=month_from, month_to=month_to, previous_from=previous_from, level=level, **extra
    )
    current = db.rows_of(both, "period_from", pd.Timestamp(month_from))
    previous = db.rows_of(both, "period_from", pd.Timestamp(previous_from))
    if (
        repeats.unknowable(run) if unknown is None else unknown
    ):  # unknown, not 0: left out of the score (score() skips a missing metric)
        current, previous = repeats.without_repeats(current), repeats.without_repeats(previous)
    table = rank(current, previous, settings)
    return Ranking(table, level, month_from, month_to, previous_from, previous_to, settings)


@dataclass(frozen=True)
class RankingsState:
    """The page's own state: the ranking level (None: the level below the compared subtree) and the
    weights and thresholds."""

    level: str | None = None
    settings: Settings = field(default_factory=Settings)


# --- Elderly customers' share: which organisations stand out (issue 19) --------------------------------
ELDERLY_MIN_KNOWN = 10  # complaints with an age an organisation needs for the test
ELDERLY_HIGH_998, ELDERLY_HIGH_95, ELDERLY_WITHIN = "显著偏高（99.8%）", "偏高（95%）", "未见突出"
ELDERLY_TOO_FEW = f"年龄已知的投诉不足 {ELDERLY_MIN_KNOWN} 件"
ELDERLY_RULE_ZH = (
    "老年客户占比（检验用）= 老年客户投诉 ÷ 填写了年龄的投诉（客户年龄 60 岁及以上为老年客户）。基准占比 p = 所列机构合计的"
    "老年客户投诉 ÷ 年龄已知的投诉。机构的老年客户投诉数若只是偶然波动，服从二项分布 B(n, p)（n 为该机构年龄已知的投诉）；"
    "P = 出现不少于实际件数的概率。P < 0.1%：显著偏高（99.8%）；P < 2.5%：偏高（95%），与漏斗图的控制限相同。"
    f"年龄已知的投诉少于 {ELDERLY_MIN_KNOWN} 件的机构不检验。老年客户万人投诉率 = 老年客户投诉 ÷ 月均老年客户数 × 10,000，"
    "仅当客户数据提供老年客户数时计算。"
)


def elderly_outliers(table: pd.DataFrame, min_known: int = ELDERLY_MIN_KNOWN) -> pd.DataFrame:
    """Per organisation of the ranking table: its elderly share among complaints with an age against the listed
    organisations' pooled share p, by a one-sided exact binomial test: p_value = P(X >= elderly) for X ~
    Binomial(age_known, p); status ELDERLY_HIGH_998 (p_value < 0.001), ELDERLY_HIGH_95 (< 0.025), else
    ELDERLY_WITHIN; ELDERLY_TOO_FEW below min_known complaints with an age (not tested). Most significant first."""
    from scipy.stats import binom  # here: importing scipy.stats costs 0.6 s of every app start

    columns = ["branch_code", "branch_name", "complaints", "age_known", "elderly", "known_share", "expected"]
    columns += ["p_value", "status", "elderly_customers", "elderly_per_10k"]
    if table.empty or "age_known" not in table:
        return pd.DataFrame(columns=columns)
    out = table.copy()
    known = out["age_known"].astype(int)
    elderly = out["elderly"].astype(int)
    pooled = float(elderly.sum()) / float(known.sum()) if int(known.sum()) else None
    out["known_share"] = np.where(known > 0, elderly / known.where(known > 0, 1), np.nan)
    out["expected"] = known * pooled if pooled is not None else np.nan
    tested = known >= min_known
    p_values = pd.Series(np.nan, index=out.index)
    if pooled is not None and tested.any():
        p_values[tested] = binom.sf(elderly[tested] - 1, known[tested], pooled)
    out["p_value"] = p_values
    out["status"] = np.select(
        [~tested, p_values < 0.001, p_values < 0.025],
        [ELDERLY_TOO_FEW, ELDERLY_HIGH_998, ELDERLY_HIGH_95],
        ELDERLY_WITHIN,
    )
    out = out.sort_values(["p_value", "elderly", "branch_code"], ascending=[True, False, True], na_position="last")
    out = out[columns].reset_index(drop=True)
    out.attrs["pooled_share"] = pooled
    return out


@dataclass(frozen=True)
class RankingsData:
    filters: Filters
    level: str
    ranking: Ranking
    no_customer_key: bool  # repeats.unknowable: the repeat rate is unknown, not 0
    maturity: maturity.Maturity | None = None  # the period's last month: provisional (暂估)? as on trends
    partial: completeness.Partial | None = None  # the period's last month looks like a partial extract
    repeats_removed: bool = False  # repeats.removed_by_basis: 不适用, left out of the score like unknown

    @property
    def provisional_note(self) -> str:
        """What the page says when the period's last month is not mature (empty otherwise)."""
        if self.maturity is None or not self.maturity.provisional:
            return ""
        m, month = self.maturity, self.filters.month_to
        return (
            f"{month.year}年{month.month}月为暂估（数据未成熟）：{m.lag_text}，"
            f"该月有 {m.young:,d} 件投诉{YOUNG_ZH}、{m.open:,d} 件尚未办结，"
            "排名中的按时办结率、平均办结天数等办理类指标和得分仍会变化，名次变化请谨慎解读。"
        )

    @property
    def partial_note(self) -> str:
        """What the page says when the period's last month looks like a partial extract (hostile H212: the 5
        支行 whose files were loaded ranked 最需关注, +253 places); empty otherwise."""
        if self.partial is None:
            return ""
        month = self.filters.month_to
        return (
            f"{month.year}年{month.month}月：{self.partial.note}。排名只反映已导入数据的机构，"
            "得分、名次和名次变化不能说明各机构的实际情况，请核实导入的数据后再看排名。"
        )

    def export_notes(self, names: Mapping[str, str], as_of: str | None) -> list[tuple[str, str]]:
        """The Excel export's 说明 sheet: the page's 暂估 warning first (hostile H134: a forwarded ranking of
        a young month read as final), then the selection and the formulas."""
        provisional = [("数据成熟度", self.provisional_note)] if self.provisional_note else []
        if self.partial_note:
            provisional.insert(0, ("数据完整性", self.partial_note))
        return provisional + selection_notes(self.filters, names, as_of) + formula_notes(self.ranking)

    @property
    def elderly(self) -> pd.DataFrame:
        """elderly_outliers of the ranking's organisations (no query of its own)."""
        return elderly_outliers(self.ranking.table)


def level_of(source: Runner, filters: Filters) -> str | None:
    """The level of the compared subtree's root (the selected organisation, else the user's scope)."""
    root = filters.org or filters.scope
    if not root:
        return None
    branches = source("branch_options")
    match = branches.loc[branches["branch_code"] == root, "level"]
    return match.iloc[0] if len(match) else None


def load(source: Runner, filters: Filters, state: RankingsState = RankingsState()) -> RankingsData:
    """The ranking the page draws (table and funnel plot) for the filters' period."""
    level = state.level if state.level in LEVELS else default_level(level_of(source, filters))
    unknown = repeats.unknowable(source)
    removed = repeats.removed_by_basis(filters)
    ranking = load_ranking(
        source, filters.month_from, filters.month_to, level, state.settings, unknown=unknown or removed
    )
    as_of_value = source("snapshot_as_of")["as_of"].iloc[0]
    as_of = None if pd.isna(as_of_value) else pd.Timestamp(as_of_value).to_pydatetime()
    mature = maturity.assess(source, filters.month_to, as_of)
    unended = maturity.unended(filters.month_to, as_of)
    branches = source("branch_options")
    names = dict(zip(branches["branch_code"], branches["branch_name"]))
    judged = completeness.assess(source, [filters.month_to], filters.org, names.get(filters.org))
    partial = None if unended else judged[filters.month_to]
    return RankingsData(filters, level, ranking, unknown, mature, partial, removed)


@dataclass(frozen=True)
class Profile:
    """One organisation's profile (the page's lazy part, opened by a click): `load_profile`."""

    code: str
    own: pd.DataFrame | None  # its own scored row when it is not in the ranking's table
    org_trend: pd.DataFrame
    bank_trend: pd.DataFrame
    mix: pd.DataFrame
    recurring: pd.DataFrame
    repeaters: pd.DataFrame
    sub_levels: list[str]
    sub_level: str | None
    sub: Ranking | None  # the ranking of its sub-organisations at sub_level


def load_profile(
    source: Runner,
    filters: Filters,
    data: RankingsData,
    code: str,
    branches: pd.DataFrame,
    sub_level: str | None = None,
) -> Profile:
    """The profile of `code` within the loaded ranking (sub_level None: the first level below it)."""
    settings = data.ranking.settings
    own = None
    if not (data.ranking.table["branch_code"] == code).any():  # another level's organisation (a link)
        levels_of = dict(zip(branches["branch_code"], branches["level"]))
        rows = source(
            "rankings_by_org",
            org=code,
            level=levels_of.get(code),
            month_from=filters.month_from,
            month_to=filters.month_to,
        )
        rows = rows.drop(columns="period_from")
        own = score(rows, settings) if not rows.empty else rows
    trend_from, trend_to = trend_window(filters.month_from, filters.month_to)
    org_trend = source("kpis_by_month", org=code, month_from=trend_from, month_to=trend_to)
    bank_trend = source("kpis_by_month", org=None, month_from=trend_from, month_to=trend_to)
    mix = source("rankings_mix", org=code, month_from=filters.month_from, month_to=filters.month_to)
    recurring_from, recurring_to = recurring_window(filters.month_to)
    recurring = source(
        "recurring_issues",
        org=code,
        month_from=recurring_from,
        month_to=recurring_to,
        min_months=RECURRING_MIN_MONTHS,
        limit=50,
    )
    repeaters = source(
        "rankings_repeat_customers",
        org=code,
        limit=REPEAT_CUSTOMERS_LIMIT,
        month_from=filters.month_from,
        month_to=filters.month_to,
    )  # `filters`: the ranking's period
    below = sub_levels(branches, code)
    chosen = sub = None
    if below:
        chosen = sub_level if sub_level in below else below[0]
        sub = load_ranking(
            source,
            filters.month_from,
            filters.month_to,
            chosen,
            settings,
            org=code,
            unknown=data.no_customer_key or data.repeats_removed,
        )
    return Profile(code, own, org_trend, bank_trend, mix, recurring, repeaters, below, chosen, sub)


# --- report -------------------------------------------------------------------------------------


def report_rows(table: pd.DataFrame) -> list[dict]:
    """The report's rows, ordered by rank (the unranked after the ranked)."""
    rows = []
    for r in table.itertuples(index=False):
        rows.append(
            {
                "branch_code": r.branch_code,
                "branch_name": r.branch_name,
                "level": r.level,
                "complaints": int(r.complaints),
                "customers": json_scalar(r.customers),
                "per_10k": json_scalar(r.per_10k),
                "on_time_rate": json_scalar(r.on_time_rate),
                "score": json_scalar(r.score) if r.ranked else None,
                "rank": json_scalar(r.rank),
                "rank_change": json_scalar(r.rank_change),
                "attention": r.attention or None,
                "rank_low": json_scalar(r.rank_low),
                "rank_high": json_scalar(r.rank_high),
                "rank_change_within_noise": None if pd.isna(r.change_in_noise) else bool(r.change_in_noise),
                "ranked": bool(r.ranked),
            }
        )
    return rows


def branch_ranking(con, filters: Filters, month: date, level: str = REPORT_LEVEL, **_options) -> list[dict]:
    """Report section `branch_ranking`: the month's ranking at `level` with the default settings.
    rank_change is previous rank - rank (positive = moved up the worst-first list), None when the
    organisation is not ranked in both months; score None when not ranked."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}: {level!r}")
    month_filters = filters.with_period(month, month)
    data = load(Source.of(con, month_filters), month_filters, RankingsState(level=level))
    return report_rows(data.ranking.table)


# --- presentation tables (pure: the page and the Excel export share them) ---------------------------

DISPLAY_COLUMNS = {
    "rank": "排名",
    "rank_change_label": "名次变化",
    "attention": "关注结论",
    "rank_interval": "名次区间（90%）",
    "branch_name": "机构名称",
    "branch_code": "机构代码",
    "parent_name": "上级机构",
    "score": "关注度得分",
    "complaints": "投诉量",
    "customers": "月均客户数",
    "per_10k": "万人投诉率",
    "on_time_rate": "按时办结率",
    "avg_handling_days": "平均办结天数",
    "satisfaction_rate": "满意率",
    "resolution_rate": "解决率",
    "amount_wan": "涉及金额（万元）",
    "redress_wan": "补偿金额（万元）",
    "elderly": "老年客户投诉",
    "elderly_share": "老年客户占比",
    "elderly_per_10k": "老年客户万人投诉率",
    "regulator_referred": "监管转办",
    "referred_per_10k": "万人监管转办",
    "repeat_rate": "重复投诉率",
    "status": "漏斗图位置",
    "ranking_status": "排名状态",
}


def partial_period_marks(table: pd.DataFrame) -> pd.Series:
    """'（期内新设，k 个月）' for an organisation whose customer base starts after the period's first month with
    customer files (期内撤并 when it ends before the last): compared on the months it existed (rankings_by_org's
    exposure, hostile H95); empty otherwise."""
    marks = pd.Series("", index=table.index, dtype=object)
    if "period_months" not in table:
        return marks
    k = pd.to_numeric(table["base_months"], errors="coerce").fillna(0).astype(int)
    partial = (k > 0) & (k < table["period_months"]) & table["customers"].notna()
    opened = table["opened_in_period"].fillna(False).astype(bool)
    marks[partial] = [f"（{'期内新设' if o else '期内撤并'}，{n} 个月）" for n, o in zip(k[partial], opened[partial])]
    return marks


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """Chinese headers, numbers kept numeric (so that every column sorts); rates as fractions 0..1."""
    out = table.copy()
    out["ranking_status"] = np.where(
        out["ranked"], "参与排名", "不参与排名：" + out["unranked_reason"].fillna("").astype(str)
    )
    out["ranking_status"] = out["ranking_status"] + partial_period_marks(out)
    out["score"] = out["score"].where(out["ranked"])
    out["amount_wan"] = out["amount_total"].astype(float) / 10_000.0  # 万元, as the briefing states money
    out["redress_wan"] = out["redress_total"].astype(float) / 10_000.0
    return out[list(DISPLAY_COLUMNS)].rename(columns=DISPLAY_COLUMNS)


def formula_notes(ranking: Ranking) -> list[tuple[str, str]]:
    s = ranking.settings
    weights = "；".join(f"{m.label} {float(s.weights.get(m.key, 0)):g}" for m in SCORE_METRICS)
    return [
        ("机构层级", ranking.level),
        ("统计期间", period_label(ranking.month_from, ranking.month_to)),
        ("对比期间（名次变化）", period_label(ranking.previous_from, ranking.previous_to)),
        ("关注度得分", "Σ 权重ᵢ × 百分位ᵢ ÷ Σ 权重ᵢ（只计机构有数值的指标），0–100，越高越需关注"),
        (
            "百分位",
            "（该指标在参与排名机构中由好到差的名次 − 1）÷（有数值的参与排名机构数 − 1）× 100；"
            "并列取平均名次；仅一家机构时为 50",
        ),
        ("权重", weights),
        ("参与排名门槛", f"投诉量 ≥ {s.min_complaints:,} 件，且月均客户数 ≥ {s.min_customers:,.0f}"),
        (
            "排名",
            "先按关注结论分档（最需关注：万人投诉率高于漏斗图 99.8% 控制限；需关注：高于 95% 控制限；"
            "其余为正常波动或低于平均），档内按关注度得分由高到低",
        ),
        (
            "名次变化",
            "上期名次 − 本期名次：↑ 表示名次上升（更需关注），↓ 表示下降，新 表示上期未参与排名；"
            "上期名次落在本期名次的 90% 区间内时标“波动内”：这样的变化仅凭偶然波动就可能出现",
        ),
        (
            "名次区间（90%）",
            f"按泊松分布（投诉量、监管转办）和二项分布（按时办结率、满意率、重复投诉率）"
            f"重抽样 {rank_noise.SIMULATIONS} 次，每次同样计分排名，取名次的 5% 与 95% 分位数",
        ),
        ("万人投诉率", "投诉量 ÷ 月均客户数 × 10,000；客户数为机构及其下辖机构自身客户数之和"),
        ("解决率", "处理结果为“已解决”的投诉 ÷ 填写了处理结果的投诉；不计入得分"),
        ("满意率", "回访“满意”或“基本满意” ÷ 已回访（不含“未回访”）的投诉"),
        ("涉及金额（万元）", "期间内受理投诉的涉及金额合计 ÷ 10,000；不计入得分"),
        ("补偿金额（万元）", "期间内受理投诉的补偿金额合计 ÷ 10,000（数据未提供补偿金额时为 0）；不计入得分"),
        ("老年客户占比", "老年客户（客户年龄 ≥ 60）投诉 ÷ 投诉量（未填写年龄的投诉计入分母）；不计入得分"),
        ("老年客户万人投诉率", "老年客户投诉 ÷ 月均老年客户数 × 10,000；客户数据未提供老年客户数时为空"),
    ]


def to_excel(table: pd.DataFrame, notes: list[tuple[str, str]]) -> bytes:
    """The ranking as an .xlsx (xlsxwriter): sheet 机构排名 with Chinese headers, sheet 说明 with the
    formula, the weights and the thresholds."""
    shown = display_table(table)
    buffer = io.BytesIO()
    from dashboard.text.export_cells import XLSX_OPTIONS, excel_sheet

    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        excel_sheet(writer, shown, "机构排名")
        excel_sheet(writer, pd.DataFrame(notes, columns=["项目", "说明"]), "说明")
        book, sheet = writer.book, writer.sheets["机构排名"]
        percent = book.add_format({"num_format": "0.0%"})
        two = book.add_format({"num_format": "0.00"})
        one = book.add_format({"num_format": "0.0"})
        whole = book.add_format({"num_format": "#,##0"})
        formats = {
            "万人投诉率": two,
            "万人监管转办": two,
            "按时办结率": percent,
            "满意率": percent,
            "解决率": percent,
            "老年客户占比": percent,
            "涉及金额（万元）": two,
            "补偿金额（万元）": two,
            "老年客户投诉": whole,
            "老年客户万人投诉率": two,
            "重复投诉率": percent,
            "平均办结天数": one,
            "关注度得分": one,
            "月均客户数": whole,
            "投诉量": whole,
            "监管转办": whole,
        }
        for i, column in enumerate(shown.columns):
            width = 28 if column in ("机构名称", "上级机构", "排名状态") else 12
            sheet.set_column(i, i, width, formats.get(column))
        sheet.freeze_panes(1, 3)
        writer.sheets["说明"].set_column(0, 0, 20)
        writer.sheets["说明"].set_column(1, 1, 100)
    return buffer.getvalue()


# --- profile ------------------------------------------------------------------------------------


def mix_comparison(mix: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Shares of the organisation's and the bank's complaints by value, and the difference in percentage
    points (organisation - bank), largest absolute difference first."""
    rows = mix[mix["dimension"] == dimension].copy()
    org_total, bank_total = rows["org_complaints"].sum(), rows["bank_complaints"].sum()
    rows["org_share"] = rows["org_complaints"] / org_total if org_total else np.nan
    rows["bank_share"] = rows["bank_complaints"] / bank_total if bank_total else np.nan
    rows["diff_pp"] = (rows["org_share"] - rows["bank_share"]) * 100.0
    rows["abs_diff"] = rows["diff_pp"].abs()
    rows = rows.sort_values(["abs_diff", "org_complaints"], ascending=[False, False])
    return rows.drop(columns="abs_diff").reset_index(drop=True)


def trend_window(month_from: date, month_to: date, months: int = 12) -> tuple[date, date]:
    """The profile's trend: the chosen period, extended back to at least `months` months."""
    return min(month_from, add_months(month_to, -(months - 1))), month_to


def trend_comparison(org_rows: pd.DataFrame, bank_rows: pd.DataFrame) -> pd.DataFrame:
    """Month, the organisation's and the bank's complaints and rate per 10,000 (kpis_by_month rows)."""
    org = org_rows[["month", "complaints", "per_10k"]].rename(
        columns={"complaints": "org_complaints", "per_10k": "org_per_10k"}
    )
    bank = bank_rows[["month", "complaints", "per_10k"]].rename(
        columns={"complaints": "bank_complaints", "per_10k": "bank_per_10k"}
    )
    out = org.merge(bank, on="month", how="outer").sort_values("month")
    out["month"] = pd.to_datetime(out["month"])
    return out.reset_index(drop=True)


def recurring_window(month_to: date) -> tuple[date, date]:
    """The last RECURRING_WINDOW_MONTHS months ending at the report month."""
    return add_months(month_to, -(RECURRING_WINDOW_MONTHS - 1)), month_to


RECURRING_RULE = (
    f"同一（机构、业务类别、投诉原因）在截至报告月份的最近 {RECURRING_WINDOW_MONTHS} 个月中"
    f"至少 {RECURRING_MIN_MONTHS} 个月有投诉；统计范围为该机构及其下辖机构。"
)


def score_breakdown(row: pd.Series, settings: Settings) -> pd.DataFrame:
    """The contribution of each metric to one organisation's score: percentile, weight, weighted share."""
    items = []
    for metric in SCORE_METRICS:
        p = row.get(f"p_{metric.key}")
        weight = max(float(settings.weights.get(metric.key, 0.0)), 0.0)
        items.append(
            {"key": metric.key, "label": metric.label, "percentile": p, "weight": weight, "value": row.get(metric.key)}
        )
    out = pd.DataFrame(items)
    used = out["percentile"].notna() & (out["weight"] > 0)
    total = out.loc[used, "weight"].sum()
    out["contribution"] = np.where(
        used, out["percentile"].fillna(0) * out["weight"] / total if total else np.nan, np.nan
    )
    return out
