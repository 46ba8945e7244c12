"""The ledger as a table for people: Chinese column names, and the Excel file the ledger page exports.

Free text typed into the ledger (title, action, the old and new values of a change) is masked like a
narrative wherever it is shown or exported: a title such as 跟进客户李春花13812345678的投诉 is personal
data too."""

from __future__ import annotations

import io
import json

import pandas as pd

from dashboard.ledger.store import FIELD_LABELS, LIST_FIELDS, SOURCES
from dashboard.ledger.verdict import WATCHING, needs_reopen, shown_status
from dashboard.metrics import overdue_when_withdrawn
from dashboard.text.export_cells import XLSX_OPTIONS, excel_sheet
from dashboard.text.masking import mask, mask_series


def slice_text(item) -> str:
    """What an item covers, in words."""
    ids = list(item["complaint_ids"] or [])
    if item["source"] == "similar":
        terms = "、".join(mask(t) or t for t in item["key_terms"] or []) or "—"  # a term can be personal data (H146)
        return f"相似投诉 {len(ids)} 笔（{item['business_category'] or '—'}；关键词：{terms}）"
    code, name = item["branch_code"], item.get("branch_name")
    # an organisation by name and code, as every page names it (hostile H223: "0200 · 个人贷款 · …")
    org = f"{name}（{code}）" if isinstance(code, str) and isinstance(name, str) and name else code
    parts = [org, item["business_category"], item["reason"]]
    text = " · ".join(p for p in parts if isinstance(p, str) and p) or (
        "全行" if item["source"] != "recurring" else "—"
    )
    if item["source"] == "complaint" and ids:
        text += f"（投诉 {ids[0]}）"
    elif ids:
        text += f"（{len(ids)} 笔投诉）"
    return text


ITEM_COLUMNS = [
    "整改状态",
    "整改期限",
    "责任部门",
    "来源",
    "整改成效",
    "提示",
    "编号",
    "事项名称",
    "整改范围",
    "根因分类",
    "整改措施",
    "整改完成日期",
    "建立人",
    "建立时间",
    "最后修改人",
    "最后修改时间",
    "版本",
]
EMPTY = "—"


def _hint(overdue: bool, reopen: bool) -> str:
    return "、".join(h for h, on in (("已逾期", overdue), ("成效未见下降，建议重新整改", reopen)) if on)


def items_table(items: pd.DataFrame, verdicts: dict[int, str] | None = None) -> pd.DataFrame:
    """The ledger list as shown and exported: status, due date, owner, source and effect verdict first;
    an item whose effect is 未见下降 shows 待重开 (dashboard/metrics.py, the one rule). verdicts: id -> verdict
    (missing = 待观察)."""
    if items.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    verdicts = verdicts or {}
    verdict = items["id"].map(lambda i: verdicts.get(int(i), WATCHING))
    reopen = [needs_reopen(s, v) for s, v in zip(items["status"], verdict)]

    def cell(column: pd.Series) -> pd.Series:
        return column.map(lambda v: v if isinstance(v, str) and v else EMPTY)

    return pd.DataFrame(
        {
            "整改状态": [shown_status(s, v) for s, v in zip(items["status"], verdict)],
            "整改期限": cell(items["due_date"]),
            "责任部门": cell(mask_series(items["owner_dept"])),
            "来源": items["source"].map(lambda s: SOURCES.get(s, s)),
            "整改成效": verdict,
            "提示": [_hint(bool(o), r) for o, r in zip(items["overdue"], reopen)],
            "编号": items["id"],
            "事项名称": mask_series(items["title"]),
            "整改范围": items.apply(slice_text, axis=1),
            "根因分类": cell(items["root_cause"]),
            "整改措施": cell(mask_series(items["action"])),
            "整改完成日期": cell(items["fixed_at"]),
            "建立人": items["created_by"],
            "建立时间": items["created_at"],
            "最后修改人": items["updated_by"],
            "最后修改时间": items["updated_at"],
            "版本": items["version"],
        },
        columns=ITEM_COLUMNS,
    )


