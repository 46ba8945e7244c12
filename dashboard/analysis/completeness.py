"""Is a month's data whole? A month in which far fewer organisations have complaints than the month before
is most likely a partial extract (one system's or one branch's file loaded, the others not yet), not a fall
in complaints: its figures are shown, never compared with other months or coloured (hostile H192: 4 支行's
extract was headlined as a 97.8 % fall, 改善, green).

The rule: the month before had complaints at PARTIAL_MIN_OUTLETS or more organisations, and this month at
fewer than PARTIAL_SHARE of them (queries/trends_reporting_outlets.sql). It is judged on the data as loaded,
not on the reader's slice: over the user's whole scope, and over the organisation chosen in the sidebar when
there is one, with no other filter (hostile H210: a real halving of 监管转办 营销 complaints read as a partial
file; H204: a 一级分行 of 18 支行 was never judged, and its partial November read 改善). Below that many
organisations, they come and go by chance, and nothing is judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.filters import add_months

PARTIAL_MIN_OUTLETS = 10
PARTIAL_SHARE = 0.5
PARTIAL_BASIS = "数据疑似不完整"  # a Comparison's basis in such a month: nothing compared (trends.NOT_COMPARED)
PARTIAL_TEXT = "数据疑似不完整，不比较"  # what a card shows in the change's place


@dataclass(frozen=True)
class Partial:
    outlets: int  # organisations with complaints this month
    previous: int  # ... and the month before
    where: str = ""  # 全行 / the organisation judged, as the note names it ("" in the rule's own tests)

    @property
    def note(self) -> str:
        return (
            f"{self.where}本月只有 {self.outlets:,d} 个机构有投诉，上月有 {self.previous:,d} 个：数据可能不完整"
            "（例如只导入了部分机构或部分系统的文件），本月与上月、去年同月的变化不作比较、不着色"
        )


UNFILTERED = {"categories": None, "reasons": None, "channels": None, "referred": None, "basis": None, "age_group": None}


def assess(run, months: list[date], org: str | None, org_name: str | None = None) -> dict[date, Partial | None]:
    """Each of `months` judged by the rule over the user's scope, then over `org`'s subtree, each with no other
    filter; the first that holds. One query per level covers every month (the report month and the one before
    it share their counts). `run` is a loader's runner (run(name, **overrides))."""
    out: dict[date, Partial | None] = dict.fromkeys(months)
    window = {"month_from": add_months(min(months), -1), "month_to": max(months), **UNFILTERED}
    for where, over in (("全行", None), (f"{org_name or org} 及下辖机构", org)):
        if where != "全行" and over is None:
            continue
        outlets = run("trends_reporting_outlets", org=over, **window)
        for month in months:
            found = None if out[month] is not None else partial_month(outlets, month)
            if found is not None:
                out[month] = Partial(found.outlets, found.previous, where)
    return out


def partial_month(outlets: pd.DataFrame, month: date) -> Partial | None:
    """Partial when the rule above holds; `outlets` is trends_reporting_outlets over the month before and this."""
    counts = {pd.Timestamp(m).date().replace(day=1): int(n) for m, n in zip(outlets["month"], outlets["outlets"])}
    this, previous = counts.get(month, 0), counts.get(add_months(month, -1), 0)
    if previous >= PARTIAL_MIN_OUTLETS and this < PARTIAL_SHARE * previous:
        return Partial(this, previous)
    return None
