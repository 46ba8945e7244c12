"""整改台账's data (the ledger page draws it): the items the sidebar's filters keep, in list order, with the
before/after effect (analysis/effect.py) of every fixed item for the list's 整改成效 column (`load`), and
the effect of the item opened below the list (`load_effect`, its own loader: a click opens it).
The items themselves are the ledger's (dashboard/ledger/store.py, SQLite, what this user may see); the
page reads them and passes them in, so the loader's queries are the page's. What an item follows (its
slice) and its effect: analysis/effect.py item_slice and item_effect, as on the trends page and in the
briefing. The sidebar's filters do not narrow the effect: it is the item's own slice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from dashboard.analysis import effect as fx
from dashboard.analysis.rankings import descendants
from dashboard.filters import Filters, add_months, latest_complete_month, month_start
from dashboard.ledger import export
from dashboard.ledger.store import FIXED_STATUS, VERIFIED_STATUS, Ledger, LedgerError, filter_items
from dashboard.ledger.verdict import NOT_FALLING, WATCHING, effect_verdict, shown_status

Query = Callable[..., pd.DataFrame]
RECENT_MONTHS = 12  # an item not yet fixed: its slice over the last 12 complete months


def org_members(branches: pd.DataFrame, org: str | None) -> set[str] | None:
    """The codes of `org`'s subtree (the sidebar's organisation), None when no organisation is chosen;
    `branches` as queries/branch_options.sql returns them (the sidebar's, under the user's scope)."""
    if not org:
        return None
    return set(descendants(branches, org)["branch_code"].astype(str)) | {org}


def data_span(meta: Mapping) -> tuple[date, date]:
    """(first month, latest complete month) of a snapshot's data (its meta.json): the months an effect
    may compare."""
    first_month, last_month = month_start(meta["first_month"]), month_start(meta["last_month"])
    return first_month, min(latest_complete_month(datetime.fromisoformat(meta["as_of"])), last_month)


def effects_of(
    query: Query, items: pd.DataFrame, first_month: date, last_complete: date
) -> dict[int, fx.Effect | None]:
    """item id -> effect (None: not fixed, nothing to follow) for every item of the list."""
    return {int(row["id"]): fx.item_effect(query, row, first_month, last_complete) for _, row in items.iterrows()}


# --- The page's loaders ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LedgerState:
    """items: the ledger's items this user may see (Ledger.items(today)); span: data_span of the snapshot
    (None: nothing imported, no effect can be evaluated)."""

    items: pd.DataFrame
    span: tuple[date, date] | None = None


@dataclass(frozen=True)
class LedgerData:
    """items: those the sidebar's filters keep, in list order (overdue, then to reopen, then the store's);
    verdicts: item id -> 有效 / 未见下降 / 待观察 of the fixed ones; status: each item's status as shown
    (待重开 for a done item whose effect is 未见下降), on items' index; filtered: the filters left some out."""

    items: pd.DataFrame
    verdicts: dict[int, str] = field(default_factory=dict)
    status: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    filtered: bool = False


def load(source, filters: Filters | None, state: LedgerState) -> LedgerData:
    """The list: with a snapshot (source and filters given, span set), the items of the sidebar's
    organisation (subtree), categories and reasons, each fixed one's effect; without one, every item."""
    items, verdicts = state.items, {}
    if source is not None and filters is not None and state.span is not None:
        branches = source("branch_options")
        members = org_members(branches, filters.org)
        items = filter_items(state.items, members, filters.categories, filters.reasons)
        names = dict(zip(branches["branch_code"], branches["branch_name"]))
        items = items.assign(branch_name=items["branch_code"].map(names))  # 整改范围 names it (H223)
        effects = effects_of(source, items, *state.span)
        verdicts = {i: effect_verdict(e) for i, e in effects.items()}
    items = export.ordered(items, verdicts)
    status = pd.Series(
        [shown_status(s, verdicts.get(int(i), WATCHING)) for s, i in zip(items["status"], items["id"])],
        index=items.index,
        dtype=object,
    )
    return LedgerData(items, verdicts, status, filtered=len(items) < len(state.items))


@dataclass(frozen=True)
class ItemEffect:
    """The opened item's slice: `what` it counts in words; `frame`: its monthly complaints (month, count,
    phase: 整改前 / 整改当月 / 整改后 / 其他月份) for the chart; fixed and `result` (the before/after test)
    only once the item is marked fixed, else the last RECENT_MONTHS complete months."""

    what: str
    frame: pd.DataFrame
    fixed: date | None = None
    result: fx.Effect | None = None


