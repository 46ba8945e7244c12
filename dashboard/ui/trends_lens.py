"""The trends page's sections for issue 19, drawn from analysis.deadlines and analysis.outcomes (no queries
here): the deadline clock and 临期预警 list (each row opens the complaint's detail), outcomes and redress,
and elderly customers. The page calls draw(...) with the data its loader returned."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.analysis import deadlines as dl
from dashboard.analysis import maturity
from dashboard.analysis import outcomes as oc
from dashboard.charts import outcomes as charts
from dashboard.metrics import DEADLINE_RULE_ZH
from dashboard.ui import complaint_detail, figures

CHART = {"displaylogo": False}


def deadline_section(data: dl.DeadlineData, provisional: bool = False) -> None:
    st.subheader("办理时限与临期预警")
    st.caption(DEADLINE_RULE_ZH)
    if provisional:
        st.warning(maturity.OUTCOMES_NOTE, icon=":material/hourglass_top:")
    cols = st.columns(4)
    cols[0].metric(
        "延长办理时限的投诉",
        f"{fmt.count(data.extended)} 件",
        border=True,
        help=f"报告月份受理、办理时限延长至 30 或 60 天的投诉数（件）。{dl.EXTENSION_RULE_ZH}",
    )
    cols[1].metric(
        maturity.marked("延期按时办结率", provisional),
        fmt.rate(data.extension_on_time_rate),
        border=True,
        help=dl.EXTENSION_RULE_ZH + " 没有已办结或已超期的延期投诉时显示 —。",
    )
    cols[2].metric(
        maturity.marked("延期后仍超期", provisional),
        f"{fmt.count(data.extended_late)} 件",
        border=True,
        help=dl.EXTENDED_LATE_RULE_ZH,
    )
    cols[3].metric(
        "临期预警",
        f"{fmt.count(len(data.warnings))} 件",
        border=True,
        help=dl.WARN_RULE_ZH + " 不限报告月份：截至数据时点的全部未办结投诉，按侧边栏的机构和筛选条件。",
    )
    warnings = data.warnings
    if warnings.empty:
        st.success("截至数据时点，没有临近办理时限的未办结投诉。")
        return
    if len(warnings) >= dl.WARNING_LIMIT:
        st.caption(f"只列出剩余时间最少的 {dl.WARNING_LIMIT} 件。")
    left, right = st.columns([3, 5])
    with left:
        st.markdown("**按机构**")
        branch = data.warnings_by_branch
        st.dataframe(
            pd.DataFrame(
                {
                    "被投诉机构": branch["branch_name"],
                    "一级分行": branch["tier1_name"].fillna("—"),
                    "预警件数": branch["warnings"],
                    "最少剩余": branch["min_days_left"].map(fmt.days),
                }
            ),
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(branch), 360),
        )
    with right:
        st.markdown("**预警清单**（按剩余时间由少到多；选择一行查看投诉详情）")
        shown = pd.DataFrame(
            {
                "投诉编号": warnings["complaint_id"],
                "被投诉机构": warnings["branch_name"],
                "业务类别": warnings["business_category"],
                "受理时间": pd.to_datetime(warnings["received_at"]).dt.strftime("%Y-%m-%d %H:%M"),
                "办理时限": warnings["granted_days"].map(lambda d: f"{int(d)} 天")
                + warnings["extended"].map({True: "（已延长）", False: ""}),
                "到期时间": pd.to_datetime(warnings["deadline_at"]).dt.strftime("%Y-%m-%d %H:%M"),
                "已用": warnings["used_share"].map(lambda v: fmt.rate(v, 0)),
                "剩余": warnings["days_left"].map(fmt.days),
            }
        )
        event = st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(shown), 360),
            on_select="rerun",
            selection_mode="single-row",
            key="tl_warnings",
        )
    picked = event.selection.rows if event is not None else []
    if picked:
        with st.container(border=True):
            complaint_detail.render(str(warnings["complaint_id"].iloc[picked[0]]), key="tl_detail")


def outcomes_section(data: oc.OutcomesData, provisional: bool = False) -> None:
    st.subheader("办理结果与补偿")
    if provisional:
        st.caption(maturity.OUTCOMES_NOTE)
    row = data.month_row()
    cols = st.columns(4)
    resolution, satisfaction = maturity.marked("解决率", provisional), maturity.marked("满意率", provisional)
    cols[0].metric(resolution, fmt.rate(row.get("resolution_rate")), border=True, help=oc.RESOLUTION_RULE_ZH)
    cols[1].metric(satisfaction, fmt.rate(row.get("satisfaction_rate")), border=True, help=oc.SATISFACTION_RULE_ZH)
    cols[2].metric(
        "涉及金额（万元）",  # the unit in the label: "10,140.7 万元" was cut at 1440
        fmt.wan(row.get("amount_total")),
        border=True,
        help=oc.MONEY_RULE_ZH + f" 本月 {fmt.count(row.get('with_amount'))} 件投诉填写了涉及金额。",
    )
    cols[3].metric(
        "补偿金额（万元）",
        fmt.wan(row.get("redress_total")) if data.has_redress else "未提供",
        border=True,
        help=oc.MONEY_RULE_ZH
        + (
            f" 本月 {fmt.count(row.get('redressed'))} 件有补偿。"
            if data.has_redress
            else " 所选期间的提取文件没有补偿金额。"
        ),
    )
    left, right = st.columns(2)
    left.plotly_chart(
        figures.figure(
            charts.rates_chart,
            data.trend,
            {"resolution_rate": "解决率", "satisfaction_rate": "满意率"},
            "解决率与满意率走势",
        ),
        width="stretch",
        config=CHART,
    )
    right.plotly_chart(figures.figure(charts.money_chart, data.trend), width="stretch", config=CHART)
    tabs = st.tabs(["按业务类别", "按一级分行"])
    for tab, dimension, label in zip(tabs, ("business_category", "tier1_branch"), ("业务类别", "一级分行")):
        rows = data.breakdown[data.breakdown["dimension"] == dimension]
        with tab:
            if rows.empty:
                st.info("报告月份没有投诉。")
                continue
            st.dataframe(
                pd.DataFrame(
                    {
                        label: rows["label"].fillna("总行本部"),
                        "投诉量": rows["complaints"],
                        "解决率": rows["resolution_rate"].map(fmt.rate),
                        "满意率": rows["satisfaction_rate"].map(fmt.rate),
                        # H35: one unit per column (万元, in the header), numbers that sort and align
                        "涉及金额（万元）": pd.to_numeric(rows["amount_total"], errors="coerce") / 10_000,
                        "补偿金额（万元）": pd.to_numeric(rows["redress_total"], errors="coerce") / 10_000,
                        "老年客户占比": rows["elderly_share"].map(fmt.rate),
                    }
                ),
                hide_index=True,
                width="stretch",
                height=min(38 + 35 * len(rows), 460),
                column_config={  # to the hundred yuan: four decimals read as precision nobody needs here
                    "投诉量": st.column_config.NumberColumn(format="%d 件"),
                    "涉及金额（万元）": st.column_config.NumberColumn(format="%.2f"),
                    "补偿金额（万元）": st.column_config.NumberColumn(format="%.2f"),
                },
            )
    st.caption(f"报告月份的分布。{oc.RESOLUTION_RULE_ZH}{oc.SATISFACTION_RULE_ZH}")


def elderly_section(data: oc.OutcomesData) -> None:
    st.subheader("老年客户")
    row = data.month_row()
    cols = st.columns(4)
    cols[0].metric(
        "老年客户投诉",
        f"{fmt.count(row.get('elderly'))} 件",
        border=True,
        help="报告月份受理、客户年龄 60 岁及以上的投诉数（件）。",
    )
    cols[1].metric("老年客户投诉占比", oc.elderly_share_text(row), border=True, help=oc.ELDERLY_SHARE_RULE_ZH)
    cols[2].metric(
        "未填写年龄",
        f"{fmt.count(row.get('age_unknown'))} 件",
        border=True,
        help="报告月份受理、没有客户年龄的投诉数（件）：计入占比的分母。",
    )
    rate = row.get("elderly_per_10k")
    cols[3].metric(
        "老年客户万人投诉率",
        f"{fmt.per10k(rate)} 件/万户" if rate is not None and not pd.isna(rate) else "无老年客户数",
        border=True,
        help=oc.ELDERLY_RATE_RULE_ZH,
    )
    st.plotly_chart(
        figures.figure(charts.rates_chart, data.trend, {"elderly_share": "老年客户投诉占比"}, "老年客户投诉占比走势"),
        width="stretch",
        config=CHART,
    )
    st.caption(oc.ELDERLY_SHARE_RULE_ZH)


def draw(deadline: dl.DeadlineData | None, outcomes: oc.OutcomesData | None, provisional: bool = False) -> None:
    """`provisional`: the report month is not mature (trends.TrendData.maturity): its deadline and outcome
    figures are marked 暂估 (hostile H34)."""
    if deadline is None or outcomes is None:
        return
    deadline_section(deadline, provisional)
    outcomes_section(outcomes, provisional)
    elderly_section(outcomes)
