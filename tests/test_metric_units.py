"""Every number on a card carries its unit (件, 个, 组, 位, 天, %, 件/万户 …) or says there is none (—):
a bare "1,024" beside "0.83 件/万户" left the reader to guess (hostile H30). Run on each page of the demo bank."""

from __future__ import annotations

import re

import pytest

from tests.apptest_support import run_app

# a value is a number followed by a unit, a signed change of one, a percentage, or a dash for none
UNIT = re.compile(
    r"^[+\-−]?[\d,.]+(?: / [\d,.]+)?\s*(?:%|个百分点|件(?:/[\u4e00-\u9fff]+)?|个|组|位|天|万元|元|户|家|笔|人)$"
)
IN_LABEL = re.compile(r"（[^）]*(?:件|个|%|元|天)[^）]*）$")  # or the unit in the label: 每千万户投诉（件）


@pytest.mark.parametrize(
    "page",
    [
        "app_pages/trends.py",
        "app_pages/hotspots.py",
        "app_pages/rankings.py",
        "app_pages/repeats.py",
        "app_pages/events.py",
        "app_pages/regulator.py",
    ],
)
def test_every_card_number_carries_its_unit(demo_store, app_env, page):
    app_env(demo_store)
    at = run_app(page, {"from": "2026-10", "to": "2026-10"}, timeout=300)
    assert not at.exception
    bare = [
        (m.label, m.value)
        for m in at.metric
        if m.value not in ("—", "")
        and not UNIT.match(str(m.value).strip())
        and not IN_LABEL.search(str(m.label))
        and re.search(r"\d", str(m.value))
    ]
    assert bare == [], bare
