"""The annual complaint disclosure (年度投诉情况): what a bank publishes about a year's complaints.

    load(run, filters, year, basis) -> Annual      (the page section, the download and the report command)

Counting basis (contract 7): 全部受理 (every complaint received in the year, the default), 监管转送
(regulator-referred only) or 合并重复后 (after merging repeats: complaints that are not repeats by contract 6).
The disclosure says which. Change on the year before is only given when the whole previous year is loaded
(its January lies inside the data); otherwise it is null, not a comparison with a part-year. A year still
running (the data end before its December) is compared with the same months of the year before. Every cell
carries a link to the hotspot page filtered to the complaints behind it (the year, and the category, reason
or tier-1 branch) so each figure can be traced.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import quote, urlencode

import duckdb
import pandas as pd

from dashboard import db
from dashboard.filters import Filters, add_months, latest_complete_month
from dashboard.metrics import pct_change

BASES = ("全部受理", "监管转送", "合并重复后")
DEFAULT_BASIS = "全部受理"
BASIS_HELP = {
    "全部受理": "当年受理的全部投诉（按投诉编号去重）。",
    "监管转送": "当年受理的投诉中“是否监管转办”为“是”的投诉。",
    "合并重复后": "当年受理的投诉中不属于重复投诉的投诉（重复投诉：同一客户此前 30 天内已有同一业务类别的投诉，按导入时的认定）。",
}
DIMENSIONS = {"business_category": "业务类别", "reason": "投诉原因", "tier1_branch": "一级分行"}
KEYS = {"business_category": "business_category", "reason": "reason", "tier1_branch": "branch_code"}
UNASSIGNED = "总行本部（不属任何一级分行）"


@dataclass
class Annual:
    year: int
    basis: str
    complaints: int
    regulator_referred: int
    elderly_complaints: int
    previous_complaints: int | None  # None when the previous year is not wholly loaded
    by: dict[str, pd.DataFrame] = field(default_factory=dict)  # value, label, complaints, share, link
    year_complete: bool = True
    months: int = 12  # the months compared (January to the last complete month) when the year runs on
    compared_complaints: int | None = None  # this year's complaints over those months (None: no comparison)
    data_from: date | None = None  # the data start inside the year (the year is then incomplete: no 同比)
    last_month: date | None = None  # the loaded data's last month of receipts (trends_coverage), when known

    def counted_to(self, as_of) -> date | None:
        """The last day whose receipts the year's figures can hold: the as-of day, or the end of the last
        month with receipts when that is earlier. The as-of time is the latest receipt *or closing*, so an
        extract of October's receipts pulled on 4 November has its as-of in November (hostile H218)."""
        day = None if as_of is None or pd.isna(as_of) else pd.Timestamp(as_of).date()
        end = None if self.last_month is None else add_months(self.last_month, 1) - timedelta(days=1)
        if day is None or end is None:
            return day or end
        return min(day, end)

    @property
    def yoy_pct(self) -> float | None:
        if self.previous_complaints is None or self.compared_complaints is None:
            return None
        return pct_change(self.compared_complaints, self.previous_complaints)

    def to_json(self) -> dict:
        out = {
            "year": self.year,
            "basis": self.basis,
            "complaints": self.complaints,
            "regulator_referred": self.regulator_referred,
            "elderly_complaints": self.elderly_complaints,
            "previous_year_complaints": self.previous_complaints,
            "yoy_pct": self.yoy_pct,
            "year_complete": self.year_complete,
            "compared_months": self.months if self.compared_complaints is not None else None,
            "data_from": None if self.data_from is None else f"{self.data_from:%Y-%m}",
        }
        for dimension, key in KEYS.items():
            frame = self.by[dimension]
            out[f"by_{dimension}"] = [
                {
                    key: v,
                    **({"branch_name": label} if key == "branch_code" else {}),
                    "complaints": int(n),
                    "share": float(s),
                }
                for v, label, n, s in zip(frame["value"], frame["label"], frame["complaints"], frame["share"])
            ]
        return out


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 1)


def link(
    filters: Filters, year: int, dimension: str | None = None, value: str | None = None, referred: bool | None = None
) -> str | None:
    """The hotspot page (URL path /hotspots) over the year's complaints behind one cell."""
    start, end = year_period(year)
    view = replace(filters, month_from=start, month_to=end)
    if dimension == "business_category":
        view = replace(view, categories=(value,))
    elif dimension == "reason":
        view = replace(view, reasons=(value,))
    elif dimension == "tier1_branch":
        if value is None:
            return None
        view = replace(view, org=value)
    if referred is not None:
        view = replace(view, referred=referred)
    return "hotspots?" + urlencode(view.to_query(), quote_via=quote, safe=",")


