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
    [(30, 4, True), (30, 14, True), (30, 15, False), (9, 1, False), (10, 4, True), (10, 5, False), (20, 0, True)],
)
def test_the_rule(previous, this, partial):
    outlets = pd.DataFrame({"month": [pd.Timestamp(SEP), pd.Timestamp(OCT)], "outlets": [previous, this]})
    found = completeness.partial_month(outlets, OCT)
    assert (found is not None) == partial
    if partial:
        assert (found.outlets, found.previous) == (this, previous)
        assert f"本月只有 {this:,d} 个机构有投诉，上月有 {previous:,d} 个" in found.note


def complaint(cid: str, day: str, branch: str, category: str = "信用卡") -> tuple:
    return (cid, f"{day} 10:00:00", f"{day} 15:00:00", branch, "客服热线", category, "定价收费", "白金卡",
            f"K{cid}", "45", "300", "年费争议", "已办结", "已解决", "满意", "否", "产品设计")  # fmt: skip


SHANGHAI = [f"02{i:02d}" for i in range(1, 13)]  # 12 支行 under 上海分行


def store(tmp_path, october_outlets: int, october=None, filters=None):
    """September: 10 complaints at each of 北京分行's 30 支行 and 上海分行's 12; October: 3 at each of the first
    `october_outlets` of 北京分行's and at every 上海分行 支行 (or the rows `october` gives)."""
    branches = [("0000", "总行", "", "总行", "北京", "北京"), ("0100", "北京分行", "0000", "一级分行", "北京", "北京")]
    branches += [(code, f"第{code}支行", "0100", "支行", "北京", "北京") for code in OUTLETS]
    branches += [("0200", "上海分行", "0000", "一级分行", "上海", "上海")]
    branches += [(code, f"第{code}支行", "0200", "支行", "上海", "上海") for code in SHANGHAI]
    rows = [complaint(f"S{code}{k}", f"2026-09-{k + 1:02d}", code) for code in OUTLETS + SHANGHAI for k in range(10)]
    rows += october or [
        complaint(f"O{code}{k}", f"2026-10-{k + 10}", code)
        for code in OUTLETS[:october_outlets] + SHANGHAI
        for k in range(3)
    ]
    rows.append(complaint("N1", "2026-11-02", OUTLETS[0]))  # the data runs past October's end
    folder = tmp_path / "x"
    folder.mkdir(parents=True)
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
    f = filters or Filters(month_from=OCT, month_to=OCT)
    return trends.load(trends.runner(con, f), f, OCT)


def test_a_partial_extract_is_shown_and_not_compared(tmp_path):
    # September 420 complaints from 42 支行; October 48 from 16 (4 of 北京分行's 30, 上海分行's 12)
    data = store(tmp_path, 4)
    assert data.headline["complaints"] == 48
    assert data.headline["partial"].startswith("全行本月只有 16 个机构有投诉，上月有 42 个")
    assert data.headline["mom_pct"] is None
    for c in data.comparisons.values():
        assert c.change is None and c.tone is None and cards.colour_of(c) is None
    assert cards.delta(data.comparisons["complaints"])[0] == "数据疑似不完整，不比较"
    text = summary.summary(data)
    assert "全行本月只有 16 个机构有投诉" in text and "减少" not in text and "环比" not in text
    first = build.one_page(data)[0]
    assert first.startswith("投诉 48 件（全行本月只有 16 个机构有投诉") and "改善" not in first
    assert all(r.verdict == "—" for r in build.headline_rows(data))
    # nor decomposed into falls that are only the missing organisations (hostile H212)
    assert data.movers == {} and build.no_movers(data).endswith("不做环比变动分解。")


def test_a_month_with_most_organisations_is_compared(tmp_path):
    data = store(tmp_path, 20)  # 32 of 42: a real fall (96 complaints against 420)
    assert data.headline["partial"] is None
    c = data.comparisons["complaints"]
    assert c.change == 96 - 420 and cards.colour_of(c) == "green"


