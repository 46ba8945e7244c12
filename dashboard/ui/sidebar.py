"""The global filter widgets in the sidebar, kept in the URL so that a copied link reopens the view."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

import streamlit as st

from dashboard import clock, db, fmt, metrics, schema
from dashboard.filters import (
    AGE_GROUPS,
    BASES,
    BASIS_HELP,
    Filters,
    add_months,
    latest_complete_month,
    month_label,
    month_start,
)
from dashboard.ingest.store import Snapshot

ALL = "全部"
WHOLE_BANK = ""  # the organisation selector's "全行" (a selectbox shows None as an empty placeholder)
KEYS = ("f_from", "f_to", "f_org", "f_cat", "f_reason", "f_channel", "f_referred", "f_basis", "f_group")


# The sentence per (snapshot folder, org, scope): a snapshot's files never change, and the sidebar draws it on
# every run of every page (a scan of the open complaints: ~14 ms at 300k complaints), so it is kept per process.
_SEEN_NOTES: OrderedDict[tuple[str, str | None, str | None], str] = OrderedDict()
_SEEN_NOTES_KEPT = 256
_seen_lock = threading.Lock()


def _seen_note(snapshot: Snapshot, org: str | None, scope: str | None) -> str:
    key = (str(snapshot.path), org, scope)
    with _seen_lock:
        if key in _SEEN_NOTES:
            _SEEN_NOTES.move_to_end(key)
            return _SEEN_NOTES[key]
    row = db.run(db.connection_for(snapshot), "open_seen_earlier", org=org, scope=scope).iloc[0]
    note = metrics.seen_earlier_note(row["complaints"], row["first_seen"], row["last_seen"])
    with _seen_lock:
        _SEEN_NOTES[key] = note
        while len(_SEEN_NOTES) > _SEEN_NOTES_KEPT:
            _SEEN_NOTES.popitem(last=False)
    return note


def data_time_caption(snapshot: Snapshot, filters: Filters) -> str:
    """数据截至 … under the filters, with the one sentence on open complaints in the user's scope whose
    organisations' data stop more than a day earlier (hostile H201: judged overdue or not at that time)."""
    note = _seen_note(snapshot, filters.org, filters.scope)
    return (
        f"数据截至 {snapshot.meta['as_of'][:16].replace('T', ' ')}"
        + (f"（{note}）" if note else "")
        + f" · 版本 {snapshot.version} · {clock.LABEL}"
    )


def _months(snapshot: Snapshot) -> list[date]:
    first, last = month_start(snapshot.meta["first_month"]), month_start(snapshot.meta["last_month"])
    months, m = [], first
    while m <= last:
        months.append(m)
        m = add_months(m, 1)
    return months


def default_month(snapshot: Snapshot) -> date:
    """The latest complete month, clamped into the loaded months."""
    from datetime import datetime

    months = _months(snapshot)
    complete = latest_complete_month(datetime.fromisoformat(snapshot.meta["as_of"]))
    return min(max(complete, months[0]), months[-1])


def _init_from_url(snapshot: Snapshot, branches) -> None:
    """On a session's first run, seed the widgets from the URL (or the defaults)."""
    if st.session_state.get("_filters_seeded"):
        return
    months = _months(snapshot)
    default = default_month(snapshot)
    parsed = Filters.from_query(dict(st.query_params), default, default)
    clamp = lambda m: min(max(m, months[0]), months[-1])  # noqa: E731
    st.session_state["f_from"] = month_label(clamp(parsed.month_from))
    st.session_state["f_to"] = month_label(clamp(parsed.month_to))
    st.session_state["f_org"] = parsed.org if parsed.org in set(branches["branch_code"]) else WHOLE_BANK
    st.session_state["f_cat"] = list(parsed.categories or [])
    st.session_state["f_reason"] = list(parsed.reasons or [])
    st.session_state["f_channel"] = list(parsed.channels or [])
    st.session_state["f_referred"] = {True: "是", False: "否"}.get(parsed.referred, ALL)
    st.session_state["f_basis"] = BASES[parsed.basis]
    query = dict(st.query_params)
    scope = st.session_state.get("_scope")
    names = dict(zip(branches["branch_code"], branches["branch_name"]))
    whole = "全行" if scope is None else f"{names.get(scope, scope)}全辖"  # as the 机构 selector says it
    st.session_state["_url_lens_warnings"] = Filters.unknown_filters(
        query, set(branches["branch_code"]), whole
    ) + Filters.unknown_lens(query)
    st.session_state["f_group"] = AGE_GROUPS[parsed.age_group]
    st.session_state["_filters_seeded"] = True


