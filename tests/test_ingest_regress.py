"""Newer data is never overwritten by older data (issue 14, section 1).

The small bank of conftest: C05 is 已受理 in complaints.csv; a later extract closes it. Expectations are
the hand-worked October figures of tests/README.md (open = 2 before the closing extract, 1 after).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard import cli, db, report
from dashboard.filters import Filters
from dashboard.ingest import store
from dashboard.ingest.pipeline import OLDER_RULES_ZH, import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

OCT = date(2026, 10, 1)


def october(data_dir) -> dict:
    _, con = db.current(data_dir)
    return report.kpis(con, Filters(month_from=OCT, month_to=OCT), OCT)


def stored(data_dir) -> pd.DataFrame:
    snap = store.current_snapshot(data_dir)
    return pd.read_parquet(snap.table("complaints")).set_index("complaint_id")


def close_c05(tmp_path, name="later.csv"):
    row = list(COMPLAINTS[4])
    row[2], row[12], row[13] = "2026-11-02 09:00:00", "已办结", "已解决"
    return write_csv(tmp_path / name, COMPLAINT_HEADERS_ZH, [row])


def test_reimporting_the_earlier_file_is_recognised_and_changes_nothing(small_store, small_extracts, tmp_path):
    import_files([close_c05(tmp_path)], small_store)
    before, version = october(small_store), store.current_snapshot(small_store).version
    assert before["open"] == 1
    result = import_files([small_extracts[2]], small_store)  # the earlier complaints.csv, same bytes
    (summary,) = result.files
    assert summary.already_imported_at is not None and summary.read == 0
    assert not result.changed and result.version == version
    assert october(small_store) == before
    assert stored(small_store).loc["C05", "status"] == "已办结"


def test_forced_reimport_never_reopens_a_closed_complaint(small_store, small_extracts, tmp_path):
    import_files([close_c05(tmp_path)], small_store)
    before = october(small_store)
    result = import_files([small_extracts[2]], small_store, force=True)
    (summary,) = result.files
    assert summary.already_imported_at is None
    # C05 alone would move back (已办结 -> 已受理); the other seven rows are as stored.
    assert summary.older == {OLDER_RULES_ZH["older_status"]: 1} and summary.older_ids == ["C05"]
    assert (summary.read, summary.unchanged, summary.skipped_older) == (8, 7, 1) and summary.accounted
    row = stored(small_store).loc["C05"]
    assert (row["status"], row["result"], str(row["closed_at"])) == ("已办结", "已解决", "2026-11-02 09:00:00")
    assert october(small_store) == before


def test_a_later_extract_may_still_reopen_when_it_says_it_is_later(small_store, tmp_path):
    """With extracted_at on both rows the later extract wins, even 已办结 -> 处理中 (a reopened case)."""
    headers = COMPLAINT_HEADERS_ZH + ["提取时间"]
    row = list(COMPLAINTS[0]) + ["2026-11-01 00:00:00"]
    row[7] = "钻石卡"  # a change, so that the stored row takes this extracted_at
    import_files([write_csv(tmp_path / "a.csv", headers, [row])], small_store)
    row = list(COMPLAINTS[0]) + ["2026-11-05 00:00:00"]
    row[2], row[12], row[13], row[14] = "", "处理中", "", ""
    (summary,) = import_files([write_csv(tmp_path / "b.csv", headers, [row])], small_store).files
    assert (summary.updated, summary.skipped_older) == (1, 0)
    row = list(COMPLAINTS[0]) + ["2026-10-20 00:00:00"]  # extracted before the stored one
    (summary,) = import_files([write_csv(tmp_path / "c.csv", headers, [row])], small_store).files
    assert summary.older == {OLDER_RULES_ZH["older_extracted"]: 1}
    assert stored(small_store).loc["C01", "status"] == "处理中"


def test_a_row_without_extracted_at_does_not_replace_one_with_it(small_store, tmp_path):
    """H116: an old extract re-sent without the 提取时间 column overwrote the newer row and kept its time;
    nothing says which is newer, so the stored row stays and the summary says why; --force applies it."""
    headers = COMPLAINT_HEADERS_ZH + ["提取时间"]
    row = list(COMPLAINTS[0]) + ["2026-11-01 08:00:00"]
    row[7] = "钻石卡"
    import_files([write_csv(tmp_path / "with.csv", headers, [row])], small_store)
    row = list(COMPLAINTS[0])
    row[7] = "金卡"
    without = write_csv(tmp_path / "without.csv", COMPLAINT_HEADERS_ZH, [row])
    (summary,) = import_files([without], small_store).files
    assert (summary.updated, summary.older) == (0, {OLDER_RULES_ZH["older_unordered"]: 1})
    assert stored(small_store).loc["C01", "product"] == "钻石卡"
    (summary,) = import_files([without], small_store, force=True).files
    assert summary.updated == 1
    c01 = stored(small_store).loc["C01"]
    assert c01["product"] == "金卡" and str(c01["extracted_at"]) == "2026-11-01 08:00:00"


def test_a_row_without_extracted_at_still_updates_one_without_it(small_store, tmp_path):
    row = list(COMPLAINTS[0])
    row[7] = "金卡"
    (summary,) = import_files([write_csv(tmp_path / "without.csv", COMPLAINT_HEADERS_ZH, [row])], small_store).files
    assert summary.updated == 1 and stored(small_store).loc["C01", "product"] == "金卡"


def test_dates_in_the_future_are_quarantined(small_store, tmp_path):
    as_of = october(small_store)["as_of"]
    future = list(COMPLAINTS[4])
    future[0], future[1] = "C90", "2099-12-31 10:00:00"
    closed_future = list(COMPLAINTS[0])
    closed_future[0], closed_future[2] = "C91", "2099-01-01 00:00:00"
    ok = list(COMPLAINTS[4])
    ok[0] = "C92"
    result = import_files(
        [write_csv(tmp_path / "f.csv", COMPLAINT_HEADERS_ZH, [future, closed_future, ok])], small_store
    )
    (summary,) = result.files
    assert (summary.inserted, summary.quarantined) == (1, 2) and summary.accounted
    reasons = dict(zip(result.quarantine["source_row"], result.quarantine["reason"]))
    assert reasons[1] == "受理时间晚于导入时间：2099-12-31 10:00:00"
    assert reasons[2] == "办结时间晚于导入时间：2099-01-01 00:00:00"
    assert october(small_store)["as_of"] == as_of


def test_an_older_extract_resaved_in_another_format_changes_no_number(small_store, tmp_path):
    """F1: same rows, new bytes (CSV re-saved as Parquet), so the sha256 does not know it; without
    extracted_at only the status guard held, and a closed complaint's satisfaction went back."""
    old_rows = [list(r) for r in COMPLAINTS]
    old_rows[0][14] = "不满意"  # C01, closed, before the call-back
    old = write_csv(tmp_path / "old.csv", COMPLAINT_HEADERS_ZH, old_rows)
    new_rows = [list(r) for r in old_rows]
    new_rows[0][14] = "基本满意"
    new_rows[4][2], new_rows[4][12], new_rows[4][13] = "2026-11-02 09:00:00", "已办结", "已解决"  # C05 closed
    import_files([old], small_store)
    import_files([write_csv(tmp_path / "new.csv", COMPLAINT_HEADERS_ZH, new_rows)], small_store)
    _, con = db.current(small_store)
    before = json.dumps(report.build(con, Filters(OCT, OCT), OCT), ensure_ascii=False, default=str)
    resaved = tmp_path / "old_resaved.parquet"
    pd.read_csv(old, dtype=str, keep_default_na=False).to_parquet(resaved, index=False)
    (summary,) = import_files([resaved], small_store).files
    assert summary.older == {OLDER_RULES_ZH["older_status"]: 1, OLDER_RULES_ZH["older_version"]: 1}
    assert sorted(summary.older_ids) == ["C01", "C05"] and summary.unchanged == 6 and summary.accounted
    _, con = db.current(small_store)
    assert json.dumps(report.build(con, Filters(OCT, OCT), OCT), ensure_ascii=False, default=str) == before
    assert stored(small_store).loc["C01", "satisfaction"] == "基本满意"
    import_files([resaved], small_store, force=True)  # --force re-applies the old version on purpose
    assert stored(small_store).loc["C01", "satisfaction"] == "不满意"
    assert stored(small_store).loc["C05", "status"] == "已办结"  # the status guard still holds