def test_a_branchs_partial_month_is_judged_on_its_own_subtree(tmp_path):
    # hostile H204: the bank as a whole looks whole (上海 sent everything), 北京分行's 4 of 30 支行 do not
    whole = store(tmp_path / "a", 20)
    assert whole.headline["partial"] is None
    beijing = store(tmp_path / "b", 10, filters=Filters(month_from=OCT, month_to=OCT, org="0100"))  # bank: 22 of 42
    assert beijing.headline["partial"].startswith("北京分行 及下辖机构本月只有 10 个机构有投诉，上月有 30 个")
    shanghai = store(tmp_path / "c", 10, filters=Filters(month_from=OCT, month_to=OCT, org="0200"))
    assert shanghai.headline["partial"] is None


def test_a_filtered_slice_of_a_whole_month_is_compared(tmp_path):
    # hostile H210: every 支行 reported in October, but only 4 had 信用卡 complaints (a real fall of one slice)
    october = [
        complaint(f"O{code}{k}", f"2026-10-{k + 10}", code, "信用卡" if code in OUTLETS[:4] else "借记卡")
        for code in OUTLETS + SHANGHAI
        for k in range(3)
    ]
    data = store(tmp_path, 0, october=october, filters=Filters(month_from=OCT, month_to=OCT, categories=("信用卡",)))
    assert data.headline["partial"] is None and data.headline["complaints"] == 12
    assert data.comparisons["complaints"].change == 12 - 420


def test_the_page_says_why_nothing_is_compared(tmp_path, app_env):
    from tests.apptest_support import run_app

    store(tmp_path, 4)
    app_env(tmp_path / "data")
    at = run_app("app_pages/trends.py", {"from": "2026-10", "to": "2026-10"})
    assert any(w.value.startswith("2026-10：全行本月只有 16 个机构有投诉，上月有 42 个") for w in at.warning)
    cards_ = {m.label: m for m in at.metric}
    # not "上月无投诉，无法计算环比": September had 300
    assert cards_["环比"].delta == "数据疑似不完整，不比较" and cards_["投诉量"].delta == "数据疑似不完整，不比较"
    assert not any("均未较上月增加" in m.value for m in at.markdown)


def test_the_ranking_of_a_partial_month_says_so(tmp_path):
    # hostile H212: the 支行 whose files were loaded ranked 最需关注, +253 places, without a word
    from dashboard.analysis import rankings
    from dashboard.analysis.source import Source

    store(tmp_path, 4)
    _, con = db.current(tmp_path / "data")
    f = Filters(month_from=OCT, month_to=OCT)
    data = rankings.load(Source.of(con, f), f)
    assert data.partial_note.startswith("2026年10月：全行本月只有 16 个机构有投诉，上月有 42 个")
    assert data.export_notes({}, None)[0][0] == "数据完整性"
    whole = tmp_path / "whole"
    store(whole, 30)
    _, con = db.current(whole / "data")
    assert rankings.load(Source.of(con, f), f).partial_note == ""


def test_the_month_after_a_partial_month_is_not_compared_with_it(tmp_path):
    # hostile H211's second case: November after a partial October read as a rise, red
    nov = date(2026, 11, 1)
    rows = [
        complaint(f"V{code}{k}", f"2026-11-{k + 1:02d}", code) for code in OUTLETS + SHANGHAI for k in range(10)
    ] + [complaint("D1", "2026-12-02", OUTLETS[0])]
    october = [complaint(f"O{code}{k}", f"2026-10-{k + 10}", code) for code in OUTLETS[:4] + SHANGHAI for k in range(3)]
    store(tmp_path, 0, october=october + rows)
    _, con = db.current(tmp_path / "data")
    f = Filters(month_from=nov, month_to=nov)
    data = trends.load(trends.runner(con, f), f, nov)
    assert data.headline["partial"] is None and data.previous_partial.startswith("全行本月只有 16 个机构有投诉")
    assert data.headline["mom_pct"] is None and data.comparisons["complaints"].change is None
    assert not data.has_previous and data.movers == {}
    assert "上月数据疑似不完整" in summary.summary(data) and "较上月增加" not in summary.summary(data)
