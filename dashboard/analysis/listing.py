"""The complaint list's data (a lazy part of a page: its own small loader, `load_list`): the selection's
count and one page of rows, sorted and paginated in SQL. Drawn by ui/complaint_list.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from dashboard.analysis.source import Source

SORT_KEYS = {
    "received_at": "受理时间",
    "closed_at": "办结时间",
    "handling_days": "处理天数",
    "amount": "涉及金额",
    "branch_code": "机构代码",
    "business_category": "业务类别",
    "complaint_id": "投诉编号",
}
PAGE_SIZES = (20, 50, 100)
EXPORT_CAP = 50_000  # rows in one export (CSV or Excel)


@dataclass(frozen=True)
class ListOptions:
    """The list's own state: its order and page (the page number before it is kept in range). The narrative
    search is the page's, in the overrides, checked by the page (ui.complaint_list.parsed_search_refusal)."""

    sort_key: str = "received_at"
    sort_desc: bool = True
    size: int = PAGE_SIZES[1]
    page: int = 1


@dataclass(frozen=True)
class ListPage:
    selection: dict  # the overrides
    total: int
    page: int  # options.page kept within 1..pages
    pages: int
    rows: pd.DataFrame | None  # the page's rows, None when refused or empty
    order: dict  # the sort parameters (for the export, in the list's order)


def load_list(
    source: Source,
    overrides: dict,
    options: ListOptions = ListOptions(),
    *,
    counted: int | None = None,
    list_query: str = "complaints_list",
    count_query: str = "complaints_count",
) -> ListPage:
    """One page of the list for the selection `overrides` (parameters on top of the filters).
    counted: the selection's size when the page has counted it already."""
    selection = dict(overrides)
    order = {"sort_key": options.sort_key, "sort_desc": options.sort_desc}
    total = counted if counted is not None else int(source(count_query, **selection)["complaints"].iloc[0])
    if total == 0:
        return ListPage(selection, 0, 1, 1, None, order)
    pages = max(1, math.ceil(total / options.size))
    page = min(max(1, options.page), pages)
    rows = source.rows(list_query, **selection, **order, limit=options.size, offset=(page - 1) * options.size)
    return ListPage(selection, total, page, pages, rows, order)