def test_a_future_extracted_at_is_quarantined_and_cannot_pin_a_row(small_store, tmp_path):
    """F2: extracted_at 2099 would win against every later extract and reopen a closed complaint."""
    headers = COMPLAINT_HEADERS_ZH + ["提取时间"]
    row = list(COMPLAINTS[0]) + ["2099-01-01 00:00:00"]
    row[2], row[12], row[13], row[14] = "", "处理中", "", ""
    result = import_files([write_csv(tmp_path / "future.csv", headers, [row])], small_store)
    (summary,) = result.files
    assert (summary.updated, summary.quarantined) == (0, 1) and summary.accounted
    assert result.quarantine["reason"].tolist() == ["提取时间晚于导入时间：2099-01-01 00:00:00"]
    c01 = stored(small_store).loc["C01"]
    assert c01["status"] == "已办结" and pd.isna(c01["extracted_at"])


def test_the_future_limit_is_in_shanghai_time_whatever_the_servers_zone(small_store, tmp_path):
    """F3: two hours ahead of Shanghai's clock (inside a day of a UTC server's clock) is quarantined; an
    hour behind it (seven hours ahead of UTC) is accepted. The as-of time stays before the import."""
    shanghai = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    ahead, behind = list(COMPLAINTS[4]), list(COMPLAINTS[4])
    ahead[0], ahead[1] = "C93", (shanghai + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    behind[0], behind[1] = "C94", (shanghai - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    result = import_files([write_csv(tmp_path / "z.csv", COMPLAINT_HEADERS_ZH, [ahead, behind])], small_store)
    (summary,) = result.files
    assert (summary.inserted, summary.quarantined) == (1, 1)
    assert result.quarantine["reason"].tolist() == [f"受理时间晚于导入时间：{ahead[1]}"]
    assert "C94" in stored(small_store).index
    as_of = pd.Timestamp(store.current_snapshot(small_store).meta["as_of"])
    assert as_of <= pd.Timestamp(shanghai) + pd.Timedelta(minutes=15)


def test_cli_summary_prints_the_accounting_and_the_rule(small_store, small_extracts, tmp_path, capsys):
    import_files([close_c05(tmp_path)], small_store)
    assert cli.main(["ingest", str(small_extracts[2]), "--data-dir", str(small_store)]) == 0
    out = capsys.readouterr().out
    assert "complaints.csv（投诉工单）：已导入过（" in out and "--force" in out
    assert cli.main(["ingest", str(small_extracts[2]), "--data-dir", str(small_store), "--force"]) == 0
    out = capsys.readouterr().out
    assert "读取 8 行 = 新增 0 + 更新 0 + 未变 7 + 旧于已入库 1 + 隔离 0" in out
    assert f"旧于已入库（{OLDER_RULES_ZH['older_status']}）× 1" in out
    assert "旧于已入库的投诉编号：C05" in out


def current_and_history(data_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    _, con = db.current(data_dir)
    return db.run(con, "data_quarantine"), db.run(con, "data_quarantine_history")


def test_quarantine_shows_each_records_latest_outcome_and_keeps_history(small_store, tmp_path):
    bad = complaint_row("Q1", branch="0999")  # unknown organisation
    import_files([write_csv(tmp_path / "a.csv", COMPLAINT_HEADERS_ZH, [bad])], small_store)
    current, history = current_and_history(small_store)
    assert list(current["file_name"]) == ["a.csv"]
    # Another file (another name) brings Q1 fixed: no longer listed, kept in the history.
    import_files([write_csv(tmp_path / "b.csv", COMPLAINT_HEADERS_ZH, [complaint_row("Q1")])], small_store)
    current, history = current_and_history(small_store)
    assert current.empty
    assert list(history["file_name"]) == ["a.csv"] and history["superseded_at"].notna().all()
    assert store.current_snapshot(small_store).meta["quarantined"] == 0
    # Two overlapping files of one batch both quarantine Q2: listed once, from the later file.
    rows = [complaint_row("Q2", branch="0999")]
    import_files(
        [
            write_csv(tmp_path / "c.csv", COMPLAINT_HEADERS_ZH, rows),
            write_csv(tmp_path / "d.csv", COMPLAINT_HEADERS_ZH, rows + [complaint_row("Q3")]),
        ],
        small_store,
    )
    current, history = current_and_history(small_store)
    assert list(current["file_name"]) == ["d.csv"]
    assert sorted(history["file_name"]) == ["a.csv", "c.csv", "d.csv"]


def complaint_row(cid: str, branch: str = "0101") -> list[str]:
    row = list(COMPLAINTS[0])
    row[0], row[3] = cid, branch
    return row


def test_rebuild_upgrades_a_quarantine_written_before_it_kept_history(small_store, tmp_path):
    import_files(
        [write_csv(tmp_path / "a.csv", COMPLAINT_HEADERS_ZH, [complaint_row("Q1", branch="0999")])], small_store
    )
    snap = store.current_snapshot(small_store)
    old = pd.read_parquet(snap.table("quarantine")).drop(columns=["record_key", "superseded_at"])
    old.to_parquet(snap.table("quarantine"), index=False)  # the shape of an older snapshot
    from dashboard.ingest.pipeline import rebuild

    rebuild(small_store)
    current, history = current_and_history(small_store)
    assert list(history["record_key"]) == ["Q1"] and list(current["file_name"]) == ["a.csv"]
    import_files([write_csv(tmp_path / "b.csv", COMPLAINT_HEADERS_ZH, [complaint_row("Q1")])], small_store)
    assert current_and_history(small_store)[0].empty


def test_a_corrected_mapping_reads_an_imported_file_again(small_store, tmp_path):
    """F6: the same bytes with another mapping are another import; with the same mapping, 已导入过."""
    rows = [list(COMPLAINTS[0])]
    rows[0][14] = "很满意"  # a source's own word for 满意
    path = write_csv(tmp_path / "src.csv", COMPLAINT_HEADERS_ZH, rows)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[values.satisfaction]\n"很满意" = "不满意"\n', encoding="utf-8")
    right = tmp_path / "right.toml"
    right.write_text('# corrected\n[values.satisfaction]\n"很满意" = "基本满意"\n"一般" = "不满意"\n', encoding="utf-8")
    (first,) = import_files([path], small_store, wrong).files
    assert first.updated == 1 and stored(small_store).loc["C01", "satisfaction"] == "不满意"
    (again,) = import_files([path], small_store, wrong).files
    assert again.already_imported_at is not None
    (corrected,) = import_files([path], small_store, right).files
    assert corrected.already_imported_at is None and corrected.updated == 1
    assert stored(small_store).loc["C01", "satisfaction"] == "基本满意"


def test_the_import_audit_line_carries_the_whole_accounting(small_store, small_extracts, tmp_path, monkeypatch):
    """F6: the outcome line reproduces the summary's read = new + updated + unchanged + older + quarantined."""
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("COMPLAINTS_AUDIT_LOG", str(log))
    import_files([close_c05(tmp_path)], small_store)
    assert cli.main(["ingest", str(small_extracts[2]), "--data-dir", str(small_store), "--force"]) == 0
    line = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert line["detail"]["rows"]["complaints.csv"] == {
        "read": 8,
        "inserted": 0,
        "updated": 0,
        "unchanged": 7,
        "older": 1,
        "quarantined": 0,
    }


def test_a_column_missing_from_a_later_extract_keeps_the_stored_values(small_store, tmp_path):
    """Hostile H65: a re-extract whose 投诉内容 header was renamed (投诉描述) must not erase the narratives."""
    before = stored(small_store)
    content = COMPLAINT_HEADERS_ZH.index("投诉内容")
    headers = [("投诉描述" if h == "投诉内容" else h) for h in COMPLAINT_HEADERS_ZH]
    changed = list(COMPLAINTS[0])
    changed[14] = "不满意"  # a real change: satisfaction
    new = list(COMPLAINTS[0])
    new[0] = "C99"
    rows = [changed, new]
    for row in rows:
        row[content] = "另一系统的描述"  # under the renamed header: not read as 投诉内容
    later = write_csv(tmp_path / "renamed.csv", headers, rows)
    (summary,) = import_files([later], small_store).files
    assert (summary.inserted, summary.updated) == (1, 1)
    assert any("投诉内容" in w and "保留原值" in w for w in summary.warnings), summary.warnings
    after = stored(small_store)
    assert after.loc["C01", "satisfaction"] == "不满意"
    assert after.loc["C01", "content"] == before.loc["C01", "content"] == COMPLAINTS[0][content]
    assert pd.isna(after.loc["C99", "content"])
    # every other column of C01 as it was, bar the one the file changed
    same = [c for c in before.columns if c not in ("satisfaction", "extracted_at")]
    pd.testing.assert_series_equal(after.loc["C01", same], before.loc["C01", same], check_names=False)
    # the same file again, forced: nothing changes (the kept values are part of the row it compares)
    (again,) = import_files([later], small_store, force=True).files
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


def test_an_empty_narrative_in_a_file_that_has_the_column_is_a_value(small_store, tmp_path):
    """The rule above is about columns absent from the file; an empty cell under 投诉内容 is what the
    source system says now (the newest extract wins, contract 3)."""
    row = list(COMPLAINTS[0])
    row[COMPLAINT_HEADERS_ZH.index("投诉内容")] = ""
    (summary,) = import_files([write_csv(tmp_path / "blank.csv", COMPLAINT_HEADERS_ZH, [row])], small_store).files
    assert summary.updated == 1 and not any("保留原值" in w for w in summary.warnings)
    assert pd.isna(stored(small_store).loc["C01", "content"])


def test_a_reopening_row_without_the_closing_columns_keeps_no_closing_time(small_store, tmp_path):
    """Hostile H71: C01 (已办结) reopened by a newer extract that has no 办结时间 / 处理结果 / 回访满意度
    columns: the stored closing time and result describe the old status and are not kept; the narrative is."""
    drop = {"办结时间", "处理结果", "回访满意度"}
    keep = [i for i, h in enumerate(COMPLAINT_HEADERS_ZH) if h not in drop]
    row = list(COMPLAINTS[0])
    row[COMPLAINT_HEADERS_ZH.index("处理状态")] = "处理中"
    headers = [COMPLAINT_HEADERS_ZH[i] for i in keep] + ["提取时间"]
    first = list(COMPLAINTS[0])
    first[COMPLAINT_HEADERS_ZH.index("回访满意度")] = "基本满意"  # a change, so that its extract time is stored
    stamped = write_csv(
        tmp_path / "stamped.csv", [*COMPLAINT_HEADERS_ZH, "提取时间"], [[*first, "2026-10-01 08:00:00"]]
    )
    assert import_files([stamped], small_store).files[0].updated == 1  # now a later extract may reopen C01
    later = write_csv(tmp_path / "reopen.csv", headers, [[row[i] for i in keep] + ["2026-11-01 08:00:00"]])
    (summary,) = import_files([later], small_store).files
    assert summary.updated == 1 and summary.quarantined == 0
    c01 = stored(small_store).loc["C01"]
    assert c01["status"] == "处理中"
    assert pd.isna(c01["closed_at"]) and pd.isna(c01["result"]) and pd.isna(c01["satisfaction"])
    assert c01["content"] == COMPLAINTS[0][COMPLAINT_HEADERS_ZH.index("投诉内容")]
    # H140: the warning said 保留原值 for the closing columns this row cleared
    (note,) = [w for w in summary.warnings if "没有这些列" in w]
    assert "处理状态有变的投诉除外：其办结时间、处理结果、回访满意度随新状态清空" in note


def test_a_still_closed_complaint_in_a_file_without_the_closing_columns_keeps_its_closing_time(small_store, tmp_path):
    """Hostile H73: C01 stays 已办结 in a newer extract without 办结时间 / 处理结果 / 回访满意度, and its product
    changed: it is an update that keeps the stored closing time, not a row quarantined as 已办结 without one.
    C05 (stored 处理中) becomes 已办结 in the same file: it has no closing time anywhere, so it is quarantined."""
    drop = {"办结时间", "处理结果", "回访满意度"}
    keep = [i for i, h in enumerate(COMPLAINT_HEADERS_ZH) if h not in drop]
    headers = [COMPLAINT_HEADERS_ZH[i] for i in keep]
    status, product = COMPLAINT_HEADERS_ZH.index("处理状态"), COMPLAINT_HEADERS_ZH.index("产品名称")
    c01, c05 = list(COMPLAINTS[0]), list(next(r for r in COMPLAINTS if r[0] == "C05"))
    assert c01[status] == "已办结" and c05[status] != "已办结"
    c01[product] = "金卡"
    c05[status] = "已办结"
    before = stored(small_store)
    lean = write_csv(tmp_path / "lean.csv", headers, [[r[i] for i in keep] for r in (c01, c05)])
    (summary,) = import_files([lean], small_store).files
    assert (summary.updated, summary.quarantined) == (1, 1)
    (reason,) = summary.reasons
    assert "文件未提供办结时间（没有该列或该列全空）" in reason and "此前未以已办结入库" in reason
    after = stored(small_store)
    assert after.loc["C01", "product"] == "金卡"
    for column in ("closed_at", "result", "satisfaction"):
        assert after.loc["C01", column] == before.loc["C01", column]
    assert after.loc["C05", "status"] == before.loc["C05", "status"]  # the quarantined row changed nothing


def test_optional_columns_present_but_empty_in_every_row_keep_the_stored_values(small_store, tmp_path):
    """Hostile H90: an exporter that writes the 投诉内容, 根因分类 and 办结时间 headers but never fills them is a
    file without those columns: the stored values stay (as for a missing column, H65), the summary says
    which columns were empty, and C01, still 已办结, keeps its closing time instead of being quarantined.
    C05 becomes 已办结 without any closing time stored: quarantined with the absent-column reason."""
    empty = {"投诉内容", "根因分类", "办结时间"}
    status, product = COMPLAINT_HEADERS_ZH.index("处理状态"), COMPLAINT_HEADERS_ZH.index("产品名称")
    c01, c05 = list(COMPLAINTS[0]), list(next(r for r in COMPLAINTS if r[0] == "C05"))
    c01[product] = "金卡"
    c05[status] = "已办结"
    rows = [[("" if h in empty else v) for h, v in zip(COMPLAINT_HEADERS_ZH, r)] for r in (c01, c05)]
    before = stored(small_store)
    (summary,) = import_files([write_csv(tmp_path / "blank.csv", COMPLAINT_HEADERS_ZH, rows)], small_store).files
    assert (summary.updated, summary.quarantined) == (1, 1)
    (reason,) = summary.reasons
    assert reason == (
        "处理状态为已办结，但文件未提供办结时间（没有该列或该列全空），且此前未以已办结入库（无办结时间可保留）"
    )
    after = stored(small_store)
    assert after.loc["C01", "product"] == "金卡"
    for column in ("content", "root_cause", "closed_at", "result", "satisfaction"):
        assert after.loc["C01", column] == before.loc["C01", column], column
    (note,) = [w for w in summary.warnings if "全部为空" in w]
    assert note.startswith("文件 blank.csv 的这些列全部为空：")
    assert all(h in note for h in empty) and "视为文件未提供，已入库投诉的这些字段保留原值" in note


def test_an_empty_optional_column_of_a_one_row_file_is_a_value(small_store, tmp_path):
    """One row is no evidence of an exporter that never fills a column: its empty 根因分类 clears the stored one."""
    row = [("" if h == "根因分类" else v) for h, v in zip(COMPLAINT_HEADERS_ZH, COMPLAINTS[0])]
    (summary,) = import_files([write_csv(tmp_path / "one.csv", COMPLAINT_HEADERS_ZH, [row])], small_store).files
    assert summary.updated == 1 and not [w for w in summary.warnings if "全部为空" in w]
    assert pd.isna(stored(small_store).loc["C01", "root_cause"])


def test_a_branch_moved_to_another_parent_is_said_in_the_summary(small_store, tmp_path):
    """H128 / S: validate noted the move, but the note never reached the import summary; it also says that
    the moved branch's past months follow it (the tree has one version)."""
    rows = [("0101", "北京海淀支行", "0200", "支行", "北京", "北京")]
    headers = ["branch_code", "branch_name", "parent_code", "level", "province", "city"]
    (summary,) = import_files([write_csv(tmp_path / "moved.csv", headers, rows)], small_store).files
    (note,) = [w for w in summary.warnings if w.startswith("机构调整")]
    assert "0101 上级 0100 → 0200" in note and "以往各月" in note
