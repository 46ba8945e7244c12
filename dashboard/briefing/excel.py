"""The briefing as an Excel workbook (xlsxwriter): one sheet per section, Chinese headers, numbers kept
as numbers with Excel number formats (so a reader can still sum and sort them)."""

from __future__ import annotations

import io
import math

import pandas as pd
import xlsxwriter

from dashboard import clock, metrics
from dashboard.analysis import maturity, trends
from dashboard.analysis.summary import summary
from dashboard.briefing import build, lens
from dashboard.text.export_cells import XLSX_OPTIONS, is_trigger
from dashboard.text.masking import mask

FONT = "Microsoft YaHei"  # present on the bank's office PCs; Excel falls back to its default elsewhere

# Excel number formats per metric unit: the value, and its change against the previous month.
# every number with its unit, as the page shows it (hostile H93, H170)
VALUE_FORMAT = {
    "count": '#,##0" 件"',
    "rate": "0.0%",
    "pct": "+0.0%;-0.0%;0.0%",
    "per10k": '0.00" 件/万户"',
    "days": '0.0" 天"',
}
CHANGE_FORMAT = {
    "count": '+#,##0" 件";-#,##0" 件";"持平"',
    "rate": '+0.0" 个百分点";-0.0" 个百分点";"持平"',
    "pct": '+0.0" 个百分点";-0.0" 个百分点";"持平"',
    "per10k": '+0.00" 件/万户";-0.00" 件/万户";"持平"',
    "days": '+0.0" 天";-0.0" 天";"持平"',
}


