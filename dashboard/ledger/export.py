"""The ledger as a table for people: Chinese column names, and the Excel file the ledger page exports.

Free text typed into the ledger (title, action, the old and new values of a change) is masked like a
narrative wherever it is shown or exported: a title such as 跟进客户李春花13812345678的投诉 is personal
data too."""
from __future__ import annotations

import io

import pandas as pd

from dashboard.ledger.store import FIELD_LABELS, SOURCES
from dashboard.text.export_cells import XLSX_OPTIONS, neutralise_frame
from dashboard.text.masking import mask_series


def slice_text(item) -> str:
    """What an item covers, in words."""
    if item["source"] == "similar":
        ids = list(item["complaint_ids"] or [])
        terms = "、".join(item["key_terms"] or []) or "—"
        return f"相似投诉 {len(ids)} 笔（{item['business_category'] or '—'}；关键词：{terms}）"
    parts = [item["branch_code"], item["business_category"], item["reason"]]
    return " · ".join(p for p in parts if isinstance(p, str) and p) or "—"


def items_table(items: pd.DataFrame) -> pd.DataFrame:
    """The ledger list as shown and exported."""
    if items.empty:
        return pd.DataFrame(columns=["编号", "逾期", "事项名称", "来源", "整改范围", "根因分类", "责任部门", "整改措施",
                                     "整改期限", "整改状态", "整改完成日期", "建立人", "建立时间", "最后修改人",
                                     "最后修改时间", "版本"])
    return pd.DataFrame({
        "编号": items["id"],
        "逾期": items["overdue"].map({True: "已逾期", False: ""}),
        "事项名称": mask_series(items["title"]),
        "来源": items["source"].map(SOURCES),
        "整改范围": items.apply(slice_text, axis=1),
        "根因分类": items["root_cause"],
        "责任部门": items["owner_dept"],
        "整改措施": mask_series(items["action"]),
        "整改期限": items["due_date"],
        "整改状态": items["status"],
        "整改完成日期": items["fixed_at"],
        "建立人": items["created_by"],
        "建立时间": items["created_at"],
        "最后修改人": items["updated_by"],
        "最后修改时间": items["updated_at"],
        "版本": items["version"],
    })


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    columns = {"item_id": "事项编号", "version": "版本", "changed_at": "修改时间", "changed_by": "修改人",
               "field": "字段", "old_value": "原值", "new_value": "新值"}
    out = history.rename(columns=columns)
    for column in ("原值", "新值"):
        if column in out:
            out[column] = mask_series(out[column])
    if "字段" in out:
        out["字段"] = out["字段"].map(lambda f: FIELD_LABELS.get(f, f))
    return out[[c for c in columns.values() if c in out.columns]]


def to_excel(items: pd.DataFrame, history: pd.DataFrame) -> bytes:
    """An .xlsx with the items (overdue first, as listed) and every change of them."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        table = neutralise_frame(items_table(items))
        table.to_excel(writer, sheet_name="整改事项", index=False)
        neutralise_frame(history_table(history)).to_excel(writer, sheet_name="变更记录", index=False)
        sheet = writer.sheets["整改事项"]
        for i, column in enumerate(table.columns):
            sheet.set_column(i, i, 28 if column in ("事项名称", "整改范围", "整改措施") else 14)
        writer.sheets["变更记录"].set_column(0, 6, 16)
    return buffer.getvalue()
