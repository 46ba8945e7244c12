"""An open complaint is judged at the time it was last seen, not at the newest file's time (hostile H201).

A small store built by hand on the conftest bank (北京分行 0100: 支行 0101, 0102; 上海分行 0200: 支行 0201):

first.csv (no 提取时间; its own as-of time = its latest 受理/办结时间 = 2026-10-30 09:00):
  K1  0201  received 2026-10-20 10:00, open (处理中)
  K2  0101  received 2026-10-01 08:00, closed 2026-10-05 08:00 (4 days: on time)
  K3  0101  received 2026-10-28 09:00, closed 2026-10-30 09:00 (2 days: on time)
second.csv: only 0101's newer rows (as-of 2026-11-25 10:00, which becomes the store's):
  K4  0101  received 2026-11-20 10:00, closed 2026-11-25 10:00

K1 (granted 15 days: deadline 2026-11-04 10:00) was last seen in first.csv at 2026-10-30 09:00: open for
9 days 23 h = 9.958 days, not overdue. Judged at the store's as-of time (the old rule) it was open for 36 days:
overdue. October, whole bank: complaints K1-K3; closed 2 (both on time); open 1.
  seen rule: open_overdue 0, on_time_rate = 2 / (2 + 0) = 1.0
  old rule:  open_overdue 1, on_time_rate = 2 / (2 + 1) = 0.667
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import db, report
from dashboard.analysis import trends
from dashboard.analysis.source import Source
from dashboard.filters import Filters
from dashboard.ingest import store
from dashboard.ingest.pipeline import import_files
from dashboard.metrics import seen_earlier_note
from dashboard.ui.complaint_detail import open_seen_text
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, CUSTOMERS, write_csv

OCT = date(2026, 10, 1)
AS_OF = datetime(2026, 11, 25, 10, 0)
K1_SEEN = datetime(2026, 10, 30, 9, 0)
K1_SEEN_DAYS = (K1_SEEN - datetime(2026, 10, 20, 10, 0)).total_seconds() / 86400  # 9.958
K1_AS_OF_DAYS = (AS_OF - datetime(2026, 10, 20, 10, 0)).total_seconds() / 86400  # 36.0


def row(cid, received, closed, branch, status):
    result, satisfaction = ("已解决", "满意") if closed else ("", "")
    return (cid, received, closed, branch, "客服热线", "信用卡", "定价收费", "", f"CUST-{cid}", "40", "", "年费争议",
            status, result, satisfaction, "否", "")  # fmt: skip


K1 = row("K1", "2026-10-20 10:00:00", "", "0201", "处理中")
K2 = row("K2", "2026-10-01 08:00:00", "2026-10-05 08:00:00", "0101", "已办结")
K3 = row("K3", "2026-10-28 09:00:00", "2026-10-30 09:00:00", "0101", "已办结")
K4 = row("K4", "2026-11-20 10:00:00", "2026-11-25 10:00:00", "0101", "已办结")
WITH_EXTRACTED = COMPLAINT_HEADERS_ZH + ["提取时间"]


def _write_base(folder):
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            BRANCHES,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(folder / "first.csv", COMPLAINT_HEADERS_ZH, [K1, K2, K3]),
    ]


@pytest.fixture
def two_extracts(store_factory, tmp_path):
    """The store after first.csv and second.csv (0101's newer rows only)."""
    data_dir = store_factory("seen_at_first", _write_base)
    import_files([write_csv(tmp_path / "second.csv", COMPLAINT_HEADERS_ZH, [K4])], data_dir)
    return data_dir


def stored(data_dir) -> pd.DataFrame:
    return pd.read_parquet(store.current_snapshot(data_dir).table("complaints")).set_index("complaint_id")


def october(data_dir, org=None) -> dict:
    _, con = db.current(data_dir)
    return report.kpis(con, Filters(month_from=OCT, month_to=OCT, org=org), OCT)


def at_cutoff(data_dir, cutoff) -> dict:
    _, con = db.current(data_dir)
    frame = db.run(con, "handling_at_cutoff", **Filters(month_from=OCT, month_to=OCT).params(cutoff=cutoff))
    return frame.iloc[0].to_dict()


def note(data_dir, org=None) -> str:
    _, con = db.current(data_dir)
    return trends.seen_earlier(Source.of(con, Filters(month_from=OCT, month_to=OCT, org=org)))


def test_the_other_branchs_open_complaint_is_judged_when_it_was_last_seen(two_extracts):
    snapshot = store.current_snapshot(two_extracts)
    assert snapshot.meta["as_of"] == AS_OF.isoformat()  # second.csv moved the store's as-of time
    rows = stored(two_extracts)
    assert rows.loc["K1", "seen_at"] == pd.Timestamp(K1_SEEN)
    assert rows.loc["K1", "open_days"] == pytest.approx(K1_SEEN_DAYS)
    assert rows.loc["K4", "seen_at"] == pd.Timestamp(AS_OF)
    oct_ = october(two_extracts)
    assert (oct_["complaints"], oct_["open_overdue"], oct_["on_time_rate"]) == (3, 0, pytest.approx(1.0))
    # the cut-off rule (month-end + lag, the maturity comparison) at the as-of time: K1 is judged at
    # least(cutoff, seen_at) = 10-30 09:00, 9.96 days old: not overdue, and young (its outcome is not known)
    cut = at_cutoff(two_extracts, AS_OF)
    assert (cut["open"], cut["open_overdue"], cut["young"]) == (1, 0, 1)
    # a cut-off past its deadline (11-06 10:00, 17 days) but after it was last seen: still judged at 10-30;
    # young: K1 (9.96 days) and K3 (received 10-28 09:00: 9.04 days at the cut-off)
    cut = at_cutoff(two_extracts, datetime(2026, 11, 6, 10, 0))
    assert (cut["complaints"], cut["open_overdue"], cut["young"]) == (3, 0, 2)


def test_the_complaint_detail_says_when_the_complaint_was_last_seen(two_extracts):
    _, con = db.current(two_extracts)
    params = Filters(month_from=OCT, month_to=OCT).params(complaint_id="K1")
    detail = db.run(con, "complaints_detail", **params).iloc[0]
    assert detail["timeliness"] == "open"  # not overdue at 10-30 09:00 (deadline 11-04 10:00)
    assert detail["last_seen_at"] == pd.Timestamp(K1_SEEN)
    assert "2026-10-30 09:00:00" in open_seen_text(detail["last_seen_at"], detail["as_of"])
    assert open_seen_text(pd.Timestamp(AS_OF), detail["as_of"]) == "数据时点 2026-11-25 10:00:00"


def test_the_caption_appears_only_when_the_times_differ(two_extracts):
    # whole bank: K1 (0201) last seen 10-30, more than a day before 11-25 10:00
    assert note(two_extracts) == "其中 1 件未办结投诉所在机构的数据截至 2026-10-30，按该时点判断是否超期"
    assert note(two_extracts, org="0200") == note(two_extracts)
    assert note(two_extracts, org="0100") == ""  # 北京分行 has no open complaint


def test_no_caption_when_every_open_complaint_came_with_the_latest_extract(store_factory):
    only_first = store_factory("seen_at_first", _write_base)
    assert note(only_first) == ""  # one extract: K1 was seen at the as-of time itself
    assert seen_earlier_note(0, None, None) == ""
    two_days = seen_earlier_note(3, pd.Timestamp("2026-10-28 10:00"), pd.Timestamp("2026-11-04 18:28"))
    assert two_days == "其中 3 件未办结投诉所在机构的数据截至 2026-10-28 至 2026-11-04，按该时点判断是否超期"


def test_a_row_sent_again_unchanged_moves_its_seen_at_forward(two_extracts, tmp_path):
    """K1 re-sent unchanged with 提取时间 2026-11-24 10:00: seen again, 35 days open, overdue. The file's
    extracted_at, not its own as-of time (K1's receipt, 10-20), is the seen time."""
    again = write_csv(tmp_path / "again.csv", WITH_EXTRACTED, [(*K1, "2026-11-24 10:00:00")])
    before = store.current_snapshot(two_extracts).version
    result = import_files([again], two_extracts)
    (summary,) = result.files
    assert (summary.unchanged, summary.seen_again, summary.inserted, summary.updated) == (1, 1, 0, 0)
    assert result.changed and result.version != before
    rows = stored(two_extracts)
    assert rows.loc["K1", "seen_at"] == pd.Timestamp("2026-11-24 10:00")
    assert rows.loc["K1", "open_days"] == pytest.approx(35.0)  # 10-20 10:00 -> 11-24 10:00
    assert rows.loc["K2", "seen_at"] == pd.Timestamp(K1_SEEN)  # not in the file: kept
    oct_ = october(two_extracts)
    assert (oct_["open_overdue"], oct_["on_time_rate"]) == (1, pytest.approx(2 / 3))
    assert note(two_extracts) == ""  # 11-24 10:00 is exactly one day before 11-25 10:00: not more
    # a cut-off before it was last seen decides: 11-01 10:00, K1 12 days old, not overdue (judged at its
    # seen_at, 35 days, it would be); young: K1 and K3 (4.04 days)
    cut = at_cutoff(two_extracts, datetime(2026, 11, 1, 10, 0))
    assert (cut["complaints"], cut["open"], cut["open_overdue"], cut["young"]) == (3, 1, 0, 2)


def test_an_older_extract_never_moves_seen_at_back(two_extracts, tmp_path):
    later = write_csv(tmp_path / "later.csv", WITH_EXTRACTED, [(*K1, "2026-11-24 10:00:00")])
    import_files([later], two_extracts)
    older = write_csv(tmp_path / "older.csv", WITH_EXTRACTED, [(*K1, "2026-11-02 10:00:00")])
    import_files([older], two_extracts)
    assert stored(two_extracts).loc["K1", "seen_at"] == pd.Timestamp("2026-11-24 10:00")


def test_extracted_at_wins_over_the_files_own_time_and_is_capped_at_the_as_of(two_extracts, tmp_path):
    """third.csv (0102): K6 open, received 11-10 10:00, 提取时间 11-12 10:00; K7 received 11-20, closed
    11-24 10:00 (the file's own as-of). K6 is seen at 11-12 10:00: 2.0 days open. K1 re-sent with a 提取时间
    after every data time (11-30) is seen at the store's as-of time (11-25 10:00), 36.0 days."""
    k6 = row("K6", "2026-11-10 10:00:00", "", "0102", "处理中")
    k7 = row("K7", "2026-11-20 10:00:00", "2026-11-24 10:00:00", "0102", "已办结")
    third = write_csv(
        tmp_path / "third.csv",
        WITH_EXTRACTED,
        [(*k6, "2026-11-12 10:00:00"), (*k7, "2026-11-24 12:00:00"), (*K1, "2026-11-30 00:00:00")],
    )
    import_files([third], two_extracts)
    rows = stored(two_extracts)
    assert rows.loc["K6", "seen_at"] == pd.Timestamp("2026-11-12 10:00")
    assert rows.loc["K6", "open_days"] == pytest.approx(2.0)
    assert rows.loc["K1", "seen_at"] == pd.Timestamp(AS_OF)
    assert rows.loc["K1", "open_days"] == pytest.approx(K1_AS_OF_DAYS)


def _as_written_before(data_dir) -> None:
    """Make the current snapshot's complaints what the code before seen_at wrote: no seen_at column, and
    open_days counted to the snapshot's as-of time."""
    path = store.current_snapshot(data_dir).table("complaints")
    frame = pd.read_parquet(path)
    as_of = pd.Timestamp(store.current_snapshot(data_dir).meta["as_of"])
    frame["open_days"] = ((as_of - frame["received_at"]).dt.total_seconds() / 86400).where(frame["closed_at"].isna())
    frame = frame.drop(columns=["seen_at"])
    path.unlink()  # hard-linked with the previous snapshot's
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


def test_a_store_written_before_seen_at_opens_and_keeps_its_figures(two_extracts, tmp_path):
    _as_written_before(two_extracts)
    assert "seen_at" not in pq.read_schema(store.current_snapshot(two_extracts).table("complaints")).names
    # read as it is: the page queries need no seen_at (they read open_days), and say nothing
    cut = at_cutoff(two_extracts, AS_OF)
    assert (cut["open"], cut["open_overdue"], cut["young"]) == (1, 1, 0)  # K1 judged at 11-25: overdue
    assert note(two_extracts) == ""
    _, con = db.current(two_extracts)
    detail = db.run(con, "complaints_detail", **Filters(month_from=OCT, month_to=OCT).params(complaint_id="K1"))
    assert detail.iloc[0]["timeliness"] == "open_overdue"
    # the next import takes each stored complaint as seen at that snapshot's as-of time: K1 keeps 36 days
    k8 = row("K8", "2026-11-27 10:00:00", "2026-11-28 10:00:00", "0102", "已办结")
    import_files([write_csv(tmp_path / "fourth.csv", COMPLAINT_HEADERS_ZH, [k8])], two_extracts)
    rows = stored(two_extracts)
    assert store.current_snapshot(two_extracts).meta["as_of"] == "2026-11-28T10:00:00"
    assert rows.loc["K1", "seen_at"] == pd.Timestamp(AS_OF)
    assert rows.loc["K1", "open_days"] == pytest.approx(K1_AS_OF_DAYS)
    assert october(two_extracts)["open_overdue"] == 1  # as before the upgrade


def test_the_sidebar_the_trends_caption_and_the_briefing_carry_the_sentence(two_extracts, store_factory):
    from dashboard.briefing import html
    from dashboard.ui import sidebar

    sentence = "其中 1 件未办结投诉所在机构的数据截至 2026-10-30，按该时点判断是否超期"
    filters = Filters(month_from=OCT, month_to=OCT)
    snapshot, con = db.current(two_extracts)
    assert sidebar.data_time_caption(snapshot, filters).startswith(f"数据截至 2026-11-25 10:00（{sentence}） · 版本")
    data = trends.load(Source.of(con, filters), filters, OCT)
    assert data.seen_note == sentence
    assert f"（{sentence}）" in html.document(data)
    assert report.build(con, filters, OCT)["seen_earlier_note"] == sentence  # the report command's JSON
    # 北京分行 (0100): its open complaints (none) came with the latest extract: nothing added
    assert "其中" not in sidebar.data_time_caption(snapshot, Filters(month_from=OCT, month_to=OCT, org="0100"))


def test_the_sidebar_asks_once_per_snapshot_and_scope(two_extracts, monkeypatch):
    from dashboard.ui import sidebar

    snapshot, _ = db.current(two_extracts)
    filters = Filters(month_from=OCT, month_to=OCT, org="0200")
    first = sidebar.data_time_caption(snapshot, filters)
    asked = []
    monkeypatch.setattr(db, "run", lambda con, name, **p: asked.append(name))
    assert sidebar.data_time_caption(snapshot, filters) == first and asked == []


def test_a_deadline_warning_of_an_organisation_whose_data_stop_earlier_is_still_listed(store_factory, tmp_path):
    """KW (0201, granted 60 days) received 2026-08-20 10:00, open, last seen in a file whose own as-of is
    2026-10-10 10:00: 51 days of 60 used (85 % >= 80 %), a 临期预警. A later file of 0101 moves the as-of to
    2026-12-01 10:00; the warning window counted back from it alone (60 days: receipt months from 2026-10)
    lost KW. Counted back from the earliest time an open complaint was last seen (10-10) it holds 2026-08."""
    from dashboard.analysis import deadlines

    headers = COMPLAINT_HEADERS_ZH + ["办理时限（天）"]
    kw = (*row("KW", "2026-08-20 10:00:00", "", "0201", "处理中"), "60")
    kc = (*row("KC", "2026-10-01 10:00:00", "2026-10-10 10:00:00", "0201", "已办结"), "")
    data_dir = store_factory("seen_at_first", _write_base)
    import_files([write_csv(tmp_path / "w.csv", headers, [kw, kc])], data_dir)
    k9 = row("K9", "2026-11-28 10:00:00", "2026-12-01 10:00:00", "0101", "已办结")
    import_files([write_csv(tmp_path / "late.csv", COMPLAINT_HEADERS_ZH, [k9])], data_dir)
    rows = stored(data_dir)
    # K1 of first.csv is the other open complaint: seen 10-30 09:00, 9.96 days of 15 (66 %), no warning
    assert rows.loc["KW", "open_days"] == pytest.approx(51.0)
    snapshot, con = db.current(data_dir)
    as_of = datetime.fromisoformat(snapshot.meta["as_of"])
    assert as_of == datetime(2026, 12, 1, 10, 0)
    assert deadlines.warning_months(as_of) == (date(2026, 10, 1), date(2026, 12, 1))
    assert deadlines.warning_months(as_of, pd.Timestamp("2026-10-10 10:00")) == (date(2026, 8, 1), date(2026, 12, 1))
    filters = Filters(month_from=date(2026, 11, 1), month_to=date(2026, 11, 1))
    source = Source.of(con, filters)
    kpis = source("kpis_by_month", month_from=date(2026, 11, 1), month_to=date(2026, 11, 1))
    warned = deadlines.load(source, filters, date(2026, 11, 1), kpis, as_of).warnings
    assert list(warned["complaint_id"]) == ["KW"]
    assert warned.iloc[0]["days_left"] == pytest.approx(9.0)


def test_the_import_summary_says_how_many_unchanged_rows_were_seen_again(two_extracts, tmp_path, capsys):
    """Hostile (open item "seen again rows not counted in the import summary"): K1 sent again unchanged
    with a later 提取时间 read 未变 1 and a new data version, without a word on why; an older copy moves
    nothing and says nothing."""
    from dashboard.cli import print_summary

    again = write_csv(tmp_path / "again.csv", WITH_EXTRACTED, [(*K1, "2026-11-24 10:00:00")])
    print_summary(import_files([again], two_extracts))
    out = capsys.readouterr().out
    assert "未变 1 " in out
    assert "未变的行中有 1 行再次出现" in out
    older = write_csv(tmp_path / "older.csv", WITH_EXTRACTED, [(*K1, "2026-11-02 10:00:00")])
    print_summary(import_files([older], two_extracts))
    assert "再次出现" not in capsys.readouterr().out
