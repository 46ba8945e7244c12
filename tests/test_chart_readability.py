"""What a meeting notices on the charts (issue 20 §6), checked on the figures: tick labels that differ,
count axes that read right when everything is zero, stacks of a few colours, bar labels at a readable
size, bubble numbers that fit, the funnel's outliers named. Expectations are worked out from the
fixtures by hand, not read off the code."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import funnel
from dashboard.charts import hotspots as hotspot_charts
from dashboard.charts import rankings as ranking_charts
from dashboard.charts import repeats as repeat_charts
from dashboard.charts import trends as trend_charts


def tick_labels(axis, low: float, high: float) -> list[str]:
    """The labels plotly prints for a linear axis with tick0/dtick/tickformat over [low, high]."""
    step, start = float(axis.dtick), float(axis.tick0 or 0)
    first = np.ceil((low - start) / step - 1e-9) * step + start
    values = np.arange(first, high + step * 1e-6, step)
    spec = axis.tickformat  # d3 '+.1f' / '.0f' / ',d' read as Python's format spec
    return [format(round(v, 9) + 0.0, spec.replace(",d", ",.0f")) for v in values]


@pytest.mark.parametrize("diffs", [[-1.2, -0.4, 0.3, 1.2], [-0.3, 0.1, 0.25], [-12.0, 4.0, 30.0], [0.0, 0.0]])
def test_mix_chart_tick_labels_are_all_different(diffs):
    mix = pd.DataFrame(
        {
            "value": [f"v{i}" for i in range(len(diffs))],
            "diff_pp": diffs,
            "org_share": 0.1,
            "bank_share": 0.1,
            "org_complaints": 3,
        }
    )
    fig = ranking_charts.mix_chart(mix, "业务类别", "全行")
    axis = fig.layout.xaxis
    labels, values = list(axis.ticktext), list(axis.tickvals)
    assert len(labels) == len(set(labels)), labels  # a span of 2.4 points once read −1 −1 +0 +1 +1
    assert len(labels) >= 3 and min(values) <= min(diffs) and max(values) >= max(diffs)
    for value, label in zip(values, labels):  # each label says its own value, signed
        assert float(label.replace("−", "-").replace(",", "")) == pytest.approx(value)
        assert label.startswith("+" if value > 0 else "−" if value < 0 else "0")


def months(n: int) -> list[date]:
    return [date(2025 + (m // 12), m % 12 + 1, 1) for m in range(n)]


def test_an_all_zero_repeat_chart_has_a_count_axis_from_0_to_1():
    by_month = pd.DataFrame({"month": pd.to_datetime(months(6)), "repeats": 0, "complaints": 0, "repeat_rate": 0.0})
    fig = repeat_charts.repeat_trend(by_month)
    axis = fig.layout.yaxis
    assert list(axis.range) == [0, 1] and axis.dtick == 1
    assert tick_labels(axis, 0, 1) == ["0", "1"]  # not 1 1 1 0 0 0 (ticks every 0.2 as integers)
    assert fig.layout.yaxis2.tickformat == ".0%"  # the rate axis untouched


def test_small_counts_get_whole_number_ticks_and_large_ones_are_left_alone():
    frame = pd.DataFrame(
        {"month": months(4), "complaints": [0, 2, 1, 3], "phase": ["整改前", "整改前", "整改后", "整改后"]}
    )
    fig = repeat_charts.effect_chart(frame, 1.0, 2.0)
    assert fig.layout.yaxis.dtick == 1 and fig.layout.yaxis.range[1] >= 3
    assert len(set(tick_labels(fig.layout.yaxis, 0, 3))) == 4
    big = frame.assign(complaints=[100, 240, 80, 60])
    assert repeat_charts.effect_chart(big, 1.0, 2.0).layout.yaxis.dtick is None


def test_a_stacked_breakdown_shows_five_slices_and_the_rest():
    columns = [f"类别{i}" for i in range(9)] + ["其余"]
    table = pd.DataFrame(np.arange(30).reshape(3, 10) + 1, index=months(3), columns=columns)
    fig = trend_charts.breakdown_chart(table, "业务类别", shares=False)
    names = [trace.name for trace in fig.data]
    assert names == ["类别0", "类别1", "类别2", "类别3", "类别4", "其余"]
    rest = fig.data[-1].y
    by_hand = table[[f"类别{i}" for i in range(5, 9)] + ["其余"]].sum(axis=1).tolist()
    assert list(rest) == by_hand  # e.g. first month 6+7+8+9+10 = 40
    assert sum(sum(t.y) for t in fig.data) == table.to_numpy().sum()  # nothing lost


def test_bar_labels_are_never_shrunk_below_11px():
    rows = pd.DataFrame(
        {"channel": ["客服热线", "网点现场", "信函"], "complaints": [900, 300, 12], "share": [0.74, 0.25, 0.01]}
    )
    fig = hotspot_charts.ranked_bars(rows, "channel", "channel")
    bar = fig.data[0]
    positions = dict(zip(bar.y, bar.textposition))
    assert positions == {"客服热线": "inside", "网点现场": "outside", "信函": "outside"}
    assert fig.layout.uniformtext.minsize >= 11 and fig.layout.uniformtext.mode == "show"
    assert bar.textfont.size >= 11
    assert fig.layout.xaxis.range[1] >= 900 * 1.5  # room beside the short bars for their labels


def test_bubble_numbers_only_where_they_fit():
    assert hotspot_charts.bubble_text(5, 20) == "5"
    assert hotspot_charts.bubble_text(1234, 20) == ""  # '1,234' is 5 characters, ~39 px
    assert hotspot_charts.bubble_text(1234, 40) == "1,234"
    rows = pd.DataFrame(
        {
            "business_category": ["信用卡", "理财"],
            "reason": ["定价收费", "信息披露"],
            "complaints": [1600, 100],
            "share": [0.94, 0.06],
        }
    )
    fig = hotspot_charts.category_reason_matrix(rows, ["信用卡", "理财"], ["定价收费", "信息披露"])
    # sizes 6 + 34 * sqrt(n / 1600): 40 px for 1,600 (5 characters fit: 39 px), 14.5 px for 100 (3 do not)
    assert list(fig.data[0].text) == ["1,600", ""]


def funnel_points() -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "branch_code": list("ABCDEF"),
            "branch_name": [f"{c}分行" for c in "ABCDEF"],
            "customers": [100_000, 200_000, 300_000, 400_000, 500_000, 600_000],
            "complaints": [30, 20, 30, 40, 52, 20],
        }
    )
    rows["per_10k"] = rows["complaints"] / rows["customers"] * 1e4
    target = funnel.target_rate(rows["complaints"], rows["customers"])
    return rows.join(funnel.classify(rows["complaints"], rows["customers"], target)), target


def test_funnel_names_its_outliers_and_fits_the_points():
    points, target = funnel_points()
    # 192 complaints on 2.1 million: 0.914 per 10,000; A expects 9.1 and has 30, F expects 54.9 and has 20
    assert points.set_index("branch_code").loc["A", "status"] == funnel.ABOVE_998
    assert points.set_index("branch_code").loc["F", "status"] == funnel.BELOW_998
    curve = funnel.curve(target, points["customers"].min(), points["customers"].max())
    fig = ranking_charts.funnel_chart(points, curve, target)
    named = {a.text for a in fig.layout.annotations}
    outside = set(points.loc[~points["status"].isin([funnel.WITHIN]), "branch_name"])
    assert named == outside and "A分行" in named and "F分行" in named
    low, high = fig.layout.yaxis.range
    assert low <= points["per_10k"].min() and high >= points["per_10k"].max()
    assert high < points["per_10k"].max() * 1.3  # the points fill the height
    assert fig.layout.legend.y < 0  # under the plot, not over the title


def test_funnel_rate_ticks_differ_and_the_top_outlier_has_room_for_its_name():
    # hostile H46: a range of 0.7-1.0 printed '.1f' read 1.0 0.9 0.9 0.8 0.8 0.7 0.7; the name of the
    # highest point sat on the top edge and was cut
    points = pd.DataFrame(
        {
            "branch_code": ["A", "B", "C", "D"],
            "branch_name": ["A分行", "B分行", "C分行", "D分行"],
            "customers": [2e5, 4e5, 8e5, 1.6e6],
            "complaints": [20, 30, 60, 120],
            "expected": [14.0, 30.0, 60.0, 120.0],
            "status": [funnel.ABOVE_95, funnel.WITHIN, funnel.WITHIN, funnel.WITHIN],
        }
    )
    points["per_10k"] = [1.0, 0.75, 0.75, 0.75]
    fig = ranking_charts.funnel_chart(points, None, 0.76e-4)
    axis = fig.layout.yaxis
    low, high = axis.range
    shown = [t for v, t in zip(axis.tickvals, axis.ticktext) if low <= v <= high]
    assert len(shown) >= 3 and len(shown) == len(set(shown)), shown
    for value, text in zip(axis.tickvals, axis.ticktext):
        assert float(text) == pytest.approx(value)  # each label says its own value
    assert high - 1.0 >= 0.1 * (1.0 - low)  # headroom above the top point for its label


@pytest.mark.parametrize("customers", [[900_000], [600_000, 1_250_000], [30_000, 45_000]])
def test_funnel_customer_ticks_are_in_wan_on_a_narrow_range(customers):
    # hostile H86: one organisation, or bases within a factor of two, got plotly's 0.6M … 1.25M
    n = len(customers)
    points = pd.DataFrame(
        {
            "branch_code": list("ABC")[:n],
            "branch_name": [f"{c}分行" for c in "ABC"][:n],
            "customers": customers,
            "complaints": [50] * n,
            "expected": [50.0] * n,
            "status": [funnel.WITHIN] * n,
        }
    )
    points["per_10k"] = points["complaints"] / points["customers"] * 1e4
    axis = ranking_charts.funnel_chart(points, None, 0.5e-4).layout.xaxis
    assert len(axis.tickvals) >= 2 and all(t.endswith("万") for t in axis.ticktext), axis.ticktext
    for value, text in zip(axis.tickvals, axis.ticktext):
        assert float(text[:-1]) * 10_000 == pytest.approx(value)  # each label says its own value
    inside = [v for v in axis.tickvals if min(customers) / 1.6 <= v <= max(customers) * 1.6]
    assert len(inside) >= 2  # on the axis around the points, not off its ends


def test_y_range_starts_at_zero_only_near_zero():
    assert ranking_charts.y_range(pd.Series([1.1, 2.0]), 0.000145)[0] > 0.9
    assert ranking_charts.y_range(pd.Series([0.2, 5.0]), None)[0] == 0.0


def test_the_volume_charts_legend_sits_under_the_plot():
    # six series: at the top right their legend wrapped into the title on the briefing's A4 width
    months = pd.to_datetime([date(2025, m, 1) for m in range(1, 13)] + [date(2026, m, 1) for m in range(1, 13)])
    trend = pd.DataFrame({"month": months, "complaints": range(100, 124), "last_year": range(90, 114)})
    trend["centre"], trend["upper"], trend["lower"] = 110.0, 130.0, 90.0
    trend["signal"] = [None] * 23 + ["high"]
    fig = trend_charts.volume_chart(trend)
    assert len(fig.data) >= 4  # bars, last year, the limits
    assert fig.layout.legend.y < 0 and fig.layout.title.text.startswith("投诉量走势")


def test_large_amounts_and_counts_are_not_written_with_si_suffixes():
    """Hostile H214: plotly's default tick format wrote 10k on a 万元 axis (1 亿元 read as "10k 万元") and
    80k on a 投诉量 axis. Every chart's axes print numbers in full (exponentformat none: 10,000)."""
    from dashboard.charts import outcomes

    trend = pd.DataFrame({"month": months(3), "amount_total": [3e7, 8e7, 1.2e8], "redress_total": [1e6, 2e6, 3e6]})
    money = outcomes.money_chart(trend)
    assert [a.exponentformat for a in money.select_yaxes()] == ["none"]
    channels = pd.DataFrame({"channel": ["客服热线", "网点"], "complaints": [80_000, 20_000], "share": [0.8, 0.2]})
    bars = hotspot_charts.ranked_bars(channels, "channel", "channel")
    assert {a.exponentformat for a in [*bars.select_xaxes(), *bars.select_yaxes()]} == {"none"}
