"""docs/security.md's threat model, checked against the code: every cell of the who-may-do-what table,
the logged events, and every test the detection tables name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.auth import audit, roles
from dashboard.auth.roles import BRANCH, CONSUMER_PROTECTION, LEADER, Principal
from dashboard.ledger.store import Ledger

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
ROLE_COLUMNS = {
    LEADER: Principal("lead@bank.test", LEADER),
    CONSUMER_PROTECTION: Principal("cp@bank.test", CONSUMER_PROTECTION),
    BRANCH: Principal("sh@bank.test", BRANCH, "0200"),
    "演示用户": roles.demo_principal("演示用户"),
}
INSIDE, OUTSIDE = "0201", "0101"  # 上海浦东 (inside 0200's subtree), 北京海淀 (outside)


def table_after(heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after `heading`."""
    rest = DOC[DOC.index(heading) :]
    lines = [line for line in rest.splitlines() if line.startswith("|")]
    start = rest.splitlines().index(lines[0])
    block = []
    for line in rest.splitlines()[start:]:
        if not line.startswith("|"):
            break
        block.append([cell.strip() for cell in line.strip("|").split("|")])
    return [row for row in block[2:]]  # without the header and the --- line


def test_who_may_do_what_is_what_the_code_does(small_store):
    header = table_after("Who may do what.")
    assert len(header) == 7
    for action, check, *cells in header:
        for (role, who), cell in zip(ROLE_COLUMNS.items(), cells):
            name = check.strip("`")
            if name == "Principal.scope":
                assert who.scope == ({"全行": None, "本机构及下辖": who.org}[cell]), (action, role)
            elif name.startswith("can_"):
                assert getattr(roles, name)(who) is {"是": True, "否": False}[cell], (action, role)
            else:
                method = getattr(Ledger(small_store, who), name.split(".")[1])
                got = (method(INSIDE), method(OUTSIDE), method(None))
                expected = {
                    "全行": (True, True, True),
                    "本机构及下辖": (True, False, False),
                    "否": (False, False, False),
                }[cell]
                assert got == expected, (action, role, got)


def test_the_logged_events_are_the_ones_the_code_writes():
    rows = table_after("| event | when | detail |")
    assert {row[0].strip("`") for row in rows} == set(audit.EVENTS)


def _named_tests() -> list[str]:
    section = DOC[DOC.index("What is detected or refused") : DOC.index("## 7. Tests")]
    return re.findall(r"`(tests/[\w/]+\.py::\w+)`", section)


@pytest.mark.parametrize("reference", _named_tests())
def test_every_test_the_threat_model_names_exists(reference):
    path, name = reference.split("::")
    assert re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M), reference


def test_the_tried_and_held_counts_match_the_tests():
    rows = table_after("**Tried and held**")
    from tests.test_held import IMPORT_POINTS, PUBLISH_POINTS

    kill = next(r for r in rows if r[0].startswith("kill -9"))
    assert int(kill[1]) == len(IMPORT_POINTS) + len(PUBLISH_POINTS) == 12
    for what, cases, tests in rows[1:]:
        assert int(cases) == len(re.findall(r"::\w+", tests)), what
