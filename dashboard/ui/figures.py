"""Plotly figures built once per distinct input and shared by every session.

Building a figure (plotly's validation of every trace and layout property) was a large share of a page
run's server time under load, and twenty sessions looking at the same filters build the same figures.
`figure(build, *args, **kwargs)` keys a figure by the builder and the exact bytes of its arguments (a
pickle: equal bytes mean equal data, so a hit is never another input's chart; unequal pickles of equal
data only miss). The figure is shared, not copied: pages pass it to st.plotly_chart, which only reads it.
Chart inputs are small aggregates already computed for the session's own filters and scope, so the key
carries the scope through the data itself.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any, Callable

import plotly.graph_objects as go
import streamlit as st


def key(build: Callable[..., go.Figure], args: tuple, kwargs: dict) -> str:
    """The cache key of build(*args, **kwargs): the builder's qualified name and a digest of the arguments."""
    digest = hashlib.blake2b(pickle.dumps((args, sorted(kwargs.items())), protocol=5), digest_size=20)
    return f"{build.__module__}.{build.__qualname__}:{digest.hexdigest()}"


@st.cache_resource(max_entries=512, show_spinner=False)
def _built(figure_key: str, _build: Callable[..., go.Figure], _args: tuple, _kwargs: dict) -> go.Figure:
    # Keyed by figure_key alone (the underscored arguments are not hashed by Streamlit).
    return _build(*_args, **_kwargs)


def figure(build: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """build(*args, **kwargs), from the shared cache when the same builder saw the same arguments."""
    return _built(key(build, args, kwargs), build, args, kwargs)
