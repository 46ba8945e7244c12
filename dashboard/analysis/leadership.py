"""Why the month moved and what the bank is doing about it (the trends page and the briefing; no Streamlit).

Drivers: each of the month's biggest rising movers (business categories, reasons, tier-1 branches of the
decomposition) is matched with its strongest surge of the month (analysis/surges.py: the surge inside the
mover's slice with the smallest p-value), the surge's rising narrative terms (the hotspot page's
statistics) and a typical case (its most recent complaint, masked), with the hotspot page's URL parameters
for that surge (same tab: st.page_link) and the rectification items that address it.

Rectification: the ledger's items this month (opened, due, overdue, closed) and, for closed ones, the
before/after effect of the item's own slice (analysis/effect.item_effect, as the ledger page), counted with
the one rule of dashboard/metrics.py (shown_status): an item whose complaints did not fall is 待重开, never
counted as rectified.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from dashboard import clock, metrics
from dashboard.analysis import effect, funnel, rank_noise, rankings, repeats, surges
from dashboard.analysis import hotspots as hs
from dashboard.derived import terms_index
from dashboard.filters import Filters, add_months, latest_complete_month, month_start
from dashboard.text.masking import mask

DRIVER_LIMITS = {"business_category": 2, "reason": 1, "tier1_branch": 1}
TERMS_SHOWN = 5
CASE_CHARS = 120
TERMS_MISSING = "热点词尚未计算（运行 python -m dashboard rebuild）"


@dataclass
class Driver:
    dimension: str
    value: str | None
    label: str
    contribution: int
    surge: dict | None = (
        None  # kind, branch_code, branch_name, business_category, reason, product, complaints, baseline
    )
    surge_text: str = ""
    terms: list[str] = field(default_factory=list)
    case: str | None = None  # masked narrative of a typical complaint
    case_id: str | None = None
    link: dict | None = None  # the hotspot page's query parameters (Filters.to_query keys)
    items: list[dict] = field(default_factory=list)  # ledger items covering it: id, title, status (as shown)
    related: list[dict] = field(default_factory=list)  # items overlapping it only; also `covers` (words)
    terms_ready: bool = True  # False: the snapshot has no hot-term tables (an import deferred them)

    def terms_text(self, missing: str = TERMS_MISSING) -> str:
        """The rising terms in words, or why there are none (`missing`: why the snapshot has no terms)."""
        if not self.terms_ready:
            return missing
        return "、".join(self.terms) if self.terms else "无显著上升的热词"

    def items_text(self) -> str:
        said = "；".join(f"#{i['id']} {i['title']}（{i['status']}）" for i in self.items) or "暂无对应整改事项"
        if self.related:
            said += "；相关事项：" + "；".join(
                f"#{i['id']} {i['title']}（{i['status']}，仅覆盖 {i['covers']}）" for i in self.related
            )
        return said


def _ancestors(code, parents: dict) -> list:
    chain, seen = [], set()
    while code is not None and code not in seen:
        chain.append(code)
        seen.add(code)
        code = parents.get(code)
    return chain


def _contains(a: dict, b: dict, parents: dict) -> bool:
    """Whether surge slice `a` holds slice `b` (every value a fixes, b fixes alike; a's organisation is b's
    or above it; no organisation: the whole bank)."""
    for key in ("business_category", "reason", "product"):
        if a.get(key) is not None and a.get(key) != b.get(key):
            return False
    org = a.get("branch_code")
    return org is None or (b.get("branch_code") is not None and org in _ancestors(b["branch_code"], parents))


def same_surge(a: dict | None, b: dict | None, parents: dict) -> bool:
    """Two movers' surges are the same complaints: one slice holds the other and they count alike (北京分行 ·
    信用卡 and 北京分行 · 信用卡 · 定价收费, 40 complaints each), as when 信用卡 and 定价收费 rise together."""
    if not a or not b or int(a["complaints"]) != int(b["complaints"]):
        return False
    return _contains(a, b, parents) or _contains(b, a, parents)


def _in_slice(row, dimension: str, value, parents) -> bool:
    if dimension == "business_category":
        return row["business_category"] == value
    if dimension == "reason":
        return row.get("reason") == value
    if dimension == "tier1_branch":
        return (
            value is not None
            and isinstance(row.get("branch_code"), str)
            and value in _ancestors(row["branch_code"], parents)
        )
    return False


def _clean(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def surge_text(s: dict, names: dict) -> str:
    parts = []
    if s.get("branch_code"):
        parts.append(names.get(s["branch_code"], s["branch_code"]))
    parts += [v for v in (s.get("business_category"), s.get("reason"), s.get("product")) if v]
    what = "·".join(parts)
    base = s.get("baseline") or 0
    return f"{what} {int(s['complaints']):,d} 件（前6个月月均 {base:.1f} 件）"


def month_surges(run, month: date) -> pd.DataFrame:
    rule = surges.SurgeRule()
    return surges.counted_surges(run, month, rule, surges.first_month(run("surges_data_start")))


def _drill(s: dict, month: date) -> dict:
    drill = {"month": month, "category": s.get("business_category")}
    for key in ("reason", "product"):
        if s.get(key):
            drill[key] = s[key]
    if s.get("branch_code"):
        drill["org"] = s["branch_code"]
    return drill


def drivers(
    run,
    filters: Filters,
    month: date,
    movers: dict[str, pd.DataFrame],
    parents: dict,
    names: dict,
    items: pd.DataFrame | None = None,
    span: tuple[date | None, date | None] = (None, None),
) -> list[Driver]:
    """The month's rising movers with their strongest surge, rising terms, a typical case and the ledger
    items covering them (else related ones), with their status as the ledger page shows it: `span` is
    (first month, last complete month) for the effect of the fixed ones."""
    if not movers:
        return []
    shown = shown_statuses(run, items, *span)
    scope = filters.org or filters.scope
    found = month_surges(run, month)
    terms_ready = terms_index.ready_in(run.tables())  # run: an analysis.source.Source
    rows = [{k: _clean(v) for k, v in r.items()} for r in found.to_dict("records")]
    view = replace(filters, month_from=month, month_to=month)
    out = []
    used_cases: set[str] = set()
    for dimension, limit in DRIVER_LIMITS.items():
        frame = movers.get(dimension)
        if frame is None or len(frame) < 2:
            continue
        for r in frame[frame["contribution"] > 0].head(limit).itertuples():
            d = Driver(dimension, _clean(r.value), str(r.label), int(r.contribution))
            inside = [s for s in rows if _in_slice(s, dimension, d.value, parents)]
            if inside:
                s = inside[0]
                d.surge, d.surge_text = s, surge_text(s, names)
                drill = _drill(s, month)
                d.terms_ready = terms_ready
                if terms_ready:  # an import with the narrative analysis deferred has no term tables yet
                    terms = hs.hot_terms(run(hs.terms_query(view, drill), **hs.terms_overrides(view, drill)))
                    top = terms[terms["rising"]].sort_values("score", ascending=False)["term"].head(TERMS_SHOWN)
                    d.terms = list(top)
                # the most recent complaint of the surge not already a typical case of an earlier driver
                # (two movers often share one surge: 信用卡 and 定价收费); the same case only when none is left
                case = run(
                    "complaints_list",
                    **hs.list_overrides(view, drill),
                    sort_key="received_at",
                    sort_desc=True,
                    limit=len(used_cases) + 1,
                    offset=0,
                )
                fresh = case[~case["complaint_id"].astype(str).isin(used_cases)]
                pick = fresh if not fresh.empty else case
                if not pick.empty:
                    text = mask(str(pick["content"].iloc[0] or ""))
                    d.case = text[:CASE_CHARS] + ("…" if len(text) > CASE_CHARS else "")
                    d.case_id = str(pick["complaint_id"].iloc[0])
                    used_cases.add(d.case_id)
                d.link = _drill_link(view, drill)
            else:
                d.link = _mover_link(view, dimension, d.value, parents)
            d.items, d.related = addressing(items, d, parents, names, shown, scope)
            out.append(d)
    return out


def _drill_link(view: Filters, drill: dict) -> dict:
    """The hotspots page's query parameters for a drill-down on top of the sidebar's filters: the drill
    keys (hs_d_*), which the hotspots page re-reads whenever they change, not the sidebar's filter keys,
    which a running session reads only once (hostile H52: after the click the page showed the whole
    month while its URL named the slice)."""
    return {**view.to_query(), **hs.drill_to_query(drill)}


def _mover_link(view: Filters, dimension: str, value, parents: dict) -> dict | None:
    if dimension not in ("business_category", "reason", "tier1_branch"):
        return None
    drill = hs.trend_drill(view, view.month_to, dimension, value, parents)
    return None if drill is None else _drill_link(view, drill)


def shown_statuses(run, items: pd.DataFrame | None, first_month, last_complete) -> dict[int, str]:
    """item id -> the status the ledger page shows (metrics.shown_status: 待重开 for a done item whose
    complaints did not fall), the effect of the item's own slice as the ledger page evaluates it."""
    if items is None or items.empty:
        return {}
    out = {}
    for item in items.to_dict("records"):
        result = None
        if item["status"] in metrics.DONE_STATUSES and first_month is not None and last_complete is not None:
            result = effect.item_effect(run, item, first_month, last_complete)
        out[int(item["id"])] = metrics.shown_status(item["status"], metrics.effect_verdict(result))
    return out


