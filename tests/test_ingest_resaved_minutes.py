"""An old extract re-saved in Excel (its times lose their seconds) is still recognised as old (hostile H193:
re-sent by a branch, it overwrote the newer 处理结果 and 回访满意度 of ten complaints), and a current one re-saved
changes nothing; a row whose times are whole minutes and that no earlier version matches is still an update."""

from __future__ import annotations

import pandas as pd

from dashboard import db
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, write_small_extracts

RECEIVED, CLOSED = "2026-10-10 09:15:37", "2026-10-12 10:20:41"


def row(cid: str, result: str, satisfaction: str, received=RECEIVED, closed=CLOSED) -> tuple:
    return (cid, received, closed, "0101", "客服热线", "信用卡", "定价收费", "白金卡", f"K{cid}", "45", "300",
            "年费争议", "已办结", result, satisfaction, "否", "产品设计")  # fmt: skip


def resaved(r: tuple) -> tuple:
    """As Excel writes the row back to CSV: 2026/10/10 9:15 for 2026-10-10 09:15:37."""

    def minutes(stamp: str) -> str:
        t = pd.Timestamp(stamp)
        return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"

    return (r[0], minutes(r[1]), minutes(r[2]), *r[3:])


def stored(data_dir) -> pd.DataFrame:
    _, con = db.current(data_dir)
    return con.sql("select complaint_id, result, satisfaction, closed_at from complaints order by 1").df()


def test_an_old_extract_resaved_without_seconds_does_not_overwrite_the_newer_outcome(tmp_path):
    from tests.conftest import write_csv

    ids = ["R1", "R2", "R3"]
    first = [row(c, "未解决", "不满意") for c in ids]  # extract of 11-12
    later = [row(c, "已解决", "满意") for c in ids]  # extract of 11-20: the follow-up
    data = tmp_path / "data"
    import_files(write_small_extracts(tmp_path / "a", complaints=first), data)
    (b,) = import_files([write_csv(tmp_path / "b.csv", COMPLAINT_HEADERS_ZH, later)], data).files
    assert b.updated == 3

    (old,) = import_files(
        [write_csv(tmp_path / "a_resaved.csv", COMPLAINT_HEADERS_ZH, [resaved(r) for r in first])], data
    ).files

    assert (old.updated, old.skipped_older) == (0, 3)
    after = stored(data)
    assert after["result"].tolist() == ["已解决"] * 3 and after["satisfaction"].tolist() == ["满意"] * 3
    assert after["closed_at"].dt.second.tolist() == [41] * 3  # the stored seconds are kept

    # the current extract re-saved: nothing new, nothing lost
    (same,) = import_files(
        [write_csv(tmp_path / "b_resaved.csv", COMPLAINT_HEADERS_ZH, [resaved(r) for r in later])], data
    ).files
    assert (same.unchanged, same.updated, same.skipped_older) == (3, 0, 0)
    assert stored(data)["closed_at"].dt.second.tolist() == [41] * 3

    # a new outcome in whole minutes, equal to no version before, is an update
    newer = [resaved(row("R1", "部分解决", "基本满意"))]
    (upd,) = import_files([write_csv(tmp_path / "c.csv", COMPLAINT_HEADERS_ZH, newer)], data).files
    assert upd.updated == 1 and stored(data).set_index("complaint_id").at["R1", "result"] == "部分解决"


def test_row_versions_kept_before_minute_hashes_still_match_exactly(tmp_path):
    from dashboard.ingest import pipeline

    con = db.new_connection()
    old = tmp_path / "versions.parquet"
    con.sql("select 'R1' as complaint_id, 'abc' as row_hash").write_parquet(str(old))

    class Snapshot:  # a snapshot written before minute_hash existed
        def table(self, name):
            return old

    pipeline._load_row_versions(con, Snapshot())
    assert con.sql("select * from stored_row_versions").fetchall() == [("R1", "abc", None)]
