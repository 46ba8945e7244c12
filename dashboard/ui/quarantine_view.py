"""Quarantined rows as a table a user can read and download: reasons first, personal data masked.

A quarantined row is a row that did not parse, so its values may sit in the wrong columns (a narrative
shifted into 产品名称, a phone number in 机构代码) and the reason quotes raw values ("手机号 13812345678
不是日期"). Every text cell, the reason included, is therefore masked like a narrative, on screen and
in the CSV download."""

from __future__ import annotations

import io
import json

import pandas as pd
import streamlit as st

from dashboard import schema
from dashboard.text.export_cells import XLSX_OPTIONS, excel_sheet
from dashboard.text.masking import mask_series
from dashboard.ui.download import CSV_CODES_NOTE, CSV_CODES_SHORT, audited_download, masked

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable(quarantine: pd.DataFrame) -> pd.DataFrame:
    """One row per quarantined line: file, row, reason, then the original values under Chinese headers."""
    # raw values as text (a phone number may have been read as a number), each masked
    records = pd.DataFrame(
        [{k: None if v is None else str(v) for k, v in json.loads(r).items()} for r in quarantine["record"]],
        index=quarantine.index,
        dtype=object,
    )
    for column in records.columns:
        records[column] = mask_series(records[column])
    headers = {c.name: c.header_zh for cols in schema.TABLES.values() for c in cols}
    records = records.rename(columns=headers)
    front = pd.DataFrame(
        {
            "文件": mask_series(quarantine["file_name"]),  # named after its customer, perhaps (H121)
            "数据表": quarantine["table_name"].map(schema.TABLE_LABELS_ZH),
            "数据行号（不含表头）": quarantine["source_row"],  # the n-th record under the header (H117)
            "隔离原因": mask_series(quarantine["reason"]),
        }
    )
    if "superseded_at" in quarantine:  # the history: which import each row is from, and whether it still stands
        # (the same extract imported twice lists its rows twice, once per import: hostile H255)
        front.insert(0, "导入时间", pd.to_datetime(quarantine["imported_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"))
        superseded = pd.to_datetime(quarantine["superseded_at"])
        front.insert(
            1,
            "状态",
            ["当前" if pd.isna(t) else f"已被 {t:%Y-%m-%d %H:%M:%S} 的导入取代" for t in superseded],
        )
    return pd.concat([front, records], axis=1)


def show(quarantine: pd.DataFrame, key: str) -> None:
    table = readable(quarantine)
    files = sorted(table["文件"].unique())
    if len(files) > 1:
        chosen = st.selectbox("文件", ["全部文件", *files], key=f"q_file_{key}")
        if chosen != "全部文件":
            table = table[table["文件"] == chosen]
    counts = table["隔离原因"].str.split("；").explode().value_counts().rename_axis("原因").reset_index(name="行数")
    st.dataframe(counts, hide_index=True)
    st.dataframe(table.dropna(axis=1, how="all"), hide_index=True, height=320)
    left, right, _ = st.columns([1, 1, 3])
    with left:
        audited_download(
            "下载隔离行（CSV）",
            table,
            file_name="quarantine.csv",
            what="隔离行",
            mime="text/csv",
            key=f"q_dl_{key}",
            help=CSV_CODES_NOTE,
        )
    with right:  # the lost-zero quarantines are read in Excel: there the codes must stay text (H147)
        audited_download(
            "下载隔离行（Excel）",
            lambda: to_excel(table),
            file_name="quarantine.xlsx",
            what="隔离行（Excel）",
            mime=XLSX,
            key=f"q_xlsx_{key}",
        )
    st.caption(CSV_CODES_SHORT)


def to_excel(table: pd.DataFrame) -> bytes:
    """The quarantined rows as .xlsx: every original value a text cell (readable() keeps them as text), so
    040007 stays 040007 where a CSV opened in Excel shows 40007."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        excel_sheet(writer, masked(table), "隔离行")  # masked as the CSV is
        writer.sheets["隔离行"].set_column(0, len(table.columns) - 1, 18)
    return buffer.getvalue()