def addressing(
    items: pd.DataFrame | None, d: Driver, parents: dict, names: dict, shown: dict, scope: str | None
) -> tuple[list[dict], list[dict]]:
    """(covering, related) ledger items of the driver (hostile H129). An item covers the driver when its
    slice contains the driver's (its surge's, else the mover's): the same business category and reason
    (or none set on the item) and an organisation at or above the driver's (the view's for a mover of
    the whole view). Related: the slices overlap only (a 支行's item on a bank-wide rise)."""
    if items is None or items.empty:
        return [], []
    surge = d.surge or {}
    category = surge.get("business_category") or (d.value if d.dimension == "business_category" else None)
    reason = surge.get("reason") or (d.value if d.dimension == "reason" else None)
    org = surge.get("branch_code") or (d.value if d.dimension == "tier1_branch" else None)
    covering, related = [], []
    for item in items.to_dict("records"):
        code = item.get("branch_code")
        if category and item.get("business_category") not in (None, category):
            continue
        if d.dimension == "reason":
            if item.get("reason") not in (None, reason):
                continue
            if not category and not item.get("reason") and item.get("business_category"):
                # a category's item without a reason is no answer to a bank-wide rise of one reason (hostile
                # H173: a 理财 双录 fix listed beside a rise in 债务催收)
                continue
        if org and code and org not in _ancestors(code, parents) and code not in _ancestors(org, parents):
            continue
        top = org or scope  # the driver's organisation; None: the whole bank
        covers = (
            item.get("business_category") in (None, category)
            and item.get("reason") in (None, reason)
            and (not code or (code in _ancestors(top, parents) if top else parents.get(code) is None))
        )
        row = {
            "id": int(item["id"]),
            "title": mask(str(item["title"])),
            "status": shown.get(int(item["id"]), item["status"]),
        }
        if covers:
            covering.append(row)
        else:
            where = [names.get(code, code) if code else None, item.get("business_category"), item.get("reason")]
            related.append({**row, "covers": " · ".join(str(w) for w in where if w) or "全行"})
    return covering[:3], related[:3]