def _excel_value(unit: str, value):
    """Numbers as Excel stores them: percent values (环比/同比) as fractions."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value / 100 if unit == "pct" else value


def _excel_change(unit: str, change):
    change = trends.rounded_change(unit, change)
    if change is None:
        return None
    return change * 100 if unit in ("rate",) else change


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.book = book
        self.base = base
        self.title = book.add_format({**base, "bold": True, "font_size": 16})
        self.meta = book.add_format({**base, "font_color": "#555555"})
        self.section = book.add_format({**base, "bold": True, "font_size": 12, "font_color": "#1f5fa8"})
        self.header = book.add_format(
            {**base, "bold": True, "bg_color": "#dde7f3", "border": 1, "align": "center", "text_wrap": True}
        )
        self.text = book.add_format({**base, "border": 1})
        self.wrap = book.add_format({**base, "text_wrap": True, "valign": "top"})
        # text that starts with = + - @ is written as a quote-prefixed text cell (export_cells)
        self.text_quoted = book.add_format({**base, "border": 1, "quote_prefix": True})
        self.header_quoted = book.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#dde7f3",
                "border": 1,
                "align": "center",
                "text_wrap": True,
                "quote_prefix": True,
            }
        )
        self.wrap_quoted = book.add_format({**base, "text_wrap": True, "valign": "top", "quote_prefix": True})
        self.dash = book.add_format({**base, "border": 1, "align": "right", "font_color": "#888888"})
        self.good = book.add_format({**base, "border": 1, "font_color": "#2ca02c", "bold": True, "align": "center"})
        self.bad = book.add_format({**base, "border": 1, "font_color": "#d62728", "bold": True, "align": "center"})
        self.neutral = book.add_format({**base, "border": 1, "align": "center"})
        self._numbers: dict[tuple, xlsxwriter.format.Format] = {}

    def number(self, num_format: str, **extra) -> xlsxwriter.format.Format:
        key = (num_format, tuple(sorted(extra.items())))
        if key not in self._numbers:
            self._numbers[key] = self.book.add_format({**self.base, "border": 1, "num_format": num_format, **extra})
        return self._numbers[key]


def _cell(sheet, row, col, value, fmt, f: _Formats) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        sheet.write_string(row, col, "—", f.dash)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, f.text_quoted if is_trigger(value) else f.text)
    else:
        sheet.write_number(row, col, float(value), fmt)


def _table(sheet, row: int, frame: pd.DataFrame, formats: dict[str, str], f: _Formats, widths=None) -> int:
    """Write a frame with a header row; returns the next free row."""
    for col, name in enumerate(frame.columns):
        sheet.write_string(row, col, str(name), f.header_quoted if is_trigger(str(name)) else f.header)
    for r, values in enumerate(frame.itertuples(index=False), start=row + 1):
        for col, (name, value) in enumerate(zip(frame.columns, values)):
            _cell(sheet, r, col, value, f.number(formats.get(name, "#,##0")), f)
    if widths:
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
    return row + 1 + len(frame)


def _overview(book, f: _Formats, data: trends.TrendData, notes: str | None) -> None:
    sheet = book.add_worksheet("概览")
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 3, 14)
    sheet.set_column(4, 4, 10)
    sheet.set_column(5, 5, 70)
    sheet.write(0, 0, build.title(data), f.title)
    as_of = f"{data.as_of:%Y-%m-%d %H:%M}" if data.as_of else "—"
    seen = f"（{data.seen_note}）" if data.seen_note else ""  # some organisations' data stop earlier (H201)
    sheet.write(
        1,
        0,
        f"统计范围：{build.scope_text(data)}　数据截至：{as_of}{seen}　生成时间：{clock.local_now():%Y-%m-%d %H:%M}",
        f.meta,
    )
    stale = metrics.stale_warning(data.as_of)  # old data says so (H137)
    # and terms cut by older masking rules (until rebuild), on the same line: row 3 is the first section's
    warned = "；".join(n for n in (stale, data.terms_note) if n)
    if warned:
        sheet.write(2, 0, warned, f.meta)

    sheet.write(3, 0, "一、综述", f.section)
    sheet.merge_range(4, 0, 4, 5, summary(data), f.wrap)
    sheet.set_row(4, 150)

    row = 6
    sheet.write(row, 0, "二、主要指标", f.section)
    headers = ["指标", "本月", "对比值", "变化", "评价", "口径说明"]
    for col, name in enumerate(headers):
        sheet.write_string(row + 1, col, name, f.header)
    for r, item in enumerate(build.headline_rows(data), start=row + 2):
        unit = item.metric.unit
        sheet.write_string(r, 0, item.metric.label, f.text)
        _cell(sheet, r, 1, _excel_value(unit, item.value), f.number(VALUE_FORMAT[unit]), f)
        _cell(sheet, r, 2, _excel_value(item.change_unit, item.previous), f.number(VALUE_FORMAT[item.change_unit]), f)
        colour = {"改善": {"font_color": "#2ca02c"}, "变差": {"font_color": "#d62728"}}.get(item.verdict, {})
        _cell(
            sheet,
            r,
            3,
            _excel_change(item.change_unit, item.change),
            f.number(CHANGE_FORMAT[item.change_unit], **colour),
            f,
        )
        sheet.write_string(r, 4, item.verdict, {"改善": f.good, "变差": f.bad}.get(item.verdict, f.neutral))
        sheet.write_string(r, 5, item.metric.help, f.text)
    row = row + 2 + len(trends.HEADLINE) + 1
    sheet.write(
        row,
        0,
        "注：环比、同比的对比值为上月、去年同月投诉量，变化为相差件数；其余与上月比（数据未成熟时办理类指标与上月同期比较）；绿色表示改善，红色表示变差；— 表示无法计算。",
        f.meta,
    )

    row += 2
    sheet.write(row, 0, "三、工作建议", f.section)
    text = notes.strip() if notes and notes.strip() else "（未填写）"
    sheet.merge_range(row + 1, 0, row + 1, 5, "", f.wrap_quoted if is_trigger(text) else f.wrap)
    sheet.write_string(row + 1, 0, text, f.wrap_quoted if is_trigger(text) else f.wrap)
    sheet.set_row(row + 1, 80)


def _trend(book, f: _Formats, data: trends.TrendData) -> None:
    sheet = book.add_worksheet("月度趋势")
    frame = build.trend_frame(data)
    formats = {
        "投诉量": "#,##0",
        "上年同期": "#,##0",
        "环比": "+0.0%;-0.0%;0.0%",
        "同比": "+0.0%;-0.0%;0.0%",
        "客户数": "#,##0",
        "万人投诉率": "0.00",
        "控制中心线": "#,##0",
        "下控制限": "#,##0",
        "上控制限": "#,##0",
    }
    sheet.write(0, 0, f"近24个月投诉走势（{build.scope_text(data)}）", f.section)
    end = _table(sheet, 1, frame, formats, f, widths=[10, 10, 10, 9, 9, 13, 11, 11, 10, 10, 11])
    sheet.freeze_panes(2, 1)
    sheet.write(end + 1, 0, trends.CONTROL_RULE, f.meta)
    if len(frame):
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "投诉量",
                "categories": ["月度趋势", 2, 0, end - 1, 0],
                "values": ["月度趋势", 2, 1, end - 1, 1],
                "fill": {"color": "#1f5fa8"},
            }
        )
        line = book.add_chart({"type": "line"})
        line.add_series(
            {
                "name": "上年同期",
                "categories": ["月度趋势", 2, 0, end - 1, 0],
                "values": ["月度趋势", 2, 2, end - 1, 2],
                "line": {"color": "#9aa5b1", "dash_type": "dash"},
            }
        )
        chart.combine(line)
        chart.set_title({"name": "投诉量走势（与上年同期对比）", "name_font": {"name": FONT, "size": 12}})
        chart.set_legend({"position": "top", "font": {"name": FONT}})
        chart.set_x_axis({"num_font": {"name": FONT, "rotation": -45}})
        chart.set_y_axis({"num_format": "#,##0", "num_font": {"name": FONT}})
        chart.set_size({"width": 820, "height": 340})
        sheet.insert_chart(end + 3, 0, chart)


def _movers(book, f: _Formats, data: trends.TrendData) -> None:
    sheet = book.add_worksheet("环比变动分解")
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 5, 11)
    sheet.write(
        0,
        0,
        f"环比变动分解：{data.month.year}-{data.month.month:02d} 较 "
        f"{data.previous_month.year}-{data.previous_month.month:02d}",
        f.section,
    )
    reason = build.no_movers(data)
    if reason:
        sheet.write(2, 0, reason, f.meta)
        return
    formats = {
        "上月": "#,##0",
        "本月": "#,##0",
        "变动": "+#,##0;-#,##0;0",
        "占总变动": "0.0%",
        "环比": "+0.0%;-0.0%;0.0%",
    }
    total = data.headline["complaints"] - data.previous["complaints"]
    sheet.write(
        1,
        0,
        f"本月 {data.headline['complaints']:,} 件，上月 {data.previous['complaints']:,} 件，"
        f"总变动 {total:+,} 件；每个维度下各项变动之和等于总变动。",
        f.meta,
    )
    row = 3
    bold_total = f.number("+#,##0;-#,##0;0", bold=True, bg_color="#f3f6fa")
    for dimension in trends.MOVER_DIMENSIONS:
        frame = build.movers_frame(data, dimension).rename(columns={"项目": trends.DIMENSIONS[dimension]})
        sheet.write(row, 0, f"按{trends.DIMENSIONS[dimension]}", f.section)
        end = _table(sheet, row + 1, frame, formats, f)
        sheet.write_string(end, 0, "合计", f.header)
        sheet.write_number(end, 1, float(frame["上月"].sum()), f.number("#,##0", bold=True))
        sheet.write_number(end, 2, float(frame["本月"].sum()), f.number("#,##0", bold=True))
        sheet.write_number(end, 3, float(frame["变动"].sum()), bold_total)
        row = end + 3


def _breakdown(book, f: _Formats, data: trends.TrendData, dimension: str) -> None:
    name = f"构成-{trends.DIMENSIONS[dimension]}"
    sheet = book.add_worksheet(name)
    frame = build.breakdown_frame(data, dimension)
    sheet.write(0, 0, f"近24个月按{trends.DIMENSIONS[dimension]}的投诉量（件）", f.section)
    _table(sheet, 1, frame, {}, f, widths=[10] + [max(9, min(2 * len(str(c)) + 2, 24)) for c in frame.columns[1:]])
    sheet.freeze_panes(2, 1)


def _outcomes(book, f: _Formats, data: trends.TrendData) -> None:
    """Sheet 办理结果与老年客户 (issue 19): the month's breakdown by category and tier-1 branch, the 24 months."""
    sheet = book.add_worksheet(lens.SHEET)
    sheet.write(0, 0, f"办理结果、补偿与老年客户（{build.scope_text(data)}）", f.section)
    frame = lens.trend_frame(data)
    if frame.empty:
        sheet.write(2, 0, "本期没有可统计的办理结果。", f.meta)
        return
    row = 2
    young = bool(data.headline.get("provisional"))  # what the HTML marks 暂估, the forwarded Excel too (H185)
    if young:
        sheet.write_string(1, 0, maturity.OUTCOMES_NOTE, f.meta)
        row = 3
    deadline = lens.deadline_frame(data)
    if not deadline.empty:
        marked = "（延期按时办结率、延期后仍超期为暂估）" if young else ""
        sheet.write(row, 0, f"{data.month.year}-{data.month.month:02d} 办理时限{marked}", f.section)
        row = _table(sheet, row + 1, deadline, lens.NUMBER_FORMATS, f) + 1
    for dimension, heading in (("business_category", "按业务类别"), ("tier1_branch", "按一级分行")):
        part = lens.breakdown_frame(data, dimension)
        if part.empty:
            continue
        marked = "（暂估）" if young else ""
        sheet.write(row, 0, f"{data.month.year}-{data.month.month:02d} {heading}{marked}", f.section)
        row = _table(sheet, row + 1, part, lens.NUMBER_FORMATS, f) + 1
    sheet.write(row, 0, "近24个月", f.section)
    row = _table(sheet, row + 1, frame, lens.NUMBER_FORMATS, f, widths=[16] + [12] * (len(frame.columns) - 1)) + 1
    for note in lens.NOTES:
        sheet.write_string(row, 0, note, f.meta)
        row += 1


