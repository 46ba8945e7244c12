"""ui/context.loaded: a page loader's whole result is shared across sessions, never across scopes or roles."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import db
from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION
from dashboard.filters import Filters
from dashboard.ingest.store import current_snapshot
from dashboard.ui import context

CALLS: list[str | None] = []


def organisations(source, filters: Filters) -> pd.DataFrame:
    """A loader whose answer depends on the scope alone: the organisations the user may see."""
    CALLS.append(filters.scope)
    return source("branch_options")


@pytest.fixture
def as_user(small_store, monkeypatch):
    snapshot = current_snapshot(small_store)
    context._loaded.clear()
    context._cached.clear()
    CALLS.clear()

    def sign_in(role: str, scope: str | None) -> Filters:
        filters = Filters(month_from=date(2024, 1, 1), month_to=date(2024, 1, 1), scope=scope)
        monkeypatch.setattr(context, "get", lambda: context.Context(snapshot, filters))
        monkeypatch.setattr(context, "_who", lambda: (role, scope))
        return filters

    return sign_in, snapshot


def test_two_scopes_get_their_own_results_through_the_cache(as_user) -> None:
    sign_in, snapshot = as_user
    con = db.connection_for(snapshot)
    branch = con.execute("select branch_code from branches where level = '一级分行' order by 1 limit 1").fetchone()[0]
    subtree = {
        r[0] for r in con.execute("select branch_code from branch_tree where ancestor_code = ?", [branch]).fetchall()
    }
    everyone = {r[0] for r in con.execute("select branch_code from branches").fetchall()}
    assert subtree and subtree < everyone  # the fixture has organisations outside the branch

    whole = context.loaded(organisations, sign_in(CONSUMER_PROTECTION, None))
    again = context.loaded(organisations, sign_in(CONSUMER_PROTECTION, None))  # another session, same user kind
    mine = context.loaded(organisations, sign_in(BRANCH, branch))

    assert set(whole["branch_code"]) == everyone and set(again["branch_code"]) == everyone
    assert set(mine["branch_code"]) == subtree
    assert CALLS == [None, branch]  # the second whole-bank session was served from the cache


def test_a_role_is_part_of_the_key() -> None:
    snapshot = type("S", (), {"path": "/x/v000001"})()
    ctx = context.Context(snapshot, Filters(month_from=date(2024, 1, 1), month_to=date(2024, 1, 1)))  # type: ignore[arg-type]
    leader = context.loaded_key(organisations, ctx, ("行领导", None), (), {})
    officer = context.loaded_key(organisations, ctx, (CONSUMER_PROTECTION, None), (), {})
    assert leader != officer


def test_filters_not_scoped_to_the_user_are_refused(as_user, monkeypatch) -> None:
    sign_in, _ = as_user
    filters = sign_in(CONSUMER_PROTECTION, None)  # the session's filters: whole bank
    monkeypatch.setattr(context, "_who", lambda: (BRANCH, "B-ELSE"))  # but the user is a branch user
    with pytest.raises(ValueError):
        context.loaded(organisations, filters)
    assert CALLS == []
