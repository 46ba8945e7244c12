"""Charts of the 重复与溯源 and 整改台账 pages: DataFrames in, plotly figures out (no Streamlit).

Narratives only ever reach a chart (hover text) through dashboard.text.masking.mask_series.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.style import PALETTE, count_axis, figure, text_safe, titled, titled_layout
from dashboard.filters import month_label
from dashboard.text.masking import mask_series

BLUE, GREY, RED, GREEN, ORANGE, LIGHT = "#1f5fa8", "#9aa5b1", "#d62728", "#2ca02c", "#f28e2b", "#c6d4e6"
PHASE_COLORS = {"整改前": GREY, "整改当月": ORANGE, "整改后": BLUE, "其他月份": LIGHT}


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    titled_layout(fig, title, height, bargap=0.25)
    return fig


def _excerpt(texts: pd.Series, n: int = 60) -> pd.Series:
    masked = mask_series(texts.astype(object))
    return masked.map(
        lambda t: "（无投诉内容）" if not isinstance(t, str) or not t else (t[:n] + "…" if len(t) > n else t)
    )


@text_safe
def repeat_trend(by_month: pd.DataFrame, height: int = 380) -> go.Figure:
    """Repeat complaints per month (bars) and the repeat rate (line, right axis)."""
    x = [month_label(pd.Timestamp(m).date()) for m in by_month["month"]]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(
        x=x,
        y=by_month["repeats"],
        name="重复投诉",
        marker_color=BLUE,
        customdata=by_month[["complaints"]].to_numpy(),
        hovertemplate="%{x}<br>重复投诉 %{y:,d} 件 / 投诉 %{customdata[0]:,d} 件<extra></extra>",
        secondary_y=False,
    )
    fig.add_scatter(
        x=x,
        y=by_month["repeat_rate"],
        name="重复投诉率",
        mode="lines+markers",
        line={"color": ORANGE, "width": 2},
        marker={"size": 6},
        hovertemplate="%{x}<br>重复投诉率 %{y:.1%}<extra></extra>",
        secondary_y=True,
    )
    _layout(fig, "重复投诉及重复投诉率（按月）", height)
    fig.update_xaxes(type="category", tickangle=-45)
    fig.update_yaxes(title_text="重复投诉（件）", rangemode="tozero", tickformat=",d", secondary_y=False)
    fig.update_yaxes(title_text="重复投诉率", rangemode="tozero", tickformat=".0%", showgrid=False, secondary_y=True)
    return count_axis(fig)


@text_safe
def repeat_by_org(by_org: pd.DataFrame, top: int = 15, height: int | None = None) -> go.Figure:
    """The organisations with most repeat complaints (by count), drawn by repeat rate, highest at the top;
    counts in the label."""
    rows = by_org.head(top).sort_values(["repeat_rate", "repeats"], ascending=[True, True], kind="mergesort")
    labels = [f"{n}（{c}）" for n, c in zip(rows["branch_name"], rows["branch_code"])]
    bars = go.Bar(
        y=labels,
        x=rows["repeat_rate"],
        orientation="h",
        marker_color=BLUE,
        text=[f"{r:,d}/{c:,d}" for r, c in zip(rows["repeats"], rows["complaints"])],
        textposition="outside",
        cliponaxis=False,
        customdata=rows[["repeats", "complaints"]].to_numpy(),
        hovertemplate="%{y}<br>重复投诉率 %{x:.1%}<br>重复 %{customdata[0]:,d} 件 / "
        "投诉 %{customdata[1]:,d} 件<extra></extra>",
    )
    layout = titled(
        f"重复投诉最多的 {len(rows)} 个机构，按重复投诉率排列（标注：重复/投诉件数）",
        height or max(260, 40 + 28 * len(rows)),
        top=56,
        bargap=0.25,
        xaxis={"title": {"text": "重复投诉率"}, "tickformat": ".0%", "rangemode": "tozero"},
        yaxis={"automargin": True},
    )
    layout["margin"].update(l=16, r=72, b=40)
    return figure([bars], layout)


@text_safe
def customer_timeline(timeline: pd.DataFrame, height: int = 300) -> go.Figure:
    """One customer's complaints in time order: first complaints and repeats, by business category;
    hover shows the masked narrative."""
    excerpt = _excerpt(timeline["content"]) if "content" in timeline else pd.Series([""] * len(timeline))
    data = []
    for is_repeat, name, color, symbol in ((False, "首次投诉", GREY, "circle"), (True, "重复投诉", RED, "diamond")):
        sel = (timeline["is_repeat"] == is_repeat).to_numpy()
        part = timeline[sel]
        if part.empty:
            continue
        custom = pd.DataFrame(
            {
                "id": part["complaint_id"],
                "org": part["branch_name"].fillna(part["branch_code"]),
                "reason": part["reason"],
                "gap": part["days_since_previous"].map(lambda d: "—" if pd.isna(d) else f"{int(d)} 天"),
                "text": excerpt[sel].to_numpy(),
            }
        )
        data.append(
            go.Scatter(
                x=part["received_at"],
                y=part["business_category"],
                mode="markers",
                name=name,
                marker={"size": 13, "color": color, "symbol": symbol, "line": {"width": 1, "color": "white"}},
                customdata=custom.to_numpy(),
                hovertemplate="%{x|%Y-%m-%d %H:%M} · %{customdata[0]}<br>%{y} · %{customdata[2]}<br>"
                "被投诉机构：%{customdata[1]}<br>距上次投诉：%{customdata[3]}<br>"
                "%{customdata[4]}<extra></extra>",
            )
        )
    xaxis = {"title": {"text": "受理时间"}, "tickformat": "%Y-%m-%d"}
    yaxis = {"type": "category", "title": {"text": ""}}
    return figure(data, titled("该客户的投诉时间线", height, bargap=0.25, xaxis=xaxis, yaxis=yaxis))


@text_safe
def recurring_heatmap(long: pd.DataFrame, months: list[str], height: int | None = None) -> go.Figure:
    """Complaints per month (columns) of each recurring issue (rows, in rank order)."""
    labels = list(dict.fromkeys(long["label"]))
    grid = long.pivot(index="label", columns="month", values="complaints").reindex(index=labels, columns=months)
    cells = go.Heatmap(
        z=grid.to_numpy(),
        x=months,
        y=labels,
        colorscale=[[0, "#f4f6f9"], [0.01, LIGHT], [1, BLUE]],
        text=grid.to_numpy(),
        texttemplate="%{text}",
        hovertemplate="%{y}<br>%{x}：%{z} 件<extra></extra>",
        colorbar={"title": {"text": "件"}, "thickness": 12},
        xgap=2,
        ygap=2,
    )
    layout = titled(
        "反复出现的问题：各月投诉量",
        height or max(260, 80 + 26 * len(labels)),
        top=56,
        bargap=0.25,
        xaxis={"type": "category", "side": "top", "title": {"text": ""}},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    layout["margin"].update(l=16, b=40)
    return figure([cells], layout)


@text_safe
def similar_group_timeline(members: pd.DataFrame, height: int = 320) -> go.Figure:
    """A similar group's members by time of receipt and organisation, coloured by channel."""
    excerpt = _excerpt(members["content"], 50)
    orgs = members["branch_name"].fillna(members["branch_code"])
    data = []
    for i, (channel, idx) in enumerate(members.groupby("channel", sort=True).groups.items()):
        sel = members.index.isin(idx)
        custom = pd.DataFrame({"id": members.loc[sel, "complaint_id"], "text": excerpt[sel].to_numpy()})
        data.append(
            go.Scatter(
                x=members.loc[sel, "received_at"],
                y=orgs[sel],
                mode="markers",
                name=str(channel),
                marker={"size": 11, "color": PALETTE[i % len(PALETTE)], "line": {"width": 1, "color": "white"}},
                customdata=custom.to_numpy(),
                hovertemplate="%{x|%m-%d %H:%M} · %{customdata[0]}<br>%{y}<br>%{customdata[1]}<extra></extra>",
            )
        )
    n_orgs = orgs.nunique()
    layout = titled(
        "组内投诉的受理时间与被投诉机构（颜色：投诉渠道）",
        max(height, 90 + 18 * min(n_orgs, 40)),
        bargap=0.25,
        xaxis={"title": {"text": "受理时间"}, "tickformat": "%m-%d %H:%M"},
        yaxis={"type": "category", "title": {"text": ""}, "automargin": True},
    )
    return figure(data, layout)


