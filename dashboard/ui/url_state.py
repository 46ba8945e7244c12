"""A page's own state in the URL (besides the sidebar's filters, ui/sidebar.py), so that a copied link
opens the same view in a fresh browser: the hotspots page's drill-down, term, search and surge
thresholds, the rankings page's weights and thresholds, the repeats page's rule.

Each page owns the keys starting with its prefix (hs_, rk_, rp_). A page:

    url_state.seed("hs_", {"hs_rule_ratio": float, ...})   # before its widgets: URL -> session state, once
    ...widgets...
    url_state.write("hs_", {"hs_q": text, ...})            # after: session state -> URL (None/default: removed)

Seeding happens on the page's first run in a session (a fresh browser opening a link), and again whenever
the URL carries the page's keys that differ from what was seeded (a link pasted into the same session).
A value that does not parse, or lies outside its range (`number`, `choice`: nan, inf, negative, huge), is
dropped with a Chinese warning naming it, and the page opens with the default (a stale or edited link still
opens the page, never with a threshold that switches a check off). Another page's keys are removed from the
URL when this page writes its own, so a link carries one page's view.
"""

from __future__ import annotations

import math
from typing import Callable, Mapping

import streamlit as st

PREFIXES = ("hs_", "rk_", "rp_", "rc_")
Prefix = str | tuple[str, ...]


class BadValue(ValueError):
    """A URL value out of its range; the message (Chinese) says what it should be."""


def number(kind: type, low: float, high: float) -> Callable[[str], object]:
    """A parser of a finite int or float within [low, high]."""

    def parse(text: str):
        try:
            value = kind(str(text).strip())
        except (ValueError, OverflowError):
            raise BadValue("应为整数" if kind is int else "应为数字") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise BadValue(f"应在 {low:g} 到 {high:g} 之间")
        return value

    return parse


def choice(options) -> Callable[[str], object]:
    """A parser of one of `options` (compared as their kind: floats as floats)."""
    options = tuple(options)
    kind = type(options[0])

    def parse(text: str):
        try:
            value = kind(str(text).strip())
        except (ValueError, OverflowError):
            value = None
        if value not in options:
            raise BadValue(
                "应为 " + " / ".join(f"{o:g}" if isinstance(o, float) else str(o) for o in options) + " 之一"
            )
        return value

    return parse


def read(prefix: Prefix) -> dict[str, str]:
    """The URL's parameters of this page."""
    return {k: v for k, v in st.query_params.items() if k.startswith(prefix)}


def seed(prefix: Prefix, parsers: Mapping[str, Callable[[str], object]]) -> dict[str, object]:
    """Put the URL's values of this page into session state (parsed; unparsable ones skipped), once per
    session and whenever the URL's page keys change from outside. Returns the values seeded ({} if none)."""
    url = read(prefix)
    marker = f"_url_seeded_{prefix}"
    written = st.session_state.get(f"_url_written_{prefix}")
    if st.session_state.get(marker) and (not url or url == written):
        return {}
    st.session_state[marker] = True
    out: dict[str, object] = {}
    dropped: list[str] = []
    for key, parse in parsers.items():
        if key in url:
            try:
                out[key] = parse(url[key])
            except (ValueError, TypeError, KeyError) as error:
                reason = str(error) if isinstance(error, BadValue) else "无法识别"
                dropped.append(f"{key}={url[key][:40]}（{reason}）")
    if dropped:
        st.warning("链接中的参数无效，已忽略并按默认值显示：" + "；".join(dropped), icon=":material/link_off:")
    return out


def write(prefix: Prefix, values: Mapping[str, str | None]) -> None:
    """Set this page's URL parameters to `values` (None or '' removes one); drop other pages' keys."""
    own = {k: v for k, v in values.items() if v not in (None, "")}
    for key in list(st.query_params.keys()):
        if any(key.startswith(p) for p in PREFIXES) and (not key.startswith(prefix) or key not in own):
            del st.query_params[key]
    for key, value in own.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = str(value)
    st.session_state[f"_url_written_{prefix}"] = {k: str(v) for k, v in own.items()}


def widgets(prefix: Prefix, spec: Mapping[str, tuple[Callable[[str], object], object]]) -> None:
    """Before a page's widgets: their session-state values from the URL (once, see seed) or their
    defaults. spec: widget key -> (parse the URL's text, default). The widgets then take no value= of
    their own (their value is the session state's)."""
    for key, value in seed(prefix, {k: parse for k, (parse, _) in spec.items()}).items():
        st.session_state[key] = value
    for key, (_, default) in spec.items():
        st.session_state.setdefault(key, default)


def write_widgets(
    prefix: Prefix,
    spec: Mapping[str, tuple[Callable[[str], object], object]],
    extra: Mapping[str, str | None] | None = None,
) -> None:
    """After them: every widget's value that differs from its default into the URL (and `extra`)."""

    def text(value) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        return f"{value:g}" if isinstance(value, float) else str(value)

    values = {
        key: (None if st.session_state.get(key, default) == default else text(st.session_state[key]))
        for key, (_, default) in spec.items()
    }
    write(prefix, {**values, **(extra or {})})


def flag(value: str) -> bool:
    """A boolean in the URL: 1 or 0."""
    return {"1": True, "0": False}[value]
