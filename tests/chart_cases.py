"""Every chart builder on small hand-made inputs (tests/test_chart_layouts.py): the figures the builders of
159ac92 drew from these inputs are kept in tests/fixtures/before_s13/figures.json.

    python -m tests.chart_cases OUT.json   # with the old builders first on PYTHONPATH: writes that fixture
"""

from __future__ import annotations

import json
import sys
from datetime import date

import numpy as np
import pandas as pd
import plotly.io as pio

from dashboard.analysis import funnel
from dashboard.charts import hotspots, outcomes, rankings, repeats, trends

MONTHS = [date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 13)]
LABELS = [f"{m.year}-{m.month:02d}" for m in MONTHS]


def _trend() -> pd.DataFrame:
    complaints = [120, 131, 118, 140, 162, 150, 149, 171, 133, 128, 210, 95]
    return pd.DataFrame(
        {
            "month": MONTHS,
            "complaints": complaints,
            "last_year": [None] * 3 + [110, 120, 125, 130, 140, 120, 118, 150, 130],
            "centre": [None] * 6 + [150.0, 152.0, 149.0, 147.0, 151.0, 150.0],
            "upper": [None] * 6 + [180.0, 182.0, 179.0, 177.0, 181.0, 180.0],
            "lower": [None] * 6 + [120.0, 122.0, 119.0, 117.0, 121.0, 120.0],
            "signal": [None] * 10 + ["high", "low"],
            "per_10k": [1.2, 1.3, None, 1.4, 1.6, 1.5, 1.5, 1.7, 1.3, 1.3, 2.1, 0.9],
        }
    )


def _breakdown(shares: bool) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    columns = ["信用卡", "个人贷款", "借记卡", "理财<产品>", "保险", "其余"] + ["外汇", "贵金属"]
    table = pd.DataFrame(rng.integers(0, 60, size=(12, len(columns))), index=MONTHS, columns=columns)
    return table.div(table.sum(axis=1), axis=0) if shares else table


def _movers() -> pd.DataFrame:
    labels = ["信用卡", "个人贷款", "借记卡", "理财", "保险", "外汇", "贵金属", "基金", "债券", "信托"]
    return pd.DataFrame({"label": labels, "contribution": [40, -25, 18, -12, 9, -7, 5, 3, -2, 1]})


def _composition() -> pd.DataFrame:
    counts = [420, 310, 120, 80, 40, 12, 3]
    return pd.DataFrame(
        {"label": ["信用卡", "个人贷款", "借记卡", "理财", "保险", "外汇", "A&B"], "complaints": counts}
    ).assign(share=lambda d: d["complaints"] / d["complaints"].sum())


def _points() -> pd.DataFrame:
    statuses = [funnel.ABOVE_998, funnel.ABOVE_95, funnel.WITHIN, funnel.WITHIN, funnel.BELOW_95, funnel.BELOW_998]
    return pd.DataFrame(
        {
            "branch_code": ["0101", "0102", "0103", "0104", "0105", "0106"],
            "branch_name": ["海淀支行", "朝阳支行", "西城<支行>", "东城支行", "丰台支行", "通州支行"],
            "customers": [120_000.0, 45_000.0, 300_000.0, 80_000.0, 150_000.0, 600_000.0],
            "per_10k": [3.1, 2.6, 1.5, 1.7, 0.9, 0.6],
            "complaints": [37, 12, 45, 14, 14, 36],
            "expected": [18.0, 6.8, 45.0, 12.0, 22.5, 90.0],
            "status": statuses,
        }
    )


def _curve() -> pd.DataFrame:
    customers = np.geomspace(30_000, 700_000, 8)
    spread = 3 / np.sqrt(customers / 10_000)
    return pd.DataFrame(
        {
            "customers": customers,
            "average": [1.5] * 8,
            "upper_998": 1.5 + spread,
            "lower_998": np.maximum(0, 1.5 - spread),
            "upper_95": 1.5 + spread * 0.6,
            "lower_95": np.maximum(0, 1.5 - spread * 0.6),
        }
    )


def _org_trend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": MONTHS,
            "bank_per_10k": np.linspace(1.2, 1.6, 12),
            "bank_complaints": range(1000, 1012),
            "org_per_10k": [2.0, 2.2, None, 1.9, 2.4, 2.1, 2.0, 2.6, 2.3, 2.2, 2.8, 2.5],
            "org_complaints": range(20, 32),
        }
    )


