"""ui/figures.py: a figure is built once per builder and exact input, shared, and never another input's."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import trends as charts
from dashboard.ui import figures

CALLS: list[tuple] = []


def counted_bars(frame: pd.DataFrame, title: str = "") -> go.Figure:
    CALLS.append((len(frame), title))
    return go.Figure(go.Bar(x=list(frame["x"]), y=list(frame["y"])), layout={"title": title})


def setup_function() -> None:
    figures._built.clear()
    CALLS.clear()


def test_the_same_input_is_built_once_and_shared() -> None:
    frame = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
    first = figures.figure(counted_bars, frame, title="t")
    second = figures.figure(counted_bars, frame.copy(), title="t")  # an equal frame from another session
    assert second is first
    assert CALLS == [(2, "t")]


def test_different_data_or_arguments_get_their_own_figure() -> None:
    frame = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
    other_scope = pd.DataFrame({"x": ["a", "b"], "y": [1, 3]})  # one number differs: another scope's data
    base = figures.figure(counted_bars, frame, title="t")
    changed = figures.figure(counted_bars, other_scope, title="t")
    retitled = figures.figure(counted_bars, frame, title="u")
    assert list(changed.data[0].y) == [1, 3] and list(base.data[0].y) == [1, 2]
    assert retitled.layout.title.text == "u" and base.layout.title.text == "t"
    assert len(CALLS) == 3


def test_a_cached_figure_equals_a_fresh_build() -> None:
    trend = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]).date,
            "complaints": [10, 12, 9],
            "per_10k": [1.0, 1.2, 0.9],
        }
    )
    fresh = charts.rate_chart(trend, height=300)
    cached = figures.figure(charts.rate_chart, trend, height=300)
    again = figures.figure(charts.rate_chart, trend, height=300)
    assert again is cached
    assert cached.to_json() == fresh.to_json()
