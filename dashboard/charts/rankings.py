"""Charts of the branch rankings page: DataFrames in, plotly figures out (no Streamlit).

The funnel plot's points carry the organisation's code in customdata[0], so that a click (Streamlit's
on_select) tells the page which profile to open; the limit curves carry none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.analysis import funnel
from dashboard.charts.style import distinct_ticks, figure, plain, text_safe, tick_labels, titled

BLUE, GREY, RED, DARK_RED, GREEN, ORANGE = "#1f5fa8", "#9aa5b1", "#d62728", "#c0392b", "#2ca02c", "#ff9f1c"
STATUS_COLORS = {
    funnel.ABOVE_998: DARK_RED,
    funnel.ABOVE_95: ORANGE,
    funnel.WITHIN: "#7f8c9a",
    funnel.BELOW_95: "#59a14f",
    funnel.BELOW_998: "#2e7d32",
}


def _customer_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Round customer counts for a log axis, labelled the Chinese way (5千, 1万, 20万, 1.5百万 -> 150万).
    A narrow range (one organisation, or bases within a factor of two) gets finer steps, and at worst its
    own ends rounded: left alone, plotly labels it in English SI units (0.6M, 1.25M; hostile H86)."""
    values: list[float] = []
    for leads in ((1, 2, 5), (1, 1.5, 2, 3, 5, 7)):
        values = [
            lead * 10**power for power in range(2, 9) for lead in leads if low / 1.6 <= lead * 10**power <= high * 1.6
        ]
        if len(values) >= 2:
            break
    if len(values) < 2:
        values = sorted({float(f"{low:.2g}"), float(f"{high:.2g}")})
    labels = [f"{v / 10_000:g}万" if v >= 10_000 else f"{v / 1000:g}千" if v >= 1000 else f"{v:g}" for v in values]
    return values, labels


