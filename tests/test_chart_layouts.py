"""Every chart builder draws the same chart as at 159ac92 (before its layouts' constants moved into templates of
our own, charts.style.TITLED / HOTSPOTS, and builders made their figures in one go): on the hand-made inputs
of tests/chart_cases.py, the layout a chart is drawn with (its template's layout merged under its own, as
plotly.js applies a template) equals the old builder's, kept in tests/fixtures/before_s13/figures.json (written
by the old code, not this). Merged twice: as plotly.js alone draws it (the briefing), and after Streamlit's
chart theme, which merges its own values into layout.template.layout first (st.plotly_chart, theme
"streamlit"): a constant moved to the template where Streamlit writes would be drawn differently on the
pages while the plain merge still matched."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard.charts import style
from tests.chart_cases import DEFAULTS, built, cases

FIXTURE = Path(__file__).parent / "fixtures" / "before_s13" / "figures.json"
THEIRS = "<streamlit>"  # a value Streamlit's theme sets: equal on both sides only if both left it to the theme

# The template-layout paths Streamlit 1.67's chart theme sets (PlotlyChart CustomTheme, read from its bundle:
# lodash merge(template.layout, theme), the theme's values winning).
_FONT = {"color": THEIRS, "size": THEIRS}
_AXIS = {
    "zerolinecolor": THEIRS,
    "gridcolor": THEIRS,
    "tickcolor": THEIRS,
    "tickfont": _FONT,
    "title": {"font": _FONT, "standoff": THEIRS},
    "minor": {"gridcolor": THEIRS},
    "automargin": THEIRS,
}
STREAMLIT_THEME = {
    "font": {"color": THEIRS, "family": THEIRS, "size": THEIRS, "weight": THEIRS},
    "title": {
        "color": THEIRS,
        "subtitleColor": THEIRS,
        "font": {"family": THEIRS, "size": THEIRS, "color": THEIRS},
        "pad": {"l": THEIRS},
        "xanchor": THEIRS,
        "x": THEIRS,
    },
    "legend": {
        "title": {"font": _FONT, "side": THEIRS},
        "valign": THEIRS,
        "bordercolor": THEIRS,
        "borderwidth": THEIRS,
        "font": _FONT,
    },
    "paper_bgcolor": THEIRS,
    "plot_bgcolor": THEIRS,
    "yaxis": {**_AXIS, "ticklabelposition": THEIRS},
    "xaxis": {**_AXIS, "showgrid": THEIRS, "zeroline": THEIRS, "rangeselector": THEIRS},
    "margin": {"pad": THEIRS, "r": THEIRS, "l": THEIRS},
    "hoverlabel": {
        "bgcolor": THEIRS,
        "bordercolor": THEIRS,
        "font": {"color": THEIRS, "family": THEIRS, "size": THEIRS},
    },
    "coloraxis": {"colorbar": THEIRS},
}


def merged(under: dict, over: dict) -> dict:
    """`over` on `under`, nested dicts merged key by key, anything else (lists too) taken from `over`."""
    out = copy.deepcopy(under)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def drawn(spec: dict, streamlit: bool) -> dict:
    """The figure as drawn: traces, the template's trace defaults, and its layout merged under the figure's."""
    layout = dict(spec["layout"])
    if layout.get("title") == {}:
        # update_layout(title=None) left an empty title in the JSON, a figure built at once has none: drawn the
        # same (Streamlit bolds it to "<b></b>", no text; a title takes no margin unless title.automargin)
        del layout["title"]
    template = layout.pop("template", {})
    under = template.get("layout", {})
    if streamlit:
        under = merged(under, STREAMLIT_THEME)
    return {"data": spec["data"], "template_data": template.get("data", {}), "layout": merged(under, layout)}


@pytest.fixture(scope="module")
def before() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def now() -> dict:
    return {default: built(default) for default in DEFAULTS}


@pytest.mark.parametrize("name", sorted(cases()))
@pytest.mark.parametrize("default", DEFAULTS)
@pytest.mark.parametrize("streamlit", [True, False], ids=["streamlit-theme", "plotly.js"])
def test_every_builder_draws_the_chart_it_drew(before, now, name, default, streamlit):
    """Under plotly's default template and Streamlit's (the app's: hotspots' charts keep the default)."""
    assert drawn(now[default][name], streamlit) == drawn(before[default][name], streamlit)


def test_the_comparison_sees_a_constant_streamlit_would_replace(before):
    """The check can fail: the titled charts' font moved into the template passes the plain merge and fails
    under Streamlit's theme, as it would be drawn."""
    before = before["plotly"]
    spec = copy.deepcopy(before["trends.rate_chart"])
    under = spec["layout"]["template"]["layout"]
    under["font"] = merged(under["font"], spec["layout"].pop("font"))
    assert drawn(spec, streamlit=False) == drawn(before["trends.rate_chart"], streamlit=False)
    assert drawn(spec, streamlit=True) != drawn(before["trends.rate_chart"], streamlit=True)


def test_our_templates_hold_nothing_streamlit_sets_and_are_plotlys_otherwise():
    def paths(tree: dict, prefix: tuple = ()) -> set[tuple]:
        out = set()
        for key, value in tree.items():
            out |= paths(value, (*prefix, key)) if isinstance(value, dict) else {(*prefix, key)}
        return out

    def covered(path: tuple) -> bool:  # the path or one of its parents is the theme's
        return any(path[:i] in paths(STREAMLIT_THEME) for i in range(1, len(path) + 1))

    from streamlit.elements.lib.streamlit_plotly_theme import configure_streamlit_plotly_theme

    configure_streamlit_plotly_theme()
    kept = pio.templates.default
    try:
        for name, base, ours in (
            (style.TITLED, "plotly_white", style.TITLED_LAYOUT),
            *[(style.hotspots_template(), base, style.HOTSPOTS_LAYOUT) for base in DEFAULTS if set_default(base)],
        ):
            assert not [p for p in paths(ours) if covered(p)], name
            template = pio.templates[name].to_plotly_json()
            base_own = pio.templates[base].to_plotly_json()
            assert template["data"] == base_own["data"]
            assert template["layout"] == merged(base_own["layout"], ours)
    finally:
        pio.templates.default = kept


def set_default(name: str) -> bool:
    pio.templates.default = name
    return True


def test_a_figure_is_made_without_validating_its_template(monkeypatch):
    from _plotly_utils import basevalidators

    calls = []
    original = basevalidators.BaseTemplateValidator.validate_coerce
    monkeypatch.setattr(
        basevalidators.BaseTemplateValidator,
        "validate_coerce",
        lambda self, v, *a, **k: calls.append(v) or original(self, v, *a, **k),
    )
    fig = style.figure([go.Bar(x=["a"], y=[1])], style.titled("标题", 300))
    assert calls == []
    assert fig.layout.template.to_plotly_json() == pio.templates[style.TITLED].to_plotly_json()
