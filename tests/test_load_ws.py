"""The load test's websocket client (bench/load_ws.py) against the served demo app: what it reads from a
script run must be what the page shows, or its checks would pass or fail for the wrong reasons."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import websockets

from bench.load import Plan, check
from bench.load_ws import Session
from dashboard import db, report
from dashboard.filters import Filters
from dashboard.fmt import count
from dashboard.ui.sidebar import default_month


async def _views(url: str, query: str) -> list[tuple[float | None, dict]]:
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], origin=url, max_size=None) as socket:
        session = Session(socket, url)
        first = await session.rerun(query, None, timeout=120)
        then = await session.rerun(session.query_string, "热点分析", timeout=120)
        back = await session.rerun(session.query_string, "月度趋势", timeout=120)
        return [first, then, back]


def test_a_session_over_the_protocol_sees_its_own_filters_and_numbers(app_server, demo_store):
    snapshot, con = db.current(demo_store)
    branches = db.run(con, "branch_options", scope=None)
    org = branches.loc[branches["level"] == "一级分行"].iloc[0]
    month = default_month(snapshot)
    plan = Plan(0, org["branch_code"], org["branch_name"], "信用卡")
    query = urlencode({"from": f"{month:%Y-%m}", "to": f"{month:%Y-%m}", "org": plan.org, "cat": plan.category})
    # the 投诉量 card, worked out by the query layer for the same filters (not by the page)
    kpis = report.kpis(con, Filters(month_from=month, month_to=month, org=plan.org, categories=(plan.category,)), month)

    with ThreadPoolExecutor(1) as thread:  # its own event loop: the browser tests' Playwright runs one here
        views = thread.submit(asyncio.run, _views(app_server, query)).result()

    for (seconds, probe), title in zip(views, ("月度趋势", "热点分析", "月度趋势")):
        assert seconds is not None and seconds > 0, title
        assert (probe["h1"] or "").startswith(title)
        outcome = check(plan, probe, title, month)
        assert outcome["problems"] == [], (title, outcome["problems"])
        assert outcome["version"] == snapshot.version
    for _seconds, probe in (views[0], views[2]):  # the sidebar's filters survived the navigation and back
        assert dict(probe["metrics"])["投诉量"] == count(kpis["complaints"]) + " 件"
