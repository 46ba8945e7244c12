"""本月新情况: the month's events, not slices (issue 20, section 1).

An analyst reads a short list of what is new in the report month, each with its complaints:

* **Surge events.** Surging slices (analysis/surges.py) that share their complaints are one event. Two
  slices are linked when their common complaints make at least LINK_SHARE of the smaller slice and of its
  excess over the baseline, and at least half that share of its complaints (a sub-branch's 借记卡 and its 借记卡·管理制度; the mortgage product and the
  pricing complaints of personal loans in five cities). Linked slices form an event (connected components);
  its head is the slice that explains the most, the largest excess (ties: the wider kind), the others are
  its parts. Significance in words: 极显著 (p < 0.001), 显著 (p < 0.01), with the expected count.
* **Waves (波次).** Many customers with one new problem in different words are no near-duplicates, so the
  similar-complaint groups miss them. A wave is a set of narrative terms that rose sharply this month
  (complaints with the term >= WAVE_MIN_DOCS, >= WAVE_MIN_RATIO x the baseline mean and Poisson
  p < WAVE_MAX_P against it, floored at 3 / baseline months as for surges) and co-occur (two terms linked
  when their common complaints make at least LINK_SHARE of the rarer term's, at least WAVE_MIN_LINK), with
  its members the complaints holding at least two of its terms, from at least WAVE_MIN_CUSTOMERS distinct
  customers. The counts are of term families: a complaint counts under a term when its narrative has the
  term or a dictionary compound made of it (text/terms.py pieces(): 住房贷款利率 also under 住房贷款 and 利率),
  so one new problem written as 利率, 住房贷款利率 and 存量房贷利率 rises as one family, while hot terms keep
  every compound whole. A wave also names the terms that rose more mildly (>= WAVE_LABEL_RATIO x the
  baseline, in >= WAVE_MIN_DOCS complaints) and that at least LINK_SHARE of its members share: the words its
  customers use (利率 beside 住房贷款 and 政策), not a reason to form a wave.
* **Near-duplicate groups (近似重复)**: the similar-complaint groups of the month, as found at import.
* **Recurring issues that rose** (analysis/recurring.py ranked(): rising and beyond what was expected).

A wave or a group whose members lie mostly (>= LINK_SHARE) inside a surge event's complaints belongs to that
event and is listed under it; otherwise it is an event of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from dashboard.analysis import recurring, surges, text_status
from dashboard.derived import similar_index
from dashboard.filters import Filters, month_label
from dashboard.text import terms as text_terms
from dashboard.text.masking import mask

Query = Callable[..., pd.DataFrame]

LINK_SHARE = 0.5
WAVE_MIN_DOCS = 10
WAVE_MIN_RATIO = 2.0
WAVE_MAX_P = 1e-4
WAVE_MIN_LINK = 5
WAVE_MIN_CUSTOMERS = 10
WAVE_LABEL_RATIO = 1.5  # a term that rose this much may name a wave most of whose members hold it
WAVE_MAX_TERMS = 80  # rising terms looked at, most significant first
RECURRING_EVENTS = 10  # rising recurring issues listed, at most
MEMBER_LIMIT = 500  # complaints listed per event
KIND_ORDER = {"category_reason": 0, "product": 1, "branch_category": 2, "branch_category_reason": 3}
EVENT_KINDS = {"surge": "投诉激增", "wave": "波次", "similar": "近似重复", "recurring": "反复出现且上升"}


def significance_words(p: float) -> str:
    """A p-value in the words a 消保 analyst reads."""
    if p < 0.001:
        return "极显著"
    if p < 0.01:
        return "显著"
    return "不显著"


def slice_label(row) -> str:
    """A surge slice in words."""

    def text(value) -> str:
        return value if isinstance(value, str) and value else ""

    org = text(row.get("branch_name")) or text(row.get("branch_code"))
    parts = [org, text(row.get("business_category")), text(row.get("reason"))]
    if row.get("kind") == "product":
        return f"产品：{mask(text(row.get('product')))}"  # H60: free text, masked for display
    if row.get("kind") == "category_reason":
        return f"全行 · {text(row.get('business_category'))} · {text(row.get('reason'))}"
    return " · ".join(p for p in parts if p)


def slice_words(row) -> str:
    """'当月 N 件，按前 6 个月预期约 M 件（极显著）' for one surging slice."""
    return (
        f"当月 {int(row['complaints'])} 件，按前 6 个月平均预期约 {float(row['baseline']):.1f} 件，"
        f"多出 {float(row['extra']):.0f} 件（{significance_words(float(row['p_value']))}）"
    )


@dataclass
class Event:
    kind: str  # surge | wave | similar | recurring
    title: str
    summary: str
    complaint_ids: list[str]
    customers: int
    terms: list[str] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)  # a surge event's slices (head first)
    groups: list[dict] = field(default_factory=list)  # waves and near-duplicate groups under it
    technical: str = ""  # p-values etc., for an expander
    slice: dict = field(default_factory=dict)  # branch_code / business_category / reason / product
    weight: float = 0.0  # order of the list: excess complaints
    head_ids: list[str] = field(default_factory=list)  # a surge event's head slice's complaints

    @property
    def kind_label(self) -> str:
        return EVENT_KINDS[self.kind]


# --- surge events -----------------------------------------------------------------------------------
def link_slices(found: pd.DataFrame, members: pd.DataFrame, share: float = LINK_SHARE) -> list[list[int]]:
    """Connected components of the surging slices (rows of `found`, by position) linked by shared
    complaints (module doc). members: slice (position), complaint_id."""
    sets = [set() for _ in range(len(found))]
    for s, cid in zip(members["slice"], members["complaint_id"]):
        sets[int(s)].add(str(cid))
    extra = found["extra"].to_numpy(dtype=float)
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            common = len(sets[i] & sets[j])
            if not common:
                continue
            small = min(len(sets[i]), len(sets[j]))
            small_extra = min(extra[i], extra[j])
            if common >= share * small_extra and common >= share / 2 * small:
                parent[root(i)] = root(j)
    comps: dict[int, list[int]] = {}
    for i in range(len(found)):
        comps.setdefault(root(i), []).append(i)
    return list(comps.values())


def surge_events(found: pd.DataFrame, members: pd.DataFrame) -> list[Event]:
    """The surging slices grouped into events (module doc), largest excess first."""
    if found.empty:
        return []
    found = found.reset_index(drop=True)
    ids_of: dict[int, set[str]] = {}
    customers_of: dict[str, str] = {}
    for s, cid, cust in zip(members["slice"], members["complaint_id"], members["customer_id"]):
        ids_of.setdefault(int(s), set()).add(str(cid))
        customers_of[str(cid)] = str(cust)
    events = []
    for comp in link_slices(found, members):
        order = sorted(comp, key=lambda i: (-float(found.loc[i, "extra"]), KIND_ORDER.get(found.loc[i, "kind"], 9)))
        head = found.loc[order[0]]
        ids = sorted(set().union(*(ids_of.get(i, set()) for i in comp)))
        parts = [
            {
                "label": slice_label(found.loc[i]),
                "kind": found.loc[i, "kind"],
                "kind_label": surges.KIND_LABELS.get(found.loc[i, "kind"], found.loc[i, "kind"]),
                "words": slice_words(found.loc[i]),
                "complaints": int(found.loc[i, "complaints"]),
                "baseline": float(found.loc[i, "baseline"]),
                "extra": float(found.loc[i, "extra"]),
                "p_value": float(found.loc[i, "p_value"]),
                "significance": significance_words(float(found.loc[i, "p_value"])),
                "series": list(found.loc[i, "series"]) if "series" in found else [],
                "branch_code": _text(found.loc[i, "branch_code"]),
                "business_category": _text(found.loc[i, "business_category"]),
                "reason": _text(found.loc[i, "reason"]),
                "product": _text(found.loc[i, "product"]),
            }
            for i in order
        ]
        title = slice_label(head) + " 投诉激增"
        summary = slice_words(head)
        if len(parts) > 1:
            summary += f"；同一批投诉还使 {len(parts) - 1} 个相关切片同时激增（见下）"
        technical = "；".join(
            f"{p['label']}：p = {p['p_value']:.1e}，实际 {p['complaints']} 件，均值 {p['baseline']:.2f}" for p in parts
        )
        events.append(
            Event(
                kind="surge",
                title=title,
                summary=summary,
                complaint_ids=ids,
                customers=len({customers_of[c] for c in ids}),
                parts=parts,
                technical=technical,
                slice={k: parts[0][k] for k in ("branch_code", "business_category", "reason", "product")},
                weight=float(head["extra"]),
                head_ids=sorted(ids_of.get(order[0], set())),
            )
        )
    return sorted(events, key=lambda e: -e.weight)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def slice_lists(found: pd.DataFrame) -> dict:
    """events_slice_members' aligned lists for the surging slices."""

    def column(name: str) -> list[str]:
        return [v if isinstance(v, str) else "" for v in found[name]]

    return {
        "kinds": [str(k) for k in found["kind"]],
        "codes": column("branch_code"),
        "cats": column("business_category"),
        "slice_reasons": column("reason"),
        "products": column("product"),
    }


