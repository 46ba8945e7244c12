"""The hotspots page without Streamlit: its selection (global filters + page-local drill-down) as bound
query parameters, the hot-topic statistics over term counts, and the page's first view for the benchmark.

Drill-down: a dict {dimension: value} built by clicking charts on the page. Category, reason and
channel narrow the global filter lists (their intersection: a value outside the global list matches
nothing, it never widens the filters); month narrows the period to one month (a month outside the
period matches nothing); org (a subtree), product, province and city become the queries' $d_* params.
"""
from __future__ import annotations

from datetime import date
from typing import Mapping

import duckdb
import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analysis import surges
from dashboard.derived import terms_index
from dashboard.filters import Filters, add_months
from dashboard.text.terms import RISING_G2, RISING_LIFT, score_terms

DRILL_LABELS = {
    "month": "月份", "org": "机构", "province": "省份", "city": "城市", "category": "业务类别",
    "reason": "投诉原因", "channel": "投诉渠道", "product": "产品",
}
ORG_LEVELS = ("一级分行", "二级分行", "支行")
SORT_KEYS = {
    "received_at": "受理时间", "closed_at": "办结时间", "handling_days": "处理天数", "amount": "涉及金额",
    "branch_code": "机构代码", "business_category": "业务类别", "complaint_id": "投诉编号",
}
PAGE_SIZES = (20, 50, 100)
EXPORT_CAP = 50_000          # rows in one export (CSV or Excel)
MIN_TERM_DOCS = 5            # a term must be in at least this many narratives of the period
_LIST_FILTERS = {"category": "categories", "reason": "reasons", "channel": "channels"}


