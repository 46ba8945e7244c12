"""The global filter set: one object from the sidebar (or the command line) to bound query parameters.

It round-trips through URL query parameters so that a copied link reopens the same view.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from dashboard import schema
from dashboard.config import REPEAT_WINDOW_DAYS

# The counting basis (issue 19, contract 7) and the customer group: value -> label. None = the first.
BASES = {None: "全部受理", "referred": "监管转送", "merged": "合并重复后"}
BASIS_HELP = {
    None: "每一件受理的投诉（银行自己的口径）。",
    "referred": "只统计监管转办的投诉（是否监管转办 = 是），监管部门通报各行投诉情况时的口径。",
    "merged": "不计重复投诉（同一客户 30 天内同一业务类别再次投诉），年度投诉情况披露常用的口径。"
    "机构用户只在本机构辖内的投诉之间认定重复，辖外投诉不影响本辖数字。",
}
AGE_GROUPS = {None: "全部", "elderly": "老年客户", "non_elderly": "非老年客户"}


def month_start(value: date | datetime | str) -> date:
    if isinstance(value, str):
        year, month = value[:7].split("-")
        return date(int(year), int(month), 1)
    return date(value.year, value.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_label(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def latest_complete_month(as_of: datetime) -> date:
    """The last month wholly covered by the data: as_of's month only if as_of is its last day."""
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    if date.fromordinal(day.toordinal() + 1).day == 1:
        return month_start(as_of)
    return add_months(month_start(as_of), -1)


