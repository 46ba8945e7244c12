"""Repeat complaints (重复投诉): the adjustable rule, its queries, the page's first view and the report.

The rule has one definition for pages: the table macro ``repeat_flags`` in queries/repeats_flags.sql
(window in calendar days, whether the business category must match). With the contract's defaults (30
days, same category) it gives exactly the ``is_repeat`` stored at import by
queries/import_derive_complaints.sql; tests/test_repeats.py checks that on hand-made cases and on the
demo bank. The macro is one of the shared macros every read connection has (dashboard/db.py: MACROS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from dashboard.analysis import recurring, similar_groups
from dashboard.analysis.source import Source, memoised
from dashboard.config import RECURRING_MIN_MONTHS, RECURRING_WINDOW_MONTHS, REPEAT_WINDOW_DAYS
from dashboard.derived.similar_index import MIN_SIZE
from dashboard.filters import Filters, add_months
from dashboard.ingest.mapping import NO_CUSTOMER_PREFIX
from dashboard.text.masking import mask_customer_id

TREND_MONTHS = 12  # the by-month chart shows this many months ending at the report month
TOP_CUSTOMERS = 20
REPORT_TOP_CUSTOMERS = 10  # of the page's TOP_CUSTOMERS (the query orders them completely)
TIMELINE_LIMIT = 200
ORG_LEVELS = ("一级分行", "二级分行", "支行")
# Every repeat figure when the scope holds complaints of a source mapped without a customer key.
UNKNOWN_ZH = "无客户号，无法计算"


# Every repeat figure under the counting basis 合并重复后, which leaves every repeat out: its repeat rate is
# 0 by construction, not a measured 0 % (hostile H219). Pages show this instead; 重复与溯源 counts the
# repeat complainants on 全部受理 and says so.
REMOVED_ZH = "不适用（合并重复后口径已剔除重复投诉）"
REMOVED_BASIS_NOTE = "统计口径为“合并重复后”，该口径已剔除重复投诉；本栏的重复投诉按“全部受理”口径统计。"


def removed_by_basis(filters) -> bool:
    """Whether the filters' counting basis has removed the repeats it would count (合并重复后)."""
    return filters.basis == "merged"


def card_instead(no_customer_key: bool, removed: bool) -> tuple[str, str] | None:
    """What a repeat-rate card shows instead of a rate, on two lines (the card is narrow): (value, reason), or
    None when the rate is given."""
    if no_customer_key:
        value, reason = UNKNOWN_ZH.split("，")  # 无客户号 / 无法计算
        return value, reason
    if removed:
        return "不适用", "口径已剔除重复投诉"
    return None


def unknowable(run) -> bool:
    """Whether repeat numbers cannot be computed in the user's scope: it holds complaints of a source
    whose mapping declared no customer key. Every repeat figure then reads UNKNOWN_ZH or is left out,
    never 0, which would say "no repeats". `run(name, **params)` runs a query with the filters' scope."""
    return bool(run("no_customer_key", prefix=NO_CUSTOMER_PREFIX)["complaints"].iloc[0])


def without_repeats(rows: pd.DataFrame) -> pd.DataFrame:
    """kpis_by_month / rankings_by_org rows with their repeat columns unknown (NaN), not 0."""
    return rows.assign(**{c: float("nan") for c in ("repeats", "repeat_rate") if c in rows})


def rule_params(window_days: int = REPEAT_WINDOW_DAYS, same_category: bool = True) -> dict:
    """The rule's query parameters, with the window of the is_repeat the import stores (REPEAT_WINDOW_DAYS):
    for that rule the queries read the stored flag instead of looking back."""
    return {
        "repeat_window_days": int(window_days),
        "same_category": bool(same_category),
        "stored_window_days": REPEAT_WINDOW_DAYS,
    }


def rule_text(window_days: int = REPEAT_WINDOW_DAYS, same_category: bool = True) -> str:
    """The rule in words, for help texts."""
    what = "同一业务类别的" if same_category else "任一业务类别的"
    default = "（合同默认口径）" if (window_days == REPEAT_WINDOW_DAYS and same_category) else "（已调整，非默认口径）"
    return (
        f"同一客户号在此前 {window_days} 个自然日内（含第 {window_days} 天）已有{what}投诉，"
        f"则本次投诉为重复投诉{default}。回溯时不受筛选条件和期间限制。"
    )


def default_level(org_level: str | None) -> str:
    """The organisation level to break repeats down by: the level below the selected organisation."""
    order = ("总行", *ORG_LEVELS)
    if org_level not in order:
        return ORG_LEVELS[0]
    return order[min(order.index(org_level) + 1, len(order) - 1)]


def totals(by_month: pd.DataFrame) -> dict:
    """Complaints, repeats and the repeat rate over the months of a repeats_by_month result."""
    complaints = int(by_month["complaints"].sum()) if len(by_month) else 0
    repeats = int(by_month["repeats"].sum()) if len(by_month) else 0
    return {"complaints": complaints, "repeats": repeats, "repeat_rate": repeats / complaints if complaints else None}


def trend_window(month_to: date) -> tuple[date, date]:
    return add_months(month_to, -(TREND_MONTHS - 1)), month_to


def period_of(trend: pd.DataFrame, month_from: date, month_to: date) -> pd.DataFrame | None:
    """The period's months cut from the trend (repeats_by_month over trend_window(month_to)): totals() is
    a sum over months, so the period needs no query of its own. None when the period starts before the
    trend window."""
    if month_from < trend_window(month_to)[0]:
        return None
    months = pd.to_datetime(trend["month"])
    return trend[(months >= pd.Timestamp(month_from)) & (months <= pd.Timestamp(month_to))]


