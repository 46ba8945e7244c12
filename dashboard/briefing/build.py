"""The monthly briefing: the trends page's content as an Excel workbook and a self-contained HTML file.

    build(con, filters, month) -> TrendData     (the same data the page shows)
    title, scope_text, headline_rows, *_frame, definitions: what both files say (the writers,
    dashboard.briefing.excel and .html, read them; dashboard.briefing.files writes the files)

The page builds the files from the TrendData it already holds; the command line
(`python -m dashboard briefing`) loads it through the same queries. No Streamlit here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from dashboard.analysis import trends
from dashboard.analysis.summary import month_text
from dashboard.config import DEADLINE_DAYS, REPEAT_WINDOW_DAYS
from dashboard.filters import Filters
from dashboard.metrics import Metric

TITLE = "消费者权益保护投诉情况月度简报"


def build(con: duckdb.DuckDBPyConnection, filters: Filters, month: date) -> trends.TrendData:
    return trends.load(trends.runner(con, filters), filters, month)


def file_stem(data: trends.TrendData) -> str:
    """消保投诉月度简报_2026-10[_机构][_筛选值]: distinct files for distinct views."""
    parts = [f"消保投诉月度简报_{data.month.year}-{data.month.month:02d}"]
    if data.filters.org:
        parts.append(data.scope_label)
    values = [*(data.filters.categories or ()), *(data.filters.reasons or ()), *(data.filters.channels or ())]
    if data.filters.referred is not None:
        values.append("监管转办" if data.filters.referred else "非监管转办")
    if values:
        parts.append("、".join(values)[:40])
    return "_".join(parts).replace("/", "-")


def title(data: trends.TrendData) -> str:
    return f"{TITLE}（{month_text(data.month)}）"


def scope_text(data: trends.TrendData) -> str:
    return data.scope_label + (f"（{data.filter_label}）" if data.filter_label else "")


@dataclass(frozen=True)
class HeadlineRow:
    metric: Metric
    value: float | None
    previous: float | None      # the value compared with: last month's (like for like when provisional),
                                # for 环比/同比 last month's / last year's count; None when not loaded
    change: float | None        # in change_unit
    verdict: str                # 改善 / 变差 / 持平 / —: whether the number is good for the reader
    basis: str = "较上月"        # 较上月 / 较去年同月 / 较上月同期（同口径）
    change_unit: str = ""       # the unit of `change` (count for 环比/同比)


def headline_rows(data: trends.TrendData) -> list[HeadlineRow]:
    rows = []
    for metric in trends.HEADLINE:
        c = data.comparisons[metric.key]
        rows.append(HeadlineRow(metric=metric, value=data.headline[metric.key], previous=c.base, change=c.change,
                                verdict=c.verdict, basis=c.basis, change_unit=c.unit))
    return rows


def trend_frame(data: trends.TrendData) -> pd.DataFrame:
    """The 24-month trend with Chinese headers; numbers stay numbers (formats are the writer's job)."""
    t = data.trend
    signal = t["signal"].map({"high": "异常偏高", "low": "异常偏低"}).fillna("")
    return pd.DataFrame({
        "月份": [f"{m.year}-{m.month:02d}" for m in t["month"]],
        "投诉量": t["complaints"],
        "上年同期": t["last_year"],
        "环比": t["mom_pct"] / 100,
        "同比": t["yoy_pct"] / 100,
        "客户数": t["customers"],
        "万人投诉率": t["per_10k"],
        "控制中心线": t["centre"],
        "下控制限": t["lower"],
        "上控制限": t["upper"],
        "控制限判断": signal,
    })


def movers_frame(data: trends.TrendData, dimension: str) -> pd.DataFrame:
    m = data.movers.get(dimension)
    if m is None:
        return pd.DataFrame(columns=["项目", "上月", "本月", "变动", "占总变动", "环比"])
    return pd.DataFrame({
        "项目": m["label"],
        "上月": m["previous"],
        "本月": m["current"],
        "变动": m["contribution"],
        "占总变动": m["share_of_change"].astype("float64"),
        "环比": m["mom_pct"].astype("float64") / 100,
    })


def breakdown_frame(data: trends.TrendData, dimension: str) -> pd.DataFrame:
    months = list(data.trend["month"])
    table = trends.breakdown_table(data.breakdown, dimension, months)
    table.index = [f"{m.year}-{m.month:02d}" for m in table.index]
    table.index.name = "月份"
    return table.reset_index()


def definitions() -> list[tuple[str, str]]:
    rows = [(m.label, m.help) for m in trends.HEADLINE]
    rows += [
        ("投诉月份", "按受理时间所在的自然月统计。"),
        ("按时办结", f"受理后 {DEADLINE_DAYS} 天内（含第 {DEADLINE_DAYS} 天）办结；数据时点为已加载数据中最晚的受理或办结时间。"),
        ("重复投诉", f"同一客户在此前 {REPEAT_WINDOW_DAYS} 天内已有同一业务类别的投诉。"),
        ("控制限", trends.CONTROL_RULE),
        ("环比变动分解", "按维度把本月与上月投诉量之差拆分到各项：各项的（本月 − 上月）之和等于总变动；"
                     "“占总变动”为该项变动 ÷ 总变动（总变动为 0 时不计算）。"
                     f"一级分行维度中，直接归属总行、不属于任何一级分行的投诉记为“{trends.UNASSIGNED}”。"),
        ("—", "无法计算：缺少对比期数据、对比期为 0，或未加载客户数。"),
    ]
    return rows