def _rows(run, year: int, last: int = 12) -> pd.DataFrame:
    start = year_period(year)[0]
    return run("annual_disclosure", month_from=start, month_to=date(year, last, 1))


def _total(rows: pd.DataFrame, column: str) -> int:
    total = rows.loc[rows["dimension"] == "total", column]
    return int(total.iloc[0]) if len(total) else 0


def load(
    run,
    filters: Filters,
    year: int,
    first_month: date | None = None,
    last_month: date | None = None,
    last_complete: date | None = None,
) -> Annual:
    """The year's disclosure on the filters' counting basis (the sidebar's, as every page). `run(name,
    **overrides)` runs a query under the filters; first_month and last_month are the loaded data's span
    (trends_coverage) when known, last_complete the last month the as-of time has passed the end of."""
    basis = filters.basis_label
    rows = _rows(run, year)
    complaints = _total(rows, "complaints")
    by = {}
    for dimension in DIMENSIONS:
        part = rows[rows["dimension"] == dimension].copy()
        part["value"] = part["value"].astype(object).where(part["value"].notna(), None)
        part["label"] = [
            UNASSIGNED if v is None else (lbl if isinstance(lbl, str) else v)
            for v, lbl in zip(part["value"], part["label"])
        ]
        part["complaints"] = part["complaints"].astype("int64")
        part["share"] = part["complaints"] / complaints if complaints else 0.0
        part["link"] = [link(filters, year, dimension, v) for v in part["value"]]
        by[dimension] = (
            part[["value", "label", "complaints", "share", "link"]]
            .sort_values(["complaints", "label"], ascending=[False, True], kind="stable")
            .reset_index(drop=True)
        )
    # The comparison runs over whole months: January to the last complete month (an extract pulled on 4
    # November holds four days of November, which are counted in the year but not compared with all of
    # November the year before), and only when the data hold both years from January on.
    last_whole = last_complete or last_month
    starts_inside = first_month is not None and first_month > start_of(year)
    complete = not starts_inside and (last_whole is None or last_whole >= date(year, 12, 1))
    if last_whole is None or last_whole >= date(year, 12, 1):
        months = 12
    else:
        months = last_whole.month if last_whole.year == year else 0
    previous = compared = None
    if months and not starts_inside and first_month is not None and first_month <= date(year - 1, 1, 1):
        previous = _total(_rows(run, year - 1, months), "complaints")
        compared = complaints if months == 12 else _total(_rows(run, year, months), "complaints")
    return Annual(
        year=year,
        basis=basis,
        complaints=complaints,
        regulator_referred=_total(rows, "regulator_referred"),
        elderly_complaints=_total(rows, "elderly"),
        previous_complaints=previous,
        by=by,
        year_complete=complete,
        months=months,
        compared_complaints=compared,
        data_from=first_month if starts_inside else None,
        last_month=last_month,
    )


def start_of(year: int) -> date:
    return date(year, 1, 1)


def members(run, year: int) -> pd.DataFrame:
    """The complaints behind every figure of the year's disclosure (queries/annual_members.sql), one row
    each, on the same filters and counting basis as load(): complaint_id, received_at, business_category,
    reason, tier1_code, tier1_name, regulator_referred, elderly. For the downloads' traceability."""
    start, end = year_period(year)
    return run("annual_members", month_from=start, month_to=end)


def cell_members(frame: pd.DataFrame, dimension: str, value) -> pd.DataFrame:
    """The members behind one cell of `by[dimension]` (value None: the complaints under no tier-1 branch)."""
    column = "tier1_code" if dimension == "tier1_branch" else dimension
    values = frame[column]
    return frame[values.isna()] if value is None else frame[values == value]


def coverage(run) -> tuple[date | None, date | None]:
    row = run("trends_coverage").iloc[0]
    if pd.isna(row["first_month"]):
        return None, None
    first, last = pd.Timestamp(row["first_month"]), pd.Timestamp(row["last_month"])
    return date(first.year, first.month, 1), date(last.year, last.month, 1)


def report_section(con: duckdb.DuckDBPyConnection, filters: Filters, year: int) -> dict:
    """The report command's `annual` object (python -m dashboard report --year YYYY --json)."""

    def run(name, **overrides):
        return db.run(con, name, **filters.params(**overrides))

    first, last = coverage(run)
    as_of = run("snapshot_as_of")["as_of"].iloc[0]
    last_complete = None
    if last is not None and not pd.isna(as_of):
        last_complete = min(latest_complete_month(pd.Timestamp(as_of).to_pydatetime()), last)
    return load(run, filters, year, first, last, last_complete).to_json()
