"""Figures of the hotspots page: DataFrame in, plotly figure out (no Streamlit).

Every clickable figure is made of bar or scatter traces (Streamlit's selection events return nothing
for heatmaps and treemaps) and carries in `customdata` the value a click selects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.charts.style import count_axis, figure, hotspots_template, plain, readable_bars, text_safe

FONT = dict(family='"Noto Sans CJK SC", sans-serif', size=13)
BLUE, ORANGE, GREY, RED = "#1f77b4", "#ff7f0e", "#9aa5b1", "#d62728"


def _frame(
    height: int, title: str | None = None, xaxis: dict | None = None, yaxis: dict | None = None, **extra
) -> dict:
    """The layout of a hotspots chart beside its template (style.hotspots_template(): no legend, click to select, bar gap):
    the properties Streamlit's chart theme would replace in a template stay here. Axes' numbers in full
    (exponentformat, as text_safe's chinese_numbers would set them after)."""
    axis = {"gridcolor": "#eee", "zeroline": False, "exponentformat": "none"}
    layout = {
        "font": FONT,
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 40 if title else 10},
        "hoverlabel": {"font": FONT},
        "plot_bgcolor": "white",
        "xaxis": {**axis, **(xaxis or {})},
        "yaxis": {**axis, **(yaxis or {})},
        **extra,
    }
    if title:
        layout["title"] = {"text": plain(title), "font": {"size": 15}}
    return layout


@text_safe
def category_reason_matrix(rows: pd.DataFrame, categories: list[str], reasons: list[str]) -> go.Figure:
    """Business category x reason as a bubble grid (a scatter trace, so a click selects a cell): bubble
    area proportional to complaints. rows: business_category, reason, complaints, share."""
    data = []
    if len(rows):
        peak = float(rows["complaints"].max())
        sizes = 6 + 34 * np.sqrt(rows["complaints"].to_numpy(dtype=float) / peak)
        data.append(
            go.Scatter(
                x=rows["reason"],
                y=rows["business_category"],
                mode="markers+text",
                marker=dict(
                    size=sizes,
                    color=rows["complaints"],
                    colorscale="Blues",
                    cmin=0,
                    cmax=peak,
                    line=dict(width=1, color="#41617d"),
                    opacity=0.9,
                ),
                # the number only where it fits inside its bubble (it overflowed the small ones); hover has all
                text=[bubble_text(v, size) for v, size in zip(rows["complaints"], sizes)],
                textposition="middle center",
                textfont=dict(size=11, color=["white" if v > 0.55 * peak else "#102a43" for v in rows["complaints"]]),
                customdata=np.stack([rows["business_category"], rows["reason"]], axis=1),
                hovertemplate="%{y} × %{x}<br>投诉量 %{marker.color:,}<extra>点击筛选</extra>",
            )
        )
    height = 140 + 34 * max(len(categories), 3)
    xaxis = {"categoryorder": "array", "categoryarray": reasons, "tickangle": -35, "showgrid": True}
    yaxis = {"categoryorder": "array", "categoryarray": list(reversed(categories)), "showgrid": True}
    return figure(data, _frame(height, xaxis=xaxis, yaxis=yaxis), hotspots_template())


def bubble_text(count, size: float, digit_px: float = 7.0) -> str:
    """A bubble's count as text when its digits fit inside its diameter (`size` px), else ''."""
    text = f"{int(count):,}"
    return text if len(text) * digit_px + 4 <= size else ""


@text_safe
def ranked_bars(
    rows: pd.DataFrame,
    label: str,
    key: str | list[str],
    *,
    top: int = 15,
    value: str = "complaints",
    rate: str | None = None,
    title: str | None = None,
    selected: str | None = None,
) -> go.Figure:
    """Horizontal bars of the `top` largest rows by `value`, largest on top; the text shows the count
    and share (and the rate per 10,000 customers when `rate` names a column). customdata: the `key`
    column(s) of each bar."""
    rows = rows.sort_values(value, ascending=False, kind="mergesort").head(top).iloc[::-1]
    keys = [key] if isinstance(key, str) else key
    texts = []
    for _, row in rows.iterrows():
        parts = [f"{fmt.count(row['complaints'])} 件", fmt.rate(row.get("share"))]
        if rate:
            gap = row.get("base_gaps")  # a base with a member's row missing: no rate, said so (customer_gaps)
            parts.append("— 客户数不全" if gap and gap > 0 else f"{fmt.per10k(row.get(rate))} 件/万户")
        texts.append(" · ".join(parts))
    colors = [ORANGE if selected is not None and row[keys[0]] == selected else BLUE for _, row in rows.iterrows()]
    labels, layout, span = readable_bars(rows[value])
    bar = go.Bar(
        x=rows[value],
        y=rows[label],
        orientation="h",
        marker_color=colors,
        text=texts,
        customdata=np.stack([rows[k].astype(object).to_numpy() for k in keys], axis=1),
        hovertemplate="%{y}<br>%{text}<extra>点击筛选</extra>",
        **labels,
    )
    xaxis = {"title": {"text": "万人投诉率" if value == rate else "投诉量", "font": {"size": 12}}}
    if span:
        xaxis["range"] = span
    yaxis = {"type": "category", "automargin": True}
    return figure([bar], _frame(90 + 26 * max(len(rows), 3), title, xaxis, yaxis, **layout), hotspots_template())