# --- Rectification progress of the month --------------------------------------------------------------
@dataclass
class Rectification:
    month: date
    total: int = 0
    opened: int = 0
    due: int = 0
    overdue: int = 0
    closed: int = 0
    closed_effective: int = 0  # closed this month and counted as rectified (metrics.shown_status)
    closed_no_effect: int = 0  # closed, but complaints did not fall: 待重开
    closed_pending: int = 0  # closed, effect not yet measurable
    withdrawn: int = 0  # withdrawn this month (items.attrs["withdrawn"]): counted nowhere above, said apart
    withdrawn_overdue: int = 0  # ... of which past their deadline and not done when withdrawn
    rows: list[dict] = field(
        default_factory=list
    )  # closed items: id, title, status, effect (its words), verdict, counted_as

    @property
    def empty(self) -> bool:
        return self.total == 0 and self.withdrawn == 0


def _in_month(value, month: date) -> bool:
    if not value:
        return False
    try:
        return month_start(date.fromisoformat(str(value)[:10])) == month
    except ValueError:
        return False


def overdue_at(items: pd.DataFrame, cutoff: date) -> int:
    """Items overdue as they stood at `cutoff` (the day after the report month, or today when that is
    earlier), as the ledger counts overdue today: opened before it, its deadline before it, and not done
    before it (hostile H208: October's briefing, made on 12-04, counted items created and due in November)."""
    day = cutoff.isoformat()
    count = 0
    for item in items.to_dict("records"):
        due, fixed = item.get("due_date"), item.get("fixed_at")
        if not (isinstance(due, str) and due and due < day and str(item.get("created_at") or "")[:10] < day):
            continue
        done = item["status"] in metrics.DONE_STATUSES and isinstance(fixed, str) and fixed[:10] < day
        count += not done
    return count


