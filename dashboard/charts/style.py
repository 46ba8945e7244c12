"""The look every chart shares: the CJK font, the palette, the frame of a titled figure."""
from __future__ import annotations

import plotly.graph_objects as go

FONT = '"Noto Sans CJK SC", sans-serif'
PALETTE = ["#1f5fa8", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#4e79a7", "#86bcb6", "#d4a6c8", "#bab0ac"]


def titled_layout(fig: go.Figure, title: str, height: int, top: int = 72, **extra) -> go.Figure:
    """Title at the left, horizontal legend at the top right, white template, Chinese font."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13},
        template="plotly_white",
        height=height,
        margin={"l": 56, "r": 16, "t": top, "b": 48},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"font": {"family": FONT}},
        **extra,
    )
    return fig
