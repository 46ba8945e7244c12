"""Entry point: `streamlit run dashboard/app.py`. Page config, navigation, the shared sidebar."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import db, metrics
from dashboard.ui import context, identity, look, sidebar
from dashboard.ui.outdated import stop_if_outdated

PAGES = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="消保投诉分析", page_icon=":material/analytics:", layout="wide")
# Sign-in, role and scope (docs/security.md); stops here, before any query, without access.
principal = identity.gate()

navigation = st.navigation(
    identity.allowed_pages(
        {  # + 审计日志 for 消保部
            "分析": [
                st.Page(PAGES / "trends.py", title="月度趋势", icon=":material/trending_up:", default=True),
                st.Page(
                    PAGES / "hotspots.py",
                    title="热点分析",
                    icon=":material/local_fire_department:",
                    url_path="hotspots",
                ),
                st.Page(PAGES / "events.py", title="本月新情况", icon=":material/notifications:", url_path="events"),
                st.Page(PAGES / "rankings.py", title="机构排名", icon=":material/leaderboard:", url_path="rankings"),
                st.Page(PAGES / "repeats.py", title="重复与溯源", icon=":material/repeat:", url_path="repeats"),
                st.Page(
                    PAGES / "regulator.py", title="监管视角", icon=":material/account_balance:", url_path="regulator"
                ),
                st.Page(PAGES / "ledger.py", title="整改台账", icon=":material/assignment:", url_path="ledger"),
            ],
            "数据": [
                st.Page(PAGES / "data.py", title="数据管理", icon=":material/database:", url_path="data"),
            ],
        }
    )
)

snapshot = context.snapshot()
stop_if_outdated(snapshot)  # an older snapshot format: one state for every page
if snapshot is None or not snapshot.meta.get("complaints"):
    context.set_context(None)
else:
    branches = db.run(db.connection_for(snapshot), "branch_options", scope=principal.scope)
    filters = sidebar.render(snapshot, branches, scope=principal.scope)
    context.set_context(context.Context(snapshot=snapshot, filters=filters))
    st.sidebar.caption(sidebar.data_time_caption(snapshot, filters))  # the one time-zone label of every page
    stale = metrics.stale_warning(snapshot.meta["as_of"])
    if stale:  # above every page (H137): old data must not read as a quiet month
        st.warning(stale, icon=":material/schedule:")

identity.sidebar_badge(principal)
look.chinese_date_inputs()  # empty date inputs: 年-月-日, not yyyy-mm-dd
navigation.run()