def rectification(
    run, items: pd.DataFrame | None, month: date, first_month: date | None, last_complete: date | None
) -> Rectification:
    """The ledger this month. `items` as Ledger.items(today) (with its overdue column)."""
    out = Rectification(month)
    gone = items.attrs.get("withdrawn") if items is not None else None
    if gone is not None and not gone.empty:
        this_month = gone[[_in_month(v, month) for v in gone["withdrawn_at"]]]
        out.withdrawn = len(this_month)
        out.withdrawn_overdue = sum(
            metrics.overdue_when_withdrawn(d, w, s)
            for d, w, s in zip(this_month["due_date"], this_month["withdrawn_at"], this_month["status"])
        )
    if items is None or items.empty:
        return out
    out.total = len(items)
    out.opened = sum(_in_month(v, month) for v in items["created_at"])
    out.due = sum(_in_month(v, month) for v in items["due_date"])
    out.overdue = overdue_at(items, min(add_months(month, 1), clock.today()))
    for item in items.to_dict("records"):
        if item["status"] not in metrics.DONE_STATUSES or not _in_month(item.get("fixed_at"), month):
            continue
        out.closed += 1
        result = None
        if first_month is not None and last_complete is not None:
            # the item's own slice, as the ledger page follows it (analysis/effect.item_slice)
            result = effect.item_effect(run, item, first_month, last_complete)
        verdict = metrics.effect_verdict(result)
        counted = metrics.shown_status(item["status"], verdict)  # the ledger page's rule and label
        if counted == metrics.REOPEN:
            out.closed_no_effect += 1
        elif result is None or not result.after:
            out.closed_pending += 1
        else:
            out.closed_effective += 1
        out.rows.append(
            {
                "id": int(item["id"]),
                "title": mask(str(item["title"])),
                "status": item["status"],
                "effect": result.status if result else "暂无法评估",
                "verdict": verdict,
                "counted_as": counted,
            }
        )
    return out


def last_complete_month(as_of, last_month: date | None) -> date | None:
    if as_of is None or last_month is None:
        return None
    return min(latest_complete_month(as_of), last_month)


