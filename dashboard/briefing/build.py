"""The monthly briefing: the trends page's content as an Excel workbook and a self-contained HTML file.

    build(con, filters, month, items) -> TrendData     (the same data the page shows; items: ledger_items)
    title, scope_text, headline_rows, *_frame, definitions: what both files say (the writers,
    dashboard.briefing.excel and .html, read them; dashboard.briefing.files writes the files)

The page builds the files from the TrendData it already holds; the command line
(`python -m dashboard briefing`) loads it through the same queries. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import clock, fmt, metrics
from dashboard.analysis import leadership, repeats, trends
from dashboard.analysis.summary import month_text
from dashboard.auth.roles import Principal
from dashboard.config import REPEAT_WINDOW_DAYS
from dashboard.filters import Filters
from dashboard.ledger.store import Ledger
from dashboard.metrics import Metric

TITLE = "消费者权益保护投诉情况月度简报"
UNENDED_NOTE = "本月尚未结束，数据截至{as_of:%m月%d日}，暂不计算增减幅度"


def rise_text(data: trends.TrendData, contribution: int) -> str:
    """A driver's rise in words. In a month still running it is a lower bound: its days so far already
    exceed the whole previous month (trends.load keeps such rises), and it says so, or it would read as the
    comparison the paper says it does not make (hostile H224)."""
    if data.headline.get("incomplete") and data.as_of is not None:
        return f"截至{data.as_of:%m月%d日}已比上月全月多 {contribution:,d} 件"
    return f"较上月 +{contribution:,d} 件"


def ledger_items(data_dir: Path, principal: Principal | None) -> pd.DataFrame:
    """The ledger items the trends page, its download and the command's briefing all count (hostile H130:
    the command ran on an empty ledger): what `principal` may see, overdue as of today. The withdrawn ones ride
    along in attrs["withdrawn"] (Ledger.withdrawn), counted nowhere but said (hostile H207)."""
    ledger = Ledger(data_dir, principal)
    items = ledger.items(clock.today())
    items.attrs["withdrawn"] = ledger.withdrawn()
    return items


def withdrawn_text(r) -> str:
    """Items withdrawn this month (误建或重复) count nowhere, and are said, overdue ones named (hostile H207)."""
    if not r.withdrawn:
        return ""
    late = f"，其中撤销时已逾期 {r.withdrawn_overdue} 项" if r.withdrawn_overdue else ""
    return f"；另有 {r.withdrawn} 项本月由消保部撤销（误建或重复，不计入以上各项{late}）"


def build(
    con: duckdb.DuckDBPyConnection, filters: Filters, month: date, items: pd.DataFrame | None = None
) -> trends.TrendData:
    """The page's data for the briefing; `items` as ledger_items (None: no ledger)."""
    return trends.load(trends.runner(con, filters), filters, month, ledger_items=items)


def file_stem(data: trends.TrendData) -> str:
    """消保投诉月度简报_2026-10[_机构][_筛选值]: distinct files for distinct views."""
    parts = [f"消保投诉月度简报_{data.month.year}-{data.month.month:02d}"]
    if data.filters.org:
        parts.append(data.scope_label)
    values = [*(data.filters.categories or ()), *(data.filters.reasons or ()), *(data.filters.channels or ())]
    if data.filters.referred is not None:
        values.append("监管转办" if data.filters.referred else "非监管转办")
    if data.filters.basis or data.filters.age_group:
        values += [
            label
            for label in (
                data.filters.basis and data.filters.basis_label,
                data.filters.age_group and data.filters.age_group_label,
            )
            if label
        ]
    if values:
        parts.append("、".join(values)[:40])
    return "_".join(parts).replace("/", "-")


def title(data: trends.TrendData) -> str:
    return f"{TITLE}（{month_text(data.month)}）"


def scope_text(data: trends.TrendData) -> str:
    return (
        data.scope_label
        + (f"（{data.filter_label}）" if data.filter_label else "")
        + f" · {data.filters.counting_label}"
    )


@dataclass(frozen=True)
class HeadlineRow:
    metric: Metric
    value: float | None
    previous: float | None  # the value compared with: last month's (like for like when provisional),
    # for 环比/同比 last month's / last year's count; None when not loaded
    change: float | None  # in change_unit
    verdict: str  # 改善 / 变差 / 持平 / —: whether the number is good for the reader
    basis: str = "较上月"  # 较上月 / 较去年同月 / 较上月同期
    change_unit: str = ""  # the unit of `change` (count for 环比/同比)


