"""Reading the similar-complaint groups (dashboard/derived/similar_index.py writes them at import): the
重复与溯源 page, the report and the ledger."""

from __future__ import annotations

from datetime import date

from dashboard import db
from dashboard.derived.similar_index import MIN_SIZE

PAGE_LIMIT = 100  # groups listed on the page
MEMBER_LIMIT = 500  # members listed for one group
KEY_TERMS = 3  # terms a ledger item follows a group's story by
KEY_TERM_MIN_SHARE = 0.6  # ... each in at least this share of the group's narratives


def key_terms(narratives: list[str], k: int = KEY_TERMS, min_share: float = KEY_TERM_MIN_SHARE) -> list[str]:
    """The terms a group's story is recognised by: jieba terms of the (masked) narratives, stop words and
    template words removed (dashboard.text.terms), present in at least ``min_share`` of them; the most
    widespread first, longer terms first among equals (more specific). At most ``k``."""
    from dashboard.text.terms import term_counts

    texts = [t for t in narratives if isinstance(t, str) and t.strip()]
    if not texts:
        return []
    counts = term_counts(texts)
    ranked = sorted(
        ((n / len(texts), len(term), term) for term, n in counts.items() if n / len(texts) >= min_share),
        key=lambda x: (-x[0], -x[1], x[2]),
    )
    return [term for _, _, term in ranked[:k]]


def computed(con) -> bool:
    """Whether the connection's snapshot has the groups (an import with the narrative analysis deferred has
    not: `python -m dashboard rebuild` adds them)."""
    return computed_in(db.tables(con))


def computed_in(tables: frozenset[str]) -> bool:
    """computed() for a snapshot offering `tables`."""
    return "similar_groups" in tables


def report_section(con, filters, month: date, **_options) -> list[dict] | None:
    """`similar_groups` in the report: groups with at least MIN_SIZE members received in the report month
    (within the filters), each with its members' ids and its representative narrative, masked."""
    from dashboard.text.masking import mask

    if not computed(con):
        return None  # not computed yet (import with the analysis deferred): unknown, not "no groups"
    period = filters.params(month_from=month, month_to=month)
    groups = db.run(con, "similar_groups_list", **period, min_size=MIN_SIZE, limit=PAGE_LIMIT)
    members = db.run(
        con, "similar_groups_member_ids", **period, limit=MEMBER_LIMIT, group_ids=[int(g) for g in groups["group_id"]]
    )
    ids = members.groupby("group_id")["complaint_id"].agg(list)
    return [
        {
            "size": int(g.size),
            "complaint_ids": [str(c) for c in ids.get(g.group_id, [])],
            "representative": mask(g.representative),
        }
        for g in groups.itertuples()
    ]
