"""One complaint in full: every field with its Chinese label, the narrative (masked; ui.narrative lets
an allowed user reveal it with an audited reason), the handling timeline against the deadline, and the
same customer's other complaints (masked).

    complaint_detail.render(complaint_id)
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard import db, fmt, schema
from dashboard.config import REPEAT_WINDOW_DAYS
from dashboard.text.masking import mask, mask_customer_id, mask_series
from dashboard.ui import context, ledger_form, narrative

LABELS = {
    **{c.name: c.header_zh for c in schema.COMPLAINTS},
    "branch_name": "被投诉机构名称",
    "branch_level": "机构层级",
    "branch_path": "机构路径",
    "province": "省份",
    "city": "城市",
    "month": "受理月份",
    "is_repeat": "重复投诉",
    "handling_days": "处理天数",
    "open_days": "已受理天数（未办结）",
    "last_seen_at": "本投诉数据截至",
    "deadline_at": "办理时限",
    "timeliness": "时效",
    "granted_days": "适用办理时限（天）",
    "is_elderly": "老年客户",
}
FIELD_ORDER = (
    "complaint_id",
    "received_at",
    "closed_at",
    "status",
    "result",
    "satisfaction",
    "branch_code",
    "branch_name",
    "branch_level",
    "branch_path",
    "province",
    "city",
    "channel",
    "business_category",
    "reason",
    "product",
    "customer_id",
    "customer_age",
    "amount",
    "regulator_referred",
    "root_cause",
    "is_repeat",
    "month",
    "handling_days",
    "open_days",
    "last_seen_at",
    "granted_days",
    "deadline_at",
    "timeliness",
    "deadline_days",
    "referral_source",
    "redress_amount",
    "is_elderly",
    "extracted_at",
)
TIMELINESS = {  # {days}: the complaint's granted deadline (contract 7)
    "on_time": "按时办结（{days} 天内）",
    "late": "超期办结（超过 {days} 天）",
    "open_overdue": "超期未办结（已超过 {days} 天）",
    "open": "办理中（未超过 {days} 天）",
}


def open_seen_text(seen_at, as_of) -> str:
    """When an open complaint is judged: the data time, or (last seen more than a day before it: its
    organisation's extract is older, hostile H201) the time of the last extract that carried it."""
    if _missing(seen_at) or _missing(as_of) or pd.Timestamp(as_of) - pd.Timestamp(seen_at) <= pd.Timedelta(days=1):
        return f"数据时点 {show_value('as_of', as_of)}"
    return f"本投诉最近一次提取的数据时点 {show_value('last_seen_at', seen_at)}（全部数据截至 {show_value('as_of', as_of)}）"


def timeliness_text(code, days) -> str:
    text = TIMELINESS.get(code)
    return fmt.DASH if text is None else text.format(days=int(days) if not _missing(days) else 15)


def _missing(value) -> bool:
    return (
        value is None
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
        or (not isinstance(value, (str, bytes, list, dict)) and pd.isna(value))
    )


def show_value(name: str, value) -> str:
    """A field as text: times to the second, money in yuan, booleans 是/否, missing as —."""
    if _missing(value):
        return fmt.DASH
    if name == "timeliness":
        return TIMELINESS.get(value, str(value)).split("（")[0]
    if name == "month":
        return f"{value.year}-{value.month:02d}"
    if isinstance(value, (pd.Timestamp,)) or hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool) or name in ("regulator_referred", "is_repeat", "is_elderly"):
        return "是" if bool(value) else "否"
    if name in ("amount", "redress_amount"):
        return f"{float(value):,.2f} 元"
    if name in ("granted_days", "deadline_days"):
        return f"{int(value)} 天"
    if name in ("handling_days", "open_days"):
        return fmt.days(value)
    if name == "customer_age":
        return f"{int(value)} 岁"
    if name == "product":  # free text (H60): masked like the narrative
        return mask(str(value))
    if name == "customer_id":  # H99: an ID or mobile number used as the 客户号
        return mask_customer_id(str(value))
    return str(value)


def fields_frame(row: pd.Series) -> pd.DataFrame:
    names = [n for n in FIELD_ORDER if n in row.index]
    return pd.DataFrame({"字段": [LABELS.get(n, n) for n in names], "内容": [show_value(n, row[n]) for n in names]})