def _mix() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "value": ["信用卡", "个人贷款", "借记卡", "理财"],
            "diff_pp": [6.2, -3.1, 1.4, -0.6],
            "org_share": [0.42, 0.18, 0.2, 0.05],
            "bank_share": [0.358, 0.211, 0.186, 0.056],
            "org_complaints": [42, 18, 20, 5],
        }
    )


def _parts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["万人投诉率", "升级投诉占比", "万人监管转办", "超时办结"],
            "contribution": [22.5, 10.0, None, 7.5],
            "percentile": [90.0, 50.0, None, 75.0],
            "weight": [0.25, 0.2, 0.2, 0.1],
        }
    )


def _ranked() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "province": ["北京市", "上海市", "广东省", "浙江省", "江苏省"],
            "code": ["11", "31", "44", "33", "32"],
            "complaints": [420, 310, 120, 80, 40],
            "share": [0.43, 0.32, 0.12, 0.08, 0.04],
            "per_10k": [3.1, 2.5, 1.4, 1.1, 0.8],
            "base_gaps": [0, 0, 1, 0, 0],
        }
    )


def _matrix() -> pd.DataFrame:
    rows = [
        ("信用卡", "定价收费", 120),
        ("信用卡", "催收", 60),
        ("个人贷款", "定价收费", 30),
        ("借记卡", "服务态度", 4),
    ]
    frame = pd.DataFrame(rows, columns=["business_category", "reason", "complaints"])
    return frame.assign(share=frame["complaints"] / frame["complaints"].sum())


def _terms() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": ["年费", "分期", "催收<电话>", "利息", "额度"],
            "share": [0.21, 0.15, 0.09, 0.05, 0.02],
            "docs": [210, 150, 90, 50, 20],
            "prev_docs": [100, 140, 30, 52, 5],
            "lift": [2.1, 1.07, 3.0, 0.96, 4.0],
            "rising": [True, False, True, False, True],
        }
    )


def _repeat_months() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.to_datetime(MONTHS),
            "repeats": [3, 4, 2, 5, 6, 4, 3, 7, 5, 4, 8, 2],
            "complaints": [40, 42, 38, 45, 50, 44, 41, 55, 47, 43, 60, 30],
        }
    ).assign(repeat_rate=lambda d: d["repeats"] / d["complaints"])


def _repeat_orgs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "branch_name": ["海淀支行", "朝阳支行", "西城支行"],
            "branch_code": ["0101", "0102", "0103"],
            "repeats": [30, 20, 20],
            "complaints": [300, 100, 250],
        }
    ).assign(repeat_rate=lambda d: d["repeats"] / d["complaints"])


def _timeline() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "complaint_id": ["C1", "C2", "C3"],
            "branch_name": ["海淀支行", None, "海淀支行"],
            "branch_code": ["0101", "0102", "0101"],
            "reason": ["定价收费", "催收", "定价收费"],
            "days_since_previous": [None, 12.0, 30.0],
            "content": ["客户张三来电称年费被多收，电话13812345678", "催收电话太多", None],
            "is_repeat": [False, True, True],
            "received_at": pd.to_datetime(["2025-03-01 09:30", "2025-03-13 10:00", "2025-04-12 16:45"]),
            "business_category": ["信用卡", "信用卡", "个人贷款"],
            "channel": ["电话", "网点", "电话"],
        }
    )


def _recurring() -> pd.DataFrame:
    rows = [(label, m, n) for label in ("信用卡 · 年费", "贷款 · 利息") for m, n in zip(LABELS[-4:], (3, 0, 5, 2))]
    return pd.DataFrame(rows, columns=["label", "month", "complaints"])


def _effect() -> pd.DataFrame:
    phases = ["整改前"] * 5 + ["整改当月"] + ["整改后"] * 5 + ["其他月份"]
    return pd.DataFrame({"month": MONTHS, "complaints": [9, 8, 10, 7, 9, 6, 4, 3, 5, 2, 3, 1], "phase": phases})


def _outcomes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": MONTHS,
            "resolved": np.linspace(0.7, 0.9, 12),
            "escalated": [0.05, None, 0.04, 0.06, 0.05, 0.03, 0.04, 0.05, 0.02, 0.03, 0.04, 0.05],
            "amount_total": np.linspace(1_000_000, 2_400_000, 12),
            "redress_total": np.linspace(10_000, 90_000, 12),
        }
    )


