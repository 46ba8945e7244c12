"""Recurring issues (反复出现的问题, contract 6): a (branch_code, business_category, reason) with complaints
in at least 3 of the last 6 months, the last month being the report month (the sidebar's 截止月份).

The rule is queries/recurring_issues.sql; this module turns its parameters (window length, months
needed) into the query's period and shapes its result for the page, the ledger and the report.

Ranking (ranked(), queries/recurring_issues_scored.sql). With ">= 3 of 6 months" every large branch recurs
in every category, so the rule alone says little; issues are ranked by how far they exceed what the
branch's size and the bank's mix predict:
  * expected = branch's complaints x the bank's complaints in the category and reason / the bank's
    complaints, over the window and under the same filters (independence of the two margins);
  * excess score = -log10 P(X >= complaints) for X ~ Poisson(expected): 2 = a 1-in-100 chance, 10 = 1 in
    10^10 (capped at SCORE_CAP so that p underflowing to 0 still orders by the excess);
  * rising: the window's recent half holds more complaints than its earlier half beyond chance
    (binomial test of the recent share against the halves' month shares, one-sided p < RISING_P);
  * rank score = excess score + RISING_BONUS if rising + ITEM_BONUS if the issue already has a
    rectification item (a recurring issue that has an item and still recurs needs the ledger's eye).
Ties by the excess (complaints - expected), then the codes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from dashboard.config import RECURRING_MIN_MONTHS, RECURRING_WINDOW_MONTHS
from dashboard.filters import Filters, add_months, month_label

PAGE_LIMIT = 200  # issues listed on the page
REPORT_LIMIT = 50  # issues in the report's list
PAGE_FIRST = 20  # issues shown before the page's "show the rest" filter
SCORE_CAP = 300.0
RISING_P = 0.05
RISING_BONUS = 1.5
ITEM_BONUS = 1.5


def window(month_to: date, window_months: int = RECURRING_WINDOW_MONTHS) -> tuple[date, date]:
    """The months the rule looks at: window_months months ending at month_to, both included."""
    return add_months(month_to, -(int(window_months) - 1)), month_to


def window_months_list(month_to: date, window_months: int = RECURRING_WINDOW_MONTHS) -> list[date]:
    start, _ = window(month_to, window_months)
    return [add_months(start, i) for i in range(int(window_months))]


def overrides(
    month_to: date,
    window_months: int = RECURRING_WINDOW_MONTHS,
    min_months: int = RECURRING_MIN_MONTHS,
    limit: int = PAGE_LIMIT,
) -> dict:
    """What recurring_issues.sql needs on top of the global filters: the rule's window as the period,
    the months needed and the list's length."""
    if not 1 <= int(min_months) <= int(window_months):
        raise ValueError("min_months must be between 1 and window_months")
    month_from, month_to = window(month_to, window_months)
    return {"month_from": month_from, "month_to": month_to, "min_months": int(min_months), "limit": int(limit)}


def params(
    filters: Filters,
    month_to: date,
    window_months: int = RECURRING_WINDOW_MONTHS,
    min_months: int = RECURRING_MIN_MONTHS,
    limit: int = PAGE_LIMIT,
) -> dict:
    """Parameters of recurring_issues.sql: the global filters with overrides(...)."""
    return filters.params(**overrides(month_to, window_months, min_months, limit))


def rule_text(window_months: int = RECURRING_WINDOW_MONTHS, min_months: int = RECURRING_MIN_MONTHS) -> str:
    default = window_months == RECURRING_WINDOW_MONTHS and min_months == RECURRING_MIN_MONTHS
    return (
        f"同一被投诉机构（按机构代码本身，不含下辖机构）、同一业务类别、同一投诉原因，在截止月份及之前共 "
        f"{window_months} 个月中至少 {min_months} 个月有投诉"
        + ("（合同默认口径）。" if default else "（已调整，非默认口径）。")
    )


def issue_label(row) -> str:
    name = row["branch_name"] if isinstance(row.get("branch_name"), str) else row["branch_code"]
    return f"{name}（{row['branch_code']}）· {row['business_category']} · {row['reason']}"


def history_long(issues: pd.DataFrame, months: list[date]) -> pd.DataFrame:
    """The issues' monthly histories as rows (label, month, complaints), for the heat map."""
    rows = []
    for _, issue in issues.iterrows():
        label = issue_label(issue)
        for month, count in zip(months, list(issue["history"])):
            rows.append({"label": label, "month": month_label(month), "complaints": int(count)})
    return pd.DataFrame(rows, columns=["label", "month", "complaints"])


def source_note(issue, months: list[date]) -> str:
    """What the issue looked like when a ledger item was opened from it."""
    return (
        f"{month_label(months[0])} 至 {month_label(months[-1])} 共 {len(months)} 个月中有 "
        f"{int(issue['months_present'])} 个月出现投诉，合计 {int(issue['complaints'])} 件；"
        f"各月：{'、'.join(str(int(c)) for c in issue['history'])}"
    )