# --- Branches outside the funnel limits this month (the rankings page's funnel) -------------------------
OUTSIDE = (funnel.ABOVE_998, funnel.ABOVE_95)
# what rankings.score and rankings.reconciled read of rankings_by_org's rows, and funnel_outliers shows
SCORED_COLUMNS = (
    "branch_code",
    "branch_name",
    "complaints",
    "customers",
    "exposure",
    "base_gaps",
    "regulator_referred",
    *(m.key for m in rankings.SCORE_METRICS if m.key != "referred_per_10k"),
)
# what funnel_outliers reads of the ranking table (and rankings.order sorts by)
FUNNEL_COLUMNS = (
    "rank",
    "branch_code",
    "branch_name",
    "complaints",
    "customers",
    "per_10k",
    "expected",
    "upper_95",
    "upper_998",
    "status",
    "ranked",
)


@dataclass
class FunnelOutliers:
    """The organisations of the rankings page's default level whose complaint rate this month lies above
    the funnel plot's 95 % or 99.8 % upper limit, in the rankings page's order (attention tier, then
    score; rankings.order). rows: rank (None when not ranked), branch_code, branch_name, complaints,
    customers, per_10k, expected (complaints expected at the average rate), expected_per_10k (the average),
    upper_95 (the limit in complaints), upper_95_per_10k, upper_998_per_10k, status, tier (最需关注 / 需关注), ranked."""

    month: date
    level: str
    target: float | None  # the average: complaints per customer over the level's organisations
    organisations: int  # at the level (with a customer base)
    base_incomplete: int = 0  # at the level without a rate because a member's customer row is missing (客户数不全)
    rows: list[dict] = field(default_factory=list)


def _per_10k(count, customers) -> float | None:
    if count is None or pd.isna(count) or not customers or pd.isna(customers):
        return None
    return float(count) / float(customers) * funnel.PER


def funnel_outliers(run, filters: Filters, month: date) -> FunnelOutliers:
    """The month's ranking at the rankings page's default level (the same query, settings, funnel status
    and order as analysis/rankings.load_ranking; its rank intervals and rank change are not needed here)
    and the organisations above its limits."""
    level = rankings.default_level(rankings.level_of(run, filters))
    rows = run("rankings_by_org", month_from=month, month_to=month, level=level)
    if repeats.unknowable(run):
        rows = repeats.without_repeats(rows)
    settings = rankings.Settings()
    # only the columns the score, the funnel status and the rows below read: pandas' cost per operation
    # grows with the frame's width, and rankings_by_org has forty columns
    rows = rows[[c for c in SCORED_COLUMNS if c in rows]]
    table = rankings.reconciled(rankings.score(rows, settings), settings)
    target = table.attrs.get("target")
    has_base = table["customers"].notna() & (table["customers"] > 0)
    incomplete = int((table["status"] == funnel.BASE_INCOMPLETE).sum())
    out = FunnelOutliers(month, level, target, int(has_base.sum()), incomplete)
    # ordered after the selection (the order of a subset is the subset of the order: branch_code makes it
    # total), and only the columns shown: the whole table's sort and records were most of this function
    # (without a base there are no limit columns, and no row outside them)
    outside = table.loc[table["status"].isin(OUTSIDE), [c for c in FUNNEL_COLUMNS if c in table]]
    for r in rankings.order(outside).to_dict("records"):
        out.rows.append(
            {
                "rank": None if pd.isna(r["rank"]) else int(r["rank"]),
                "branch_code": r["branch_code"],
                "branch_name": r["branch_name"],
                "complaints": int(r["complaints"]),
                "customers": float(r["customers"]),
                "per_10k": _per_10k(r["complaints"], r["customers"]),
                "expected": float(r["expected"]),
                "expected_per_10k": None if target is None else target * funnel.PER,
                "upper_95": float(r["upper_95"]),
                "upper_95_per_10k": _per_10k(r["upper_95"], r["customers"]),
                "upper_998_per_10k": _per_10k(r["upper_998"], r["customers"]),
                "status": r["status"],
                "tier": rank_noise.ATTENTION_LABELS[rank_noise.TIER_OF_STATUS[r["status"]]],
                "ranked": bool(r["ranked"]),
            }
        )
    return out