def cases() -> dict[str, tuple]:
    """name -> (builder, args, kwargs): each builder, with the branches its inputs take."""
    trend = _trend()
    flat = _trend().assign(last_year=None, upper=None, signal=None)
    points, curve = _points(), _curve()
    return {
        "trends.volume_chart": (trends.volume_chart, (trend,), {"partial": MONTHS[-1]}),
        "trends.volume_chart.plain": (trends.volume_chart, (flat.head(5),), {}),
        "trends.rate_chart": (trends.rate_chart, (trend,), {}),
        "trends.breakdown_chart.counts": (trends.breakdown_chart, (_breakdown(False), "业务类别", False), {}),
        "trends.breakdown_chart.shares": (trends.breakdown_chart, (_breakdown(True).head(4), "业务类别", True), {}),
        "trends.waterfall_chart": (trends.waterfall_chart, (_movers(), 900, 930, "2025-11", "2025-12", "业务类别"), {}),
        "trends.composition_chart": (trends.composition_chart, (_composition(), "业务类别", "2025-12"), {}),
        "rankings.funnel_chart": (rankings.funnel_chart, (points, curve, 1.5 / funnel.PER), {"selected": "0103"}),
        "rankings.funnel_chart.bare": (rankings.funnel_chart, (points.head(0), None, None), {}),
        "rankings.trend_chart": (rankings.trend_chart, (_org_trend(), "海淀<支行>"), {"bank": "全辖"}),
        "rankings.mix_chart": (rankings.mix_chart, (_mix(), "业务类别差异"), {}),
        "rankings.breakdown_chart": (rankings.breakdown_chart, (_parts(),), {}),
        "hotspots.category_reason_matrix": (
            hotspots.category_reason_matrix,
            (_matrix(), ["信用卡", "个人贷款", "借记卡"], ["定价收费", "催收", "服务态度"]),
            {},
        ),
        "hotspots.ranked_bars": (
            hotspots.ranked_bars,
            (_ranked(), "province", "code"),
            {"rate": "per_10k", "title": "各省<投诉>", "selected": "31"},
        ),
        "hotspots.ranked_bars.rate": (
            hotspots.ranked_bars,
            (_ranked(), "province", ["code", "province"]),
            {"value": "per_10k", "rate": "per_10k", "top": 3},
        ),
        "hotspots.surge_history": (hotspots.surge_history, (LABELS[-7:], [5, 6, 4, 7, 5, 6, 19], 5.5, 6), {}),
        "hotspots.term_bars.share": (hotspots.term_bars, (_terms(), "share"), {"title": "高频词", "selected": "分期"}),
        "hotspots.term_bars.lift": (hotspots.term_bars, (_terms(), "lift"), {"top": 4}),
        "hotspots.rising_bars": (hotspots.rising_bars, (_terms(),), {"title": "上升词", "selected": "年费"}),
        "repeats.repeat_trend": (repeats.repeat_trend, (_repeat_months(),), {}),
        "repeats.repeat_trend.small": (repeats.repeat_trend, (_repeat_months().assign(repeats=0).head(3),), {}),
        "repeats.repeat_by_org": (repeats.repeat_by_org, (_repeat_orgs(),), {}),
        "repeats.customer_timeline": (repeats.customer_timeline, (_timeline(),), {}),
        "repeats.recurring_heatmap": (repeats.recurring_heatmap, (_recurring(), LABELS[-4:]), {}),
        "repeats.similar_group_timeline": (repeats.similar_group_timeline, (_timeline(),), {}),
        "repeats.effect_chart": (repeats.effect_chart, (_effect(), 8.6, 2.8), {}),
        "outcomes.rates_chart": (
            outcomes.rates_chart,
            (_outcomes(), {"resolved": "办结率", "escalated": "升级<率>"}, "办结与升级"),
            {},
        ),
        "outcomes.money_chart": (outcomes.money_chart, (_outcomes(),), {}),
    }


DEFAULTS = ("plotly", "streamlit")  # the default template of a new figure: plotly's, and in the app Streamlit's


def built(default: str) -> dict[str, dict]:
    """Each case's figure as plotly's JSON, parsed, built with `default` as plotly's default template."""
    from streamlit.elements.lib.streamlit_plotly_theme import configure_streamlit_plotly_theme

    configure_streamlit_plotly_theme()  # registers "streamlit" (and makes it the default, as in the app)
    kept = pio.templates.default
    pio.templates.default = default
    try:
        return {name: json.loads(pio.to_json(build(*a, **k))) for name, (build, a, k) in cases().items()}
    finally:
        pio.templates.default = kept


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump({default: built(default) for default in DEFAULTS}, out, ensure_ascii=False, sort_keys=True)