# --- waves ------------------------------------------------------------------------------------------
def rising_terms(terms: pd.DataFrame, baseline_months: int = surges.SURGE_BASELINE_MONTHS) -> pd.DataFrame:
    """events_term_months rows that rose sharply (module doc), most significant first; adds mean, p_value."""
    if terms.empty:
        return terms.assign(mean=pd.Series(dtype=float), p_value=pd.Series(dtype=float))
    mean = terms["baseline_docs"].to_numpy(dtype=float) / baseline_months
    docs = terms["docs"].to_numpy(dtype=float)
    p = surges.poisson_sf(docs, np.maximum(mean, 3.0 / baseline_months))
    out = terms.assign(mean=mean, p_value=p)
    keep = (docs >= WAVE_MIN_DOCS) & (docs >= WAVE_MIN_RATIO * mean) & (p < WAVE_MAX_P)
    return (
        out[keep].sort_values(["p_value", "docs"], ascending=[True, False]).head(WAVE_MAX_TERMS).reset_index(drop=True)
    )


def family_pairs(pieces: dict[str, frozenset[str]] | None = None) -> dict[str, list[str]]:
    """The bound pairs of queries/events_family_months.sql: compound i is made of piece i."""
    pieces = text_terms.pieces() if pieces is None else pieces
    pairs = sorted((word, piece) for word, parts in pieces.items() for piece in parts)
    return {"compounds": [w for w, _ in pairs], "pieces": [p for _, p in pairs]}


