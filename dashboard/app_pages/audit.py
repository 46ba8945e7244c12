"""审计日志: who signed in, revealed personal data (and why), exported and imported; 消保部 only."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import clock
from dashboard.auth import audit
from dashboard.auth.roles import can_view_audit
from dashboard.text.masking import mask_series
from dashboard.ui import identity
from dashboard.ui.download import audited_download

st.title("审计日志")
if not can_view_audit(identity.principal()):  # the navigation already leaves the page out
    st.error("仅消保部可以查看审计日志。")
    st.stop()

path = audit.log_path()
heads, published_at = audit.published_heads()  # every snapshot still on disk, not only the current one
log = audit.read(path, heads, published_at)
st.caption(
    f"记录登录、查看个人信息（含理由）、导出和导入。日志只追加、不改写，每行带序号和密钥校验码（HMAC）。位置：`{path}`"
)
if log.entries:
    last = log.entries[-1]
    st.caption(
        f"当前日志位置：第 {last.get('seq')} 条，校验码 `{str(last.get('mac'))[:16]}…`。"
        "每写一条，服务器日志（及开启时的系统日志）都记下一行 complaints-audit head；"
        "请与其中最后一行核对：连同状态文件和数据版本一起回退的日志只有这样才能发现。"
    )

if not log.problems:
    st.success(
        f"完整性校验通过：共 {len(log.entries):,} 条记录，序号连续，每条记录的校验码正确并与前一条衔接，"
        "与状态文件及各数据版本发布时记录的日志位置一致。",
        icon=":material/verified:",
    )
else:
    st.error(
        f"完整性校验未通过（{len(log.problems)} 处）。日志可能被改动、删行、截断、伪造或写入中断，"
        "请保全日志文件及状态文件并报告信息安全部门。",
        icon=":material/gpp_bad:",
    )
    st.markdown(
        "\n".join(f"- {p.message}" for p in log.problems[:50])
        + (f"\n- ……另有 {len(log.problems) - 50} 处" if len(log.problems) > 50 else "")
    )

if not log.entries:
    st.info("暂无审计记录。")
    st.stop()

frame = pd.DataFrame(
    {
        "序号": [e.get("seq") for e in log.entries],
        "时间": pd.to_datetime([e.get("at") for e in log.entries], utc=True, format="ISO8601"),
        "事件": [audit.EVENTS.get(e.get("event"), e.get("event")) for e in log.entries],
        "用户": [e.get("user") for e in log.entries],
        "角色": [e.get("role") or "—" for e in log.entries],
        "可见范围": [e.get("scope") or "全行" for e in log.entries],
        # a reveal's reason or an import error may quote a customer's name or number: masked like narratives
        "内容": mask_series(pd.Series([audit.describe(e) for e in log.entries], dtype=object)),
        "校验": ["不符" if bad else "" for bad in log.flagged()],  # the lines the problems above name
    }
)
frame["时间"] = frame["时间"].dt.tz_convert(clock.ZONE).dt.tz_localize(None)
frame = frame.iloc[::-1].reset_index(drop=True)  # newest first

last_day = frame["时间"].max().date()
left, middle, right = st.columns([2, 3, 2])
period = left.date_input(
    "日期范围",
    value=(max(frame["时间"].min().date(), last_day - timedelta(days=29)), last_day),
    format="YYYY-MM-DD",
    help="按事件发生时间（北京时间）筛选，首尾日期均包含。",
)
events = middle.multiselect("事件类型", list(audit.EVENTS.values()), placeholder="全部事件")
who = right.text_input("用户", placeholder="按邮箱或账号筛选")

if isinstance(period, tuple):  # a range still being picked has one end
    start, end = (period[0], period[-1]) if period else (last_day, last_day)
else:
    start = end = period
shown = frame[(frame["时间"].dt.date >= start) & (frame["时间"].dt.date <= end)]
if events:
    shown = shown[shown["事件"].isin(events)]
if who.strip():
    shown = shown[shown["用户"].str.contains(who.strip(), case=False, regex=False, na=False)]

counts = shown["事件"].value_counts()
columns = st.columns(len(audit.EVENTS))
for column, label in zip(columns, audit.EVENTS.values()):
    column.metric(label, f"{int(counts.get(label, 0)):,}", help=f"所选范围内“{label}”事件的条数。")

if shown.empty:
    st.info("所选范围内没有审计记录。")
else:
    st.dataframe(
        shown,
        hide_index=True,
        height=480 if len(shown) > 12 else "auto",  # not a tall empty grid for a few rows
        column_config={"时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")},
    )
    audited_download(
        "下载审计日志（CSV）",
        shown,
        f"audit_{start:%Y%m%d}_{end:%Y%m%d}.csv",
        what="审计日志",
        icon=":material/download:",
    )