@dataclass(frozen=True)
class RepeatsState:
    """The page's own state: the repeat rule, the organisation level (None: the level below the selected
    organisation), the customer whose timeline is shown (None: the first listed), the recurring-issue rule
    (recurring_min None: the contract's, within the window) and the similar group shown (None: the first)."""

    window_days: int = REPEAT_WINDOW_DAYS
    same_category: bool = True
    level: str | None = None
    customer: str | None = None
    recurring_window: int = RECURRING_WINDOW_MONTHS
    recurring_min: int | None = None
    group_id: int | None = None
    with_item: frozenset[tuple[str, str, str]] = frozenset()  # recurring issues with a ledger item


@dataclass(frozen=True)
class RepeatsData:
    filters: Filters
    state: RepeatsState
    unknowable: bool  # no customer key in scope: no repeat figure at all
    rule: dict  # rule_params of the state's rule
    trend: pd.DataFrame | None  # repeats_by_month over trend_window
    totals: dict | None  # totals() of the period
    top: pd.DataFrame | None  # repeats_top_customers
    org_level: str | None  # the selected organisation's level
    level: str | None  # the level repeats are broken down by
    by_org: pd.DataFrame | None  # repeats_by_org (None when the period has no complaints)
    customer: object  # the customer whose timeline is shown
    timeline: pd.DataFrame | None  # repeats_customer_timeline
    recurring_window: int
    recurring_min: int
    issues: pd.DataFrame  # recurring.ranked(): every issue, in the page's order
    similar_computed: bool  # the snapshot has the similar groups
    groups: pd.DataFrame | None  # similar_groups_list
    group_id: int | None  # the group shown
    members: pd.DataFrame | None  # similar_group_members of that group

    @property
    def repeat_customers(self) -> int:
        return int(self.top["repeat_customers"].iloc[0]) if self.top is not None and len(self.top) else 0


def load(source: Source, filters: Filters, state: RepeatsState = RepeatsState()) -> RepeatsData:
    """Everything the 重复与溯源 page draws for its state (its three tabs), in the order it shows them."""
    rule = rule_params(state.window_days, state.same_category)
    if removed_by_basis(filters):  # counted on 全部受理: 合并重复后 has no repeat left to count (H219)
        rule["basis"] = None
    trend = total = top = org_level = level = by_org = timeline = customer = None
    unknown = unknowable(source)
    if not unknown:
        trend_from, trend_to = trend_window(filters.month_to)
        trend = source("repeats_by_month", month_from=trend_from, month_to=trend_to, **rule)
        in_period = period_of(trend, filters.month_from, filters.month_to)
        if in_period is None:  # a period longer than the trend
            in_period = source("repeats_by_month", **rule)
        top = source("repeats_top_customers", limit=TOP_CUSTOMERS, **rule)
        total = totals(in_period)
        if total["complaints"]:
            if filters.org:
                branches = source("branch_options")
                org_level = dict(zip(branches["branch_code"], branches["level"])).get(filters.org)
            level = state.level if state.level in ORG_LEVELS else default_level(org_level)
            by_org = source("repeats_by_org", level=level, **rule)
            if len(top):
                ids = list(top["customer_id"])
                customer = state.customer if state.customer in ids else ids[0]
                timeline = source("repeats_customer_timeline", customer_id=customer, limit=TIMELINE_LIMIT, **rule)
    window = int(state.recurring_window)
    least = int(state.recurring_min) if state.recurring_min is not None else min(RECURRING_MIN_MONTHS, window)
    issues = recurring.ranked(source, filters.month_to, window, least, with_item=set(state.with_item))
    computed = similar_groups.computed_in(source.tables())
    groups = members = group_id = None
    if computed:
        groups = source("similar_groups_list", min_size=MIN_SIZE, limit=similar_groups.PAGE_LIMIT)
        if len(groups):
            ids = [int(g) for g in groups["group_id"]]
            group_id = state.group_id if state.group_id in ids else ids[0]
            members = source("similar_group_members", group_id=group_id, limit=similar_groups.MEMBER_LIMIT)
    return RepeatsData(
        filters,
        state,
        unknown,
        rule,
        trend,
        total,
        top,
        org_level,
        level,
        by_org,
        customer,
        timeline,
        window,
        least,
        issues,
        computed,
        groups,
        group_id,
        members,
    )


def report_section(con: duckdb.DuckDBPyConnection, filters: Filters, month: date, **options) -> dict:
    """`repeats` in the report: the month's repeat complaints, rate and the customers with most repeats
    (contract rule, default parameters): the page's loader for the report month, serialised."""
    month_filters = filters.with_period(month, month)
    data = memoised(options, ("repeats", month_filters), lambda: load(Source.of(con, month_filters), month_filters))
    if data.unknowable:
        return {"repeat_complaints": UNKNOWN_ZH, "repeat_rate": UNKNOWN_ZH}
    return {
        **({"counting_basis": REMOVED_BASIS_NOTE} if removed_by_basis(filters) else {}),
        "repeat_complaints": data.totals["repeats"],
        "repeat_rate": data.totals["repeat_rate"],
        "top_customers": [
            {
                "customer_id": mask_customer_id(str(r.customer_id)),  # H99: it may be an ID or mobile
                "complaints": int(r.complaints),
                "repeats": int(r.repeats),
                "categories": [str(c) for c in r.categories],
            }
            for r in data.top.head(REPORT_TOP_CUSTOMERS).itertuples()
        ],
    }