def family_counts(terms: pd.DataFrame, families: pd.DataFrame) -> pd.DataFrame:
    """events_term_months rows with each dictionary piece's own counts replaced by its family's
    (events_family_months: the complaints with the piece or a compound of it)."""
    if families.empty:
        return terms
    rest = terms[~terms["term"].isin(set(families["term"]))]
    return pd.concat([rest, families[["term", "docs", "baseline_docs"]]], ignore_index=True)


def label_terms(terms: pd.DataFrame, baseline_months: int = surges.SURGE_BASELINE_MONTHS) -> list[str]:
    """Terms that rose mildly (>= WAVE_LABEL_RATIO x the baseline mean, floored as in rising_terms, in >=
    WAVE_MIN_DOCS complaints): they may name a wave, not form one."""
    if terms.empty:
        return []
    mean = np.maximum(terms["baseline_docs"].to_numpy(dtype=float) / baseline_months, 3.0 / baseline_months)
    docs = terms["docs"].to_numpy(dtype=float)
    keep = (docs >= WAVE_MIN_DOCS) & (docs >= WAVE_LABEL_RATIO * mean)
    return terms.loc[keep, "term"].astype(str).tolist()


def expand_postings(postings: pd.DataFrame, pieces: dict[str, frozenset[str]] | None = None) -> pd.DataFrame:
    """Postings (complaint_id, customer_id, term) plus one row per dictionary piece of each term, once per
    complaint and term: the postings of term families."""
    pieces = text_terms.pieces() if pieces is None else pieces
    own = postings[["complaint_id", "customer_id", "term"]]
    extra = [
        {"complaint_id": c, "customer_id": k, "term": p}
        for c, k, t in zip(postings["complaint_id"], postings["customer_id"], postings["term"])
        for p in pieces.get(str(t), ())
    ]
    out = pd.concat([own, pd.DataFrame(extra, columns=own.columns)], ignore_index=True)
    return out.drop_duplicates(["complaint_id", "term"]).reset_index(drop=True)