@text_safe
def funnel_chart(
    points: pd.DataFrame,
    curve: pd.DataFrame | None,
    target: float | None,
    selected: str | None = None,
    height: int = 520,
) -> go.Figure:
    """Rate per 10,000 (y) against the mean monthly customer base (x, log scale): one point per
    organisation with a base, coloured by its place against the control limits; the average and the
    95 % / 99.8 % Poisson limits as lines. `points` needs branch_code, branch_name, customers, per_10k,
    complaints, expected, status."""
    data = []
    if curve is not None and not curve.empty:
        x = curve["customers"]
        for tag, label, dash, width in (("998", "99.8% 控制限", "dot", 1.6), ("95", "95% 控制限", "dash", 1.6)):
            for side in ("upper", "lower"):
                data.append(
                    go.Scatter(
                        x=x,
                        y=curve[f"{side}_{tag}"],
                        mode="lines",
                        name=label,
                        legendgroup=tag,
                        showlegend=side == "upper",
                        line={"color": ORANGE if tag == "95" else DARK_RED, "dash": dash, "width": width},
                        hovertemplate=f"客户数 %{{x:,.0f}}<br>{label}（{'上' if side == 'upper' else '下'}）"
                        "：%{y:.2f}<extra></extra>",
                    )
                )
        data.append(
            go.Scatter(
                x=x,
                y=curve["average"],
                mode="lines",
                name="平均",
                line={"color": GREY, "width": 2},
                hovertemplate="平均万人投诉率 %{y:.2f}<extra></extra>",
            )
        )
    for status in funnel.STATUS_ORDER:
        part = points[points["status"] == status]
        if part.empty:
            continue
        custom = np.column_stack(
            [part["branch_code"], part["branch_name"], part["complaints"], part["expected"].round(1)]
        )
        data.append(
            go.Scatter(
                x=part["customers"],
                y=part["per_10k"],
                mode="markers",
                name=status,
                marker={"color": STATUS_COLORS[status], "size": 10, "line": {"color": "white", "width": 1}},
                customdata=custom,
                hovertemplate="<b>%{customdata[1]}</b>（%{customdata[0]}）<br>月均客户数 %{x:,.0f}"
                "<br>万人投诉率 %{y:.2f}<br>投诉量 %{customdata[2]:,d} 件（按平均水平预期 "
                "%{customdata[3]:,.1f} 件）<br>点击查看机构画像<extra></extra>",
            )
        )
    notes = []
    for _, row in outliers(points).iterrows():
        if row["branch_code"] == selected:
            continue
        high = row["status"] in (funnel.ABOVE_998, funnel.ABOVE_95)
        notes.append(
            {
                "x": np.log10(row["customers"]),
                "y": row["per_10k"],
                "text": row["branch_name"],
                "showarrow": False,
                "yshift": 12 if high else -12,
                "font": {"size": 11, "color": STATUS_COLORS[row["status"]]},
            }
        )
    if selected is not None and (points["branch_code"] == selected).any():
        row = points[points["branch_code"] == selected].iloc[0]
        notes.append(
            {
                "x": np.log10(row["customers"]),
                "y": row["per_10k"],
                "text": row["branch_name"],
                "showarrow": True,
                "arrowhead": 2,
                "ax": 30,
                "ay": -30,
                "font": {"size": 13},
            }
        )
    title = "漏斗图：万人投诉率与客户规模"
    if target is not None:
        title += f"（平均 {target * funnel.PER:.2f}）"
    xaxis: dict = {"type": "log", "title": {"text": "月均客户数（对数刻度）"}}
    yaxis: dict = {"title": {"text": "万人投诉率（件 / 万客户）"}}
    if not points.empty:
        values, labels = _customer_ticks(float(points["customers"].min()), float(points["customers"].max()))
        xaxis.update(tickvals=values, ticktext=labels)
        # the points fill the height: the limit curves of tiny bases shoot up far above them, and an axis
        # from 0 squeezed a dozen branches between 1.1 and 2.0 into a third of it
        low, high = y_range(points["per_10k"], target)
        if points["status"].isin([funnel.ABOVE_998, funnel.ABOVE_95]).any():
            high += (high - low) * 0.08  # room for the name above the top outlier (it was cut at the edge)
        # round ticks printed with the decimals their step needs: '.1f' read 0.9 0.9 0.8 0.8 (hostile H46)
        tickvals, ticktext = tick_labels(low, high, 6)
        yaxis.update(range=[low, high], tickvals=tickvals, ticktext=ticktext)
    # legend under the plot: at the top it ran into the title on a narrow column
    layout = titled(
        title,
        height,
        top=48,
        legend={"orientation": "h", "yanchor": "top", "y": -0.16, "xanchor": "left", "x": 0},
        xaxis=xaxis,
        yaxis=yaxis,
        clickmode="event+select",
        dragmode="pan",
    )
    layout["margin"]["b"] = 110
    if notes:
        layout["annotations"] = notes
    return figure(data, layout)


OUTLIER_LABELS = 12


def outliers(points: pd.DataFrame, limit: int = OUTLIER_LABELS) -> pd.DataFrame:
    """The points outside the 95 % limits (either side) to be labelled by name, the farthest from their
    expected count first (in Poisson standard deviations), at most `limit`."""
    outside = points[~points["status"].isin([funnel.WITHIN, funnel.NO_BASE, funnel.BASE_INCOMPLETE])]
    if outside.empty:
        return outside
    expected = outside["expected"].astype(float)
    z = (outside["complaints"].astype(float) - expected).abs() / np.sqrt(expected.where(expected > 0))
    return outside.assign(_z=z.fillna(0)).sort_values("_z", ascending=False).head(limit).drop(columns="_z")


def y_range(rates: pd.Series, target: float | None, pad: float = 0.12) -> tuple[float, float]:
    """A y range holding every point and the average line with a margin; from 0 only when the points
    come near it."""
    values = pd.to_numeric(rates, errors="coerce").dropna().astype(float).tolist()
    if target is not None:
        values.append(target * funnel.PER)
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    span = high - low if high > low else max(abs(high), 1.0) * 0.5
    bottom = low - span * pad
    bottom = 0.0 if bottom < span * 0.5 else bottom
    return bottom, high + span * pad * 1.5