@text_safe
def effect_chart(
    frame: pd.DataFrame, rate_before: float | None, rate_after: float | None, height: int = 360
) -> go.Figure:
    """Complaints per month in an item's slice, coloured before / fix month / after, with the mean
    monthly rate of each period as a dashed line."""
    x = [month_label(m) for m in frame["month"]]
    data = []
    for phase, color in PHASE_COLORS.items():
        sel = (frame["phase"] == phase).to_numpy()
        if not sel.any():
            continue
        data.append(
            go.Bar(
                x=[v for v, s in zip(x, sel) if s],
                y=frame.loc[sel, "complaints"],
                name=phase,
                marker_color=color,
                hovertemplate="%{x}<br>" + phase + "：%{y:,d} 件<extra></extra>",
            )
        )
    for phase, rate, color in (("整改前", rate_before, GREY), ("整改后", rate_after, BLUE)):
        months = [v for v, p in zip(x, frame["phase"]) if p == phase]
        if rate is None or not months:
            continue
        data.append(
            go.Scatter(
                x=months,
                y=[rate] * len(months),
                mode="lines",
                name=f"{phase}月均 {rate:.1f} 件",
                line={"color": color, "dash": "dash", "width": 2},
                hoverinfo="skip",
            )
        )
    layout = titled(
        "整改前后各月投诉量",
        height,
        bargap=0.25,
        barmode="overlay",
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": x, "tickangle": -45},
        yaxis={"title": {"text": "投诉量（件）"}, "rangemode": "tozero", "tickformat": ",d"},
    )
    return count_axis(figure(data, layout))
