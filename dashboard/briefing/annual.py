"""The annual disclosure (年度投诉情况) as a self-contained HTML file and an Excel workbook (no Streamlit)."""

from __future__ import annotations

import html
import io

import pandas as pd
import xlsxwriter

from dashboard import clock, fmt, metrics
from dashboard.analysis.annual import BASIS_HELP, DIMENSIONS, Annual, cell_members
from dashboard.text.export_cells import XLSX_OPTIONS, is_trigger

TITLE = "年度投诉情况"
EXCEL_MAX_ROWS = 1_048_576  # rows of one worksheet
TRACE_HTML = (
    "每个数字均可追溯：点击数字展开其背后的投诉编号（同一统计口径、同一筛选条件），"
    "可在应用的投诉查询中按编号核对每一件；文件离线可用，不依赖应用。"
)
TRACE_EXCEL = (
    "每个数字均可追溯：“明细-”工作表逐件列出每个数字背后的投诉编号（每件一行，与汇总表同序）；"
    "“明细”列的链接跳到该项的第一行，所列行数即该数字。文件离线可用，不依赖应用。"
)


def provenance(a: Annual, as_of) -> list[str]:
    """What a document meant for publication says of its data (hostile H182: "全年投诉总量 9,072 件" for ten
    months, no cut-off, no age): the data's time and the file's, the year's cut-off when it runs on, and the
    warning of old data every page and the briefing carry."""
    moment = pd.Timestamp(as_of) if as_of is not None else None
    lines = [
        f"数据截至：{'—' if moment is None else f'{moment:%Y-%m-%d %H:%M}'}　生成时间：{clock.local_now():%Y-%m-%d %H:%M}"
    ]
    if not a.year_complete:
        counted = a.counted_to(as_of)
        cut = "已加载的最后一天" if counted is None else f"{counted:%Y年%m月%d日}"
        lines.append(f"{a.year}年尚未结束或未完整加载：本文件的“全年”数字只统计至{cut}受理的投诉，不是全年数")
    stale = metrics.stale_warning(as_of)
    if stale:
        lines.append(stale)
    return lines


def _loaded_months(a: Annual) -> str:
    if a.last_month is None or a.last_month.year != a.year:
        return "至已加载的最后月份"
    first = 1 if a.data_from is None else a.data_from.month
    return f"{first}-{a.last_month.month} 月受理的投诉"


def _e(value) -> str:
    return html.escape(str(value))


def _yoy_text(a: Annual) -> str:
    if a.yoy_pct is not None:
        return fmt.pct(a.yoy_pct)
    if a.data_from is not None:
        return f"本年数据自 {a.data_from:%Y-%m} 起，不完整，不计算"
    if a.compared_complaints is None and a.months == 0:
        return "本年尚无完整月份，不计算"
    return "上年数据不完整，不计算"


def headline_rows(a: Annual) -> list[tuple[str, str, str]]:
    compared = (
        ""
        if a.previous_complaints is None or a.compared_complaints is None
        else f"本年 1-{a.months} 月 {a.compared_complaints:,d} 件，上年同期 {a.previous_complaints:,d} 件。"
    )
    return [
        (
            "全年投诉总量",
            f"{a.complaints:,d} 件",
            f"统计口径：{a.basis}。{BASIS_HELP[a.basis]}"
            + ("" if a.year_complete else f"本年数据不完整：只含已加载的月份（{_loaded_months(a)}）。"),
        ),
        (
            "较上年变化" if a.year_complete else f"较上年同期（1-{a.months}月）",
            _yoy_text(a),
            "（本年 − 上年）÷ 上年 × 100%，同一口径；本年未结束时与上年同期比较，月份为 1 月至最后一个完整月份"
            "（数据时点已过其月末的月份）；本年或上一年未从 1 月起完整加载时不计算。" + compared,
        ),
        ("全年监管转办投诉", f"{a.regulator_referred:,d} 件", "上述投诉中“是否监管转办”为“是”的投诉。"),
        ("全年老年客户投诉", f"{a.elderly_complaints:,d} 件", "上述投诉中客户年龄 ≥ 60 岁的投诉（未填年龄的不计入）。"),
    ]