def find_waves(
    postings: pd.DataFrame,
    terms: list[str],
    labels: list[str] | tuple[str, ...] = (),
    pieces: dict[str, frozenset[str]] | None = None,
) -> list[dict]:
    """Waves from the month's postings of the rising terms (columns complaint_id, customer_id, term): dicts
    with terms (most frequent first), complaint_ids, customers. `labels` (label_terms) join a wave's terms
    when at least LINK_SHARE of its members hold them. Two terms of which one is a dictionary piece of the
    other (个人住房贷款 and 住房贷款) are one word, never a co-occurrence: they are not linked, and a member
    holds two terms neither of which is a piece of the other (住房贷款利率 is two: 住房贷款 and 利率)."""
    pieces = pieces or {}

    def related(a: str, b: str) -> bool:
        return a == b or a in pieces.get(b, ()) or b in pieces.get(a, ())

    docs = {t: set(postings.loc[postings["term"] == t, "complaint_id"].astype(str)) for t in terms}
    label_docs = {
        t: set(postings.loc[postings["term"] == t, "complaint_id"].astype(str)) for t in labels if t not in docs
    }
    terms = [t for t in terms if docs[t]]
    parent = {t: t for t in terms}

    def root(t: str) -> str:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for i, a in enumerate(terms):
        for b in terms[i + 1 :]:
            if related(a, b):
                continue
            common = len(docs[a] & docs[b])
            if common >= WAVE_MIN_LINK and common >= LINK_SHARE * min(len(docs[a]), len(docs[b])):
                parent[root(a)] = root(b)
    comps: dict[str, list[str]] = {}
    for t in terms:
        comps.setdefault(root(t), []).append(t)
    customer = dict(zip(postings["complaint_id"].astype(str), postings["customer_id"].astype(str)))
    waves = []
    for comp in comps.values():
        if len(comp) < 2:
            continue
        held_by: dict[str, list[str]] = {}
        for t in comp:
            for c in docs[t]:
                held_by.setdefault(c, []).append(t)
        count = {c: len(ts) for c, ts in held_by.items()}
        members = sorted(
            c for c, ts in held_by.items() if any(not related(x, y) for i, x in enumerate(ts) for y in ts[i + 1 :])
        )
        customers = len({customer[c] for c in members})
        if customers < WAVE_MIN_CUSTOMERS:
            continue
        held = set(members)
        named = [t for t, ids in label_docs.items() if len(ids & held) >= LINK_SHARE * len(held)]
        share = {t: len((docs[t] if t in docs else label_docs[t]) & held) for t in [*comp, *named]}
        ordered = sorted(share, key=lambda t: (-share[t], t))
        typical = max(members, key=lambda c: (count[c], c)) if members else None
        waves.append({"terms": ordered, "complaint_ids": members, "customers": customers, "typical_id": typical})
    return sorted(waves, key=lambda w: -len(w["complaint_ids"]))


