"""bench/load.py's sessions driven over Streamlit's own websocket protocol instead of Chromium pages.

Twenty Chromium renderers on a two-core machine spend about six times the server's CPU drawing the pages,
so the browser client's page-ready times mostly measure the test itself. This client speaks what the
browser's front end speaks (`/_stcore/stream`, BackMsg and ForwardMsg protobufs from the streamlit
package): it asks for a script run with the page's URL query string, page and widget values, reads the
elements the run sends and stops the clock at the run's `script_finished`. It draws nothing, so the
times are the server's (script run, queries, serialisation, transfer), not a browser's rendering.

Each cycle is the browser client's: a new connection (a new Streamlit session, as opening a URL is)
with the session's filters in the query string, 月度趋势 first, then 热点分析, 机构排名, 重复与溯源 and
数据管理 in the same session, the sidebar's widget values sent back on every run as the front end does.
What each run shows is turned into the browser client's probe (title, sidebar filters and version, URL
query string, metric cards, exceptions and error boxes), so the same checks apply (bench/load.py: check).
"""

from __future__ import annotations

import time
from datetime import date
from urllib.parse import urlencode

from bench.load import NAVIGATION, Plan, Shared, record_view

MAIN, SIDEBAR = 0, 1  # root containers of a delta path
TRENDS = "月度趋势"


class Run:
    """The elements one script run sent, by delta path."""

    def __init__(self) -> None:
        self.elements: dict[tuple[int, ...], object] = {}

    def probe(self, url: str, query_string: str) -> dict:
        main = [e for path, e in sorted(self.elements.items()) if path[0] == MAIN]
        side = [e for path, e in sorted(self.elements.items()) if path[0] == SIDEBAR]
        kind = lambda e: e.WhichOneof("type")  # noqa: E731
        h1 = next((e.heading.body for e in main if kind(e) == "heading" and e.heading.tag == "h1"), None)
        org = next(
            (_selected(e.selectbox) for e in side if kind(e) == "selectbox" and e.selectbox.label == "机构"), None
        )
        tags = next(
            (
                _selected_many(e.multiselect)
                for e in side
                if kind(e) == "multiselect" and e.multiselect.label == "业务类别"
            ),
            [],
        )
        return {
            "state": "notRunning",
            "h1": h1,
            "busy": 0,
            "text": "\n".join(_text(e) for e in main),
            "sidebar": "\n".join(_text(e) for e in side),
            "org": org,
            "tags": tags,
            "metrics": [[e.metric.label, e.metric.body] for e in main if kind(e) == "metric"],
            "exceptions": [
                f"{e.exception.type}: {e.exception.message}"[:500] for e in main + side if kind(e) == "exception"
            ],
            "errors": [e.alert.body[:300] for e in main + side if kind(e) == "alert" and e.alert.format == 1],
            "dialogs": [],
            "url": f"{url}/?{query_string}",
        }


def _text(element) -> str:
    kind = element.WhichOneof("type")
    if kind in ("markdown", "heading", "alert"):
        return getattr(element, kind).body
    if kind == "metric":
        return f"{element.metric.label} {element.metric.body}"
    return ""


def _selected(box) -> str | None:
    """A selectbox's or radio's current value as the front end sends it (the formatted option)."""
    if box.HasField("raw_value"):
        return box.raw_value
    return box.options[box.default] if box.HasField("default") and box.default < len(box.options) else None


def _selected_many(box) -> list[str]:
    if box.set_value or box.raw_values:
        return list(box.raw_values)
    return [box.options[i] for i in box.default if i < len(box.options)]


def widget_states(run: Run):
    """The sidebar widgets' current values, as the front end sends them with every rerun."""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    states = WidgetStates()
    for path, element in sorted(run.elements.items()):
        kind = element.WhichOneof("type")
        if path[0] != SIDEBAR or kind not in ("selectbox", "multiselect", "radio"):
            continue
        widget = getattr(element, kind)
        if kind == "multiselect":
            state = states.widgets.add(id=widget.id)
            state.string_array_value.data.extend(_selected_many(widget))
        elif (value := _selected(widget)) is not None:
            states.widgets.add(id=widget.id, string_value=value)
    return states