def headline_rows(data: trends.TrendData) -> list[HeadlineRow]:
    rows = []
    for metric in trends.HEADLINE:
        c = data.comparisons[metric.key]
        rows.append(
            HeadlineRow(
                metric=metric,
                value=data.headline[metric.key],
                previous=c.base,
                change=c.change,
                verdict=c.verdict,
                basis=f"{c.basis}（{trends.SMALL_NOTE}）"
                if c.small and c.basis not in trends.NOT_COMPARED
                else c.basis,  # H157
                change_unit=c.unit,
            )
        )
    return rows


def month_label(data: trends.TrendData, month) -> str:
    """A month of a 24-month table: YYYY-MM, and for the report month while it has not ended, how far its
    data reach (hostile H261: the workbook's trend sheet listed a month cut at its 15th as an ordinary
    month, a fall by half with nothing to say why; the HTML hatches it and says so under the chart)."""
    label = f"{month.year}-{month.month:02d}"
    running = data.headline.get("incomplete") and (month.year, month.month) == (data.month.year, data.month.month)
    return f"{label}（未结束，截至{data.as_of:%m月%d日}）" if running and data.as_of else label


def trend_frame(data: trends.TrendData) -> pd.DataFrame:
    """The 24-month trend with Chinese headers; numbers stay numbers (formats are the writer's job)."""
    t = data.trend
    signal = t["signal"].map({"high": "异常偏高", "low": "异常偏低"}).fillna("")
    return pd.DataFrame(
        {
            "月份": [month_label(data, m) for m in t["month"]],
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
        }
    )


def no_movers(data: trends.TrendData) -> str | None:
    """Why the month has no decomposition (None when it has one): no previous month, or the month has not
    ended (a fall that is only the unfinished month is no mover: hostile H70)."""
    if not data.has_previous:
        return "因缺少上月数据，暂无法计算环比，也无法做环比变动分解。"
    if not data.movers and data.headline.get("partial"):
        return f"{data.headline['partial']}，不做环比变动分解。"
    if not data.movers:
        return "本月尚未结束（数据时点在月末之前）：月未结束，不比较，不做环比变动分解。"
    return None


def movers_frame(data: trends.TrendData, dimension: str) -> pd.DataFrame:
    m = data.movers.get(dimension)
    if m is None:
        return pd.DataFrame(columns=["项目", "上月", "本月", "变动", "占总变动", "环比"])
    return pd.DataFrame(
        {
            "项目": m["label"],
            "上月": m["previous"],
            "本月": m["current"],
            "变动": m["contribution"],
            "占总变动": m["share_of_change"].astype("float64"),
            "环比": m["mom_pct"].astype("float64") / 100,
        }
    )


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
        (
            "按时办结",
            f"在本投诉适用的办理时限内（含到期当天）办结；{metrics.DEADLINE_RULE_ZH}数据时点为已加载数据中最晚的受理或办结时间。",
        ),
        ("重复投诉", f"同一客户在此前 {REPEAT_WINDOW_DAYS} 天内已有同一业务类别的投诉。"),
        ("控制限", trends.CONTROL_RULE),
        (
            "环比变动分解",
            "按维度把本月与上月投诉量之差拆分到各项：各项的（本月 − 上月）之和等于总变动；"
            "“占总变动”为该项变动 ÷ 总变动（总变动为 0 时不计算）。"
            f"一级分行维度中，直接归属总行、不属于任何一级分行的投诉记为“{trends.UNASSIGNED}”。",
        ),
        ("—", "无法计算：缺少对比期数据、对比期为 0，或未加载客户数。"),
    ]
    return rows


