"""The look every chart shares: the CJK font, the palette, the frame of a titled figure."""

from __future__ import annotations

import functools
import html
from typing import Any, Callable, TypeVar

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

FONT = '"Noto Sans CJK SC", sans-serif'
PALETTE = [
    "#1f5fa8",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#4e79a7",
    "#86bcb6",
    "#d4a6c8",
    "#bab0ac",
]


# --- data is text, never markup --------------------------------------------------------------------------
# Plotly draws titles, tick labels, legends, hover and bar text as a subset of HTML (<a href>, <b>, <br>,
# <span style>), and data reaches them: branch and product names, terms, ledger titles (hostile finding).
# Every chart builder is wrapped in `text_safe`, which escapes the data-bearing fields of the figure it
# returns; data composed into a title or a hover/text template (code-written markup) goes through `plain`
# where it is composed. Plotly shows &lt; &gt; &amp; as < > &; `"` is left alone (it has no &quot;).

DATA_FIELDS = ("x", "y", "text", "hovertext", "customdata", "labels", "parents", "ids")
NUMERIC_KINDS = set("biufcmM")


def plain(value: Any) -> Any:
    """A string shown by plotly as written (< > & escaped); anything else unchanged."""
    return html.escape(value, quote=False) if isinstance(value, str) else value


def unplain(value: Any) -> Any:
    """What `plain` escaped, back to the value (a clicked point's customdata or label, on the server)."""
    return html.unescape(value) if isinstance(value, str) else value


def _needs(value: Any) -> bool:
    return isinstance(value, str) and ("<" in value or ">" in value or "&" in value)


def _plain_array(values: Any) -> Any | None:
    """`values` with its strings escaped, or None when nothing needs it (numbers are never touched)."""
    if values is None:
        return None
    if isinstance(values, str):
        return plain(values) if _needs(values) else None
    if isinstance(values, np.ndarray) and values.dtype.kind in NUMERIC_KINDS:
        return None
    array = np.array(values, dtype=object)
    if not any(_needs(v) for v in array.flat):
        return None
    return np.frompyfunc(plain, 1, 1)(array)


def plain_figure(fig: go.Figure) -> go.Figure:
    """Escape the data in `fig` (in place): every trace's data arrays and name, annotation texts, and each
    axis's category order and tick texts (escaped like the values they name). Titles and templates are
    code; the data in them is escaped with `plain` where they are written."""
    for trace in fig.data:
        for field in DATA_FIELDS:
            if field in trace:
                escaped = _plain_array(trace[field])
                if escaped is not None:
                    trace[field] = escaped
        if "name" in trace and _needs(trace.name):
            trace.name = plain(trace.name)
    for note in fig.layout.annotations:
        if _needs(note.text):
            note.text = plain(note.text)
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        for field in ("categoryarray", "ticktext"):
            escaped = _plain_array(axis[field])
            if escaped is not None:
                axis[field] = escaped
    return fig


Builder = TypeVar("Builder", bound=Callable[..., go.Figure])


def chinese_numbers(fig: go.Figure) -> go.Figure:
    """Axis and colour-bar numbers in full with thousands separators (10,000), never plotly's SI suffixes:
    its default read 10k on a 万元 axis, an English thousand beside a Chinese ten-thousand (hostile H214)."""
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        if axis.exponentformat is None:
            axis.exponentformat = "none"
    for trace in fig.data:
        if "colorbar" in trace and trace.colorbar.exponentformat is None:
            trace.colorbar.exponentformat = "none"
    for coloraxis in fig.select_coloraxes():
        if coloraxis.colorbar.exponentformat is None:
            coloraxis.colorbar.exponentformat = "none"
    return fig


def text_safe(build: Builder) -> Builder:
    """A chart builder whose figure shows data as text (`plain_figure` on what it returns), its numbers
    as a Chinese reader reads them (`chinese_numbers`)."""

    @functools.wraps(build)
    def wrapper(*args: Any, **kwargs: Any) -> go.Figure:
        return chinese_numbers(plain_figure(build(*args, **kwargs)))

    wrapper.text_safe = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


TEMPLATE = "plotly_white"

