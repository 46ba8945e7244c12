"""Charts of the trends page's outcome and elderly sections (issue 19): DataFrame in, plotly figure out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import PALETTE, figure, plain, text_safe, titled


def _labels(months) -> list[str]:
    return [f"{m.year}-{m.month:02d}" for m in months]


@text_safe
def rates_chart(trend: pd.DataFrame, series: dict[str, str], title: str, height: int = 320) -> go.Figure:
    """Fractions 0..1 by month, one line per column of `series` (column -> label); gaps stay gaps."""
    x = _labels(trend["month"])
    data = []
    for i, (column, label) in enumerate(series.items()):
        data.append(
            go.Scatter(
                x=x,
                y=trend[column],
                name=label,
                mode="lines+markers",
                connectgaps=False,
                line={"color": PALETTE[i % len(PALETTE)], "width": 2.5},
                marker={"size": 5},
                hovertemplate=f"%{{x}}<br>{plain(label)} %{{y:.1%}}<extra></extra>",
            )
        )
    xaxis = {"type": "category", "nticks": 12}
    return figure(data, titled(title, height, yaxis={"tickformat": ".0%", "rangemode": "tozero"}, xaxis=xaxis))


@text_safe
def money_chart(trend: pd.DataFrame, height: int = 320) -> go.Figure:
    """涉及金额 and 补偿金额 by month, in 万元."""
    x = _labels(trend["month"])
    data = [
        go.Bar(
            x=x,
            y=trend["amount_total"].astype(float) / 10_000,
            name="涉及金额",
            marker_color=PALETTE[0],
            hovertemplate="%{x}<br>涉及金额 %{y:,.1f} 万元<extra></extra>",
        ),
        go.Bar(
            x=x,
            y=trend["redress_total"].astype(float) / 10_000,
            name="补偿金额",
            marker_color=PALETTE[2],
            hovertemplate="%{x}<br>补偿金额 %{y:,.1f} 万元<extra></extra>",
        ),
    ]
    xaxis = {"type": "category", "nticks": 12}
    layout = titled(
        "涉及金额与补偿金额（万元）", height, barmode="group", yaxis={"title": {"text": "万元"}}, xaxis=xaxis
    )
    return figure(data, layout)
