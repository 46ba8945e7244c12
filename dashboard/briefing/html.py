"""The briefing as one self-contained HTML file: plotly.js inlined once, charts interactive, no request to
any network (no CDN, no web fonts), and an A4 print layout (@page / @media print)."""

from __future__ import annotations

import html

import plotly.io as pio
from plotly.offline import get_plotlyjs

from dashboard import clock, fmt, metrics
from dashboard.analysis import trends
from dashboard.analysis.summary import month_text, summary
from dashboard.briefing import build, lens
from dashboard.charts import trends as charts
from dashboard.filters import month_label
from dashboard.text.masking import mask

CHART_WIDTH = 680  # px: fits the A4 printable width (186 mm ≈ 703 px) with a little to spare
CONFIG = {
    "displaylogo": False,
    "responsive": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

CSS = """
:root { --blue: #1f5fa8; --grey: #5b6670; --line: #d6dde5; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f5; color: #1d2733;
       font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 14px; line-height: 1.7; }
.page { width: 780px; margin: 24px auto; background: #fff; padding: 36px 48px 48px;
        box-shadow: 0 1px 6px rgba(0,0,0,.12); }
header { border-bottom: 3px solid var(--blue); padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 22px; margin: 0 0 4px; color: var(--blue); letter-spacing: 1px; }
h2 { font-size: 17px; margin: 26px 0 10px; padding-left: 8px; border-left: 4px solid var(--blue); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .note { color: var(--grey); font-size: 12px; margin: 2px 0; }
.summary { text-indent: 2em; text-align: justify; margin: 8px 0 14px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; }
th { background: #e8eef6; font-weight: 600; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.good { color: #2ca02c; font-weight: 600; }
td.bad { color: #d62728; font-weight: 600; }
tr.total td { font-weight: 700; background: #f3f6fa; }
.chart { width: 680px; margin: 8px 0 4px; }
.notes { white-space: pre-wrap; border: 1px solid var(--line); background: #fafbfc; padding: 10px 14px; }
dl { margin: 0; font-size: 12px; }
dt { font-weight: 600; margin-top: 6px; }
dd { margin: 0 0 0 1em; color: var(--grey); }
@page { size: A4 portrait; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 12.5px; }
  .page { width: auto; margin: 0; padding: 0; box-shadow: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .chart, table, .keep, .summary { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .modebar-container { display: none !important; }
  section.break { break-before: page; page-break-before: always; }
}
"""


def _e(value) -> str:
    return html.escape(str(value))


def _figure(fig, height: int) -> str:
    fig = fig.update_layout(width=CHART_WIDTH, height=height, autosize=False)
    return (
        '<div class="chart">'
        + pio.to_html(
            fig,
            include_plotlyjs=False,
            full_html=False,
            config=CONFIG,
            default_width=f"{CHART_WIDTH}px",
            default_height=f"{height}px",
        )
        + "</div>"
    )


def rate_text(value, unit: str) -> str:
    """A value by its unit, a rate per 10,000 with 件/万户 and a count with 件 (hostile H93, H170: a bare 1.25
    or 981 reads as anything)."""
    text = fmt.by_unit(value, unit)
    if text == fmt.DASH:
        return text
    return text + {"per10k": " 件/万户", "count": " 件"}.get(unit, "")  # every number with its unit (H170)


def _headline_table(data: trends.TrendData) -> str:
    rows = []
    for item in build.headline_rows(data):
        unit = item.metric.unit
        cls = {"改善": "good", "变差": "bad"}.get(item.verdict, "")
        change = trends.change_text(item.change_unit, item.change) or fmt.DASH
        if item.change_unit == "per10k" and change not in (fmt.DASH, "持平"):
            change += " 件/万户"  # every rate with its unit (hostile H93)
        rows.append(
            f"<tr><td>{_e(item.metric.label)}</td><td class='num'>{_e(rate_text(item.value, unit))}</td>"
            f"<td class='num'>{_e(rate_text(item.previous, item.change_unit))}</td>"
            f"<td class='num {cls}'>{_e(trends.NOT_COMPARED.get(item.basis) or item.basis + ' ' + change)}</td>"
            f"<td class='{cls}' style='text-align:center'>{_e(item.verdict)}</td></tr>"
        )
    return (
        "<table class='keep'><thead><tr><th>指标</th><th>本月</th><th>对比值</th><th>变化</th><th>评价</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        "<p class='note'>环比、同比的对比值为上月、去年同月的投诉量，变化为本月投诉量与之相差的件数（投诉增加为变差）；"
        "其余指标与上月比较，本月数据未成熟时办理类指标与上月同期（相同数据时点）比较；绿色表示改善，红色表示变差；"
        "— 表示无法计算（缺少对比期数据、对比期为 0 或未加载客户数）。</p>"
    )


def _movers_section(data: trends.TrendData) -> str:
    reason = build.no_movers(data)
    if reason:
        return f"<p>{reason}</p>"
    current, previous = data.headline["complaints"], data.previous["complaints"]
    parts = [
        f"<p>本月 {fmt.count(current)} 件，上月 {fmt.count(previous)} 件，总变动 {current - previous:+,d} 件。"
        "每个维度下，各项变动（本月 − 上月）之和等于总变动；下表按变动绝对值从大到小列出前 10 项。</p>"
    ]
    for dimension in trends.MOVER_DIMENSIONS:
        movers = data.movers[dimension]
        label = trends.DIMENSIONS[dimension]
        parts.append(f"<h3>按{_e(label)}</h3>")
        if movers.empty:
            parts.append("<p>这两个月在当前筛选条件下都没有投诉。</p>")
            continue
        if dimension == "root_cause" and data.headline.get("provisional"):
            parts.append(f"<p class='note'>{_e(trends.ROOT_CAUSE_YOUNG)}</p>")
        if dimension in ("business_category", "tier1_branch"):
            parts.append(
                _figure(
                    charts.waterfall_chart(
                        movers, previous, current, month_label(data.previous_month), month_label(data.month), label
                    ),
                    340,
                )
            )
        shown, rest = movers.head(10), movers.iloc[10:]
        rows = [
            f"<tr><td>{_e(r.label)}</td><td class='num'>{fmt.count(r.previous)}</td>"
            f"<td class='num'>{fmt.count(r.current)}</td><td class='num'>{r.contribution:+,d}</td>"
            f"<td class='num'>{fmt.rate(r.share_of_change)}</td><td class='num'>{fmt.pct(r.mom_pct)}</td></tr>"
            for r in shown.itertuples()
        ]
        if len(rest):
            rows.append(
                f"<tr><td>其余 {len(rest)} 项</td><td class='num'>{fmt.count(rest['previous'].sum())}</td>"
                f"<td class='num'>{fmt.count(rest['current'].sum())}</td>"
                f"<td class='num'>{int(rest['contribution'].sum()):+,d}</td><td></td><td></td></tr>"
            )
        rows.append(
            f"<tr class='total'><td>合计</td><td class='num'>{fmt.count(movers['previous'].sum())}</td>"
            f"<td class='num'>{fmt.count(movers['current'].sum())}</td>"
            f"<td class='num'>{int(movers['contribution'].sum()):+,d}</td><td></td><td></td></tr>"
        )
        parts.append(
            f"<table><thead><tr><th>{_e(label)}</th><th>上月</th><th>本月</th><th>变动</th><th>占总变动</th>"
            "<th>环比</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )
    return "".join(parts)


def _trend_section(data: trends.TrendData) -> str:
    trend = data.trend
    if trend.empty:
        return "<p>所选月份之前没有已加载的数据，无法绘制走势。</p>"
    partial = data.month if data.headline.get("incomplete") else None
    parts = [_figure(charts.volume_chart(trend, partial=partial), 380)]
    if partial is not None:
        parts.append(
            f"<p class='note'>{data.month.year}年{data.month.month}月尚未结束（数据截至{data.as_of:%m月%d日}），"
            "图中该月（斜线）只含已过去的日子，不能与整月比较。</p>"
        )
    flagged = trend[trend["signal"].notna()]
    if trend["upper"].isna().all():
        parts.append("<p class='note'>数据不足：季节性控制限需要上年同月及此前约 18 个月的数据，暂不标记异常月份。</p>")
    elif flagged.empty:
        parts.append("<p class='note'>近24个月中没有超出控制限的月份。</p>")
    else:
        listed = "、".join(
            f"{month_label(m)}（{'异常偏高' if s == 'high' else '异常偏低'}）"
            for m, s in zip(flagged["month"], flagged["signal"])
        )
        parts.append(f"<p class='note'>超出控制限的月份：{_e(listed)}。</p>")
    parts.append(f"<p class='note'>{_e(trends.CONTROL_RULE)}</p>")
    if trend["per_10k"].notna().any():
        parts.append(_figure(charts.rate_chart(trend), 300))
    else:
        parts.append("<p>未加载这些月份的客户数，无法计算万人投诉率。</p>")
    return "".join(parts)


def _composition_section(data: trends.TrendData) -> str:
    composition = trends.month_composition(data.breakdown, "business_category", data.month)
    if composition.empty:
        return "<p>本月在当前筛选条件下没有投诉。</p>"
    parts = [
        _figure(
            charts.composition_chart(composition, "业务类别", month_text(data.month)),
            max(220, 60 + 30 * min(len(composition), 10)),
        )
    ]
    table = trends.breakdown_table(data.breakdown, "business_category", list(data.trend["month"]), top=6, shares=True)
    parts.append(_figure(charts.breakdown_chart(table, "业务类别", shares=True), 360))
    return "".join(parts)


def _funnel_table(data: trends.TrendData) -> str:
    frame = build.funnel_frame(data).drop(columns=["机构代码"])  # the Excel sheet keeps it; A4 is narrow
    if frame.empty:
        return ""
    one_decimal = lambda v: fmt.DASH if v is None else f"{v:,.1f}"  # noqa: E731
    numeric = {"投诉量（件）": fmt.count, "预期投诉量（件）": one_decimal, "95%上控制限（件）": one_decimal}
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = []
    for values in frame.itertuples(index=False):
        cells = []
        for name, value in zip(frame.columns, values):
            if name in numeric:
                cells.append(f"<td class='num'>{_e(numeric[name](value))}</td>")
            elif "件/万户" in name:
                cells.append(f"<td class='num'>{_e(fmt.per10k(value))}</td>")
            elif name == "关注档":
                cells.append(f"<td class='bad' style='white-space:nowrap'>{_e(value)}</td>")
            else:
                cells.append(f"<td style='white-space:nowrap'>{_e(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def document(data: trends.TrendData, notes: str | None = None) -> str:
    notes = mask(notes)  # the department's notes may name people: they leave masked like narratives
    as_of = f"{data.as_of:%Y-%m-%d %H:%M}" if data.as_of else "—"
    seen = f"（{data.seen_note}）" if data.seen_note else ""  # some organisations' data stop earlier (H201)
    stale = metrics.stale_warning(data.as_of)  # old data says so (H137)
    stale_html = f"<p class='meta'><strong>{_e(stale)}</strong></p>" if stale else ""
    if data.terms_note:  # the rising terms cut by older masking rules, until rebuild (also in the summary)
        stale_html += f"<p class='meta'>{_e(data.terms_note)}</p>"
    page_one = "".join(f"<p>{_e(line)}</p>" for line in build.one_page(data))
    numbered = [
        ("总体情况", f"<p class='summary'>{_e(summary(data))}</p>" + _headline_table(data), "break"),
        ("月度走势", _trend_section(data), ""),
        ("投诉构成", _composition_section(data), ""),
        ("环比变动分解", _movers_section(data), "break"),
    ]
    lens_html = lens.html(data, _e)
    if lens_html:  # the loader did not compute it: no heading over nothing
        numbered.append((lens.HEADING, lens_html, ""))
    for heading, lines in build.sections(data, notes):
        content = "".join(f"<p>{_e(line)}</p>" for line in lines)
        if heading == build.FUNNEL_HEADING:
            content += _funnel_table(data)
        numbered.append((heading, content, ""))
    sections = [("本月要点（一页摘要）", f"<div class='summary'>{page_one}</div>", "")]
    # numbered consecutively whatever sections are present: 一、二、… 十、十一、
    sections += [
        (f"{build.numeral(i)}、{heading}", content, cls) for i, (heading, content, cls) in enumerate(numbered, 1)
    ]
    definitions = "".join(f"<dt>{_e(name)}</dt><dd>{_e(text)}</dd>" for name, text in build.definitions())
    sections.append(("附：指标口径", f"<dl>{definitions}</dl>", "break"))
    body = "".join(
        f"<section class='{cls}'><h2>{_e(heading)}</h2>{content}</section>" for heading, content, cls in sections
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(build.title(data))}</title>
<style>{CSS}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head>
<body>
<main class="page">
<header>
<h1>{_e(build.title(data))}</h1>
<p class="meta">统计范围：{_e(build.scope_text(data))}　·　数据截至：{_e(as_of)}{_e(seen)}　·　生成时间：{clock.local_now():%Y-%m-%d %H:%M}</p>
{stale_html}
</header>
{body}
</main>
</body>
</html>
"""
