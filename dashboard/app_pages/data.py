"""数据管理: what is loaded, what was quarantined and why, and importing an extract."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import db, fmt, schema
from dashboard.auth import audit
from dashboard.config import data_dir
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.pipeline import import_files
from dashboard.ui import context, identity, quarantine_view

st.title("数据管理")

snapshot = context.snapshot()

# --- Import ---------------------------------------------------------------------------------------
with st.expander("导入抽数文件", expanded=snapshot is None):
    st.markdown(
        "支持 Parquet、CSV（UTF-8 / UTF-8 BOM / GBK）和 Excel (.xlsx)，表头可用英文字段名或中文表头；"
        "系统根据表头自动识别是投诉工单、机构还是月度客户数。同一批可同时上传多个文件，"
        "机构文件会先于投诉文件导入。同一投诉编号再次导入时以新数据为准。"
    )
    uploads = st.file_uploader("抽数文件", type=["parquet", "csv", "xlsx"], accept_multiple_files=True)
    mapping_upload = st.file_uploader("映射文件（可选，TOML 或 YAML）", type=["toml", "yaml", "yml"],
                                      help="源系统表头、代码取值或日期格式与标准不同时使用，格式见 docs/mapping.md。")
    if st.button("开始导入", type="primary", disabled=not uploads):
        with tempfile.TemporaryDirectory() as tmp, st.spinner("正在校验并导入，请稍候…"):
            paths = []
            for upload in uploads:
                path = Path(tmp) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                paths.append(path)
            mapping_path = None
            if mapping_upload is not None:
                mapping_path = Path(tmp) / Path(mapping_upload.name).name
                mapping_path.write_bytes(mapping_upload.getvalue())
            try:
                result = import_files(paths, data_dir(), mapping_path, user=identity.current_user())
                audit.record_import(identity.principal() or identity.current_user(), paths, result)
                st.session_state["last_import"] = result
            except ExtractError as error:
                audit.record_import(identity.principal() or identity.current_user(), paths, error=str(error))
                st.session_state["last_import"] = None
                st.error(f"导入失败，已有数据未作任何改动。{error}")
        if st.session_state.get("last_import") is not None:
            st.rerun()   # the sidebar and every page pick up the new snapshot

result = st.session_state.get("last_import")
if result is not None:
    st.success(f"导入完成，当前数据版本 {result.version}" + ("" if result.changed else "（数据无变化）"))
    st.dataframe(pd.DataFrame([{
        "文件": f.file, "数据表": schema.TABLE_LABELS_ZH[f.table], "读取行数": f.read, "新增": f.inserted,
        "更新": f.updated, "未变": f.unchanged, "旧于已入库": f.skipped_older, "隔离": f.quarantined,
    } for f in result.files]), hide_index=True)
    for f in result.files:
        for warning in f.warnings:
            st.caption(f"{f.file}：{warning}")
    if len(result.quarantine):
        st.warning(f"本次导入有 {len(result.quarantine):,} 行被隔离，未写入数据；原因如下，可下载后修正再导入。")
        quarantine_view.show(result.quarantine, key="last")

if snapshot is None:
    st.info("尚未导入任何数据。请上传抽数文件，或在命令行运行 `python -m dashboard demo` 生成演示数据。")
    st.stop()

# --- What is loaded -------------------------------------------------------------------------------
meta = snapshot.meta
con = db.connection_for(snapshot)
st.subheader("已加载的数据")
cols = st.columns(5)
cols[0].metric("投诉工单", fmt.count(meta["complaints"]), help="按投诉编号去重后的工单数。")
cols[1].metric("机构", fmt.count(meta["branches"]))
cols[2].metric("月度客户数记录", fmt.count(meta["customers_monthly"]))
cols[3].metric("隔离行数", fmt.count(meta.get("quarantined", 0)),
               help="未通过校验、未写入数据的行；修正后重新导入同名文件即可清除。")
cols[4].metric("数据时点", (meta.get("as_of") or "—")[:10],
               help="已加载数据中最晚的受理时间或办结时间；超期判断以此为准。")
st.caption(f"覆盖月份：{(meta.get('first_month') or '—')[:7]} 至 {(meta.get('last_month') or '—')[:7]} · "
           f"数据版本 {snapshot.version}，生成于 {meta['created_at'].replace('T', ' ')}")

coverage = db.run(con, "data_coverage")
if len(coverage):
    coverage["month"] = pd.to_datetime(coverage["month"]).dt.strftime("%Y-%m")
    missing = coverage[coverage["organisations_with_customers"] == 0]["month"].tolist()
    if missing:
        st.warning("以下月份没有客户数数据，万人投诉率将显示为 —：" + "、".join(missing))
    with st.expander("按月覆盖情况"):
        st.dataframe(coverage.rename(columns={
            "month": "月份", "complaints": "投诉量", "open": "未办结",
            "organisations_with_customers": "有客户数的机构数", "customers": "客户数合计"}),
            hide_index=True)

st.subheader("导入记录")
imports = db.run(con, "data_imports")
imports["table_name"] = imports["table_name"].map(schema.TABLE_LABELS_ZH)
st.dataframe(imports.rename(columns={
    "imported_at": "导入时间", "user_name": "导入人", "file_name": "文件", "table_name": "数据表",
    "rows_read": "读取", "inserted": "新增", "updated": "更新", "unchanged": "未变",
    "skipped_older": "旧于已入库", "quarantined": "隔离", "sha256": "文件指纹"}),
    hide_index=True)

st.subheader("隔离的行")
quarantine = db.run(con, "data_quarantine")
if quarantine.empty:
    st.success("没有被隔离的行。")
else:
    quarantine_view.show(quarantine, key="all")