@text_safe
def trend_chart(trend: pd.DataFrame, name: str, bank: str = "全行", height: int = 340) -> go.Figure:
    """The organisation's monthly rate per 10,000 against the bank's (`bank`: its label, 全行 or a
    signed-in user's 全辖)."""
    x = [f"{m.year}-{m.month:02d}" for m in trend["month"]]
    data = [
        go.Scatter(
            x=x,
            y=trend["bank_per_10k"],
            name=bank,
            mode="lines+markers",
            line={"color": GREY, "width": 2, "dash": "dash"},
            marker={"size": 5},
            customdata=trend["bank_complaints"],
            hovertemplate="%{x}<br>" + plain(bank) + "万人投诉率 %{y:.2f}（%{customdata:,d} 件）<extra></extra>",
        ),
        go.Scatter(
            x=x,
            y=trend["org_per_10k"],
            name=name,
            mode="lines+markers",
            line={"color": BLUE, "width": 2.5},
            marker={"size": 6},
            connectgaps=False,
            customdata=trend["org_complaints"],
            hovertemplate="%{x}<br>" + plain(name) + "万人投诉率 %{y:.2f}（%{customdata:,d} 件）<extra></extra>",
        ),
    ]
    layout = titled(
        f"万人投诉率走势：{name}与{bank}",
        height,
        top=80,
        xaxis={"type": "category", "tickangle": -45},
        yaxis={"title": {"text": "件 / 万客户"}, "rangemode": "tozero", "tickformat": ".1f"},
    )
    return figure(data, layout)


@text_safe
def mix_chart(mix: pd.DataFrame, title: str, bank: str = "全行", top: int = 8, height: int = 340) -> go.Figure:
    """The values where the organisation's share differs most from the bank's: difference in percentage
    points (bars, organisation - bank), both shares in the hover."""
    shown = mix.head(top).iloc[::-1]
    colors = [RED if d > 0 else BLUE for d in shown["diff_pp"]]
    custom = np.column_stack([shown["org_share"] * 100, shown["bank_share"] * 100, shown["org_complaints"]])
    bars = go.Bar(
        x=shown["diff_pp"],
        y=shown["value"],
        orientation="h",
        marker_color=colors,
        customdata=custom,
        hovertemplate="%{y}<br>本机构占比 %{customdata[0]:.1f}%（%{customdata[2]:,d} 件）"
        "<br>" + plain(bank) + "占比 %{customdata[1]:.1f}%<br>差异 %{x:+.1f} 个百分点<extra></extra>",
    )
    xaxis = {"title": {"text": f"占比差异（个百分点，本机构 − {bank}）"}, "zeroline": True, "zerolinecolor": "#555"}
    layout = titled(title, height, top=64, showlegend=False, xaxis=xaxis)
    layout["margin"].update(l=200, b=48)
    return distinct_ticks(
        figure([bars], layout), shown["diff_pp"], "x", sign=True
    )  # '+.0f' on a span of 2 read −1 −1 +0 +1 +1


@text_safe
def breakdown_chart(parts: pd.DataFrame, height: int = 300) -> go.Figure:
    """One organisation's score: each metric's weighted percentile (its contribution to the score)."""
    shown = parts[parts["contribution"].notna()].iloc[::-1]
    bars = go.Bar(
        x=shown["contribution"],
        y=shown["label"],
        orientation="h",
        marker_color=BLUE,
        customdata=np.column_stack([shown["percentile"], shown["weight"]]),
        hovertemplate="%{y}<br>百分位 %{customdata[0]:.0f}（100 = 最差）<br>权重 %{customdata[1]:g}"
        "<br>贡献 %{x:.1f} 分<extra></extra>",
    )
    layout = titled(
        "关注度得分构成",
        height,
        top=56,
        showlegend=False,
        yaxis={"automargin": True},  # 万人监管转办 was cut at a fixed 110 px
        xaxis={"title": {"text": "对得分的贡献（分）"}, "rangemode": "tozero"},
    )
    layout["margin"].update(l=16, b=40)
    return figure([bars], layout)
