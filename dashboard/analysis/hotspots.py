"""The hotspots page without Streamlit: its selection (global filters + page-local drill-down) as bound
query parameters, the hot-topic statistics over term counts, and the page's loader (`load`).

Drill-down: a dict {dimension: value} built by clicking charts on the page. Category, reason and
channel narrow the global filter lists (their intersection: a value outside the global list matches
nothing, it never widens the filters); month narrows the period to one month (a month outside the
period matches nothing); org (a subtree), product, province and city become the queries' $d_* params.

Search: the page's narrative search (dashboard/text/search_query.py, AND / OR / NOT, "phrases") is a
filter of the whole page like the drill-down: every query of the page (counts, charts, surges, hot terms,
the list) takes it as $s_terms, $s_neg (queries/macro_search_match.sql).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from dashboard.analysis import surges, text_status
from dashboard.analysis.listing import ListOptions, ListPage, load_list
from dashboard.analysis.rankings import MIN_COMPLAINTS
from dashboard.analysis.source import Source
from dashboard.derived import terms_index
from dashboard.filters import Filters, add_months, month_label
from dashboard.text import search_query
from dashboard.text.search_query import Search
from dashboard.text.terms import RISING_G2, RISING_LIFT, score_terms

DRILL_LABELS = {
    "month": "月份",
    "org": "机构",
    "province": "省份",
    "city": "城市",
    "category": "业务类别",
    "reason": "投诉原因",
    "channel": "投诉渠道",
    "product": "产品",
}
ORG_LEVELS = ("一级分行", "二级分行", "支行")
# The page's state in the URL (ui/url_state.py): drill-down dimension -> parameter.
DRILL_URL_KEYS = {name: f"hs_d_{name}" for name in DRILL_LABELS}
MIN_TERM_DOCS = 5  # a term must be in at least this many narratives of the period
_LIST_FILTERS = {"category": "categories", "reason": "reasons", "channel": "channels"}


def months_in(month_from: date, month_to: date) -> int:
    return (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1


def selection_overrides(filters: Filters, drill: Mapping[str, object] | None, search: Search | None = None) -> dict:
    """Overrides of Filters.params() that narrow the global selection by the drill-down and the search."""
    drill = drill or {}
    out: dict = {
        "d_org": drill.get("org"),
        "d_product": drill.get("product"),
        "d_province": drill.get("province"),
        "d_city": drill.get("city"),
        **search_query.params(search),
    }
    for key, attr in _LIST_FILTERS.items():
        if key in drill:
            allowed = getattr(filters, attr)
            out[attr] = [drill[key]] if allowed is None or drill[key] in allowed else []
    month = drill.get("month")
    if month is not None:
        if filters.month_from <= month <= filters.month_to:
            out["month_from"], out["month_to"] = month, month
        else:  # an empty period: month_from after month_to matches nothing
            out["month_from"], out["month_to"] = add_months(filters.month_to, 1), filters.month_to
    return out


def surge_overrides(search: Search | None) -> dict:
    """The surges follow the search (not the drill-down: a surge is found among all slices)."""
    return search_query.params(search)


def surge_selection(filters: Filters) -> dict:
    """Overrides of complaints_search_hidden for the selection the surges count (queries/surges_slice_counts.sql):
    the SERIES_MONTHS months ending at the filters' last month under the global filters, not the drill-down.
    A search's hidden hits are checked there, not on the page's drilled selection: a hit outside it (another
    month, organisation or product) still moved a surge count (issue 15)."""
    return {
        "month_from": add_months(filters.month_to, -(surges.SERIES_MONTHS - 1)),
        "month_to": filters.month_to,
        "d_org": None,
        "d_product": None,
        "d_province": None,
        "d_city": None,
    }


# surges_slice_counts' columns before its monthly counts (surges.HISTORY): no surge when none is counted
SURGE_COLUMNS = (
    "kind",
    "branch_code",
    "branch_name",
    "branch_level",
    "business_category",
    "reason",
    "product",
    "complaints",
    "baseline_total",
)
SURGES_UNCHECKED = "当前搜索未在激增统计范围内核对是否只出现在已脱敏的个人信息中，为保护个人信息，本次不显示激增。"


def surges_search(state: "HotspotsState") -> tuple[str | None, Search | None]:
    """(why the surges are not counted under the page's search, None) or (None, the search they count with).
    A search checked for a user who may not reveal personal data (hidden not None) is counted with
    state.surge_search, checked on surge_selection; without it the surges are not counted (fail closed)."""
    search = state.search
    if search is None or search.hidden is None:  # no search, or the stored text (a user who may reveal)
        return None, search
    if state.surges_refused:
        return state.surges_refused, None
    checked = state.surge_search
    if checked is None or checked.hidden is None or checked.clauses != search.clauses:
        return SURGES_UNCHECKED, None
    return None, checked


def effective_period(filters: Filters, drill: Mapping[str, object] | None) -> tuple[date, date]:
    overrides = selection_overrides(filters, drill)
    return overrides.get("month_from", filters.month_from), overrides.get("month_to", filters.month_to)


def terms_overrides(
    filters: Filters, drill: Mapping[str, object] | None, min_docs: int = MIN_TERM_DOCS, search: Search | None = None
) -> dict:
    """Parameters of terms_hot: the selection plus the previous period of the same length."""
    out = selection_overrides(filters, drill, search)
    month_from, month_to = effective_period(filters, drill)
    out["prev_from"] = (
        add_months(month_from, -months_in(month_from, month_to)) if month_from <= month_to else month_from
    )
    out["min_docs"] = min_docs
    return out


def terms_query(filters: Filters, drill: Mapping[str, object] | None, search: Search | None = None) -> str:
    """The hot-term query for the selection: terms_hot_all (per-month counts stored at import) when the
    selection is every complaint of the period, else terms_hot."""
    whole = (
        search is None
        and filters.org is None
        and filters.scope is None
        and not filters.categories
        and not filters.reasons
        and not filters.channels
        and filters.referred is None
        and filters.basis is None
        and filters.age_group is None
        and not any(value is not None for key, value in (drill or {}).items() if key != "month")
    )
    return "terms_hot_all" if whole else "terms_hot"


def list_overrides(
    filters: Filters, drill: Mapping[str, object] | None, *, term: str | None = None, search: Search | str | None = None
) -> dict:
    """The selection of the complaint list: drill-down and search plus a narrative term. `search` parsed
    or as typed (parsed here; SearchError when it cannot be read)."""
    parsed = search_query.parse(search) if isinstance(search, str) else search
    out = selection_overrides(filters, drill, parsed)
    out["term"] = term or None
    return out


_TREND_DIMENSIONS = {"business_category": "category", "reason": "reason", "channel": "channel", "tier1_branch": "org"}


def trend_drill(
    filters: Filters, month: date, dimension: str, value: str | None, parents: Mapping[str, str | None]
) -> dict | None:
    """The hotspots drill-down that shows one mover of the trends page (查看热点): its month and the item
    (a business category, reason, channel or tier-1 branch), on top of the sidebar's filters, which stay
    as they are. A tier-1 branch that holds the selected organisation adds nothing (the filter is already
    narrower). None for the head-office remainder (no organisation to drill into)."""
    if dimension not in _TREND_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    if value is None:
        return None
    drill: dict = {"month": month}
    if dimension == "tier1_branch":
        code, seen = filters.org, set()
        while code is not None and code not in seen:  # the selected organisation's ancestors
            if code == value:
                return drill
            seen.add(code)
            code = parents.get(code)
    drill[_TREND_DIMENSIONS[dimension]] = value
    return drill


def product_key(product: str) -> str:
    """A product in a link (hs_d_product): a keyed digest of its name, never the name. Product names are free
    text a source system lets staff type (a customer's name or phone can be in one), masked on the page
    (H60), and a URL goes to the browser's history, shared links and proxy logs. The key is derived from the
    deployment's audit key, so a guessed name cannot be confirmed against a link without it."""
    from dashboard.auth import audit

    secret = hmac.new(audit.key(), b"hotspots drill-down product link", hashlib.sha256).digest()
    return "p" + hmac.new(secret, product.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def product_from_key(key: str, products: Iterable[str]) -> str | None:
    """The product among `products` (those of the user's selection) whose link key is `key`, else None."""
    return next(
        (p for p in products if isinstance(p, str) and hmac.compare_digest(product_key(p).encode(), key.encode())), None
    )


def drill_to_query(drill: Mapping[str, object] | None) -> dict[str, str]:
    """The drill-down as URL parameters (hs_d_month=2026-10, hs_d_org=0101, ...; a product by its key)."""
    out = {}
    for name, value in (drill or {}).items():
        if name in DRILL_URL_KEYS and value is not None:
            if name == "month" and isinstance(value, date):
                out[DRILL_URL_KEYS[name]] = month_label(value)
            elif name == "product":
                out[DRILL_URL_KEYS[name]] = product_key(str(value))
            else:
                out[DRILL_URL_KEYS[name]] = str(value)
    return out


def drill_from_query(query: Mapping[str, str], products: Callable[[], Iterable[str]] | None = None) -> dict:
    """The drill-down of URL parameters; a month that does not parse, a category, reason or channel
    outside the contract's lists, or a product key that names no product of `products()` (the user's
    selection, asked only when a link has one) is left out (a stale link still opens)."""
    from dashboard import schema
    from dashboard.filters import month_start

    allowed = {"category": schema.BUSINESS_CATEGORIES, "reason": schema.REASONS, "channel": schema.CHANNELS}
    out: dict = {}
    for name, key in DRILL_URL_KEYS.items():
        value = (query.get(key) or "").strip()
        if not value:
            continue
        if name == "month":
            try:
                out[name] = month_start(value)
            except (ValueError, IndexError):
                continue
        elif name == "product":
            product = product_from_key(value, products()) if products is not None else None
            if product is not None:
                out[name] = product
        elif name in allowed and value not in allowed[name]:
            continue
        else:
            out[name] = value
    return out


def dropped_drill(query: Mapping[str, str], drill: Mapping[str, object]) -> list[str]:
    """A warning for each drill-down of a link that drill_from_query left out: the page then counts more
    than the link's view, and says so (hostile H216: a product key that matched no product read the whole
    channel's 4,849 件 as the product's). A product is named by its label only (the key is a digest)."""
    out = []
    for name, key in DRILL_URL_KEYS.items():
        value = (query.get(key) or "").strip()
        if value and name not in drill:
            shown = "" if name == "product" else f"“{value}”"
            out.append(
                f"链接中的下钻条件{DRILL_LABELS[name]}{shown}无法应用（已过期或不在当前筛选范围内），已不按其下钻。"
            )
    return out


def org_levels_below(level: str | None) -> tuple[str, ...]:
    """The organisation levels shown under an organisation of `level` (None: the whole bank)."""
    if level is None or level == "总行":
        return ORG_LEVELS
    if level not in ORG_LEVELS:
        return ()
    return ORG_LEVELS[ORG_LEVELS.index(level) + 1 :]


def split_dimensions(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """hotspots_by_dimension rows by dimension: total (int), category_reason, channel, product."""
    parts = {
        name: rows[rows["dimension"] == name].reset_index(drop=True)
        for name in ("category_reason", "channel", "product")
    }
    total = rows.loc[rows["dimension"] == "total", "complaints"]
    parts["total"] = int(total.iloc[0]) if len(total) else 0
    return parts


def category_totals(category_reason: pd.DataFrame, column: str) -> pd.DataFrame:
    """Complaints per business category (column='business_category') or per reason from the matrix."""
    out = category_reason.groupby(column, as_index=False)["complaints"].sum()
    return out.sort_values(["complaints", column], ascending=[False, True]).reset_index(drop=True)


# --- Hot topics ------------------------------------------------------------------------------------------
def hot_terms(counts: pd.DataFrame, *, rising_lift: float = RISING_LIFT, rising_g2: float = RISING_G2) -> pd.DataFrame:
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
        return pd.DataFrame(
            {
                c: pd.Series(dtype=t)
                for c, t in zip(columns, [object, "int64", float, "int64", float, float, float, bool])
            }
        )
    n1, n2 = int(counts["n_current"].iloc[0]), int(counts["n_previous"].iloc[0])
    a = counts["docs"].to_numpy(dtype=np.int64)
    b = counts["prev_docs"].to_numpy(dtype=np.int64)
    share, prev_share, lift, score, rising = score_terms(a, b, n1, n2, rising_lift, rising_g2)
    out = pd.DataFrame(
        {
            "term": counts["term"].astype(object).to_numpy(),
            "docs": a,
            "share": share,
            "prev_docs": b,
            "prev_share": prev_share,
            "lift": lift,
            "score": score,
            "rising": rising.astype(bool),
        }
    )
    return out.sort_values(["docs", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def rising_terms(table: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """The rising terms of hot_terms() (the rule: lift and G²), ordered by what their chart shows: the
    increase in narratives from the previous period to this one (increase = docs - prev_docs), largest
    first, then the stronger change (score), then the term. The top `top`."""
    rising = table[table["rising"]].assign(increase=lambda t: t["docs"] - t["prev_docs"])
    return (
        rising.sort_values(["increase", "score", "term"], ascending=[False, False, True], kind="mergesort")
        .head(top)
        .reset_index(drop=True)
    )


# --- Elderly customers' profile (issue 19) ----------------------------------------------------------------
ELDERLY_MIN_TERM_DOCS = 5  # a term must be in at least this many elderly customers' narratives
ELDERLY_TOP_TERMS = 15
ELDERLY_DIMENSIONS = {"channel": "投诉渠道", "business_category": "业务类别", "reason": "投诉原因"}
ELDERLY_RULE_ZH = (
    "老年客户：客户年龄 60 岁及以上。“全部客户”为填写了年龄的全部投诉（含老年客户）；未填写年龄的投诉"
    "两边都不计入。占比 = 该项投诉量 ÷ 同一群体的投诉量；差值 = 老年客户占比 − 全部客户占比（百分点）。"
    "侧边栏的“客户群体”在此不适用（本节本身就是两个群体的比较），其余筛选、下钻和搜索照常适用。"
)


def elderly_terms(counts: pd.DataFrame, top: int = ELDERLY_TOP_TERMS) -> pd.DataFrame:
    """The terms over-represented among elderly customers' narratives, from hotspots_elderly_terms rows:
    elderly_share = elderly_docs / n_elderly, share = docs / n_everyone (complaints with an age, the elderly
    included), excess = elderly_share - share, ratio = elderly_share / share. Only terms whose elderly share
    exceeds their share among all (excess > 0) and that are in at least the query's min_docs elderly
    narratives; the `top` largest excesses first, then the term."""
    columns = ["term", "elderly_docs", "docs", "elderly_share", "share", "excess", "ratio"]
    if counts.empty or not int(counts["n_elderly"].iloc[0]):
        return pd.DataFrame({c: pd.Series(dtype=object if c == "term" else float) for c in columns})
    n_elderly, n_everyone = int(counts["n_elderly"].iloc[0]), int(counts["n_everyone"].iloc[0])
    out = counts.assign(
        elderly_share=counts["elderly_docs"] / n_elderly,
        share=counts["docs"] / n_everyone,
    )
    out = out.assign(excess=out["elderly_share"] - out["share"], ratio=out["elderly_share"] / out["share"])
    out = out[out["excess"] > 0]
    out = out.sort_values(["excess", "term"], ascending=[False, True], kind="mergesort").head(top)
    return out[columns].reset_index(drop=True)


@dataclass(frozen=True)
class ElderlyProfile:
    """hotspots_elderly_profile and the over-represented terms of the page's selection."""

    rows: pd.DataFrame  # dimension, value, elderly, everyone, elderly_share, everyone_share (no total row)
    elderly: int  # elderly complaints of the selection
    everyone: int  # complaints with an age
    age_unknown: int  # complaints without an age (on neither side)
    terms: pd.DataFrame | None  # elderly_terms; None without the hot-term tables

    def dimension(self, name: str) -> pd.DataFrame:
        """One dimension's rows with excess = elderly_share - everyone_share, largest elderly count first."""
        rows = self.rows[self.rows["dimension"] == name]
        rows = rows.assign(excess=rows["elderly_share"].fillna(0) - rows["everyone_share"].fillna(0))
        return rows.sort_values(["elderly", "everyone", "value"], ascending=[False, False, True]).reset_index(drop=True)


def elderly_profile(profile: pd.DataFrame, term_counts: pd.DataFrame | None) -> ElderlyProfile:
    total = profile[profile["dimension"] == "total"]
    unknown = int(profile["age_unknown"].iloc[0]) if len(profile) else 0
    return ElderlyProfile(
        rows=profile[profile["dimension"] != "total"].reset_index(drop=True),
        elderly=int(total["elderly"].iloc[0]) if len(total) else 0,
        everyone=int(total["everyone"].iloc[0]) if len(total) else 0,
        age_unknown=unknown,
        terms=None if term_counts is None else elderly_terms(term_counts),
    )


# --- The page's data -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HotspotsState:
    """The page's own state on top of the filters: the drill-down, the selected term, the organisation level
    chosen (None: the first level below), the surge thresholds, the complaint list's options and the
    narrative search (text/search_query.py: a filter of the whole page, surges included)."""

    drill: Mapping[str, object] = field(default_factory=dict)
    term: str | None = None
    search: Search | None = None
    level: str | None = None
    rule: surges.SurgeRule = surges.SurgeRule()
    listing: ListOptions = ListOptions()
    # the search as the surges count it, its hidden hits checked on surge_selection (surges_search), or why
    # they are not counted under it (there its hits could not all be checked)
    surge_search: Search | None = None
    surges_refused: str | None = None


@dataclass(frozen=True)
class HotspotsData:
    filters: Filters
    state: HotspotsState
    branches: pd.DataFrame  # branch_options (names and levels)
    terms_ready: bool  # the snapshot has the hot-term tables
    month_from: date  # the drilled period (month_from > month_to: empty)
    month_to: date
    overrides: dict  # selection_overrides: the drilled selection's parameters
    parts: dict  # split_dimensions of hotspots_by_dimension
    regions: pd.DataFrame | None  # hotspots_by_region (None when the selection is empty)
    effective_org: str | None  # the drilled, else the selected organisation
    below: tuple[str, ...]  # its levels below (empty: a 支行)
    level: str | None  # the level shown
    orgs: pd.DataFrame | None  # hotspots_by_org at that level
    first_month: date | None  # surges_data_start
    surges: pd.DataFrame  # find_surges of the filters' last month (not drilled)
    terms_params: dict | None  # terms_overrides, when hot terms are counted
    term_table: pd.DataFrame | None  # hot_terms
    listing: ListPage  # the complaint list's page
    elderly: ElderlyProfile | None = None  # the elderly customers' profile (None when the selection is empty)
    surges_refused: str | None = None  # why no surge is counted under the search (surges then empty)
    stale_note: str = ""  # text_status.stale_note: the hot terms cut by older masking rules, until rebuild

    @property
    def total(self) -> int:
        return self.parts["total"]

    @property
    def names(self) -> dict:
        return dict(zip(self.branches["branch_code"], self.branches["branch_name"]))

    @property
    def levels(self) -> dict:
        return dict(zip(self.branches["branch_code"], self.branches["level"]))


def load(source: Source, filters: Filters, state: HotspotsState = HotspotsState()) -> HotspotsData:
    """Everything the page draws for its state, in the order the page shows it."""
    drill = state.drill
    terms_ready = terms_index.ready_in(source.tables())
    branches = source("branch_options")
    levels = dict(zip(branches["branch_code"], branches["level"]))
    month_from, month_to = effective_period(filters, drill)
    search = state.search
    overrides = selection_overrides(filters, drill, search)
    parts = split_dimensions(source("hotspots_by_dimension", **overrides))
    effective_org = drill.get("org") or filters.org
    below = org_levels_below(levels.get(effective_org) if effective_org else None)
    regions = orgs = level = None
    if parts["total"]:
        regions = source("hotspots_by_region", **overrides)
        if below:
            level = state.level if state.level in below else below[0]
            orgs = source("hotspots_by_org", **overrides, org_level=level)
    rule, month = state.rule, filters.month_to
    surges_refused, surge_search = surges_search(state)
    first_month = surges.first_month(source("surges_data_start"))
    if surges_refused:
        found = surges.find_surges(pd.DataFrame(columns=[*SURGE_COLUMNS, *surges.HISTORY]), month, rule, first_month)
    else:
        found = surges.counted_surges(source, month, rule, first_month, **surge_overrides(surge_search))
    terms_params = term_table = None
    if terms_ready and parts["total"]:
        terms_params = terms_overrides(filters, drill, search=search)
        term_table = hot_terms(source(terms_query(filters, drill, search), **terms_params))
    elderly = None
    if parts["total"]:
        elderly = elderly_profile(
            source("hotspots_elderly_profile", **overrides),
            source("hotspots_elderly_terms", **overrides, min_docs=ELDERLY_MIN_TERM_DOCS) if terms_ready else None,
        )
    listing = load_list(
        source,
        list_overrides(filters, drill, term=state.term, search=search),
        state.listing,
        counted=None if state.term else parts["total"],
    )  # the dimensions' total: the same selection
    return HotspotsData(
        filters,
        state,
        branches,
        terms_ready,
        month_from,
        month_to,
        overrides,
        parts,
        regions,
        effective_org,
        below,
        level,
        orgs,
        first_month,
        found,
        terms_params,
        term_table,
        listing,
        elderly,
        surges_refused,
        text_status.stale_note(source) if terms_ready else "",
    )


# --- rate ordering ------------------------------------------------------------------------------------
RATE_ORDER_NOTE = (
    f"按万人投诉率排序时只列投诉量不少于 {MIN_COMPLAINTS} 件的项（与机构排名的参与门槛相同）："
    "一两件投诉算出的万人投诉率主要取决于客户数大小，排序没有意义。"
)


def ranked_rows(rows: pd.DataFrame, by_rate: bool) -> tuple[pd.DataFrame, int]:
    """The rows a bar chart ranks and how many were left out: by 万人投诉率, only rows with a rate and at least
    MIN_COMPLAINTS complaints (hostile H222: 19 of the top 20 支行 stood on one or two complaints, ordered by
    the size of their customer base); by count, every row with complaints."""
    if not by_rate:
        return rows.dropna(subset=["complaints"]), 0
    rated = rows.dropna(subset=["per_10k"])
    kept = rated[rated["complaints"] >= MIN_COMPLAINTS]
    return kept, len(rated) - len(kept)


def head_office_complaints(regions: pd.DataFrame | None) -> int:
    """The selection's complaints booked at the head office itself, which no region holds (H220)."""
    if regions is None:
        return 0
    rows = regions[regions["level"] == "head_office"]
    return int(rows["complaints"].sum()) if len(rows) else 0