@dataclass(frozen=True)
class Filters:
    month_from: date
    month_to: date
    org: str | None = None
    categories: tuple[str, ...] | None = None
    reasons: tuple[str, ...] | None = None
    channels: tuple[str, ...] | None = None
    referred: bool | None = None
    basis: str | None = None  # counting basis: None (全部受理), 'referred', 'merged' (BASES)
    age_group: str | None = None  # customer group: None (全部), 'elderly', 'non_elderly' (AGE_GROUPS)
    # The signed-in user's organisation; set by the app shell, never by a URL or a widget.
    scope: str | None = field(default=None, compare=True)

    def params(self, **overrides) -> dict:
        """Bound parameters for queries; `overrides` replace the period or add query-specific ones."""
        base = {
            "month_from": self.month_from,
            "month_to": self.month_to,
            "org": self.org,
            "scope": self.scope,
            "categories": list(self.categories) if self.categories else None,
            "reasons": list(self.reasons) if self.reasons else None,
            "channels": list(self.channels) if self.channels else None,
            "referred": self.referred,
            "basis": self.basis,
            "age_group": self.age_group,
            "repeat_window_days": REPEAT_WINDOW_DAYS,  # the stored repeat rule's (a scope recomputes it)
            "s_terms": None,
            "s_neg": None,  # the hotspots page's narrative search (text/search_query.py): none
            "s_hidden": None,
            "previous_from": None,  # rankings_by_org's previous period (rankings.load_ranking): none
        }
        base.update(overrides)
        return base

    def with_period(self, month_from: date, month_to: date) -> "Filters":
        return replace(self, month_from=month_from, month_to=month_to)

    # --- URL round trip -------------------------------------------------------------------------
    QUERY_KEYS = ("from", "to", "org", "cat", "reason", "channel", "referred", "basis", "group")

    @property
    def basis_label(self) -> str:
        return BASES.get(self.basis, BASES[None])

    @property
    def age_group_label(self) -> str:
        return AGE_GROUPS.get(self.age_group, AGE_GROUPS[None])

    @property
    def counting_label(self) -> str:
        """'统计口径：监管转送 · 客户群体：老年客户': named on every page, briefing and export."""
        return f"统计口径：{self.basis_label} · 客户群体：{self.age_group_label}"

    def to_query(self) -> dict[str, str]:
        query = {"from": month_label(self.month_from), "to": month_label(self.month_to)}
        if self.org:
            query["org"] = self.org
        for key, values in (("cat", self.categories), ("reason", self.reasons), ("channel", self.channels)):
            if values:
                query[key] = ",".join(values)
        if self.referred is not None:
            query["referred"] = "是" if self.referred else "否"
        if self.basis in BASES and self.basis is not None:
            query["basis"] = BASES[self.basis]
        if self.age_group in AGE_GROUPS and self.age_group is not None:
            query["group"] = AGE_GROUPS[self.age_group]
        return query

    @staticmethod
    def unknown_lens(query: dict[str, str]) -> list[str]:
        """The URL's counting basis or customer group values that are not one of the offered labels (a
        typo, a stale link): named in a warning, since the view falls back to 全部受理 / 全部."""
        out = []
        for key, label, known in (("basis", "统计口径", BASES), ("group", "客户群体", AGE_GROUPS)):
            value = query.get(key)
            if value and value not in known.values():
                out.append(f"链接中的{label}“{value}”无法识别，已按“{known[None]}”显示。")
        return out

    @staticmethod
    def unknown_filters(query: dict[str, str], orgs: set[str], whole: str = "全行") -> list[str]:
        """The URL's category, reason, channel and organisation values that cannot be applied (a typo, a code
        that lost its leading 0 in Excel, a stale link): named in a warning, since the view is wider than
        the link says (hostile H216: 信用咔 read as the whole bank's month). `whole`: what the view falls
        back to, as the organisation selector names it (a branch user's 上海分行全辖, not 全行: hostile H269)."""
        out = []
        for key, label, allowed in (
            ("cat", "业务类别", schema.BUSINESS_CATEGORIES),
            ("reason", "投诉原因", schema.REASONS),
            ("channel", "投诉渠道", schema.CHANNELS),
        ):
            unknown = [v for v in query.get(key, "").split(",") if v and v not in allowed]
            if unknown:
                out.append(f"链接中的{label}“{'、'.join(unknown)}”无法识别，已不按其筛选。")
        org = query.get("org")
        if org and org not in orgs:
            out.append(f"链接中的机构“{org}”不存在或不在您的权限范围内，已按{whole}（您的可见范围）显示。")
        return out

    @classmethod
    def from_query(cls, query: dict[str, str], default_from: date, default_to: date) -> "Filters":
        """Parse URL parameters; anything malformed or unknown falls back to the default, silently,
        because a stale bookmark should still open the page."""

        def month(key: str, default: date) -> date:
            try:
                return month_start(query[key])
            except (KeyError, ValueError):
                return default

        def listed(key: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
            values = tuple(v for v in query.get(key, "").split(",") if v in allowed)
            return values or None

        month_from, month_to = month("from", default_from), month("to", default_to)
        if month_from > month_to:
            month_from, month_to = month_to, month_from
        referred = {"是": True, "否": False}.get(query.get("referred", ""))
        return cls(
            month_from=month_from,
            month_to=month_to,
            org=query.get("org") or None,
            categories=listed("cat", schema.BUSINESS_CATEGORIES),
            reasons=listed("reason", schema.REASONS),
            channels=listed("channel", schema.CHANNELS),
            referred=referred,
            basis={v: k for k, v in BASES.items()}.get(query.get("basis", "")),
            age_group={v: k for k, v in AGE_GROUPS.items()}.get(query.get("group", "")),
        )


def period_label(month_from: date, month_to: date) -> str:
    if month_from == month_to:
        return f"{month_from.year}年{month_from.month}月"
    return f"{month_label(month_from)} 至 {month_label(month_to)}"


def selection_notes(filters: Filters, names: dict, as_of: str | None = None) -> list[tuple[str, str]]:
    """What the export was cut with (hostile finding H56: a forwarded file did not say its basis, group or
    filters), for the 说明 sheet: 统计口径, 客户群体, 期间, 机构, the dimension filters, the data's as-of time."""
    org = filters.org or filters.scope
    parts = []
    for label, values in (
        ("业务类别", filters.categories),
        ("投诉原因", filters.reasons),
        ("投诉渠道", filters.channels),
    ):
        if values:
            parts.append(f"{label}：" + "、".join(values))
    if filters.referred is not None:
        parts.append("监管转办：" + ("是" if filters.referred else "否"))
    return [
        ("统计口径", filters.basis_label),
        ("客户群体", filters.age_group_label),
        ("期间", period_label(filters.month_from, filters.month_to)),
        ("机构", "全行" if not org else f"{names.get(org, org)}（{org}）及下辖机构"),
        ("筛选条件", "；".join(parts) or "无"),
        ("数据截至", as_of or "—"),
    ]
