"""Charts of the monthly trends page and the briefing: DataFrames in, plotly figures out (no Streamlit).

Months are drawn as category labels ('2026-10') so that no axis ever shows a day or a time.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import PALETTE, count_axis, figure, plain, text_safe, titled, top_columns
from dashboard.filters import month_label

BLUE, GREY, RED, GREEN, ORANGE = "#1f5fa8", "#9aa5b1", "#d62728", "#2ca02c", "#ff9f1c"


def _layout(title: str, height: int, y_title: str = "", percent: bool = False, **extra) -> dict:
    """A monthly chart's layout: months as categories, a count (or share) axis from 0."""
    layout = titled(title, height, bargap=0.25, **extra)
    layout["xaxis"] = {"type": "category", "tickangle": -45, **layout.get("xaxis", {})}
    yaxis = {"title": {"text": y_title}, "rangemode": "tozero", "tickformat": ".0%" if percent else ",d"}
    layout["yaxis"] = {**yaxis, "separatethousands": True, **layout.get("yaxis", {})}
    return layout


def _labels(months) -> list[str]:
    return [month_label(m) for m in months]


@text_safe
def volume_chart(trend: pd.DataFrame, height: int = 400, partial=None) -> go.Figure:
    """Monthly volume (bars), the same months a year earlier (dashed line), the upper control limit
    (dotted line) and the months outside the limits (marked). `partial`: a month that has not ended, drawn
    hatched and grey (a bar of four days beside whole months read as a collapse: hostile H180)."""
    x = _labels(trend["month"])
    cut = None if partial is None else month_label(partial)
    data = []
    add = data.append
    add(
        go.Bar(
            x=x,
            y=trend["complaints"],
            name="本期投诉量",
            marker_color=[GREY if m == cut else BLUE for m in x],
            marker_pattern_shape=["/" if m == cut else "" for m in x],
            customdata=["（本月未结束，只含已过去的日子）" if m == cut else "" for m in x],
            hovertemplate="%{x}<br>投诉量 %{y:,d} 件%{customdata}<extra></extra>",
        )
    )
    if trend["last_year"].notna().any():
        add(
            go.Scatter(
                x=x,
                y=trend["last_year"],
                name="上年同期",
                mode="lines+markers",
                line={"color": GREY, "dash": "dash", "width": 2},
                marker={"size": 5},
                hovertemplate="%{x} 的上年同期<br>投诉量 %{y:,d} 件<extra></extra>",
            )
        )
    if trend["upper"].notna().any():
        add(
            go.Scatter(
                x=x,
                y=trend["centre"],
                name="季节性预期",
                mode="lines",
                line={"color": ORANGE, "width": 1},
                opacity=0.6,
                hovertemplate="%{x}<br>季节性预期 %{y:,.0f} 件<extra></extra>",
            )
        )
        add(
            go.Scatter(
                x=x,
                y=trend["upper"],
                name="上控制限",
                mode="lines",
                line={"color": ORANGE, "dash": "dot", "width": 2},
                hovertemplate="%{x}<br>上控制限 %{y:,.0f} 件<extra></extra>",
            )
        )
        add(
            go.Scatter(
                x=x,
                y=trend["lower"],
                name="下控制限",
                mode="lines",
                line={"color": GREEN, "dash": "dot", "width": 1.5},
                hovertemplate="%{x}<br>下控制限 %{y:,.0f} 件<extra></extra>",
            )
        )
    for signal, name, color, symbol in (
        ("high", "异常偏高", RED, "triangle-down"),
        ("low", "异常偏低", GREEN, "triangle-up"),
    ):
        marked = trend[trend["signal"] == signal]
        if not marked.empty:
            top = trend["complaints"].max()
            add(
                go.Scatter(
                    x=_labels(marked["month"]),
                    y=marked["complaints"] + top * 0.06,
                    name=name,
                    mode="markers+text",
                    text=[name] * len(marked),
                    textposition="top center",
                    textfont={"color": color, "size": 12},
                    marker={"color": color, "size": 13, "symbol": symbol},
                    cliponaxis=False,  # the word above the highest month was cut by the plot's edge
                    customdata=marked["complaints"],
                    hovertemplate="%{x}<br>" + name + "：投诉量 %{customdata:,d} 件<extra></extra>",
                )
            )
    # six series: at the top right their legend wrapped into the title on the briefing's A4 width
    layout = _layout(
        "投诉量走势（近24个月，与上年同期对比）",
        height,
        "投诉量（件）",
        legend={"orientation": "h", "yanchor": "top", "y": -0.3, "xanchor": "left", "x": 0},
    )
    layout["margin"]["b"] = 120
    return _narrow_bars(count_axis(figure(data, layout)), len(x))


def _narrow_bars(fig: go.Figure, months: int) -> go.Figure:
    """With only a few months, keep bars bar-shaped instead of filling the plot."""
    if months < 8:
        fig.update_layout(bargap=max(0.25, 1 - months / 8))
    return fig


