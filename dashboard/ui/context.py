"""What every page needs to ask for data: the snapshot, the global filters, cached query results.

Pages call `query(name, **params)`; results are cached per snapshot version, query and parameters
(small aggregates only: never cache raw complaint tables, they are pickled on every hit).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboard import db
from dashboard.analysis.source import Source
from dashboard.config import data_dir
from dashboard.filters import Filters
from dashboard.ingest.store import Snapshot, current_snapshot
from dashboard.ui.pages import page

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    snapshot: Snapshot
    filters: Filters

    @property
    def catalog(self) -> db.Catalog:
        return db.catalog_for(self.snapshot)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self.catalog.con


def snapshot() -> Snapshot | None:
    """Read on every run: a finished import shows up on the next interaction of every session."""
    return current_snapshot(data_dir())


def text_note() -> str:
    """Why the published snapshot has no hot terms or similar groups ("" when it has them): being computed
    by the import that published its numbers first, or left to rebuild (analysis/text_status.py)."""
    from dashboard.analysis import text_status

    return text_status.note(snapshot())


def set_context(ctx: Context | None) -> None:
    st.session_state["_context"] = ctx


def get() -> Context | None:
    return st.session_state.get("_context")


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(snapshot_path: str, name: str, params: dict, _snapshot: Snapshot) -> pd.DataFrame:
    # Keyed by the snapshot's folder (a new import misses the cache), the query and its parameters.
    return db.catalog_for(_snapshot).run(name, **params)


def query(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with the global filters' parameters, overridden or extended by params."""
    ctx = get()
    if "scope" in params:  # the signed-in user's scope comes from the app shell only (docs/security.md)
        raise ValueError("query(): scope cannot be overridden by a page")
    return _cached(str(ctx.snapshot.path), name, ctx.filters.params(**params), ctx.snapshot)


def rows(name: str, **params) -> pd.DataFrame:
    """query() for raw complaint rows: not cached (they would be pickled on every hit)."""
    ctx = get()
    if "scope" in params:
        raise ValueError("rows(): scope cannot be overridden by a page")
    return db.run(ctx.con, name, **ctx.filters.params(**params))


def source() -> Source:
    """What a page passes to its loader (dashboard/analysis/<page>.py load): cached aggregates, uncached
    rows and the tables the snapshot offers."""
    return Source(run=query, rows=rows, offers=lambda: get().catalog.tables)


def loaded_key(load: Callable, ctx: Context, who: tuple, args: tuple, kwargs: dict) -> str:
    """The shared cache key of a page loader's result: the loader, the snapshot, who asks (role and scope:
    what a user may see depends on both) and the exact bytes of the session's filters (the source's
    queries take them) and of every argument (filters, page state, ledger items): equal bytes, equal inputs."""
    inputs = (ctx.filters, args, sorted(kwargs.items()))
    digest = hashlib.blake2b(pickle.dumps(inputs, protocol=5), digest_size=20).hexdigest()
    return f"{load.__module__}.{load.__qualname__}|{ctx.snapshot.path}|{who}|{digest}"


@st.cache_data(max_entries=256, show_spinner=False)
def _loaded(key: str, _load: Callable, _args: tuple, _kwargs: dict):
    # Keyed by `key` alone; the first caller's source() runs the queries. A copy per hit (st.cache_data),
    # so a page changing its result cannot change another session's.
    return _load(source(), *_args, **_kwargs)


def loaded(load: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """load(source(), *args, **kwargs): a page loader's whole result, shared by every session asking with
    the same snapshot, role, scope and arguments (twenty people on the same filters compute it once)."""
    ctx = get()
    who = _who()
    if ctx.filters.scope != who[1]:  # the shell puts the user's scope in the filters; fail closed if not
        raise ValueError("loaded(): the filters' scope is not the signed-in user's")
    return _loaded(loaded_key(load, ctx, who, args, kwargs), load, args, kwargs)


def _who() -> tuple[str | None, str | None]:
    from dashboard.ui.identity import principal

    decided = principal()
    return (decided.role, decided.scope) if decided is not None else (None, None)


def snapshot_run(snapshot: Snapshot):
    """run(name) of a query without parameters on a snapshot's stored tables, uncached: the data page's
    (dashboard/analysis/data.py), which shows before any complaint is loaded and so without filters."""
    return db.catalog_for(snapshot).run


def require() -> Context:
    """The context, or a clear empty state and a stop when nothing has been imported yet."""
    ctx = get()
    if ctx is None:
        st.info(
            "尚未导入任何投诉数据。请在“数据管理”页上传抽数文件，或在命令行运行 "
            "`python -m dashboard demo` 生成演示数据。"
        )
        from dashboard.auth.roles import can_manage_data
        from dashboard.ui.identity import principal

        if can_manage_data(principal()):  # the data page is in the navigation only for them
            st.page_link(page("data"), label="前往数据管理", icon=":material/database:")
        st.stop()
    return ctx
