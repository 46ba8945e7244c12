"""Old data says so (hostile H137): when the snapshot's as-of is more than DATA_STALE_DAYS days before today
(dashboard/clock.py, fixed here), every page, the briefing and the report JSON carry one warning.

The small bank's as-of is read from its snapshot; today is set to 3 days (not stale: the limit) and 29 days
after it (stale: "数据已 29 天未更新（数据截至 …）")."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from dashboard import cli, clock, db, metrics
from dashboard.config import DATA_STALE_DAYS
from tests.apptest_support import page_text, run_app

WORDS = "超期、临期等办理类数字按数据时点计算，可能已过时"


def as_of(data_dir) -> datetime:
    snapshot, _ = db.current(data_dir)
    return datetime.fromisoformat(snapshot.meta["as_of"])


def set_today(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def test_age_and_words_by_hand():
    assert DATA_STALE_DAYS == 3
    age = metrics.data_age("2026-11-04T18:25:00", date(2026, 12, 3))
    assert age == {"data_age_days": 29, "stale": True}
    assert metrics.data_age("2026-11-04T18:25:00", date(2026, 11, 7)) == {"data_age_days": 3, "stale": False}
    assert metrics.data_age(None, date(2026, 11, 7)) == {"data_age_days": None, "stale": False}
    assert metrics.stale_warning("2026-11-04T18:25:00", date(2026, 12, 3)) == (
        "数据已 29 天未更新（数据截至 2026-11-04 18:25）：" + WORDS
    )
    assert metrics.stale_warning("2026-11-04T18:25:00", date(2026, 11, 7)) is None


def test_report_json_carries_the_age(small_store, monkeypatch, capsys):
    set_today(monkeypatch, as_of(small_store).date() + timedelta(days=29))
    assert cli.main(["report", "--month", "2026-10", "--json", "--data-dir", str(small_store)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["data_age_days"] == 29 and out["stale"] is True
    set_today(monkeypatch, as_of(small_store).date() + timedelta(days=3))
    assert cli.main(["report", "--month", "2026-10", "--json", "--data-dir", str(small_store)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["data_age_days"] == 3 and out["stale"] is False


def test_briefing_says_the_data_is_old(small_store, monkeypatch, tmp_path):
    set_today(monkeypatch, as_of(small_store).date() + timedelta(days=29))
    out = tmp_path / "out"
    assert cli.main(["briefing", "--month", "2026-10", "--out", str(out), "--data-dir", str(small_store)]) == 0
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "数据已 29 天未更新" in html and WORDS in html


@pytest.mark.parametrize("days, warned", [(29, True), (3, False)])
def test_every_page_warns_of_old_data(small_store, app_env, monkeypatch, days, warned):
    set_today(monkeypatch, as_of(small_store).date() + timedelta(days=days))
    app_env(small_store)
    for page in ("app_pages/trends.py", "app_pages/ledger.py"):
        said = page_text(run_app(page, {"from": "2026-10", "to": "2026-10"}))
        assert (f"数据已 {days} 天未更新" in said) is warned and (WORDS in said) is warned


@pytest.mark.parametrize("days, warned", [(29, True), (3, False)])
def test_the_text_report_says_the_data_is_old_on_its_first_line(small_store, monkeypatch, capsys, days, warned):
    # the text form printed the numbers only: old data read as a quiet month outside the app
    set_today(monkeypatch, as_of(small_store).date() + timedelta(days=days))
    stamp = f"{as_of(small_store):%Y-%m-%d %H:%M}"
    expected = f"注意：数据已 {days} 天未更新（数据截至 {stamp}）：{WORDS}"
    for argv in (["--month", "2026-10"], ["--year", "2026"]):
        assert cli.main(["report", *argv, "--data-dir", str(small_store)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert (lines[0] == expected) is warned, argv
        assert not any("未更新" in line for line in lines[1:])  # once, at the top
        if not warned:
            assert ": " in lines[0]  # a number's line first, no warning


def test_the_json_reports_carry_the_warning_text(small_store, monkeypatch, capsys):
    set_today(monkeypatch, as_of(small_store).date() + timedelta(days=29))
    for argv in (["--month", "2026-10"], ["--year", "2026"]):
        assert cli.main(["report", *argv, "--json", "--data-dir", str(small_store)]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["stale"] is True and out["data_age_days"] == 29
        assert out["stale_warning"].startswith("数据已 29 天未更新") and out["stale_warning"].endswith(WORDS)


@pytest.mark.parametrize("days, warned", [(29, True), (3, False)])
def test_the_briefing_command_says_the_data_is_old(small_store, monkeypatch, capsys, tmp_path, days, warned):
    set_today(monkeypatch, as_of(small_store).date() + timedelta(days=days))
    out = tmp_path / "out"
    assert cli.main(["briefing", "--month", "2026-10", "--out", str(out), "--data-dir", str(small_store)]) == 0
    said = capsys.readouterr()
    assert (f"注意：数据已 {days} 天未更新" in said.err) is warned
    paths = said.out.splitlines()  # stdout stays the files written, one a line
    assert len(paths) == 2 and all(Path(p).exists() for p in paths)
