"""Our templates without validating them per figure (docs/performance.md, twelfth and thirteenth sessions):
style.white sets a registered template as plotly sets its default template, and every figure a page draws is
the same figure as with `update_layout(template=...)`, which validated the whole template again for each
figure (about 8 ms of CPU a figure, ten times the rest of a small one)."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from _plotly_utils import basevalidators

from dashboard.charts import style
from dashboard.ui import figures
from tests.apptest_support import run_app
from tests.test_plotly_text import planted  # noqa: F401  (the fixture: a small bank)


def validated(fig: go.Figure, template: str = style.TITLED) -> go.Figure:
    """style.white as it was: the template set through plotly's validation."""
    return fig.update_layout(template=template)


def test_titled_layout_validates_no_template(monkeypatch):
    calls = []
    original = basevalidators.BaseTemplateValidator.validate_coerce

    def counting(self, v, *args, **kwargs):
        calls.append(v)
        return original(self, v, *args, **kwargs)

    monkeypatch.setattr(basevalidators.BaseTemplateValidator, "validate_coerce", counting)
    fig = style.titled_layout(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), "标题", 300, bargap=0.25)
    assert calls == []
    # and it is the registered template (plotly_white and our constants), as `validated` sets it
    assert fig.layout.template.to_plotly_json() == pio.templates[style.TITLED].to_plotly_json()
    monkeypatch.setattr(style, "white", validated)
    again = style.titled_layout(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), "标题", 300, bargap=0.25)
    assert calls  # the check counts: the validated form is seen
    assert json.loads(pio.to_json(fig)) == json.loads(pio.to_json(again))


def specs(page: str, query: dict) -> list[dict]:
    figures._built.clear()  # the shared figure cache would hand back the other form's figures
    at = run_app(page, query=query)
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize(
    "page, query, titled",
    [
        ("app_pages/trends.py", {"to": "2026-10"}, True),
        ("app_pages/hotspots.py", {"from": "2026-09", "to": "2026-10"}, False),  # plotly's default template
        ("app_pages/rankings.py", {"from": "2026-10", "to": "2026-10", "level": "一级分行", "profile": "0100"}, True),
        ("app_pages/repeats.py", {"to": "2026-10"}, True),
    ],
)
def test_every_figure_a_page_draws_is_the_same_as_with_the_validated_template(
    planted,  # noqa: F811
    app_env,
    monkeypatch,
    page,
    query,
    titled,
):
    app_env(planted)
    now = specs(page, query)
    monkeypatch.setattr(style, "white", validated)
    before = specs(page, query)
    assert now and len(now) == len(before)
    assert now == before
    titled_template = json.loads(json.dumps(pio.templates[style.TITLED].to_plotly_json()))
    hotspots_template = json.loads(json.dumps(pio.templates[style.hotspots_template()].to_plotly_json()))
    # the titled figures carry ours on plotly_white, hotspots' ours on the default template (Streamlit's here)
    assert all(spec["layout"].get("template") == (titled_template if titled else hotspots_template) for spec in now)
