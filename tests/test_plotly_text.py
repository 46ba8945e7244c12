"""Data in a chart is text, not markup (hostile finding): plotly draws titles, tick labels, legends, hover and
bar text as a subset of HTML, so a branch named `<a href="https://x.example">点我</a>` became a live link and
`<b>粗</b>` bold text. A branch and a product are planted with both; every figure the pages draw is read from
its JSON (as the browser receives it) and must hold neither tag raw, while the escaped text is there.
"""

from __future__ import annotations

import inspect
import json
import re
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import hotspots, outcomes, rankings, repeats, style, trends
from dashboard.ingest.pipeline import import_files
from dashboard.ledger.store import Ledger
from tests.apptest_support import run_app
from tests.conftest import BRANCHES, COMPLAINTS, write_small_extracts

LINK = '<a href="https://x.example">点我</a>'
BOLD = "<b>粗</b>"
BRANCH_NAMES = {"0100": LINK + "分行", "0201": BOLD + "支行"}
PRODUCTS = {"白金卡": LINK + "白金卡", "金卡": BOLD + "金卡"}
RAW = re.compile(r"<a[\s>]|</a>|<b>粗|粗</b>")
# what the escaped names read as once written down: html.escape of < > & by hand
ESCAPED = ('&lt;a href="https://x.example"&gt;点我&lt;/a&gt;', "&lt;b&gt;粗&lt;/b&gt;")


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def figure_strings(spec: str) -> list[str]:
    figure = json.loads(spec)  # plotly's JSON writes < as \u003c: decoded here, as the browser decodes it
    return strings(figure.get("data")) + strings(figure.get("layout"))


@pytest.fixture
def planted(tmp_path):
    branches = [(c, BRANCH_NAMES.get(c, n), *rest) for c, n, *rest in BRANCHES]
    complaints = [(*r[:7], PRODUCTS.get(r[7], r[7]), *r[8:]) for r in COMPLAINTS]
    data = tmp_path / "data"
    import_files(write_small_extracts(tmp_path / "extracts", branches, complaints), data)
    Ledger(data).create(
        source="recurring",
        title=LINK + BOLD,
        user="张三",
        branch_code="0201",
        business_category="信用卡",
        reason="定价收费",
        today=date(2026, 11, 1),
        now="2026-10-02 09:00:00",
    )
    return data


def test_the_check_sees_a_raw_tag_and_passes_the_escaped_text():
    assert RAW.search(LINK) and RAW.search(BOLD)
    assert not any(RAW.search(s) for s in ESCAPED)


@pytest.mark.parametrize(
    "page, query",
    [
        ("app_pages/trends.py", {"to": "2026-10"}),
        ("app_pages/hotspots.py", {"from": "2026-09", "to": "2026-10"}),
        ("app_pages/rankings.py", {"from": "2026-10", "to": "2026-10", "level": "一级分行", "profile": "0100"}),
        ("app_pages/rankings.py", {"from": "2026-10", "to": "2026-10", "level": "支行", "profile": "0201"}),
        ("app_pages/repeats.py", {"to": "2026-10"}),
    ],
)
def test_every_figure_a_page_draws_holds_no_raw_tag_from_data(planted, app_env, page, query):
    app_env(planted)
    at = run_app(page, query=query)
    charts = at.get("plotly_chart")
    assert charts, f"{page} drew no chart"
    texts = [s for chart in charts for s in figure_strings(chart.proto.spec)]
    raw = sorted({s for s in texts if RAW.search(s)})
    assert not raw, f"{page}: raw markup from data in a figure: {raw}"
    # something planted reached a figure (escaped), so the check checked
    assert any(e in s for s in texts for e in ESCAPED), page


def _builders():
    for module in (hotspots, outcomes, rankings, repeats, trends):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                if inspect.signature(function).return_annotation in (go.Figure, "go.Figure"):
                    yield f"{module.__name__}.{name}", function


def test_every_chart_builder_is_text_safe():
    found = dict(_builders())
    assert len(found) >= 20  # the five modules' builders were found at all
    assert [name for name, f in found.items() if not getattr(f, "text_safe", False)] == []


def test_plain_figure_escapes_every_data_field_and_keeps_numbers_and_templates():
    fig = go.Figure()
    fig.add_bar(
        x=np.array([LINK, "普通"], dtype=object),
        y=[3, 4],
        text=[BOLD, "5 件"],
        name=BOLD,
        customdata=np.array([[LINK, 1], ["0101", 2]], dtype=object),
        hovertemplate="<b>%{customdata[0]}</b><br>%{y}<extra></extra>",
    )
    fig.add_heatmap(z=[[1, 2]], x=["a", "b"], y=[LINK], text=[[1.0, float("nan")]])
    fig.add_annotation(x=0, y=0, text=BOLD)
    fig.update_xaxes(categoryarray=[LINK, "普通"], ticktext=[BOLD], tickvals=[0])
    style.plain_figure(fig)
    texts = figure_strings(fig.to_json())
    assert not [s for s in texts if RAW.search(s)]
    bar = fig.data[0]
    assert list(bar.x) == [ESCAPED[0], "普通"] and list(bar.text) == [ESCAPED[1], "5 件"]
    assert bar.name == ESCAPED[1] and list(bar.y) == [3, 4]
    assert bar.customdata[0][0] == ESCAPED[0] and bar.customdata[0][1] == 1
    assert bar.hovertemplate == "<b>%{customdata[0]}</b><br>%{y}<extra></extra>"  # code's markup kept
    assert list(fig.layout.xaxis.categoryarray) == [ESCAPED[0], "普通"]  # the order still names the values
    assert fig.layout.annotations[0].text == ESCAPED[1]
    # a click hands back the escaped value: unplain is its inverse, & included
    for text in (LINK, BOLD, "A&B支行", "&lt;已转义&gt;"):
        assert style.unplain(style.plain(text)) == text


def test_a_title_naming_a_branch_is_text():
    trend = pd.DataFrame(
        {
            "month": [date(2026, 9, 1), date(2026, 10, 1)],
            "bank_per_10k": [1.0, 2.0],
            "bank_complaints": [1, 2],
            "org_per_10k": [0.5, 1.5],
            "org_complaints": [1, 1],
        }
    )
    fig = rankings.trend_chart(trend, LINK)
    texts = figure_strings(fig.to_json())
    assert not [s for s in texts if RAW.search(s)]
    assert ESCAPED[0] in fig.layout.title.text and ESCAPED[0] in fig.data[1].hovertemplate