class Session:
    """One Streamlit session over one websocket."""

    def __init__(self, socket, url: str) -> None:
        self.socket, self.url = socket, url
        self.pages: dict[str, tuple[str, str]] = {}  # title -> (page_script_hash, url_pathname)
        self.query_string = ""
        self.last = Run()
        self.cache: dict[str, object] = {}
        self.session_id: str | None = None  # the server's id of this Streamlit session

    async def rerun(self, query_string: str, title: str | None, timeout: float) -> tuple[float | None, dict]:
        """Ask for a script run of `title` (None: the default page); seconds until it finished, and its probe."""
        import asyncio

        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string = query_string
        if title is not None:
            state.page_script_hash, state.page_name = self.pages[title]
        state.widget_states.CopyFrom(widget_states(self.last))
        start = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        run = Run()
        deadline = start + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None, run.probe(self.url, self.query_string)
            try:
                raw = await asyncio.wait_for(self.socket.recv(), timeout=remaining)
            except asyncio.TimeoutError:
                return None, run.probe(self.url, self.query_string)
            msg = ForwardMsg.FromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":  # a message this session was sent before: the cached copy
                cached = self.cache.get(msg.ref_hash)
                if cached is None:
                    continue
                metadata = msg.metadata
                msg = ForwardMsg()
                msg.CopyFrom(cached)
                msg.metadata.CopyFrom(metadata)
                kind = msg.WhichOneof("type")
            elif msg.hash:
                self.cache[msg.hash] = msg
            if kind == "new_session":
                run = Run()  # a run (again, after st.rerun) starts from an empty page
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                self.pages = {p.page_name: (p.page_script_hash, p.url_pathname) for p in msg.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                run.elements[tuple(msg.metadata.delta_path)] = msg.delta.new_element
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the page is the next run's
                self.last = run
                return time.perf_counter() - start, run.probe(self.url, self.query_string)


async def run_session(
    url: str, plan: Plan, months: list[date], shared: Shared, timeout: float, ramp: float, t0: float
) -> None:
    """The browser client's loop (bench/load.py: run_session) over the websocket protocol."""
    import asyncio

    import websockets

    await asyncio.sleep(ramp)
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    cookies: dict[str, str] = {}  # kept across the session's cycles, as its browser context keeps them
    cycle = 0
    while True:
        month = months[cycle % len(months)]
        query = urlencode({"from": f"{month:%Y-%m}", "to": f"{month:%Y-%m}", "org": plan.org, "cat": plan.category})
        steps = [(TRENDS, "first view" if cycle == 0 else "filter change (new session)")]
        steps += [(title, "navigate") for title, _ in NAVIGATION]
        completed = True
        # The page first, as a browser loads it before its websocket: a load balancer's affinity cookie
        # (bench/replicas.py) is set here and sent with the websocket's upgrade request.
        await asyncio.to_thread(open_page, url, query, cookies, timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else None
        async with websockets.connect(
            stream,
            subprotocols=["streamlit"],
            origin=url,
            max_size=None,
            open_timeout=timeout,
            additional_headers=headers,
        ) as socket:
            session = Session(socket, url)
            for title, kind in steps:
                if not shared.take():
                    completed = False
                    break
                started_wall = time.time()
                try:
                    if kind == "navigate":
                        ready, probe = await session.rerun(session.query_string, title, timeout)
                    else:
                        ready, probe = await session.rerun(query, None, timeout)
                except (OSError, websockets.WebSocketException, KeyError) as error:
                    ready, probe = None, {"probe_error": f"{type(error).__name__}: {error}"[:300]}
                probe.update(cookies=dict(cookies), server_session=session.session_id)
                record_view(shared, plan, cycle, title, kind, month, started_wall, t0, ready, probe)
        if not completed:
            break
        cycle += 1


def open_page(url: str, query: str, cookies: dict[str, str], timeout: float) -> None:
    """GET the app's page with the session's cookies; keep the cookies the response sets."""
    import urllib.request
    from http.cookies import SimpleCookie

    request = urllib.request.Request(f"{url}/?{query}")
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