# --- the month ----------------------------------------------------------------------------------------
def month_events(
    query: Query,
    month: date,
    first_month: date | None,
    with_item: set[tuple[str, str, str]] = frozenset(),  # type: ignore[assignment]
    similar_ready: bool = True,
    terms_ready: bool = True,
) -> list[Event]:
    """Every event of `month` under the global filters (query(name, **overrides) as ui.context.query)."""
    rule = surges.SurgeRule()
    found = surges.counted_surges(query, month, rule, first_month)
    events: list[Event] = []
    if len(found):
        members = query("events_slice_members", month_to=month, **slice_lists(found))
        events = surge_events(found, members)

    attached: list[Event] = []
    if terms_ready:
        pieces = text_terms.pieces()
        counted = family_counts(
            query("events_term_months", month_to=month, baseline_months=rule.baseline_months, min_docs=WAVE_MIN_DOCS),
            query("events_family_months", month_to=month, baseline_months=rule.baseline_months, **family_pairs(pieces)),
        )
        terms = rising_terms(counted)
        if len(terms):
            rising = terms["term"].tolist()
            labels = [t for t in label_terms(counted) if t not in set(rising)]
            wanted = set(rising) | set(labels)
            asked = sorted(wanted | {w for w, parts in pieces.items() if parts & wanted})
            postings = expand_postings(query("events_term_postings", month_to=month, terms=asked), pieces)
            postings = postings[postings["term"].isin(wanted)]
            for wave in find_waves(postings, rising, labels, pieces):
                group = {
                    "type": "波次",
                    "terms": wave["terms"],
                    "complaint_ids": wave["complaint_ids"],
                    "customers": wave["customers"],
                    "typical_id": wave["typical_id"],
                    "words": f"{wave['customers']} 位客户的 {len(wave['complaint_ids'])} 笔投诉同时提到"
                    f"“{'、'.join(wave['terms'][:6])}”，这些词本月明显增多",
                }
                _attach(events, attached, group, "wave", f"新问题波次：{'、'.join(wave['terms'][:4])}")
    if similar_ready:
        groups = query(
            "similar_groups_list", month_from=month, month_to=month, min_size=similar_index.MIN_SIZE, limit=50
        )
        if len(groups):
            ids = query(
                "similar_groups_member_ids",
                month_from=month,
                month_to=month,
                group_ids=[int(g) for g in groups["group_id"]],
                limit=MEMBER_LIMIT,
            )
            for g in groups.itertuples():
                members = ids.loc[ids["group_id"] == g.group_id, "complaint_id"].astype(str).tolist()
                group = {
                    "type": "近似重复",
                    "terms": [],
                    "complaint_ids": members,
                    "customers": int(g.customers),
                    "typical_id": str(g.representative_id),
                    "group_id": int(g.group_id),
                    "words": f"{int(g.customers)} 位客户的 {int(g.size)} 笔投诉内容高度雷同（近似重复），"
                    f"{g.business_category} · {g.reason}",
                }
                _attach(events, attached, group, "similar", f"近似重复投诉组：{g.business_category} · {g.reason}")
    events.extend(attached)

    ranked = recurring.ranked(query, month, with_item=with_item)
    rose = ranked[ranked["rising"] & (ranked["excess_score"] >= 2) & held_this_month(ranked)].head(RECURRING_EVENTS)
    for r in rose.itertuples():
        host = next(
            (
                e
                for e in events
                if e.kind == "surge"
                and any(
                    p["branch_code"] == r.branch_code and p["business_category"] == r.business_category for p in e.parts
                )
            ),
            None,
        )
        if host is not None:  # the surge of this very branch and category: one event
            host.groups.append(
                {
                    "type": "反复出现",
                    "terms": [],
                    "complaint_ids": [],
                    "customers": 0,
                    "typical_id": None,
                    "words": f"该机构此类问题近 6 个月 {int(r.months_present)} 个月有投诉，合计 "
                    f"{int(r.complaints)} 件（预期约 {float(r.expected):.1f} 件），且近期上升",
                }
            )
            continue
        label = f"{r.branch_name if isinstance(r.branch_name, str) else r.branch_code}（{r.branch_code}）· {r.business_category} · {r.reason}"
        events.append(
            Event(
                kind="recurring",
                title=f"反复出现且上升：{label}",
                summary=f"近 6 个月 {int(r.months_present)} 个月有投诉，合计 {int(r.complaints)} 件，"
                f"预期约 {float(r.expected):.1f} 件（{recurring.words_for_score(float(r.excess_score))}），"
                f"后 3 个月多于前 3 个月（{int(r.recent_complaints)} 对 {int(r.earlier_complaints)}），"
                f"本月 {int(r.last_month_complaints)} 件",
                complaint_ids=[],
                customers=0,
                slice={
                    "branch_code": r.branch_code,
                    "business_category": r.business_category,
                    "reason": r.reason,
                    "product": None,
                    "subtree": False,
                },
                technical=f"排名第 {int(r.rank)}；超出预期得分（−log10 p）{float(r.excess_score):.1f}",
                weight=float(r.excess),
            )
        )
    return events


def held_this_month(ranked: pd.DataFrame) -> pd.Series:
    """A recurring issue is this month's new situation only when the month itself keeps it up: complaints in
    the month, at least the mean of the other recent months (hostile H225: one with none in September was
    September's news; one that fell from 8 to 2 was October's). Recent months: the second half of the
    window (recurring.ranked)."""
    month = ranked["last_month_complaints"].astype(float)
    others = (ranked["recent_complaints"].astype(float) - month) / max(recurring.recent_months() - 1, 1)
    return (month > 0) & (month >= others)


def _attach(events: list[Event], standalone: list[Event], group: dict, kind: str, title: str) -> None:
    """A wave or group goes under the surge event holding most of its members, else stands alone."""
    members = set(group["complaint_ids"])
    best, best_share = None, 0.0
    for event in events:
        if event.kind != "surge" or not members:
            continue
        share = len(members & set(event.complaint_ids)) / len(members)
        if share > best_share:
            best, best_share = event, share
    if best is not None and best_share >= LINK_SHARE:
        best.groups.append(group)
        best.terms = list(dict.fromkeys([*best.terms, *group["terms"]]))
        return
    standalone.append(
        Event(
            kind=kind,
            title=title,
            summary=group["words"],
            complaint_ids=list(group["complaint_ids"]),
            customers=int(group["customers"]),
            terms=list(group["terms"]),
            groups=[group],
            weight=float(len(members)),
        )
    )