def load_effect(source, item: Mapping, span: tuple[date, date]) -> ItemEffect | None:
    """The effect of one item (Ledger.get), None when it follows no slice (spec)."""
    found = fx.item_slice(item)
    if found is None:
        return None
    query, slice_over, what = found
    first_month, last_complete = span
    fixed = fx.fixed_date(item)
    if fixed is None:
        start = max(first_month, add_months(last_complete, -(RECENT_MONTHS - 1)))
        monthly = fx.slice_months(source, query, slice_over, start, last_complete)
        if monthly is None:
            return None
        frame = monthly.assign(month=[month_start(pd.Timestamp(m).date()) for m in monthly["month"]], phase="其他月份")
        return ItemEffect(what, frame)
    fixed_month = month_start(fixed)
    start = max(first_month, add_months(fixed_month, -fx.BEFORE_MONTHS))
    end = max(min(last_complete, add_months(fixed_month, fx.AFTER_MONTHS)), start)
    monthly = fx.slice_months(source, query, slice_over, start, end)
    if monthly is None:
        return None
    result = fx.effect(monthly, fixed, first_month, last_complete)
    return ItemEffect(what, fx.monthly_frame(monthly, result), fixed, result)


# --- Saving an item: 已验证 needs an effect that says so ----------------------------------------------
# The store checks when and by whom 已验证 may be given (Ledger._check_verification) but cannot see the
# effect (dashboard.ledger may not import dashboard.analysis); the page saves through `save`, which can
# (hostile H158: an item 已验证 whose effect was 未见下降 read 已验证 and 待重开 at once).
VERIFY_NOT_FALLING = (
    "不能标记为“已验证”：该事项的整改成效为“未见下降”（{detail}），将显示为“待重开”。"
    "请复核并重新整改（可将状态改回“整改中”），待整改成效不再是“未见下降”后再验证。"
)
VERIFY_NOT_MEASURABLE = "不能标记为“已验证”：整改成效尚无法评估（{detail}）。请待可以评估整改成效后再验证。"


def _as_saved(item: Mapping, changes: Mapping) -> dict:
    """The item as `changes` would save it, for its effect (dates as the store keeps them, ISO text)."""
    merged = {**item, **changes}
    if isinstance(merged.get("fixed_at"), date):
        merged["fixed_at"] = merged["fixed_at"].isoformat()
    return merged


def verification_refusal(source, item: Mapping, changes: Mapping, span: tuple[date, date] | None) -> str | None:
    """Why `changes` may not mark `item` (Ledger.get) 已验证 on its effect, None when the effect allows it
    or the change is not 已整改 -> 已验证 (any other move to 已验证 the store refuses itself). Refused while
    the effect reads 未见下降 or cannot be measured yet (no data, no slice, no complete month after the fix
    or before it in the data, no complaint either side). 有效 and 待观察 (a fall not yet beyond chance, too
    few complaints to call a failure) are 消保部's to judge."""
    if changes.get("status") != VERIFIED_STATUS or item["status"] != FIXED_STATUS:
        return None
    if span is None:
        return VERIFY_NOT_MEASURABLE.format(detail="尚未导入投诉数据")
    opened = load_effect(source, _as_saved(item, changes), span)
    if opened is None:
        return VERIFY_NOT_MEASURABLE.format(detail="该事项没有可跟踪的范围（机构、业务类别、投诉原因或关键词）")
    result = opened.result
    if result is None:
        return VERIFY_NOT_MEASURABLE.format(detail="没有整改完成日期")
    if not result.after or not result.before or result.n_before + result.n_after == 0:
        return VERIFY_NOT_MEASURABLE.format(detail=result.status)
    if effect_verdict(result) == NOT_FALLING:
        return VERIFY_NOT_FALLING.format(
            detail=f"整改前 {len(result.before)} 个月共 {result.n_before} 件，整改后 {len(result.after)} 个月共 {result.n_after} 件"
        )
    return None


def save(
    ledger: Ledger,
    source,
    item: Mapping,
    version: int,
    changes: dict,
    span: tuple[date, date] | None,
    user: str | None = None,
    today: date | None = None,
) -> int:
    """Ledger.update after verification_refusal: raises LedgerError with its reason."""
    refusal = verification_refusal(source, item, changes, span)
    if refusal:
        raise LedgerError(refusal)
    return ledger.update(int(item["id"]), version, changes, user, today=today)