@text_safe
def rate_chart(trend: pd.DataFrame, height: int = 320) -> go.Figure:
    """Complaints per 10,000 customers by month (gaps where no customer base is loaded)."""
    x = _labels(trend["month"])
    line = go.Scatter(
        x=x,
        y=trend["per_10k"],
        name="万人投诉率",
        mode="lines+markers",
        line={"color": BLUE, "width": 2.5},
        marker={"size": 6},
        connectgaps=False,
        hovertemplate="%{x}<br>万人投诉率 %{y:.2f}<extra></extra>",
    )
    return figure(
        [line], _layout("万人投诉率走势", height, "件 / 万客户", showlegend=False, yaxis={"tickformat": ".2f"})
    )


@text_safe
def breakdown_chart(table: pd.DataFrame, dimension_label: str, shares: bool, height: int = 400) -> go.Figure:
    """Stacked monthly bars of one dimension's slices (counts or shares of the month)."""
    x = _labels(table.index)
    table = top_columns(table)  # the largest few and 其余: ten stacked colours could not be read
    data = []
    for i, column in enumerate(table.columns):
        color = "#c7ccd1" if column == "其余" else PALETTE[i % len(PALETTE)]
        value = "%{y:.1%}" if shares else "%{y:,d} 件"
        data.append(
            go.Bar(
                x=x,
                y=table[column],
                name=str(column),
                marker_color=color,
                hovertemplate=f"%{{x}}<br>{plain(str(column))}：{value}<extra></extra>",
            )
        )
    title = f"按{dimension_label}的投诉{'占比' if shares else '量'}（近24个月）"
    layout = _layout(
        title,
        height,
        "占比" if shares else "投诉量（件）",
        percent=shares,
        barmode="stack",
        legend={"orientation": "v", "y": 1, "x": 1.02, "xanchor": "left", "yanchor": "top", "font": {"size": 11}},
        yaxis={"range": [0, 1]} if shares else {},
    )
    layout["margin"]["r"] = 200
    fig = figure(data, layout)
    return _narrow_bars(fig if shares else count_axis(fig), len(x))


@text_safe
def waterfall_chart(
    movers: pd.DataFrame,
    previous_total: int,
    current_total: int,
    previous_label: str,
    current_label: str,
    dimension_label: str,
    top: int = 8,
    height: int = 380,
) -> go.Figure:
    """From last month's total to this month's through the largest slices' contributions; the remaining
    slices are merged into one bar, so the bars add up exactly."""
    shown = movers.head(top)
    rest = int(movers["contribution"].iloc[top:].sum()) if len(movers) > top else None
    x = [f"{previous_label} 合计", *shown["label"].astype(str)]
    y = [previous_total, *shown["contribution"].astype(int)]
    measure = ["absolute"] + ["relative"] * len(shown)
    if rest is not None:
        x.append(f"其余{len(movers) - top}项")
        y.append(rest)
        measure.append("relative")
    x.append(f"{current_label} 合计")
    y.append(current_total)
    measure.append("total")
    text = [f"{v:,d}" if m != "relative" else f"{v:+,d}" for v, m in zip(y, measure)]
    bars = go.Waterfall(
        x=x,
        y=y,
        measure=measure,
        text=text,
        textposition="outside",
        cliponaxis=False,
        increasing={"marker": {"color": RED}},
        decreasing={"marker": {"color": GREEN}},
        totals={"marker": {"color": BLUE}},
        connector={"line": {"color": "#c7ccd1"}},
        hovertemplate="%{x}<br>%{text} 件<extra></extra>",
    )
    # Zoom on the change: the bars of interest are small next to the totals.
    low = min(previous_total, current_total)
    running, lows, highs = previous_total, [previous_total], [previous_total]
    for v in y[1:-1]:
        running += v
        lows.append(running)
        highs.append(running)
    lows.append(current_total)
    highs.append(current_total)
    span = max(highs) - min(lows)
    bottom = max(0, min(lows) - max(span * 1.5, 0.05 * low))
    top_axis = max(highs) + max(span * 0.35, 1)
    layout = _layout(
        f"环比变动分解：按{dimension_label}",
        height,
        "投诉量（件）",
        showlegend=False,
        xaxis={"tickangle": -30},
        yaxis={"range": [bottom, top_axis], "rangemode": "normal"},
    )
    return figure([bars], layout)


@text_safe
def composition_chart(
    composition: pd.DataFrame, dimension_label: str, month_text: str, top: int = 10, height: int = 360
) -> go.Figure:
    """The report month's slices of one dimension as horizontal bars with their shares."""
    shown = composition.head(top).iloc[::-1]
    bars = go.Bar(
        x=shown["complaints"],
        y=shown["label"].astype(str),
        orientation="h",
        marker_color=BLUE,
        text=[f"{c:,d} 件（{s:.1%}）" for c, s in zip(shown["complaints"], shown["share"])],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}<br>%{text}<extra></extra>",
    )
    xaxis = {
        "type": "linear",
        "tickangle": 0,
        "rangemode": "tozero",
        "tickformat": ",d",
        "range": [0, float(shown["complaints"].max() or 1) * 1.3],
    }
    layout = _layout(f"{month_text}投诉构成：按{dimension_label}", height, "", showlegend=False, xaxis=xaxis)
    del layout["yaxis"]["tickformat"]
    layout["yaxis"]["type"] = "category"
    layout["margin"]["l"] = 180
    return count_axis(figure([bars], layout), "x")
