"""A month in which far fewer organisations have complaints than the month before is a partial extract, not a
fall (hostile H192: 4 支行's November file was headlined as a 97.8 % fall, 改善, green): its figures are shown and
not compared, on the cards, in the 综述 and in the briefing."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import db
from dashboard.analysis import cards, completeness, summary, trends
from dashboard.briefing import build
from dashboard.filters import Filters
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, write_csv

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)
OUTLETS = [f"01{i:02d}" for i in range(1, 31)]  # 30 支行 under 北京分行


@pytest.mark.parametrize(
    "previous, this, partial",
    [(30, 4, True), (30, 14, True), (30, 15, False), (19, 1, False), (20, 9, True), (20, 0, True)],
)
def test_the_rule(previous, this, partial):
    outlets = pd.DataFrame({"month": [pd.Timestamp(SEP), pd.Timestamp(OCT)], "outlets": [previous, this]})
    found = completeness.partial_month(outlets, OCT)
    assert (found is not None) == partial
    if partial:
        assert (found.outlets, found.previous) == (this, previous)
        assert f"本月只有 {this:,d} 个机构有投诉，上月有 {previous:,d} 个" in found.note


def complaint(cid: str, day: str, branch: str) -> tuple:
    return (cid, f"{day} 10:00:00", f"{day} 15:00:00", branch, "客服热线", "信用卡", "定价收费", "白金卡",
            f"K{cid}", "45", "300", "年费争议", "已办结", "已解决", "满意", "否", "产品设计")  # fmt: skip


def store(tmp_path, october_outlets: int):
    branches = [("0000", "总行", "", "总行", "北京", "北京"), ("0100", "北京分行", "0000", "一级分行", "北京", "北京")]
    branches += [(code, f"第{code}支行", "0100", "支行", "北京", "北京") for code in OUTLETS]
    rows = [complaint(f"S{code}{k}", f"2026-09-{k + 10}", code) for code in OUTLETS for k in range(10)]
    rows += [
        complaint(f"O{code}{k}", f"2026-10-{k + 10}", code) for code in OUTLETS[:october_outlets] for k in range(3)
    ]
    rows.append(complaint("N1", "2026-11-02", OUTLETS[0]))  # the data runs past October's end
    folder = tmp_path / "x"
    folder.mkdir()
    files = [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            branches,
        ),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, rows),
    ]
    data = tmp_path / "data"
    import_files(files, data)
    _, con = db.current(data)
    f = Filters(month_from=OCT, month_to=OCT)
    return trends.load(trends.runner(con, f), f, OCT)


def test_a_partial_extract_is_shown_and_not_compared(tmp_path):
    data = store(tmp_path, 4)  # 300 complaints from 30 支行 in September, 12 from 4 in October
    assert data.headline["complaints"] == 12
    assert data.headline["partial"].startswith("本月只有 4 个机构有投诉，上月有 30 个")
    assert data.headline["mom_pct"] is None
    for c in data.comparisons.values():
        assert c.change is None and c.tone is None and cards.colour_of(c) is None
    assert cards.delta(data.comparisons["complaints"])[0] == "数据疑似不完整，不比较"
    text = summary.summary(data)
    assert "本月只有 4 个机构有投诉" in text and "减少" not in text and "环比" not in text
    first = build.one_page(data)[0]
    assert first.startswith("投诉 12 件（本月只有 4 个机构有投诉") and "改善" not in first
    assert all(r.verdict == "—" for r in build.headline_rows(data))


def test_a_month_with_most_organisations_is_compared(tmp_path):
    data = store(tmp_path, 20)  # 20 of 30: a real fall (60 complaints against 300)
    assert data.headline["partial"] is None
    c = data.comparisons["complaints"]
    assert c.change == 60 - 300 and cards.colour_of(c) == "green"