# The constant part of our layouts as templates of our own (plotly_white for the titled charts; for hotspots',
# the default template a new figure gets, Streamlit's "streamlit" once Streamlit is imported), validated once
# and set on each figure without validation (`white`): properties a template holds are not validated again. Only properties Streamlit's chart theme leaves
# alone go here: st.plotly_chart (theme="streamlit") merges its own font, title font, margin l/r/pad, legend
# font, hoverlabel, backgrounds and axis styles INTO layout.template.layout, so ours there would be replaced,
# while the same values set in the layout itself win over it. Those stay in each figure's layout.
TITLED = "complaints_titled"
HOTSPOTS = "complaints_hotspots"
TITLED_LAYOUT = {
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
    "margin": {"t": 72, "b": 48},
}
HOTSPOTS_LAYOUT = {
    "margin": {"b": 10},
    "showlegend": False,
    "clickmode": "event+select",
    "dragmode": False,
    "bargap": 0.3,
}


def _register(name: str, base: str, layout: dict) -> None:
    template = go.layout.Template(pio.templates[base])  # a copy: plotly's own stays as it is
    template.layout.update(layout)
    pio.templates[name] = template


_register(TITLED, TEMPLATE, TITLED_LAYOUT)


def hotspots_template() -> str:
    """The name of HOTSPOTS_LAYOUT on the current default template (hotspots' charts kept the template every
    new figure gets: plotly's, or Streamlit's "streamlit" in the app), registered on first use."""
    base = pio.templates.default
    name = f"{HOTSPOTS}_{base}"
    if name not in pio.templates:  # two threads registering it at once register the same template
        _register(name, base, HOTSPOTS_LAYOUT)
    return name


def white(fig: go.Figure, template: str = TITLED) -> go.Figure:
    """fig with one of our registered templates (plotly_white and the titled charts' constants by default), set
    the way plotly sets its default template on every new figure: the registered template (validated once, when
    it was registered) copied in without validating it again. `update_layout(template="plotly_white")`
    validated the whole template (every trace type's defaults) for each figure: about 8 ms of CPU, ten times the
    rest of a small figure's building (docs/performance.md, twelfth session)."""
    layout = fig.layout
    layout._validate = False  # as BaseFigure._initialize_layout_template does for pio.templates.default
    try:
        layout.template = pio.templates[template]
    finally:
        layout._validate = fig._validate
    return fig