def ordered(items: pd.DataFrame, verdicts: dict[int, str] | None = None) -> pd.DataFrame:
    """Overdue items first, then those flagged for reopening, then the store's order (open by due date)."""
    if items.empty:
        return items
    verdicts = verdicts or {}
    reopen = [needs_reopen(s, verdicts.get(int(i), WATCHING)) for s, i in zip(items["status"], items["id"])]
    key = pd.DataFrame(
        {"overdue": ~items["overdue"].astype(bool), "reopen": [not r for r in reopen], "pos": range(len(items))},
        index=items.index,
    )
    return items.loc[key.sort_values(["overdue", "reopen", "pos"]).index]


def value_text(field: str, value) -> str:
    """A history value in Chinese: sources by their label, lists joined, nothing as —."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return EMPTY
    text = str(value)
    if field == "source":
        return SOURCES.get(text, text)
    if field in LIST_FIELDS and text.startswith("["):
        try:
            values = json.loads(text)
        except ValueError:
            return text
        return "、".join(str(v) for v in values) or EMPTY
    return text


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "item_id": "事项编号",
        "version": "版本",
        "changed_at": "修改时间",
        "changed_by": "修改人",
        "field": "字段",
        "old_value": "原值",
        "new_value": "新值",
    }
    out = history.rename(columns=columns)
    if "字段" in out:
        for column in ("原值", "新值"):
            if column in out:
                out[column] = mask_series(
                    pd.Series(
                        [value_text(f, v) for f, v in zip(out["字段"], out[column])], index=out.index, dtype=object
                    )
                )
        out["字段"] = out["字段"].map(lambda f: FIELD_LABELS.get(f, f))
    return out[[c for c in columns.values() if c in out.columns]]


def withdrawn_table(items: pd.DataFrame) -> pd.DataFrame:
    """The withdrawn items as the page shows them: free text masked (a title or a reason can name a person)."""
    return pd.DataFrame(
        {
            "编号": items["id"].astype(int),
            "事项名称": mask_series(items["title"].astype(object)),
            "撤销前状态": items["status"],
            "整改期限": items["due_date"].fillna(EMPTY),
            # past its deadline and not done when withdrawn: an overdue item must not vanish unseen (H207)
            "撤销时已逾期": [
                "是" if overdue_when_withdrawn(d, w, s) else "否"
                for d, w, s in zip(items["due_date"], items["withdrawn_at"], items["status"])
            ],
            "撤销时间": items["withdrawn_at"],
            "撤销人": items["withdrawn_by"],
            "撤销原因": mask_series(items["withdrawal_reason"].astype(object)),
        }
    )


def to_excel(
    items: pd.DataFrame,
    history: pd.DataFrame,
    verdicts: dict[int, str] | None = None,
    notes: list[tuple[str, str]] | None = None,
    withdrawn: pd.DataFrame | None = None,
) -> bytes:
    """An .xlsx with the items (overdue first, as listed) and every change of them; with `notes`, a sheet
    说明 saying which items these are (the sidebar's filters: hostile H56)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        table = items_table(items, verdicts)
        excel_sheet(writer, table, "整改事项")
        excel_sheet(writer, history_table(history), "变更记录")
        if withdrawn is not None and not withdrawn.empty:  # withdrawn items leave the counts, not the file (H207)
            excel_sheet(writer, withdrawn_table(withdrawn), "已撤销事项")
        if notes:
            excel_sheet(writer, pd.DataFrame(notes, columns=["项目", "说明"]), "说明")
            writer.sheets["说明"].set_column(0, 1, 40)
        sheet = writer.sheets["整改事项"]
        for i, column in enumerate(table.columns):
            sheet.set_column(i, i, 28 if column in ("事项名称", "整改范围", "整改措施") else 14)
        writer.sheets["变更记录"].set_column(0, 6, 16)
    return buffer.getvalue()
