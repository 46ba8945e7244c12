"""The one state every page shows while the published snapshot was written in an older format."""

from __future__ import annotations

import streamlit as st

from dashboard import db
from dashboard.ingest.store import Snapshot


def stop_if_outdated(snapshot: Snapshot | None) -> None:
    """数据需要重建, with the command to run, and a stop before any page reads the snapshot."""
    if snapshot is None or db.is_current(snapshot):
        return
    st.title("数据需要重建")
    st.warning(
        f"当前数据版本 {snapshot.version} 由旧版程序写入（数据格式：{snapshot.meta.get('format', '未记录')}，"
        f"本程序读取格式 {db.SNAPSHOT_FORMAT}），各页面暂不显示。请在服务器的项目目录下运行以下命令，"
        "用已导入的数据重新生成全部派生表（数据本身不变），完成后刷新本页："
    )
    st.code(db.REBUILD_COMMAND, language="bash")
    st.stop()