def titled(title: str, height: int, top: int = 72, **extra) -> dict:
    """The layout of a titled chart beside its template (TITLED): title at the left, Chinese font. The title is
    text (it may name a branch): escaped here, so it carries no markup of its own."""
    margin = {"l": 56, "r": 16} if top == 72 else {"l": 56, "r": 16, "t": top}
    return {
        "title": {"text": plain(title), "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 13},
        "height": height,
        "margin": margin,
        "hoverlabel": {"font": {"family": FONT}},
        **extra,
    }


def figure(data: list, layout: dict, template: str = TITLED) -> go.Figure:
    """One figure from its traces and its whole layout (a nested dict), validated once as plotly builds it, and
    a registered template: each update_layout/update_xaxes of a figure replays its properties through plotly's
    batch-update machinery (path parsing of every key), several times the cost of building them at once."""
    return white(go.Figure(data=data, layout=layout), template)


def titled_layout(fig: go.Figure, title: str, height: int, top: int = 72, **extra) -> go.Figure:
    """`titled` on an existing figure, with the TITLED template: horizontal legend at the top right, white."""
    white(fig)
    fig.update_layout(titled(title, height, top, **extra))
    return fig


# --- axes and labels a meeting can read ---------------------------------------------------------------

MIN_TEXT = 11  # px: the smallest label drawn on or beside a bar (plotly shrank in-bar text to 9 px)
OTHER = "其余"


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 x 10^k) giving about `ticks` ticks over `span`."""
    import math

    if not span or span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for lead in (1, 2, 2.5, 5, 10):
        if raw <= lead * power:
            return lead * power
    return 10 * power


def step_decimals(step: float) -> int:
    """Decimals needed to print multiples of `step` without two ticks reading the same."""
    for decimals in range(0, 6):
        if abs(round(step, decimals) - step) < step * 1e-6:
            return decimals
    return 6


def tick_labels(low: float, high: float, ticks: int = 5, sign: bool = False) -> tuple[list[float], list[str]]:
    """Round tick values from below `low` to above `high` and their labels, all different: a round step
    and as many decimals as it needs; with `sign`, + before positive values (0 bare)."""
    import math

    step = nice_step(high - low, ticks)
    decimals = step_decimals(step)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    values = [round(i * step, decimals) for i in range(first, last + 1)]
    labels = []
    for v in values:
        text = f"{abs(v):,.{decimals}f}"
        labels.append(text if v == 0 else ("+" if sign else "") + text if v > 0 else "−" + text)
    return values, labels


def distinct_ticks(fig: go.Figure, values, axis: str = "x", sign: bool = False, ticks: int = 5) -> go.Figure:
    """A linear axis whose tick labels are all different (a span of 2.4 points printed '+.0f' read
    −1 −1 +0 +1 +1): explicit round ticks over the values and 0."""
    numbers = [float(v) for v in values if v is not None and v == v]
    if not numbers:
        return fig
    low, high = min(numbers + [0.0]), max(numbers + [0.0])
    if high == low:
        high = low + 1.0
    tickvals, ticktext = tick_labels(low, high, ticks, sign)
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(tickvals=tickvals, ticktext=ticktext)
    return fig


def axis_values(fig: go.Figure, axis: str = "y", anchor: str = "y") -> list[float]:
    """The numbers every trace draws on an axis ('x' or 'y'; `anchor` the y-axis id, y or y2)."""
    values: list[float] = []
    for trace in fig.data:
        if axis == "y" and (getattr(trace, "yaxis", None) or "y") != anchor:
            continue
        data = getattr(trace, axis, None)
        if data is None:
            continue
        for v in data:
            try:
                number = float(v)
            except (TypeError, ValueError):
                continue
            if number == number:
                values.append(number)
    return values


def count_axis(fig: go.Figure, axis: str = "y", secondary: bool = False) -> go.Figure:
    """A count axis (whole numbers) that reads right when the counts are small or all zero: from 0, a
    step of at least 1 (an all-zero chart read 1 1 1 0 0 0: ticks every 0.2 printed as integers)."""
    values = axis_values(fig, axis, "y2" if secondary else "y")
    top = max(values) if values else 0.0
    if top >= 5:
        return fig
    update = {"range": [0, max(1.0, top * 1.15)], "dtick": 1, "tick0": 0, "tickformat": ",d"}
    name = "xaxis" if axis == "x" else "yaxis2" if secondary else "yaxis"
    fig.layout[name].update(**update)
    return fig


def top_columns(table, keep: int = 5, other: str = OTHER):
    """A wide table (one column per stacked series, largest first) cut to its first `keep` columns and
    one `other` column summing the rest (and any `other` already there): a stack of ten colours cannot be
    read above its second segment."""
    import pandas as pd

    columns = [c for c in table.columns if c != other]
    if len(columns) <= keep:
        return table
    kept = table[columns[:keep]].copy()
    rest = table[columns[keep:]].sum(axis=1)
    if other in table.columns:
        rest = rest + table[other]
    kept[other] = rest
    return pd.DataFrame(kept)


def bar_text_positions(values, share_inside: float = 0.6) -> list[str]:
    """inside for bars long enough to hold their label at full size, outside for the others (plotly's
    'auto' shrank the label of a short bar to fit inside it)."""
    numbers = [float(v) if v is not None and v == v else 0.0 for v in values]
    top = max(numbers) if numbers else 0.0
    return ["inside" if top > 0 and v / top >= share_inside else "outside" for v in numbers]


def readable_bars(values, room: float = 1.6) -> tuple[dict, dict, list[float] | None]:
    """`readable_bar_labels` as properties to build with: the bar trace's, the layout's, and the value axis's
    range (None: left to plotly)."""
    trace = {
        "textposition": bar_text_positions(values),
        "insidetextanchor": "end",
        "cliponaxis": False,
        "textfont": {"size": 12},
    }
    numbers = [float(v) for v in values if v is not None and v == v]
    span = [0, max(numbers) * room] if numbers and max(numbers) > 0 else None
    return trace, {"uniformtext": {"minsize": MIN_TEXT, "mode": "show"}}, span


def readable_bar_labels(fig: go.Figure, values, axis: str = "x", room: float = 1.6) -> go.Figure:
    """Bar labels at MIN_TEXT px or larger: long bars hold theirs, short ones get theirs beside them, and
    the value axis leaves room for those."""
    fig.update_traces(
        textposition=bar_text_positions(values),
        insidetextanchor="end",
        cliponaxis=False,
        textfont={"size": 12},
        selector={"type": "bar"},
    )
    fig.update_layout(uniformtext={"minsize": MIN_TEXT, "mode": "show"})
    numbers = [float(v) for v in values if v is not None and v == v]
    if numbers and max(numbers) > 0:
        (fig.update_xaxes if axis == "x" else fig.update_yaxes)(range=[0, max(numbers) * room])
    return fig