@text_safe
def surge_history(months: list[str], counts: list[int], baseline: float, baseline_months: int) -> go.Figure:
    """One slice's last months as bars (the surge month highlighted) with its baseline mean as a line
    over the baseline months."""
    colors = [GREY] * (len(counts) - 1) + [RED]
    span = months[-baseline_months - 1 : -1]
    data = [
        go.Bar(
            x=months,
            y=counts,
            marker_color=colors,
            text=counts,
            textposition="outside",
            hovertemplate="%{x}：%{y} 件<extra></extra>",
        ),
        go.Scatter(
            x=span,
            y=[baseline] * len(span),
            mode="lines",
            line=dict(color=BLUE, dash="dash"),
            hovertemplate=f"前{baseline_months}个月均值 {baseline:.1f}<extra></extra>",
        ),
    ]
    yaxis = {"title": {"text": "投诉量", "font": {"size": 12}}, "rangemode": "tozero"}
    return count_axis(figure(data, _frame(260, xaxis={"type": "category"}, yaxis=yaxis), hotspots_template()))


@text_safe
def term_bars(
    rows: pd.DataFrame, value: str, *, title: str | None = None, top: int = 20, selected: str | None = None
) -> go.Figure:
    """Terms as horizontal bars of `value` ('share' or 'lift'), the largest on top; rising terms in
    orange. customdata: the term."""
    rows = rows.head(top).iloc[::-1]
    colors = [RED if t == selected else (ORANGE if r else BLUE) for t, r in zip(rows["term"], rows["rising"])]
    if value == "share":
        texts = [f"{fmt.rate(s)} · {fmt.count(d)} 件" for s, d in zip(rows["share"], rows["docs"])]
        axis = "提及该词的投诉占比"
    else:
        texts = [
            f"×{lift:.1f}（{fmt.count(p)} → {fmt.count(d)} 件）"
            for lift, p, d in zip(rows["lift"], rows["prev_docs"], rows["docs"])
        ]
        axis = "较上期的占比倍数"
    labels, layout, span = readable_bars(rows[value])
    bar = go.Bar(
        x=rows[value],
        y=rows["term"],
        orientation="h",
        marker_color=colors,
        text=texts,
        customdata=np.stack([rows["term"].astype(object).to_numpy()], axis=1),
        hovertemplate="%{y}<br>%{text}<extra>点击查看相关投诉</extra>",
        **labels,
    )
    xaxis: dict = {"title": {"text": axis, "font": {"size": 12}}}
    if value == "share":
        xaxis["tickformat"] = ".0%"
    if span:
        xaxis["range"] = span
    yaxis = {"type": "category", "automargin": True}
    return figure([bar], _frame(90 + 24 * max(len(rows), 3), title, xaxis, yaxis, **layout), hotspots_template())


@text_safe
def rising_bars(
    rows: pd.DataFrame, *, title: str | None = None, top: int = 20, selected: str | None = None
) -> go.Figure:
    """Rising terms as floating bars from the previous period's narratives to this period's, on one linear
    axis of narratives (件) from 0, so 229 -> 569 reads as long as it is beside 0 -> 162; rows in the
    order given (analysis.hotspots.rising_terms: the largest increase first), on top. customdata: the term."""
    rows = rows.head(top).iloc[::-1]
    colors = [RED if t == selected else ORANGE for t in rows["term"]]
    texts = [
        f"{fmt.count(p)} → {fmt.count(d)} 件（+{fmt.count(d - p)}）" for p, d in zip(rows["prev_docs"], rows["docs"])
    ]
    bar = go.Bar(
        base=rows["prev_docs"],
        x=rows["docs"] - rows["prev_docs"],
        y=rows["term"],
        orientation="h",
        marker_color=colors,
        text=texts,
        textposition="outside",
        cliponaxis=False,
        customdata=np.stack([rows["term"].astype(object).to_numpy()], axis=1),
        hovertemplate="%{y}<br>上期 → 本期：%{text}<extra>点击查看相关投诉</extra>",
    )
    most = float(rows["docs"].max()) if len(rows) else 1.0
    xaxis = {
        "title": {"text": "提及该词的投诉件数：上期 → 本期", "font": {"size": 12}},
        "rangemode": "tozero",
        "range": [0, most * 1.35],
    }
    yaxis = {"type": "category", "automargin": True}
    return figure([bar], _frame(90 + 24 * max(len(rows), 3), title, xaxis, yaxis), hotspots_template())