def scored_overrides(
    month_to: date, window_months: int = RECURRING_WINDOW_MONTHS, min_months: int = RECURRING_MIN_MONTHS
) -> dict:
    """What recurring_issues_scored.sql needs on top of the global filters."""
    if not 1 <= int(min_months) <= int(window_months):
        raise ValueError("min_months must be between 1 and window_months")
    month_from, month_to = window(month_to, window_months)
    recent_from = add_months(month_to, -(int(window_months) // 2 - 1)) if int(window_months) >= 2 else month_to
    return {"month_from": month_from, "month_to": month_to, "min_months": int(min_months), "recent_from": recent_from}


def excess_score(observed, expected) -> np.ndarray:
    """-log10 P(X >= observed) for X ~ Poisson(expected), capped at SCORE_CAP; 0 where observed <= expected."""
    from scipy.special import pdtrc

    observed = np.asarray(observed, dtype=float)
    expected = np.maximum(np.asarray(expected, dtype=float), 1e-9)
    p = pdtrc(np.maximum(observed - 1, 0), expected)
    with np.errstate(divide="ignore"):
        score = -np.log10(np.maximum(p, 0.0))
    score = np.minimum(np.nan_to_num(score, posinf=SCORE_CAP), SCORE_CAP)
    return np.where(observed > expected, score, 0.0)


def rising_p(recent, earlier, recent_months: int, earlier_months: int) -> np.ndarray:
    """One-sided p of 'the recent half has no higher monthly rate than the earlier half' (binomial test of
    the recent complaints out of all, against the recent months' share of the window)."""
    from scipy.stats import binom

    recent = np.asarray(recent, dtype=float)
    n = recent + np.asarray(earlier, dtype=float)
    share = recent_months / max(recent_months + earlier_months, 1)
    return np.where(n > 0, binom.sf(recent - 1, n, share), 1.0)


def rank(
    scored: pd.DataFrame, recent_months: int, earlier_months: int, with_item: set[tuple[str, str, str]] = frozenset()
) -> pd.DataFrame:  # type: ignore[assignment]
    """recurring_issues_scored rows ranked (module doc): adds excess, excess_score, rising, has_item,
    rank_score and rank (1 = first)."""
    out = scored.reset_index(drop=True).copy()
    if out.empty:
        for column in ("excess", "excess_score", "rank_score"):
            out[column] = pd.Series(dtype=float)
        for column in ("rising", "has_item"):
            out[column] = pd.Series(dtype=bool)
        out["rank"] = pd.Series(dtype=int)
        return out
    out["excess"] = out["complaints"].astype(float) - out["expected"].astype(float)
    out["excess_score"] = excess_score(out["complaints"], out["expected"])
    out["rising"] = (
        rising_p(out["recent_complaints"], out["earlier_complaints"], recent_months, earlier_months) < RISING_P
    ) & (out["recent_complaints"] > out["earlier_complaints"])
    keys = list(zip(out["branch_code"].astype(str), out["business_category"].astype(str), out["reason"].astype(str)))
    out["has_item"] = [k in with_item for k in keys]
    out["rank_score"] = (
        out["excess_score"] + RISING_BONUS * out["rising"].astype(float) + ITEM_BONUS * out["has_item"].astype(float)
    )
    out = out.sort_values(
        ["rank_score", "excess", "branch_code", "business_category", "reason"],
        ascending=[False, False, True, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def ranked(
    query: Callable[..., pd.DataFrame],
    month_to: date,
    window_months: int = RECURRING_WINDOW_MONTHS,
    min_months: int = RECURRING_MIN_MONTHS,
    with_item: set[tuple[str, str, str]] = frozenset(),  # type: ignore[assignment]
) -> pd.DataFrame:
    """Every recurring issue of the window ending at month_to, ranked (module doc). `query(name, **overrides)`
    runs a query under the global filters (a page loader's Source)."""
    over = scored_overrides(month_to, window_months, min_months)
    scored = query("recurring_issues_scored", **over)
    recent = recent_months(window_months)
    return rank(scored, recent, int(window_months) - recent, with_item)


def recent_months(window_months: int = RECURRING_WINDOW_MONTHS) -> int:
    """The window's recent part, compared with the earlier part for 近期上升: its second half (at least 1)."""
    return int(window_months) // 2 if int(window_months) >= 2 else 1


def runner(con: duckdb.DuckDBPyConnection, filters: Filters) -> Callable[..., pd.DataFrame]:
    """query(name, **overrides) over a connection and a filter set (analysis.source.Source.of)."""
    from dashboard.analysis.source import Source

    return Source.of(con, filters)


def ledger_keys(items: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(branch_code, business_category, reason) of the ledger items that cover a slice."""
    if items is None or items.empty:
        return set()
    full = items.dropna(subset=["branch_code", "business_category", "reason"])
    return set(zip(full["branch_code"].astype(str), full["business_category"].astype(str), full["reason"].astype(str)))


def rank_reason(row) -> str:
    """Why an issue stands where it does, in words."""
    parts = [f"{int(row['complaints'])} 件，按机构规模和全行结构预期约 {float(row['expected']):.1f} 件"]
    parts.append(f"多出 {max(float(row['excess']), 0):.0f} 件（{words_for_score(float(row['excess_score']))}）")
    if row["rising"]:
        parts.append("近期上升")
    if row["has_item"]:
        parts.append("已有整改事项仍反复出现")
    return "；".join(parts)


def words_for_score(score: float) -> str:
    """The excess score (-log10 p) in words for a 消保 analyst."""
    if score >= 3:
        return "极显著，远超预期"
    if score >= 2:
        return "显著超出预期"
    if score >= 1.3:
        return "略高于预期"
    return "与预期相当"


def report_section(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **_options) -> list[dict]:
    """`recurring_issues` in the report: the issues of the 6 months ending at the report month, in the
    page's order (ranked(): excess over what the branch's size and the bank's mix predict, rising, with a
    rectification item), at most REPORT_LIMIT."""
    rows = ranked(runner(con, filters), month).head(REPORT_LIMIT)
    return [
        {
            "rank": int(r.rank),
            "branch_code": str(r.branch_code),
            "business_category": str(r.business_category),
            "reason": str(r.reason),
            "months_present": int(r.months_present),
            "complaints": int(r.complaints),
            "expected": round(float(r.expected), 2),
            "excess_score": round(float(r.excess_score), 2),
            "rising": bool(r.rising),
        }
        for r in rows.itertuples()
    ]
