"""数据管理: what is loaded, what was quarantined and why, and importing an extract."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import fmt, schema
from dashboard.analysis import data as loaded_data
from dashboard.auth import audit
from dashboard.auth.roles import can_manage_data
from dashboard.config import data_dir
from dashboard.ingest import audited, isolated, store
from dashboard.ingest.errors import ExtractError, PublishedThenFailed
from dashboard.text.masking import mask, mask_series
from dashboard.ui import context, identity, look, quarantine_view
from dashboard.ui.import_steps import ImportSteps

st.title("数据管理")

snapshot = context.snapshot()


# --- Import ---------------------------------------------------------------------------------------
with st.expander("导入抽数文件", expanded=snapshot is None):
    st.markdown(
        "支持 Parquet、CSV（UTF-8 / UTF-8 BOM / GBK）和 Excel (.xlsx)，表头可用英文字段名或中文表头；"
        "系统根据表头自动识别是投诉工单、机构还是月度客户数。同一批可同时上传多个文件，"
        "机构文件会先于投诉文件导入。同一投诉编号再次导入时以新数据为准，但旧数据不会覆盖新数据"
        "（内容和映射都与已导入的相同的文件跳过；会使已办结投诉退回处理中的行计为“旧于已入库”）。"
        "导入在独立进程中进行，文件过大或异常不会影响应用；各项上限见 docs/import_limits.md。"
    )
    uploads = st.file_uploader(
        "抽数文件",
        type=["parquet", "csv", "xlsx"],
        accept_multiple_files=True,
        key="data_upload_extracts",
        help=f"可多选。每个文件不超过 {look.upload_limit_text()}（服务器上传上限）；"
        "行数、列数等上限见 docs/import_limits.md。",
    )
    look.chinese_uploader("data_upload_extracts", "Parquet、CSV、Excel（.xlsx）")
    mapping_upload = st.file_uploader(
        "映射文件（可选，TOML 或 YAML）",
        type=["toml", "yaml", "yml"],
        key="data_upload_mapping",
        help="源系统表头、代码取值或日期格式与标准不同时使用，格式见 docs/mapping.md。",
    )
    look.chinese_uploader("data_upload_mapping", "TOML、YAML")
    force = st.checkbox(
        "内容已导入过的文件也重新导入",
        value=False,
        help="默认跳过与已导入文件内容完全相同的文件（按文件指纹判断），以免旧数据覆盖新数据。"
        "勾选后重新读取并逐行比较；数据没有任何变化时不发布新的数据版本，撤销仍恢复上次实际导入之前的数据。",
    )
    accept_unmapped = st.checkbox(
        "允许未映射取值",
        value=False,
        help="映射文件未覆盖的取值超过其允许比例（max_unmapped_share）时仍导入，这些行进入隔离区。",
    )
    if st.button("开始导入", type="primary", disabled=not uploads):
        failure = interrupted = None
        steps = ImportSteps()  # a status box per publish: the numbers' step says when they are on the pages
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, upload in enumerate(uploads):  # a folder each: two files of the same name both count
                folder = Path(tmp) / str(i)
                folder.mkdir()
                path = folder / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                paths.append(path)
            mapping_path = None
            if mapping_upload is not None:
                mapping_path = Path(tmp) / Path(mapping_upload.name).name
                mapping_path.write_bytes(mapping_upload.getvalue())
            try:
                result = isolated.run(
                    paths,
                    data_dir(),
                    mapping_path,
                    identity.principal() or identity.current_user(),
                    force=force,
                    accept_unmapped=accept_unmapped,
                    progress=steps.step,
                )
                st.session_state["last_import"] = result
                steps.done(result)
            except PublishedThenFailed as error:  # a snapshot is published: not "nothing changed" (H240)
                st.session_state["last_import"] = None
                steps.failed(published=True)
                interrupted = str(error)
            except ExtractError as error:
                st.session_state["last_import"] = None
                steps.failed()
                failure = str(error)
        if failure is not None:  # below the status box, so the reason shows without opening it
            st.error(f"导入失败，已有数据未作任何改动。{fmt.literal(mask(failure))}")  # H141
        if interrupted is not None:
            st.warning(fmt.literal(mask(interrupted)))
        if st.session_state.get("last_import") is not None:
            st.rerun()  # the sidebar and every page pick up the new snapshot

result = st.session_state.get("last_import")
if result is not None:
    st.success(f"导入完成。{result.version_note}")
    if result.numbers_version:  # published in two steps
        st.caption(
            f"分两步发布：数字先于数据版本 {result.numbers_version} 发布，热点词与相似投诉随后"
            + (f"于数据版本 {result.version} 发布。" if not result.text_error else "计算出错，未发布。")
        )
    if result.text_error:
        st.warning(
            "投诉内容分析（热点词、相似投诉）未完成，数字已发布、不受影响；下次导入或运行 python -m dashboard rebuild "
            f"时补算。{fmt.literal(mask(result.text_error))}"
        )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "文件": mask(f.file),  # an extract may be named after its customer (hostile H121)
                    "数据表": schema.TABLE_LABELS_ZH[f.table],
                    "结果": f"已导入过（{f.already_imported_at[:19]}），未改动" if f.already_imported_at else "已导入",
                    "读取行数": f.read,
                    "新增": f.inserted,
                    "更新": f.updated,
                    "未变": f.unchanged,
                    "旧于已入库": f.skipped_older,
                    "隔离": f.quarantined,
                    "文件指纹": f.sha256[:12],
                }
                for f in result.files
            ]
        ),
        hide_index=True,
    )
    for f in result.files:
        if f.seen_again:
            st.caption(fmt.literal(mask(f"{f.file}：{f.seen_again_note}")))
        for rule, count in f.older.items():
            ids = "、".join(f.older_ids) + ("…" if len(f.older_ids) < f.skipped_older else "")
            st.caption(fmt.literal(mask(f"{f.file}：旧于已入库 {count:,} 行（{rule}），投诉编号：{ids}")))
        for warning in f.warnings:
            st.caption(fmt.literal(mask(f"{f.file}：{warning}")))  # file names, title lines: masked (H141)
    if len(result.quarantine):
        st.warning(f"本次导入有 {len(result.quarantine):,} 行被隔离，未写入数据；原因如下，可下载后修正再导入。")
        quarantine_view.show(result.quarantine, key="last")

if snapshot is None:
    st.info("尚未导入任何数据。请上传抽数文件，或在命令行运行 `python -m dashboard demo` 生成演示数据。")
    st.stop()

# --- What is loaded -------------------------------------------------------------------------------
meta = snapshot.meta
data = loaded_data.load(context.snapshot_run(snapshot))
st.subheader("已加载的数据")
cols = st.columns(5)
cols[0].metric("投诉工单", fmt.count(meta["complaints"]), help="按投诉编号去重后的工单数。")
cols[1].metric("机构", fmt.count(meta["branches"]))
cols[2].metric("月度客户数记录", fmt.count(meta["customers_monthly"]))
cols[3].metric(
    "隔离行数",
    fmt.count(meta.get("quarantined", 0)),
    help="未通过校验、未写入数据的行；修正后重新导入同名文件即可清除。",
)
cols[4].metric(
    "数据时点",
    (meta.get("as_of") or "—")[:10],
    help="已加载数据中最晚的受理时间或办结时间。未办结投诉按最近一次载有它的提取数据的时点（提取时间，或该文件中最晚的受理、办结时间）判断是否超期。",
)
st.caption(
    f"覆盖月份：{(meta.get('first_month') or '—')[:7]} 至 {(meta.get('last_month') or '—')[:7]} · "
    f"数据版本 {snapshot.version}，生成于 {meta['created_at'].replace('T', ' ')}"
)
if context.text_note():
    st.info(context.text_note())
reverted = meta.get("reverted")
if reverted:  # an undone import (H160): the version says what it is a copy of
    st.info(
        f"本数据版本由 {fmt.literal(reverted.get('by'))} 撤销数据版本 {fmt.literal(reverted.get('version'))} 的导入后发布，"
        f"内容与数据版本 {fmt.literal(reverted.get('restored'))} 相同。",
        icon=":material/undo:",
    )
flash = st.session_state.pop("data_revert_flash", None)
if flash:
    st.success(fmt.literal(flash))

coverage = data.coverage
if len(coverage):
    if data.missing_customers:
        st.warning("以下月份没有客户数数据，万人投诉率将显示为 —：" + "、".join(data.missing_customers))
    with st.expander("按月覆盖情况"):
        st.dataframe(
            coverage.rename(
                columns={
                    "month": "月份",
                    "complaints": "投诉量",
                    "open": "未办结",
                    "organisations_with_customers": "有客户数的机构数",
                    "customers": "客户数合计",
                }
            ),
            hide_index=True,
        )

st.subheader("导入记录")
imports = data.imports.copy()
imports["table_name"] = imports["table_name"].map(schema.TABLE_LABELS_ZH)
imports["file_name"] = mask_series(imports["file_name"])
imports["warnings"] = mask_series(imports["warnings"]).fillna(
    ""
)  # values and file names quoted: masked (H141); none: blank, not "None"
st.dataframe(
    imports.rename(
        columns={
            "imported_at": "导入时间",
            "user_name": "导入人",
            "file_name": "文件",
            "table_name": "数据表",
            "rows_read": "读取",
            "inserted": "新增",
            "updated": "更新",
            "unchanged": "未变",
            "skipped_older": "旧于已入库",
            "quarantined": "隔离",
            "warnings": "提示",
            "sha256": "文件指纹",
        }
    ),
    hide_index=True,
    column_config={"提示": st.column_config.TextColumn(width="large")},
)

# --- Undo the last import (hostile H160): the snapshot from before it, published again ---------------
if can_manage_data(identity.principal()):
    with st.expander("撤销最近一次导入", icon=":material/undo:"):
        try:
            undo = audited.last_import(data_dir())
        except audited.RevertError as error:
            st.info(fmt.literal(error))
        else:
            undone = undo.undone
            when = pd.to_datetime(undone["imported_at"]).max() if len(undone) else None
            files = "、".join(mask_series(undone["file_name"]).drop_duplicates().tolist()) or "—"
            st.markdown(
                f"将撤销 {fmt.literal(f'{when:%Y-%m-%d %H:%M}' if when is not None else '—')} 导入的"
                f"文件：{fmt.literal(files)}。撤销后，重新发布数据版本 {fmt.literal(undo.restored.version)}（这次导入之前）"
                f"的内容，作为新的数据版本；当前版本 {fmt.literal(undo.current.version)} 不删除，"
                f"仍按“保留最近 {store.KEEP_VERSIONS} 个版本”的规则保留。整改台账不受影响。操作记入审计日志。"
            )
            confirmed = st.checkbox("我已核对，确认撤销这次导入", key="data_revert_confirm")
            if st.button("撤销最近一次导入", disabled=not confirmed, key="data_revert", icon=":material/undo:"):
                try:
                    published = audited.revert_last_import(data_dir(), identity.principal(), undo.current.version)
                except (audited.RevertError, audit.AuditError) as error:
                    st.error(fmt.literal(error))
                else:
                    st.session_state["data_revert_flash"] = (
                        f"已撤销数据版本 {undo.current.version} 的导入：现为数据版本 {published.version}"
                        f"（内容同数据版本 {undo.restored.version}）。"
                    )
                    st.rerun()

st.subheader("隔离的行")
quarantine = data.quarantine
if quarantine.empty:
    st.success("没有被隔离的行。")
else:
    st.caption(
        "每条记录（投诉编号、机构代码或机构与月份）只列最近一次的结果：同一记录之后再次导入（成功或再次被隔离）时，"
        "较早的隔离行移入下方的历史。"
    )
    quarantine_view.show(quarantine, key="all")
history = data.history
if len(history) > len(quarantine):
    with st.expander(f"隔离历史（共 {len(history):,} 行，含已被之后的导入取代的行）"):
        quarantine_view.show(history, key="history")