def months_in(month_from: date, month_to: date) -> int:
    return (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1


def selection_overrides(filters: Filters, drill: Mapping[str, object] | None) -> dict:
    """Overrides of Filters.params() that narrow the global selection by the drill-down."""
    drill = drill or {}
    out: dict = {"d_org": drill.get("org"), "d_product": drill.get("product"),
                 "d_province": drill.get("province"), "d_city": drill.get("city")}
    for key, field in _LIST_FILTERS.items():
        if key in drill:
            allowed = getattr(filters, field)
            out[field] = [drill[key]] if allowed is None or drill[key] in allowed else []
    month = drill.get("month")
    if month is not None:
        if filters.month_from <= month <= filters.month_to:
            out["month_from"], out["month_to"] = month, month
        else:   # an empty period: month_from after month_to matches nothing
            out["month_from"], out["month_to"] = add_months(filters.month_to, 1), filters.month_to
    return out


def effective_period(filters: Filters, drill: Mapping[str, object] | None) -> tuple[date, date]:
    overrides = selection_overrides(filters, drill)
    return overrides.get("month_from", filters.month_from), overrides.get("month_to", filters.month_to)


def terms_overrides(filters: Filters, drill: Mapping[str, object] | None, min_docs: int = MIN_TERM_DOCS) -> dict:
    """Parameters of terms_hot: the selection plus the previous period of the same length."""
    out = selection_overrides(filters, drill)
    month_from, month_to = effective_period(filters, drill)
    out["prev_from"] = add_months(month_from, -months_in(month_from, month_to)) if month_from <= month_to \
        else month_from
    out["min_docs"] = min_docs
    return out


def terms_query(filters: Filters, drill: Mapping[str, object] | None) -> str:
    """The hot-term query for the selection: terms_hot_all (per-month counts stored at import) when the
    selection is every complaint of the period, else terms_hot."""
    whole = (filters.org is None and filters.scope is None and not filters.categories and not filters.reasons
             and not filters.channels and filters.referred is None and filters.basis is None
             and filters.age_group is None
             and not any(value is not None for key, value in (drill or {}).items() if key != "month"))
    return "terms_hot_all" if whole else "terms_hot"


def list_overrides(filters: Filters, drill: Mapping[str, object] | None, *, term: str | None = None,
                   search: str | None = None) -> dict:
    """The selection of the complaint list: drill-down plus a narrative term and a text search."""
    out = selection_overrides(filters, drill)
    out["term"] = term or None
    out["search"] = (search or "").strip() or None
    return out


def org_levels_below(level: str | None) -> tuple[str, ...]:
    """The organisation levels shown under an organisation of `level` (None: the whole bank)."""
    if level is None or level == "总行":
        return ORG_LEVELS
    if level not in ORG_LEVELS:
        return ()
    return ORG_LEVELS[ORG_LEVELS.index(level) + 1:]


def split_dimensions(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """hotspots_by_dimension rows by dimension: total (int), category_reason, channel, product."""
    parts = {name: rows[rows["dimension"] == name].reset_index(drop=True)
             for name in ("category_reason", "channel", "product")}
    total = rows.loc[rows["dimension"] == "total", "complaints"]
    parts["total"] = int(total.iloc[0]) if len(total) else 0
    return parts


def category_totals(category_reason: pd.DataFrame, column: str) -> pd.DataFrame:
    """Complaints per business category (column='business_category') or per reason from the matrix."""
    out = category_reason.groupby(column, as_index=False)["complaints"].sum()
    return out.sort_values(["complaints", column], ascending=[False, True]).reset_index(drop=True)


# --- Hot topics ------------------------------------------------------------------------------------------
def hot_terms(counts: pd.DataFrame, *, rising_lift: float = RISING_LIFT,
              rising_g2: float = RISING_G2) -> pd.DataFrame:
    """Statistics of terms_hot rows, the definitions of dashboard.text.terms.hot_terms computed from
    document counts (the import already tokenized every narrative):
      share = docs / n_current, prev_share = prev_docs / n_previous,
      lift = ((docs + 0.5) / (n_current + 1)) / ((prev_docs + 0.5) / (n_previous + 1)),
      score = G² of the 2x2 table narratives with/without the term x current/previous, signed + when the
      share went up; rising = lift >= 1.5 and G² >= 6.63 (p < 0.01) and the share went up.
    With no previous narratives: lift and prev_share NaN, score 0, nothing rising.
    Ordered by docs (most common first), then term."""
    columns = ["term", "docs", "share", "prev_docs", "prev_share", "lift", "score", "rising"]
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            columns, [object, "int64", float, "int64", float, float, float, bool])})
    n1, n2 = int(counts["n_current"].iloc[0]), int(counts["n_previous"].iloc[0])
    a = counts["docs"].to_numpy(dtype=np.int64)
    b = counts["prev_docs"].to_numpy(dtype=np.int64)
    share, prev_share, lift, score, rising = score_terms(a, b, n1, n2, rising_lift, rising_g2)
    out = pd.DataFrame({"term": counts["term"].astype(object).to_numpy(), "docs": a, "share": share,
                        "prev_docs": b, "prev_share": prev_share, "lift": lift, "score": score,
                        "rising": rising.astype(bool)})
    return out.sort_values(["docs", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def rising_terms(table: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """The rising terms of hot_terms(), the strongest change (score) first."""
    rising = table[table["rising"]]
    return rising.sort_values(["score", "term"], ascending=[False, True], kind="mergesort").head(top) \
        .reset_index(drop=True)


# --- The benchmark's first view ---------------------------------------------------------------------------
def page_queries(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    """Every query of the page's first view (no drill-down, default thresholds and list order), as the
    page runs them, without Streamlit: for the benchmark."""
    params = filters.params(**selection_overrides(filters, None))
    db.run(con, "hotspots_by_dimension", **params)   # its total is the list's count (no term, no search)
    db.run(con, "hotspots_by_region", **params)
    level = None
    if filters.org is not None:
        options = db.run(con, "branch_options", scope=filters.scope)
        level = options.loc[options["branch_code"] == filters.org, "level"].squeeze() or None
    below = org_levels_below(level)
    if below:
        db.run(con, "hotspots_by_org", **params, org_level=below[0])
    rule = surges.SurgeRule()
    surges.find_surges(surges.slice_counts(con, filters, filters.month_to, rule), filters.month_to, rule,
                       surges.data_start(con, filters))
    if terms_index.ready(con):
        db.run(con, terms_query(filters, None),
               **filters.params(**terms_overrides(filters, None)))
    listing = filters.params(**list_overrides(filters, None))
    db.run(con, "complaints_list", **listing, sort_key="received_at", sort_desc=True, limit=PAGE_SIZES[1],
           offset=0)