def render(complaint_id: str, *, key: str = "cd", highlight: tuple[str, ...] = ()) -> None:
    ctx = context.require()
    params = ctx.filters.params(complaint_id=complaint_id, repeat_window_days=REPEAT_WINDOW_DAYS)
    rows = db.run(ctx.con, "complaints_detail", **params)
    if rows.empty:
        st.warning(f"未找到投诉 {fmt.literal(complaint_id)}：它可能已不在当前数据版本中，或不在您可查看的机构范围内。")
        return
    row = rows.iloc[0]
    st.subheader(f"投诉详情 · {fmt.literal(complaint_id)}")
    ledger_form.popover(
        f"{key}_item",
        f"投诉 {complaint_id} 整改",
        source="complaint",
        label="为该投诉建立整改事项",
        branch_code=row["branch_code"],
        business_category=row["business_category"],
        reason=row["reason"],
        complaint_ids=[complaint_id],
        source_note=f"由投诉 {complaint_id} 建立",
    )

    # Handling timeline: received -> closed (or still open) against the deadline.
    closed = not _missing(row["closed_at"])
    columns = st.columns(4)
    columns[0].metric(
        "受理日期",
        show_value("received_at", row["received_at"])[:10],
        help="投诉受理时间（受理时间字段）的日期；具体时刻见下方时间线。",
    )
    columns[1].metric(
        "办结日期",
        show_value("closed_at", row["closed_at"])[:10] if closed else "未办结",
        help="投诉办结时间（办结时间字段）的日期；未办结时显示“未办结”。",
    )
    days_value = row["handling_days"] if closed else row.get("open_days")
    columns[2].metric(
        "处理天数" if closed else "已受理天数",
        fmt.days(days_value),
        help="已办结：办结时间 − 受理时间；未办结：最近一次载有本投诉的提取数据的时点 − 受理时间。单位：天。",
    )
    days = row.get("granted_days")
    columns[3].metric(
        "时效",
        timeliness_text(row["timeliness"], days).split("（")[0],
        help=f"本投诉适用的办理时限为受理后 {show_value('granted_days', days)}（法定 15 天，复杂情况可延长至 "
        "30 天，经上级机构批准可再延长至 60 天；提取文件未写明时按 15 天；恰好到期算按时）。"
        "按时：时限内办结；超期：时限后办结，或截至数据时点已过时限仍未办结。",
    )
    st.caption(
        f"受理 {show_value('received_at', row['received_at'])} → 办理时限 "
        f"{show_value('deadline_at', row['deadline_at'])} → "
        + (
            f"办结 {show_value('closed_at', row['closed_at'])}"
            if closed
            else f"截至{open_seen_text(row['last_seen_at'], row['as_of'])} 尚未办结"
        )
        + f"：{timeliness_text(row['timeliness'], days)}"
        + ("（已延长办理时限）" if bool(row.get("extended")) else "")
    )

    st.markdown("**投诉内容**")
    narrative.show_narrative(complaint_id, row["content"], key=f"{key}_narrative", highlight=highlight)

    left, right = st.columns([1, 1])
    with left:
        st.markdown("**全部字段**")
        st.dataframe(fields_frame(row), hide_index=True, width="stretch", height=min(36 * 29, 1000))
    with right:
        others = db.run(
            ctx.con,
            "complaints_by_customer",
            customer_id=row["customer_id"],
            complaint_id=complaint_id,
            scope=ctx.filters.scope,
            repeat_window_days=REPEAT_WINDOW_DAYS,
        )
        customer = fmt.literal(mask_customer_id(str(row["customer_id"])))
        st.markdown(f"**同一客户（客户号 {customer}）的其他投诉：{len(others):,} 件**")
        st.caption("不限期间和筛选条件，仅限您可查看的机构范围；按受理时间由近及远。")
        if others.empty:
            st.info("该客户没有其他投诉。")
        else:
            shown = others.assign(
                content=mask_series(others["content"]),
                **({"product": mask_series(others["product"])} if "product" in others else {}),  # H60
                is_repeat=others["is_repeat"].map({True: "是", False: "否"}),
            ).rename(columns={**LABELS, "content": "投诉内容（已脱敏）", "branch_name": "被投诉机构"})
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                key=f"{key}_others",
                column_config={
                    "受理时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                    "办结时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                },
            )