def _definitions(book, f: _Formats) -> None:
    sheet = book.add_worksheet("指标口径")
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 100)
    sheet.write_string(0, 0, "指标", f.header)
    sheet.write_string(0, 1, "口径说明", f.header)
    wrap = f.book.add_format({**f.base, "border": 1, "text_wrap": True})
    for r, (name, text) in enumerate(build.definitions(), start=1):
        sheet.write_string(r, 0, name, f.text)
        sheet.write_string(r, 1, text, wrap)


def _one_page(book, f: _Formats, data: trends.TrendData, notes: str | None) -> None:
    """The one-page summary and the meeting paper's sections (build.one_page, build.sections)."""
    sheet = book.add_worksheet("本月要点")
    sheet.set_column(0, 0, 140)
    sheet.write_string(0, 0, build.title(data), f.title)
    row = 2
    for heading, lines in [("本月要点（一页摘要）", build.one_page(data)), *build.sections(data, notes)]:
        sheet.write_string(row, 0, heading, f.section)
        row += 1
        for line in lines:
            sheet.write_string(row, 0, line, f.wrap_quoted if is_trigger(line) else f.wrap)
            row += 1
        row += 1


def _funnel(book, f: _Formats, data: trends.TrendData) -> None:
    sheet = book.add_worksheet("控制限外机构")
    sheet.write(0, 0, f"{build.FUNNEL_HEADING}：{data.month.year}-{data.month.month:02d}", f.section)
    row = 1
    for line in build.funnel_lines(data):
        sheet.write_string(row, 0, line, f.meta)
        row += 1
    frame = build.funnel_frame(data)
    if frame.empty:
        return
    formats = {"排名": "0", "投诉量（件）": "#,##0", "预期投诉量（件）": "#,##0.0", "95%上控制限（件）": "#,##0.0"}
    formats.update({c: "0.00" for c in frame.columns if "件/万户" in c})
    _table(sheet, row + 1, frame, formats, f, widths=[10, 16, 10, 10, 11, 13, 14, 14, 16, 15, 16])


def workbook(data: trends.TrendData, notes: str | None = None) -> bytes:
    notes = mask(notes)  # the department's notes may name people: they leave masked like narratives
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    book.set_properties({"title": build.title(data), "subject": "消保投诉月度简报", "author": "消保投诉分析"})
    f = _Formats(book)
    _one_page(book, f, data, notes)
    _overview(book, f, data, notes)
    _trend(book, f, data)
    _movers(book, f, data)
    _funnel(book, f, data)
    for dimension in trends.MOVER_DIMENSIONS:
        _breakdown(book, f, data, dimension)
    _outcomes(book, f, data)
    _definitions(book, f)
    book.close()
    return buffer.getvalue()