def _ids(frame: pd.DataFrame | None) -> str:
    """A count's complaint ids, collapsed under the number (HTML <details>)."""
    if frame is None:
        return ""
    ids = "、".join(_e(i) for i in frame["complaint_id"])
    return f"<div class='ids'>{ids or '（无）'}</div>"


def _number(text: str, frame: pd.DataFrame | None) -> str:
    if frame is None:
        return _e(text)
    return f"<details><summary>{_e(text)}</summary>{_ids(frame)}</details>"


def document(a: Annual, scope: str, members: pd.DataFrame | None = None, as_of=None) -> bytes:
    """The disclosure as one HTML file; with `members` (analysis.annual.members) every count expands to
    the complaint ids behind it."""
    traced = {}
    if members is not None:
        traced = {0: members, 2: members[members["regulator_referred"]], 3: members[members["elderly"]]}
    parts = [
        f"<h1>{_e(a.year)}年{_e(TITLE)}</h1><p class='meta'>统计范围：{_e(scope)} · 统计口径：{_e(a.basis)}" + "</p>",
        *(f"<p class='meta'><strong>{_e(line)}</strong></p>" for line in provenance(a, as_of)),
        f"<p class='meta'>{_e(TRACE_HTML)}</p>" if members is not None else "",
        "<table><thead><tr><th>项目</th><th>数值</th><th>说明</th></tr></thead><tbody>",
    ]
    parts += [
        f"<tr><td>{_e(k)}</td><td class='num'>{_number(v, traced.get(i))}</td><td>{_e(n)}</td></tr>"
        for i, (k, v, n) in enumerate(headline_rows(a))
    ]
    parts.append("</tbody></table>")
    for dimension, label in DIMENSIONS.items():
        frame = a.by[dimension]
        parts.append(
            f"<h2>按{_e(label)}</h2><table><thead><tr><th>{_e(label)}</th><th>投诉量（件）</th>"
            "<th>占比</th></tr></thead><tbody>"
        )
        parts += [
            f"<tr><td>{_e(r.label)}</td><td class='num'>"
            + _number(f"{r.complaints:,d}", None if members is None else cell_members(members, dimension, r.value))
            + f"</td><td class='num'>{fmt.rate(r.share)}</td></tr>"
            for r in frame.itertuples()
        ]
        parts.append("</tbody></table>")
    style = (
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:900px;margin:24px auto;"
        "color:#222}table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{border:1px solid #ccd;"
        "padding:4px 8px;font-size:14px;vertical-align:top}th{background:#dde7f3}.num{text-align:right}"
        ".meta{color:#555}summary{cursor:pointer;color:#1f5fa8}"
        ".ids{text-align:left;font-size:12px;color:#333;max-height:240px;overflow:auto;word-break:break-all}"
        "@media print{details .ids{display:none}}"
    )
    page = (
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{a.year}年{TITLE}</title>"
        f"<style>{style}</style></head><body>{''.join(parts)}</body></html>"
    )
    return page.encode("utf-8")


