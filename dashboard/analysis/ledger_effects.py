"""The before/after effect of ledger items (analysis/effect.py) from the snapshot: which complaints each
item follows, and the effect of every fixed item for the ledger list's 整改成效 column.

What an item follows (its slice), by source:
  recurring   the organisation itself (not its subtree, contract 6) x category x reason
  similar     complaints of the group's category whose narrative holds every key term
  others      (surge, hotspot slice, one complaint, an event, by hand) the organisation's subtree (or the
              whole bank) x the category and reason given, or, with key terms and no category, the terms
The sidebar's filters do not narrow the effect: it is the item's own slice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from dashboard.analysis import effect as fx
from dashboard.filters import add_months, month_start

Query = Callable[..., pd.DataFrame]


def org_members(con, org: str | None) -> set[str] | None:
    """The codes of `org`'s subtree (the sidebar's organisation), None when no organisation is chosen."""
    if not org:
        return None
    from dashboard import db

    return set(db.run(con, "branch_options", scope=org)["branch_code"].astype(str)) | {org}


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def spec(item) -> tuple[str, dict, str] | None:
    """(query name, overrides, what it counts in words) of an item's slice; None when it covers nothing."""
    source = item["source"]
    branch, category, reason = (
        _text(item.get("branch_code")),
        _text(item.get("business_category")),
        _text(item.get("reason")),
    )
    terms = list(item.get("key_terms") or [])
    base = {"org": None, "channels": None, "referred": None}
    if source == "similar" or (terms and not category and source != "recurring"):
        if not terms:
            return None
        what = f"“{category or '全部'}”类投诉中同时包含“{'、'.join(terms)}”的投诉"
        return (
            "ledger_effect_terms",
            {**base, "categories": [category] if category else None, "reasons": None, "terms": terms},
            what,
        )
    if source == "recurring":
        if not (branch and category and reason):
            return None
        what = f"被投诉机构 {branch}（仅其本身）“{category} · {reason}”的投诉"
        return (
            "ledger_effect_slice",
            {**base, "categories": [category], "reasons": [reason], "branch_code": branch},
            what,
        )
    if not (branch or category or reason):
        return None
    where = f"机构 {branch} 及下辖机构" if branch else "全行"
    what = f"{where}“{' · '.join(x for x in (category, reason) if x) or '全部业务'}”的投诉"
    return (
        "ledger_effect_slice",
        {
            **base,
            "org": branch,
            "categories": [category] if category else None,
            "reasons": [reason] if reason else None,
            "branch_code": None,
        },
        what,
    )


def _date(value) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def item_effect(query: Query, item, first_month: date, last_complete: date) -> fx.Effect | None:
    """The item's effect, or None when it is not fixed or covers nothing."""
    fixed = _date(item.get("fixed_at"))
    found = spec(item)
    if fixed is None or found is None:
        return None
    name, over, _ = found
    fixed_month = month_start(fixed)
    start = max(first_month, add_months(fixed_month, -fx.BEFORE_MONTHS))
    end = max(min(last_complete, add_months(fixed_month, fx.AFTER_MONTHS)), start)
    monthly = query(name, month_from=start, month_to=end, **over)
    return fx.effect(monthly, fixed, first_month, last_complete)


def effects_of(
    query: Query, items: pd.DataFrame, first_month: date, last_complete: date
) -> dict[int, fx.Effect | None]:
    """item id -> effect (None: not fixed, nothing to follow) for every item of the list."""
    return {int(row["id"]): item_effect(query, row, first_month, last_complete) for _, row in items.iterrows()}
