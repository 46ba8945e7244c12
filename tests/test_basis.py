"""The counting basis (全部受理 / 监管转送 / 合并重复后) and the customer group (全部 / 老年客户 / 非老年客户):
one predicate (queries/macro_filtered_rows.sql) that every filtered query passes, kept in the URL, named on
every page, changing every page's numbers (AppTest on the small bank, tests/conftest.py):

October 2026 receipts: C03 (A, 信用卡, 45 y), C04 (C, referred, no age), C05 (D, 30 y), C06 (B, 借记卡, 67 y),
C07 (E, 52 y). 监管转送: C04 alone. 合并重复后: C03 repeats C01 (A, 信用卡, 28 days before) and C06 repeats
C02 (B, 借记卡, 20 days before): C04, C05, C07 remain. 老年客户: C06. 非老年客户: C03, C05, C07 (C04 has no age).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from dashboard import db, report
from dashboard.config import QUERIES_DIR
from dashboard.filters import Filters
from tests.test_app import run_app, texts

OCT = date(2026, 10, 1)
PAGES = (
    "app_pages/trends.py",
    "app_pages/hotspots.py",
    "app_pages/rankings.py",
    "app_pages/repeats.py",
    "app_pages/regulator.py",
)
BASIS_COUNTS = {"全部受理": 5, "监管转送": 1, "合并重复后": 3}
GROUP_COUNTS = {"全部": 5, "老年客户": 1, "非老年客户": 3}


def queries_without_basis(folder) -> list[str]:
    missing = []
    for path in sorted(folder.glob("*.sql")):
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        if "$referred" in text and not ("$basis" in text and "$age_group" in text):
            missing.append(path.name)
    return missing


def test_every_query_taking_the_users_filters_takes_the_basis_and_group():
    """A query that binds $referred (the user's filter set) binds $basis and $age_group as well, so no page,
    export or report can count on another basis than the one named on it."""
    assert queries_without_basis(QUERIES_DIR) == []


def test_the_check_catches_a_query_without_the_basis(tmp_path):
    (tmp_path / "planted.sql").write_text(
        "select * from filtered_complaints($month_from, $month_to, $org, "
        "$scope, $categories, $reasons, $channels, $referred)"
    )
    assert queries_without_basis(tmp_path) == ["planted.sql"]


@pytest.mark.parametrize("basis, expected", [(None, 5), ("referred", 1), ("merged", 3)])
def test_report_kpis_under_each_basis(small_store, basis, expected):
    _, con = db.current(small_store)
    k = report.kpis(con, Filters(month_from=OCT, month_to=OCT, basis=basis), OCT)
    assert k["complaints"] == expected


@pytest.mark.parametrize("group, expected", [(None, 5), ("elderly", 1), ("non_elderly", 3)])
def test_report_kpis_under_each_group(small_store, group, expected):
    _, con = db.current(small_store)
    k = report.kpis(con, Filters(month_from=OCT, month_to=OCT, age_group=group), OCT)
    assert k["complaints"] == expected


def test_url_round_trip():
    f = Filters(month_from=OCT, month_to=OCT, basis="merged", age_group="elderly")
    query = f.to_query()
    assert query["basis"] == "合并重复后" and query["group"] == "老年客户"
    assert Filters.from_query(query, OCT, OCT) == f
    assert Filters.from_query({"basis": "胡写"}, OCT, OCT).basis is None
    assert f.counting_label == "统计口径：合并重复后 · 客户群体：老年客户"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("basis", list(BASIS_COUNTS))
def test_each_page_under_each_basis(small_store, app_env, page, basis):
    app_env(small_store)
    at = run_app(page, query={"from": "2026-10", "to": "2026-10", "basis": basis})
    assert f"统计口径：{basis}" in texts(at)
    assert at.sidebar.radio(key="f_basis").value == basis
    metrics = {m.label: m.value for m in at.metric}
    if page.endswith("trends.py"):
        assert metrics["投诉量"] == f"{BASIS_COUNTS[basis]} 件"
    if page.endswith("regulator.py"):  # Q4 to October: C04 is referred and no repeat, so every basis keeps it
        assert metrics["2026-Q4 监管转办投诉"] == "1 件"


@pytest.mark.parametrize("group", list(GROUP_COUNTS))
def test_trends_under_each_customer_group(small_store, app_env, group):
    app_env(small_store)
    at = run_app(query={"from": "2026-10", "to": "2026-10", "group": group})
    assert f"客户群体：{group}" in texts(at)
    assert {m.label: m.value for m in at.metric}["投诉量"] == f"{GROUP_COUNTS[group]} 件"


def test_choosing_a_basis_in_the_sidebar_rewrites_the_url(small_store, app_env):
    app_env(small_store)
    at = run_app(query={"from": "2026-10", "to": "2026-10"})
    at.sidebar.radio(key="f_basis").set_value("监管转送").run()
    assert not at.exception
    assert at.query_params["basis"] in ("监管转送", ["监管转送"])
    assert {m.label: m.value for m in at.metric}["投诉量"] == "1 件"


def test_briefing_names_the_basis_and_carries_the_issue19_section(small_store):
    from dashboard.briefing import build, lens
    from dashboard.briefing.excel import workbook
    from dashboard.briefing.html import document

    _, con = db.current(small_store)
    filters = Filters(month_from=OCT, month_to=OCT, basis="merged", age_group="elderly")
    data = build.build(con, filters, OCT)
    html = document(data)
    assert "统计口径：合并重复后 · 客户群体：老年客户" in html
    assert lens.HEADING in html
    assert "合并重复后" in build.file_stem(data)
    assert workbook(data)  # the Excel file is written with the same scope line
    items = dict((a, b) for a, b, _ in lens.rows(build.build(con, Filters(month_from=OCT, month_to=OCT), OCT)))
    assert (
        items["老年客户投诉"] == "1 件" and items["老年客户投诉占比"] == "20.0%" and items["未填写年龄的投诉"] == "1 件"
    )


@pytest.mark.parametrize("key, value, label", [("basis", "合并重复", "统计口径"), ("group", "老人", "客户群体")])
def test_an_unknown_basis_or_group_in_the_url_is_named_in_a_warning(small_store, app_env, key, value, label):
    """Hostile finding H15: a mistyped ?basis= or ?group= fell back to 全部 silently, so the reader did not
    know the numbers were not on the basis the link promised."""
    app_env(small_store)
    at = run_app(query={"from": "2026-10", "to": "2026-10", key: value})
    warnings = [w.value for w in at.sidebar.warning]
    assert any(f"{label}“{value}”无法识别" in w for w in warnings), warnings
    assert {m.label: m.value for m in at.metric}["投诉量"] == "5 件"  # shown on 全部受理 / 全部, as it says
    clean = run_app(query={"from": "2026-10", "to": "2026-10", key: {"basis": "监管转送", "group": "老年客户"}[key]})
    assert not list(clean.sidebar.warning)


# --- Item 5: under each basis the pages' headline counts equal a hand count (not just the caption) ----------
# October by hand (module docstring): 全部受理 C03, C06 (北京分行), C04, C05, C07 (上海分行); 监管转送 C04; 合并重复后
# C04, C05, C07 (C03 and C06 are repeats). Repeats among them: C03, C06 under 全部受理, none under the others.
TIER1_COUNTS = {"全部受理": {"北京分行": 2, "上海分行": 3}, "监管转送": {"北京分行": 0, "上海分行": 1}}
TIER1_COUNTS["合并重复后"] = {"北京分行": 0, "上海分行": 3}
REPEATS = {"全部受理": 2, "监管转送": 0, "合并重复后": 0}


@pytest.mark.parametrize("basis", list(BASIS_COUNTS))
def test_hotspots_count_under_each_basis(small_store, app_env, basis):
    app_env(small_store)
    at = run_app("app_pages/hotspots.py", query={"from": "2026-10", "to": "2026-10", "basis": basis})
    assert {m.label: m.value for m in at.metric}["投诉量"] == f"{BASIS_COUNTS[basis]} 件"


@pytest.mark.parametrize("basis", list(BASIS_COUNTS))
def test_rankings_counts_under_each_basis(small_store, app_env, basis):
    app_env(small_store)
    at = run_app("app_pages/rankings.py", query={"from": "2026-10", "to": "2026-10", "basis": basis})
    table = at.dataframe[0].value
    assert dict(zip(table["机构名称"], table["投诉量"])) == TIER1_COUNTS[basis]
    # H30: the mean rate carries its unit; the listed branches' complaints over October's 40,000 customers
    mean = sum(TIER1_COUNTS[basis].values()) / 40_000 * 10_000
    assert {m.label: m.value for m in at.metric}["平均万人投诉率"] == f"{mean:.2f} 件/万户"


@pytest.mark.parametrize("basis", list(BASIS_COUNTS))
def test_repeats_counts_under_each_basis(small_store, app_env, basis):
    app_env(small_store)
    at = run_app("app_pages/repeats.py", query={"from": "2026-10", "to": "2026-10", "basis": basis})
    metrics = {m.label: m.value for m in at.metric}
    number = lambda label: metrics[label].split()[0]  # noqa: E731 (the count, whatever its unit)
    # 合并重复后 has no repeat left to count: the repeat tab counts on 全部受理 and says so (H219)
    complaints = BASIS_COUNTS["全部受理" if basis == "合并重复后" else basis]
    repeat_count = REPEATS["全部受理" if basis == "合并重复后" else basis]
    assert (number("投诉量"), number("重复投诉")) == (str(complaints), str(repeat_count))


def test_under_merged_the_repeat_rate_is_not_applicable_and_repeat_complainants_are_counted_on_all(small_store):
    """Hostile H219: 合并重复后 removes every repeat, so its repeat rate read a measured 0.0 % ("较上月持平") on the
    card, in the briefing and the report, and 重复与溯源 found 0 repeat complainants. By hand (module docstring):
    October has 5 complaints, 2 of them repeats (C03 of C01, C06 of C02): 40 % on 全部受理."""
    from dashboard.analysis import rankings, repeats
    from dashboard.analysis.source import Source
    from dashboard.briefing import build

    _, con = db.current(small_store)
    everything = Filters(month_from=OCT, month_to=OCT)
    merged = Filters(month_from=OCT, month_to=OCT, basis="merged")
    assert report.kpis(con, everything, OCT)["repeat_rate"] == pytest.approx(2 / 5)
    assert report.kpis(con, merged, OCT)["repeat_rate"] == repeats.REMOVED_ZH
    section = repeats.report_section(con, merged, OCT)
    assert section["repeat_complaints"] == 2 and section["counting_basis"] == repeats.REMOVED_BASIS_NOTE
    assert "counting_basis" not in repeats.report_section(con, everything, OCT)
    lines = [line for _, block in build.sections(build.build(con, merged, OCT)) for line in block]
    assert f"重复投诉率 {repeats.REMOVED_ZH}。" in lines
    lines = [line for _, block in build.sections(build.build(con, everything, OCT)) for line in block]
    assert "重复投诉率 40.0%。" in lines
    ranked = rankings.load(Source.of(con, merged), merged)
    assert ranked.repeats_removed and ranked.ranking.table["repeat_rate"].isna().all()
    assert not rankings.load(Source.of(con, everything), everything).repeats_removed


def test_under_merged_the_trends_card_and_the_repeats_page_say_so(small_store, app_env):
    from dashboard.analysis import repeats

    app_env(small_store)
    at = run_app(query={"from": "2026-10", "to": "2026-10", "basis": "合并重复后"})
    assert {m.label: m.value for m in at.metric}["重复投诉率"] == "不适用"
    at = run_app("app_pages/repeats.py", query={"from": "2026-10", "to": "2026-10", "basis": "合并重复后"})
    assert repeats.REMOVED_BASIS_NOTE in [i.value for i in at.info]
    assert {m.label: m.value for m in at.metric}["重复投诉"] == "2 件"