def render(snapshot: Snapshot, branches, scope: str | None = None) -> Filters:
    """Draw the filters and return them; the URL is rewritten to match on every run."""
    st.session_state["_scope"] = scope
    _init_from_url(snapshot, branches)
    # Re-assert every filter's value on every run, so the browser is always sent the session's value.
    # Otherwise a browser that never drew a run's sidebar (another page clicked before a slow first page
    # finished) shows each widget's first option, and its next click sends those back as the filters
    # (seen in the load test: a session fell back to 全行 and the first loaded month).
    for key in KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    labels = [month_label(m) for m in _months(snapshot)]
    names = dict(zip(branches["branch_code"], branches["branch_name"]))
    depth = dict(zip(branches["branch_code"], branches["depth"]))

    with st.sidebar:
        st.subheader("筛选条件")
        left, right = st.columns(2)
        left.selectbox("起始月份", labels, key="f_from", help="按受理时间所在月份筛选；首尾月份均包含在内。")
        right.selectbox(
            "截止月份",
            labels,
            key="f_to",
            help="报告月份：单月指标（环比、同比等）按截止月份计算。默认是最近一个完整月份。",
        )
        st.selectbox(
            "机构",
            options=[WHOLE_BANK, *branches["branch_code"]],
            key="f_org",
            format_func=lambda c: (
                ("全行" if scope is None else f"{names.get(scope, scope)}全辖")
                if c == WHOLE_BANK
                else "　" * int(depth[c]) + f"{names[c]}（{c}）"
            ),
            help="选择一个机构时，包含其本身及全部下辖机构。",
        )
        st.multiselect("业务类别", schema.BUSINESS_CATEGORIES, key="f_cat", placeholder="全部业务类别")
        st.multiselect("投诉原因", schema.REASONS, key="f_reason", placeholder="全部投诉原因")
        st.multiselect("投诉渠道", schema.CHANNELS, key="f_channel", placeholder="全部渠道")
        st.radio("监管转办", (ALL, "是", "否"), key="f_referred", horizontal=True)
        for warning in st.session_state.get("_url_lens_warnings", ()):
            st.warning(fmt.literal(warning), icon="⚠️")  # it quotes the URL: text (H101)
        st.radio(
            "统计口径",
            tuple(BASES.values()),
            key="f_basis",
            horizontal=True,
            help="应用于每个页面、简报和导出。" + "".join(f"{BASES[k]}：{v}" for k, v in BASIS_HELP.items()),
        )
        st.radio(
            "客户群体",
            tuple(AGE_GROUPS.values()),
            key="f_group",
            horizontal=True,
            help="老年客户：客户年龄 60 岁及以上；非老年客户：年龄已知且不满 60 岁；未填写年龄的投诉只计入“全部”。",
        )
        if st.button("重置筛选"):
            for key in KEYS:
                st.session_state.pop(key, None)
            st.session_state["_filters_seeded"] = False
            st.session_state.pop("_url_lens_warnings", None)
            st.query_params.clear()
            st.rerun()

    start, end = sorted((st.session_state["f_from"], st.session_state["f_to"]))
    filters = Filters(
        month_from=month_start(start),
        month_to=month_start(end),
        org=st.session_state["f_org"] or None,
        categories=tuple(st.session_state["f_cat"]) or None,
        reasons=tuple(st.session_state["f_reason"]) or None,
        channels=tuple(st.session_state["f_channel"]) or None,
        referred={"是": True, "否": False}.get(st.session_state["f_referred"]),
        basis={v: k for k, v in BASES.items()}.get(st.session_state.get("f_basis")),
        age_group={v: k for k, v in AGE_GROUPS.items()}.get(st.session_state.get("f_group")),
        scope=scope,
    )
    # Rewrite only the filters' keys: a page's own parameters (e.g. rankings' profile=) stay in the link.
    kept = {k: v for k, v in st.query_params.items() if k not in Filters.QUERY_KEYS}
    st.query_params.from_dict({**kept, **filters.to_query()})
    return filters
