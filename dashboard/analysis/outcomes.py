"""Outcomes, redress and the elderly lens for the trends page and the briefing (issue 19): resolution rate,
satisfaction rate, money in dispute and paid back, elderly customers' share and its trend, and the rate per
10,000 elderly customers where the extract carries the elderly base (contract 7). No Streamlit.

The monthly figures are columns of kpis_by_month (the headline's query, from complaint_cube); the split by
business category and tier-1 branch is queries/outcomes_breakdown.sql.

Elderly share: complaints from customers aged 60 and over / all the month's complaints. Complaints without
an age stay in the denominator (they are complaints of the month), so the share is a lower bound when ages
are missing; how many have no age is shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import fmt
from dashboard.analysis.source import Runner
from dashboard.filters import Filters, add_months

TREND_MONTHS = 24
PER_ELDERLY = 10_000
ELDERLY_SHARE_RULE_ZH = (
    "老年客户投诉占比 = 客户年龄 60 岁及以上的投诉 ÷ 当月全部投诉；未填写年龄的投诉计入分母"
    "（它们也是当月的投诉），因此缺少年龄时该占比偏低，未填写年龄的件数单独列出。"
)
RESOLUTION_RULE_ZH = "解决率 = 处理结果为“已解决”的投诉 ÷ 有处理结果的投诉（已解决、部分解决、未解决、撤诉）。"
SATISFACTION_RULE_ZH = "满意率 = 回访满意度为“满意”或“基本满意”的投诉 ÷ 已回访的投诉（不含“未回访”）。"
MONEY_RULE_ZH = (
    "涉及金额：投诉所涉资金（元）之和；补偿金额：办结时退还或补偿给客户的金额（元）之和（提取文件含“补偿金额”列时）。"
)
ELDERLY_RATE_RULE_ZH = (
    "老年客户万人投诉率 = 老年客户投诉 ÷ 所选机构及下辖机构当月老年客户数之和 × 10,000；"
    "只在每个有客户数的机构都提供了老年客户数的月份计算。"
)


@dataclass
class OutcomesData:
    month: date
    trend: pd.DataFrame  # per month: complaints, resolution_rate, satisfaction_rate, amount_total,
    # redress_total, elderly, age_unknown, elderly_share, elderly_per_10k
    breakdown: pd.DataFrame  # outcomes_breakdown for the month
    has_redress: bool  # any redress_amount in the period (the extract carries the column)

    def month_row(self) -> dict:
        rows = self.trend[self.trend["month"] == self.month]
        return rows.iloc[0].to_dict() if not rows.empty else {}


def elderly_rate(kpis: pd.DataFrame, base: pd.DataFrame) -> pd.Series:
    """Per month: elderly complaints per 10,000 elderly customers, NaN where the base is missing or partial."""
    b = base.assign(month=pd.to_datetime(base["month"]).dt.date).set_index("month") if not base.empty else None
    out = []
    for m, elderly in zip(kpis["month"], kpis["elderly"]):
        if b is None or m not in b.index:
            out.append(float("nan"))
            continue
        row = b.loc[m]
        complete = (
            int(row["elderly_rows"]) == int(row["base_rows"])
            and row["elderly_customers"]
            and not pd.isna(row["elderly_customers"])
            and float(row["elderly_customers"]) > 0
        )
        out.append(float(elderly) * PER_ELDERLY / float(row["elderly_customers"]) if complete else float("nan"))
    return pd.Series(out, index=kpis.index, dtype="float64")


def load(run: Runner, filters: Filters, month: date, kpis: pd.DataFrame) -> OutcomesData:
    """kpis: the kpis_by_month rows the trends page already has (its history window)."""
    rows = kpis.assign(month=pd.to_datetime(kpis["month"]).dt.date)
    start = add_months(month, -(TREND_MONTHS - 1))
    rows = rows[(rows["month"] >= start) & (rows["month"] <= month)].reset_index(drop=True)
    base = run("elderly_base_by_month", month_from=start, month_to=month)
    rows["elderly_per_10k"] = elderly_rate(rows, base)
    keep = [
        "month",
        "complaints",
        "resolved",
        "with_result",
        "resolution_rate",
        "satisfied",
        "surveyed",
        "satisfaction_rate",
        "amount_total",
        "with_amount",
        "redress_total",
        "redressed",
        "elderly",
        "age_unknown",
        "elderly_share",
        "elderly_per_10k",
    ]
    breakdown = run("outcomes_breakdown", month_from=month, month_to=month)
    return OutcomesData(
        month=month, trend=rows[keep], breakdown=breakdown, has_redress=bool((rows["redressed"] > 0).any())
    )


def _scalar(value):
    return None if value is None or pd.isna(value) else float(value)


NO_AGES_ZH = "无年龄数据"


def no_ages(row) -> bool:
    """Complaints, none of them with an age: the elderly share is unknown, not 0 % (hostile H89)."""
    complaints = int(row.get("complaints") or 0)
    return complaints > 0 and int(row.get("age_unknown") or 0) >= complaints


def elderly_share_text(row) -> str:
    """The elderly share as shown: '20.0%', '— 无年龄数据' when no complaint has an age, '—' without complaints."""
    return f"{fmt.DASH} {NO_AGES_ZH}" if no_ages(row) else fmt.rate(row.get("elderly_share"))


def report_kpis(run: Runner, rows: pd.DataFrame, month: date) -> dict:
    """The report JSON's kpis added by issue 19, from the month's kpis_by_month row (and the subtree's
    outlets): elderly_complaints (customer_age >= 60, received in the month), elderly_share (of all the
    month's complaints, those without an age in the denominator; age_unknown says how many), and the
    regulator's ratios regulator_referred_per_10m (regulator-referred complaints / customers x 10,000,000,
    same subtree and month) and regulator_referred_per_1k_outlets (/ outlets x 1,000)."""
    by_month = rows.set_index(pd.to_datetime(rows["month"]).dt.date)
    this = by_month.loc[month]
    ratios = run("regulator_ratios", month_from=month, month_to=month)
    total = ratios[ratios["unit"] == "total"]
    per_10m = _scalar(total["per_10m"].iloc[0]) if not total.empty else None
    per_1k = _scalar(total["per_1k_outlets"].iloc[0]) if not total.empty else None
    return {
        "elderly_complaints": int(this["elderly"]),
        "elderly_share": _scalar(this["elderly_share"]),
        "elderly_share_note": NO_AGES_ZH if no_ages(this) else None,
        "age_unknown": int(this["age_unknown"]),
        "regulator_referred_per_10m": per_10m,
        "regulator_referred_per_1k_outlets": per_1k,
    }