def listed_ids(event: Event) -> list[str]:
    """The complaints an event lists and an item opened from it cites: the first MEMBER_LIMIT by receipt,
    with the typical case among them (hostile H215: the wave's case lay past the 500 listed, and the page
    showed an unrelated complaint as the typical case of the month's largest event)."""
    ids = event.complaint_ids[:MEMBER_LIMIT]
    typical = typical_id(event)
    if typical is None or typical in ids or typical not in event.complaint_ids:
        return ids
    return [*ids[: MEMBER_LIMIT - 1], typical]


def typical_id(event: Event) -> str | None:
    """The complaint shown as the event's typical case: a wave's member with the most of its terms, a
    group's representative, else None (the first of the list)."""
    for group in event.groups:
        if group.get("typical_id"):
            return str(group["typical_id"])
    return None


@dataclass(frozen=True)
class EventsState:
    """The page's own state: the recurring issues that already have a ledger item (they rank higher)."""

    with_item: frozenset[tuple[str, str, str]] = frozenset()


@dataclass(frozen=True)
class EventsData:
    month: date
    events: list[Event]
    complaints: list[pd.DataFrame | None]  # events_complaints of each event (raw narratives: mask to show)
    stale_note: str = ""  # text_status.stale_note: the waves' terms cut by older masking rules, until rebuild


def load(source, filters: Filters, state: EventsState = EventsState()) -> EventsData:
    """The 本月新情况 page's data for the report month (the filters' month_to): the events and each one's
    complaints. What the snapshot has computed is asked of it (hot-term tables and similar groups may be
    deferred by an import)."""
    month = filters.month_to
    tables = source.tables()
    first_month = surges.first_month(source("surges_data_start"))
    found = month_events(
        source,
        month,
        first_month,
        set(state.with_item),
        similar_ready="similar_groups" in tables,
        terms_ready={"term_postings", "term_month_docs"} <= tables,
    )
    complaints = [
        source.rows(
            "events_complaints",
            month_from=month,
            month_to=month,
            complaint_ids=listed_ids(e),
            limit=MEMBER_LIMIT,
        )
        if e.complaint_ids
        else None
        for e in found
    ]
    return EventsData(month, found, complaints, text_status.stale_note(source))


def runner(con, filters: Filters) -> Query:
    return recurring.runner(con, filters)


def period_text(month: date) -> str:
    return month_label(month)


def listed(event: Event, shown: int) -> str:
    """How many of an event's complaints a list shows: all, or MEMBER_LIMIT of how many (hostile H200: 500
    listed under 涉及 903 笔投诉 read as the event's size)."""
    total = len(event.complaint_ids)
    return f"{shown:,} 笔" if shown >= total else f"列出 {shown:,} 笔，共 {total:,} 笔"


def cited_note(event: Event) -> str:
    """An item opened from an event cites at most MEMBER_LIMIT of its complaints: said when that is not all."""
    total = len(event.complaint_ids)
    return f"（引用其中 {MEMBER_LIMIT:,} 笔投诉，事件共 {total:,} 笔）" if total > MEMBER_LIMIT else ""


def report_section(con, filters: Filters, month: date, **options) -> list[dict]:
    """`events` in the report: the month's events (kind, title, summary, complaints, terms, parts)."""
    from dashboard.analysis.source import Source, memoised

    month_filters = filters.with_period(month, month)
    events = memoised(
        options, ("events", month_filters), lambda: load(Source.of(con, month_filters), month_filters)
    ).events
    return [
        {
            "kind": e.kind_label,
            "title": e.title,
            "summary": e.summary,
            "complaints": len(e.complaint_ids),
            "customers": e.customers,
            "terms": e.terms,
            "parts": [{"slice": p["label"], "words": p["words"]} for p in e.parts],
            "groups": [{"type": g["type"], "size": len(g["complaint_ids"]), "terms": g["terms"]} for g in e.groups],
        }
        for e in events
    ]
