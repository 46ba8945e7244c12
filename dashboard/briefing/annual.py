"""The annual disclosure (年度投诉情况) as a self-contained HTML file and an Excel workbook (no Streamlit)."""

from __future__ import annotations

import html
import io

import xlsxwriter

from dashboard import fmt
from dashboard.analysis.annual import BASIS_HELP, DIMENSIONS, Annual

TITLE = "年度投诉情况"


def _e(value) -> str:
    return html.escape(str(value))


def headline_rows(a: Annual) -> list[tuple[str, str, str]]:
    yoy = "上年数据不完整，不计算" if a.yoy_pct is None else fmt.pct(a.yoy_pct)
    return [
        ("全年投诉总量", f"{a.complaints:,d} 件", f"统计口径：{a.basis}。{BASIS_HELP[a.basis]}"),
        (
            "较上年变化" if a.year_complete else f"较上年同期（1-{a.months}月）",
            yoy,
            "（本年 − 上年）÷ 上年 × 100%，同一口径；本年未结束时与上年同期（1月至本年最后一个已加载月份）比较；"
            "上一年未完整加载时不计算。"
            + ("" if a.previous_complaints is None else f"上年同期 {a.previous_complaints:,d} 件。"),
        ),
        ("全年监管转办投诉", f"{a.regulator_referred:,d} 件", "上述投诉中“是否监管转办”为“是”的投诉。"),
        ("全年老年客户投诉", f"{a.elderly_complaints:,d} 件", "上述投诉中客户年龄 ≥ 60 岁的投诉（未填年龄的不计入）。"),
    ]


def document(a: Annual, scope: str) -> bytes:
    parts = [
        f"<h1>{_e(a.year)}年{_e(TITLE)}</h1><p class='meta'>统计范围：{_e(scope)} · 统计口径：{_e(a.basis)}"
        + ("" if a.year_complete else " · 本年数据尚不完整（截至已加载的最后月份）")
        + "</p>",
        "<table><thead><tr><th>项目</th><th>数值</th><th>说明</th></tr></thead><tbody>",
    ]
    parts += [f"<tr><td>{_e(k)}</td><td class='num'>{_e(v)}</td><td>{_e(n)}</td></tr>" for k, v, n in headline_rows(a)]
    parts.append("</tbody></table>")
    for dimension, label in DIMENSIONS.items():
        frame = a.by[dimension]
        parts.append(
            f"<h2>按{_e(label)}</h2><table><thead><tr><th>{_e(label)}</th><th>投诉量（件）</th>"
            "<th>占比</th></tr></thead><tbody>"
        )
        parts += [
            f"<tr><td>{_e(r.label)}</td><td class='num'>{r.complaints:,d}</td><td class='num'>{fmt.rate(r.share)}</td></tr>"
            for r in frame.itertuples()
        ]
        parts.append("</tbody></table>")
    style = (
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:900px;margin:24px auto;"
        "color:#222}table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{border:1px solid #ccd;"
        "padding:4px 8px;font-size:14px}th{background:#dde7f3}.num{text-align:right}.meta{color:#555}"
    )
    page = (
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{a.year}年{TITLE}</title>"
        f"<style>{style}</style></head><body>{''.join(parts)}</body></html>"
    )
    return page.encode("utf-8")


def workbook(a: Annual, scope: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#dde7f3", "border": 1})
    cell = book.add_format({"border": 1})
    share = book.add_format({"border": 1, "num_format": "0.0%"})
    count = book.add_format({"border": 1, "num_format": "#,##0"})
    sheet = book.add_worksheet("年度概况")
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 2, 80)
    sheet.write_string(0, 0, f"{a.year}年{TITLE}", bold)
    sheet.write_string(1, 0, f"统计范围：{scope}　统计口径：{a.basis}")
    for col, name in enumerate(("项目", "数值", "说明")):
        sheet.write_string(3, col, name, header)
    for r, (k, v, n) in enumerate(headline_rows(a), start=4):
        sheet.write_string(r, 0, k, cell)
        sheet.write_string(r, 1, v, cell)
        sheet.write_string(r, 2, n, cell)
    for dimension, label in DIMENSIONS.items():
        ws = book.add_worksheet(f"按{label}")
        ws.set_column(0, 0, 30)
        ws.set_column(1, 2, 14)
        for col, name in enumerate((label, "投诉量（件）", "占比")):
            ws.write_string(0, col, name, header)
        for r, row in enumerate(a.by[dimension].itertuples(), start=1):
            ws.write_string(r, 0, str(row.label), cell)
            ws.write_number(r, 1, int(row.complaints), count)
            ws.write_number(r, 2, float(row.share), share)
    book.close()
    return out.getvalue()