def workbook(a: Annual, scope: str, members: pd.DataFrame | None = None, as_of=None) -> bytes:
    """The disclosure as an Excel workbook; with `members` a 明细 sheet per dimension lists the complaints
    behind each row (one per line, in the summary's order), and each figure links to its first line: a
    hyperlink cell inside the workbook (never a formula), which works offline."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, **XLSX_OPTIONS})
    bold = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#dde7f3", "border": 1})
    cell = book.add_format({"border": 1})
    quoted = book.add_format({"border": 1, "quote_prefix": True})
    plain_quoted = book.add_format({"quote_prefix": True})
    share = book.add_format({"border": 1, "num_format": "0.0%"})
    count = book.add_format({"border": 1, "num_format": "#,##0"})
    link = book.add_format({"border": 1, "font_color": "#1f5fa8", "underline": 1})
    note = book.add_format({"font_color": "#555555"})

    def text(ws, r, c, value, fmt_=cell):
        value = str(value)
        ws.write_string(r, c, value, (quoted if fmt_ is cell else plain_quoted) if is_trigger(value) else fmt_)

    def detail_sheet(name: str, columns: tuple[str, ...], blocks) -> None:
        """blocks: (shown value or None, complaint ids); one line per id, in order."""
        ds = book.add_worksheet(name)
        ds.set_column(0, len(columns) - 1, 24)
        for col, title in enumerate(columns):
            ds.write_string(0, col, title, header)
        line = 1
        for shown, ids in blocks:
            for cid in ids:
                if shown is not None:
                    text(ds, line, 0, shown, None)
                text(ds, line, len(columns) - 1, cid, None)
                line += 1
        ds.autofilter(0, 0, max(line - 1, 1), len(columns) - 1)
        ds.freeze_panes(1, 0)

    def goto(ws, r, c, sheet_name: str, start: int, n: int) -> None:
        if n:
            ws.write_url(
                r, c, f"internal:'{sheet_name}'!A{start}", link, f"{sheet_name} 第 {start:,d}–{start + n - 1:,d} 行"
            )

    traced = members is not None and len(members) + 1 <= EXCEL_MAX_ROWS
    sheet = book.add_worksheet("年度概况")
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 2, 80)
    sheet.set_column(3, 3, 30)
    sheet.write_string(0, 0, f"{a.year}年{TITLE}", bold)
    text(sheet, 1, 0, f"统计范围：{scope}　统计口径：{a.basis}", note)
    text(sheet, 2, 0, "；".join(provenance(a, as_of)), note)
    for col, name in enumerate(("项目", "数值", "说明") + (("明细",) if traced else ())):
        sheet.write_string(3, col, name, header)
    rows = headline_rows(a)
    for r, (k, v, n) in enumerate(rows, start=4):
        sheet.write_string(r, 0, k, cell)
        sheet.write_string(r, 1, v, cell)
        sheet.write_string(r, 2, n, cell)
    row = 4 + len(rows) + 1
    if traced:
        referred, elderly = members[members["regulator_referred"]], members[members["elderly"]]
        goto(sheet, 4, 3, f"明细-{DIMENSIONS['business_category']}", 2, len(members))
        goto(sheet, 6, 3, "明细-监管转办", 2, len(referred))
        goto(sheet, 7, 3, "明细-老年客户", 2, len(elderly))
        sheet.write_string(row, 0, TRACE_EXCEL, note)
    elif members is not None:
        sheet.write_string(
            row, 0, f"全年 {len(members):,d} 件超过 Excel 单表行数上限，未附明细；请使用 HTML 文件追溯。", note
        )
    for dimension, label in DIMENSIONS.items():
        ws = book.add_worksheet(f"按{label}")
        ws.set_column(0, 0, 30)
        ws.set_column(1, 2, 14)
        ws.set_column(3, 3, 30)
        for col, name in enumerate((label, "投诉量（件）", "占比") + (("明细",) if traced else ())):
            ws.write_string(0, col, name, header)
        start = 2  # the detail sheet's line (Excel's row number) where the next row's complaints begin
        for r, item in enumerate(a.by[dimension].itertuples(), start=1):
            text(ws, r, 0, item.label)
            ws.write_number(r, 1, int(item.complaints), count)
            ws.write_number(r, 2, float(item.share), share)
            if traced:
                goto(ws, r, 3, f"明细-{label}", start, int(item.complaints))
                start += int(item.complaints)
    if traced:
        for dimension, label in DIMENSIONS.items():
            blocks = [
                (item.label, cell_members(members, dimension, item.value)["complaint_id"])
                for item in a.by[dimension].itertuples()
            ]
            detail_sheet(f"明细-{label}", (label, "投诉编号"), blocks)
        detail_sheet("明细-监管转办", ("投诉编号",), [(None, referred["complaint_id"])])
        detail_sheet("明细-老年客户", ("投诉编号",), [(None, elderly["complaint_id"])])
    book.close()
    return out.getvalue()