_DIGITS = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """A section number in Chinese (1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, 23 -> 二十三), for 1..99."""
    if not 0 < n < 100:
        raise ValueError(f"section number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


# --- The meeting paper's sections (issue 18): both writers render these blocks -------------------------
def suggestions(data: trends.TrendData) -> str:
    """Work suggestions drafted from the data, one a line, for the analyst to edit on the page."""
    lines = []
    for d in data.drivers:
        what = f"{trends.DIMENSIONS[d.dimension]}“{d.label}”投诉{rise_text(data, d.contribution)}"
        if d.surge:
            what += f"，其中最强激增为{d.surge_text}"  # not 集中在: the slice need not hold most of the rise (H169)
        action = (
            "建议跟进对应整改事项（" + d.items_text() + "）的进度与成效"
            if d.items
            else "建议责任部门开展专项排查，查明根因后在整改台账建立整改事项"
        )
        lines.append(f"{len(lines) + 1}. {what}；{action}。")
    f = data.funnel
    for row in f.rows if f is not None else []:
        if row["tier"] == "最需关注":
            lines.append(
                f"{len(lines) + 1}. {row['branch_name']}万人投诉率 {fmt.per10k(row['per_10k'])} 件/万户，高于漏斗图 99.8% 控制限"
                f"（同级平均 {fmt.per10k(row['expected_per_10k'])} 件/万户），建议督导该机构查明原因并报送整改方案。"
            )
    r = data.rectification
    if r is not None and r.overdue:
        lines.append(f"{len(lines) + 1}. 整改台账有{r.overdue}项已逾期，建议督办。")
    if r is not None and r.closed_no_effect:
        lines.append(
            f"{len(lines) + 1}. 本月完成的整改中有{r.closed_no_effect}项整改后投诉未见下降，建议复核整改措施。"
        )
    if data.headline.get("open_overdue"):
        lines.append(f"{len(lines) + 1}. 超期未办结投诉{data.headline['open_overdue']:,d}件，建议督促办结。")
    return "\n".join(lines)


def _relative(h: dict, c: trends.Comparison, name: str) -> str:
    """环比 / 同比 in the one-page summary: the percentage with its count, or on a small base the counts only
    (trends.SMALL_BASE, hostile H157: 1 against 2 read 环比 -50.0 %)."""
    if c.small:
        base = "上月" if c.key == "mom_pct" else "上年同期"
        return f"{c.basis} {c.text}（{base} {c.base:,.0f} 件，件数较少，不计算{name}）"
    return f"{name} {fmt.pct(h[c.key])}（{c.text or '—'}，{c.verdict}）"


def one_page(data: trends.TrendData) -> list[str]:
    """The one-page summary: how the month went, what went up and why, what the bank is doing."""
    h, c = data.headline, data.comparisons
    if h.get("incomplete"):  # part of a month: its change against whole months is no change (hostile H70)
        first = f"投诉 {h['complaints']:,d} 件（{UNENDED_NOTE.format(as_of=data.as_of)}）。"
    elif h.get("partial"):  # part of the bank: no fall, no 改善 (hostile H192)
        first = f"投诉 {h['complaints']:,d} 件（{h['partial']}，请核实本月导入的数据）。"
    else:
        first = f"投诉 {h['complaints']:,d} 件；{_relative(h, c['mom_pct'], '环比')}；{_relative(h, c['yoy_pct'], '同比')}。"
    out = [first]
    if h.get("incomplete") or h.get("partial"):  # nothing is compared: no "（本月不完整 —，—）" (hostile H180)
        compared = ""
    else:
        compared = f"（{c['on_time_rate'].basis} {c['on_time_rate'].text or '—'}，{c['on_time_rate'].verdict}）"
    on_time = "暂无法计算" if h["on_time_rate"] is None else fmt.rate(h["on_time_rate"])
    handling = (
        f"按时办结率 {on_time}{compared}；平均办结 {'暂无' if h['avg_handling_days'] is None else fmt.days(h['avg_handling_days'])}；"
        f"超期未办结 {h['open_overdue']:,d} 件。"
    )
    out.append(handling + (" 【暂估（数据未成熟）】" if h.get("provisional") else ""))
    if data.maturity is not None and data.maturity.provisional:
        out.append(data.maturity.note())
    named: list = []
    for d in data.drivers:
        line = f"上升：{trends.DIMENSIONS[d.dimension]}“{d.label}” {rise_text(data, d.contribution)}"
        earlier = next((e for e in named if leadership.same_surge(d.surge, e.surge, data.parents)), None)
        if earlier is not None:
            line += f"，最强激增与“{earlier.label}”相同"
        elif d.surge:
            named.append(d)
            line += f"，最强激增 {d.surge_text}"
            if d.terms or not d.terms_ready:
                line += "，上升热词 " + d.terms_text()
        out.append(line + f"；整改：{d.items_text()}。")
    r = data.rectification
    if r is not None and not r.empty:
        out.append(
            f"整改台账：本月新立 {r.opened} 项、到期 {r.due} 项、已逾期 {r.overdue} 项、完成 {r.closed} 项"
            f"（计为已整改 {r.closed_effective} 项；投诉未见下降、计为待重开 {r.closed_no_effect} 项；尚无法评估 {r.closed_pending} 项）"
            f"{withdrawn_text(r)}。"
        )
    else:
        out.append("整改台账：暂无整改事项。")
    outside = funnel_text(data)
    if outside:
        out.append(f"控制限外的机构：{outside}。")
    if data.terms_note:  # the rising terms above were cut by older rules (the page says it too)
        out.append(f"说明：{data.terms_note}")
    return out


def funnel_text(data: trends.TrendData, limit: int = 3) -> str | None:
    """The organisations above the funnel limits in a few words (None: not computable)."""
    f = data.funnel
    if f is None:
        return None
    # organisations without a rate took no part: say how many, or "none above" reads as all of them fine
    left_out = f"（{f.base_incomplete} 家客户数不全，未参与）" if f.base_incomplete else ""
    if f.target is None:
        return f"本月{f.level}均无万人投诉率{left_out}，无法比较" if left_out else None
    if not f.rows:
        return f"本月没有{f.level}的万人投诉率高于 95% 控制限{left_out}"
    named = "、".join(
        f"{r['branch_name']}（{r['tier']}，{fmt.per10k(r['per_10k'])} 件/万户，同级平均 {fmt.per10k(r['expected_per_10k'])} 件/万户）"
        for r in f.rows[:limit]
    )
    more = f"等 {len(f.rows)} 家" if len(f.rows) > limit else ""
    return f"{f.level}中 {named}{more}高于控制限{left_out}"


def key_points(data: trends.TrendData) -> list[tuple[str, str]]:
    """The page's ten-second read above the cards: (what, in a few words) for what went up and why, the
    organisations outside the funnel limits, and what the bank is doing (the ledger)."""
    points = []
    rising: list = []
    for d in sorted(data.drivers, key=lambda d: -d.contribution):
        if any(leadership.same_surge(d.surge, r.surge, data.parents) for r in rising):
            continue  # two movers often share one surge (个人贷款 and 定价收费): name it once
        rising.append(d)
    rising = rising[:2]
    if rising:
        parts = []
        for d in rising:
            text = f"{d.label} {rise_text(data, d.contribution)}"
            if d.surge:
                text += f"（最强激增 {d.surge_text}"
                text += f"；上升热词 {'、'.join(d.terms[:3])}）" if d.terms else "）"
            parts.append(text)
        points.append(("上升最多", "；".join(parts)))
    elif data.has_previous and not data.headline.get("incomplete") and not data.headline.get("partial"):
        points.append(("上升最多", "各业务类别、投诉原因和一级分行的投诉均未较上月增加"))
    outside = funnel_text(data)
    if outside:
        points.append(("控制限外", outside))
    r = data.rectification
    covered = sum(1 for d in rising if d.items)
    if r is None or r.empty:
        doing = "整改台账中暂无事项"
    else:
        doing = f"整改台账本月新立 {r.opened} 项、完成 {r.closed} 项、已逾期 {r.overdue} 项{withdrawn_text(r)}"
        if r.closed_no_effect:
            doing += f"，{r.closed_no_effect} 项整改后投诉未见下降（待重开）"
    if rising:
        doing += (
            "；上述上升项均无对应整改事项"
            if not covered
            else f"；上述 {len(rising)} 个上升项中 {covered} 个有对应整改事项"
        )
    points.append(("整改", doing))
    return points


def sections(data: trends.TrendData, notes: str | None = None) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of the meeting paper's sections after the one-page summary."""
    h = data.headline
    blocks: list[tuple[str, list[str]]] = []
    drivers = []
    for d in data.drivers:
        drivers.append(
            f"{trends.DIMENSIONS[d.dimension]}“{d.label}”{rise_text(data, d.contribution)}。"
            + (
                f"最强激增：{d.surge_text}；上升热词：{d.terms_text()}。"
                if d.surge
                else "该项中没有达到激增标准的切片。"
            )
        )
    none = "本月没有较上月增加的业务类别、投诉原因或一级分行。"
    if h.get("incomplete"):
        none = f"{UNENDED_NOTE.format(as_of=data.as_of)}；没有已超过上月全月的项目，减少不作分析。"
    blocks.append(("热点与激增", drivers or [none]))
    blocks.append((FUNNEL_HEADING, funnel_lines(data)))  # the meeting paper's order (issue 18 §4)
    comp = trends.month_composition(data.breakdown, "root_cause", data.month)
    blocks.append(
        (
            "根因分类",
            [
                (
                    "、".join(
                        f"{label} {n:,d} 件（{fmt.rate(s)}）"
                        for label, n, s in zip(comp["label"], comp["complaints"], comp["share"])
                    )
                    + "。"
                )
                if not comp.empty
                else "本月没有投诉。"
            ]
            + ([trends.ROOT_CAUSE_YOUNG] if h.get("provisional") and not comp.empty else []),
        )
    )
    referred = h["regulator_referred"]
    repeat = repeats.REMOVED_ZH if data.repeats_removed else h["repeat_rate"]
    blocks.append(
        (
            "重复投诉与监管转办投诉",
            [
                f"监管转办投诉 {referred:,d} 件（按“是否监管转办”标记统计）"
                + (
                    ""
                    if h.get("incomplete") or h.get("partial")
                    else f"，{data.comparisons['regulator_referred'].basis} {data.comparisons['regulator_referred'].text or '—'}"
                )
                + "。",
                f"重复投诉率 {repeat if isinstance(repeat, str) else fmt.rate(repeat)}。",
            ],
        )
    )
    r = data.rectification
    rect = []
    if r is None or r.empty:
        rect.append("整改台账中暂无事项。")
    else:
        rect.append(
            f"本月新立 {r.opened} 项、到期 {r.due} 项、已逾期 {r.overdue} 项、完成整改 {r.closed} 项{withdrawn_text(r)}。"
        )
        rect += [
            f"#{x['id']} {x['title']}：{x['status']}，整改成效：{x['effect']}（计为：{x['counted_as']}）。"
            for x in r.rows
        ]
    for d in data.drivers:
        rect.append(f"{d.label}：{d.items_text()}。")
    blocks.append(("整改进展与成效", rect))
    cases = [f"{d.label}（投诉编号 {d.case_id}）：{d.case}" for d in data.drivers if d.case]
    blocks.append(("典型案例（个人信息已脱敏）", cases or ["本月没有可列举的激增典型案例。"]))
    text = notes.strip() if notes and notes.strip() else suggestions(data)
    blocks.append(("工作建议（根据数据拟定，分析人员可在页面修改）", text.splitlines() or ["（无）"]))
    return blocks


FUNNEL_HEADING = "控制限外的机构（漏斗图）"
FUNNEL_COLUMNS = (
    "排名",
    "机构",
    "机构代码",
    "关注档",
    "投诉量（件）",
    "预期投诉量（件）",
    "95%上控制限（件）",  # beside the count: 97 against 96.7, where both rates read 0.97 (hostile H168)
    "万人投诉率（件/万户）",
    "平均万人投诉率（件/万户）",
    "95%上控制限（件/万户）",
    "99.8%上控制限（件/万户）",
)


def funnel_lines(data: trends.TrendData) -> list[str]:
    """What the funnel section says above its table (funnel_frame)."""
    f = data.funnel
    if f is None:
        return ["本月不在已加载数据的月份范围内，无法比较各机构。"]
    if f.target is None:
        return [f"未加载本月{f.level}的客户数，无法计算万人投诉率及其控制限。"]
    rule = (
        f"比较范围：{data.scope_label}下的{f.level}（{f.organisations} 家有客户数），本月平均万人投诉率 "
        f"{fmt.per10k(f.target * 10_000)} 件/万户。按各机构月均客户数计算平均水平下的预期投诉量 E，"
        "控制限为泊松分布 Poisson(E) 的 2.5%/97.5%（95% 控制限）和 0.1%/99.9%（99.8% 控制限）分位数；"
        "高于 99.8% 控制限为“最需关注”（纯属偶然的概率不足 0.1%），高于 95% 控制限为“需关注”。"
        "顺序与“机构排名”页相同：先按关注档，档内按关注度得分。"
    )
    if not f.rows:
        return [rule, f"本月没有{f.level}的万人投诉率高于 95% 控制限。"]
    top = sum(r["tier"] == "最需关注" for r in f.rows)
    among = f"其中 {top} 家高于 99.8% 控制限" if top else "均未高于 99.8% 控制限"
    return [rule, f"本月 {len(f.rows)} 家{f.level}高于 95% 控制限，{among}："]


def funnel_frame(data: trends.TrendData) -> pd.DataFrame:
    """The funnel section's table (Chinese headers; numbers stay numbers; None where not computable)."""
    rows = data.funnel.rows if data.funnel is not None else []
    return pd.DataFrame(
        [
            (
                r["rank"] if r["ranked"] else "不参与排名",
                r["branch_name"],
                r["branch_code"],
                r["tier"],
                r["complaints"],
                r["expected"],
                r["upper_95"],
                r["per_10k"],
                r["expected_per_10k"],
                r["upper_95_per_10k"],
                r["upper_998_per_10k"],
            )
            for r in rows
        ],
        columns=list(FUNNEL_COLUMNS),
    )
