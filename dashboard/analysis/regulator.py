"""The regulator's lens (issue 19): regulator-referred complaints per 10 million personal customers and per
1,000 outlets (contract 7) for the bank (or the selection) and each tier-1 branch, by month and quarter, and
where the referred complaints came from. The published medians they are read against are the user's own
table (dashboard/ledger/medians.py), joined by the page. No Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.analysis import leadership
from dashboard.analysis.source import Runner
from dashboard.analysis.trends import Coverage
from dashboard.filters import Filters, add_months

TREND_MONTHS = 12
SOURCES = ("12378", "12363", "地方监管局", "其他")
RATIO_RULE_ZH = (
    "每千万个人客户投诉量 = 监管转办投诉 ÷ 个人客户数 × 10,000,000；每千营业网点投诉量 = 监管转办投诉 ÷ 营业网点数 × 1,000。"
    "同一机构及其下辖机构、同一期间；跨多月（季度）时为投诉之和 ÷ 月均客户数。营业网点：机构表“是否营业网点”为是，"
    "未填写时支行算营业网点。"
)


def quarter_months(month: date) -> tuple[date, date]:
    """The quarter holding `month`: its first month and `month` (a quarter to date when not its last)."""
    return date(month.year, (month.month - 1) // 3 * 3 + 1, 1), month


def quarter_label(month: date) -> str:
    return f"{month.year}-Q{(month.month - 1) // 3 + 1}"


@dataclass
class RegulatorData:
    month: date
    month_ratios: pd.DataFrame  # regulator_ratios over the report month (total + tier-1 branches)
    quarter_ratios: pd.DataFrame  # ... over the quarter to the report month
    quarter_complete: bool  # the quarter's figures cover all of it: the report month ends it, or the data does
    trend: pd.DataFrame  # per month: the total row of regulator_ratios
    sources: pd.DataFrame  # per referral source over the quarter: complaints, share
    quarter_to: date | None = None  # the quarter's last month counted (its end when complete)

    @property
    def quarter(self) -> str:
        return quarter_label(self.month)


def source_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Complaints per source over the rows' months, the contract's sources first, 未注明 last."""
    if rows.empty:
        return pd.DataFrame(columns=["source", "complaints", "share"])
    totals = rows.assign(source=rows["referral_source"].fillna("未注明")).groupby("source")["complaints"].sum()
    order = [s for s in (*SOURCES, "未注明") if s in totals.index]
    out = pd.DataFrame({"source": order, "complaints": [int(totals[s]) for s in order]})
    out["share"] = out["complaints"] / out["complaints"].sum()
    return out


def last_complete_month(run: Runner) -> date | None:
    """The data's last month wholly covered (as-of time and loaded months), None without data."""
    as_of = run("snapshot_as_of")["as_of"].iloc[0]
    last = Coverage.from_rows(run("trends_coverage")).last_month
    return leadership.last_complete_month(None if pd.isna(as_of) else pd.Timestamp(as_of).to_pydatetime(), last)


def trend_rows(run: Runner, month: date) -> pd.DataFrame:
    """regulator_ratios' total row for each of the TREND_MONTHS months to `month`, each month on its own, with
    its month (a date) as the last column: one statement (queries/regulator_trend.sql), not one a month."""
    rows = run("regulator_trend", month_from=add_months(month, -(TREND_MONTHS - 1)), month_to=month)
    out = rows.drop(columns="month").assign(month=[m.date() for m in pd.to_datetime(rows["month"])])
    return out.astype({"month": object})


def load(run: Runner, filters: Filters, month: date) -> RegulatorData:
    """The quarter is the report month's. A report month inside a quarter the data already covers whole
    counts the whole quarter (hostile H109: July's figure alone was set against the full-quarter median
    and the page said the quarter had not ended); a quarter the data does not yet cover whole counts to
    the report month and is not compared with the medians."""
    q_from, q_to = quarter_months(month)
    q_end = add_months(q_from, 2)
    last_complete = last_complete_month(run)
    complete = month == q_end or (last_complete is not None and q_end <= last_complete)
    if complete:
        q_to = q_end
    return RegulatorData(
        month=month,
        month_ratios=run("regulator_ratios", month_from=month, month_to=month),
        quarter_ratios=run("regulator_ratios", month_from=q_from, month_to=q_to),
        quarter_complete=complete,
        quarter_to=q_to,
        trend=trend_rows(run, month),
        sources=source_table(run("referral_sources", month_from=q_from, month_to=q_to)),
    )
