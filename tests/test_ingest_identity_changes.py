"""An update that changes a complaint's 客户号 or 受理时间 (its identity, not its progress: another system's
numbering, an id reused) is named in the summary (hostile H162: five such updates moved complaints between
months and customers without a note). An update of the progress alone is not."""

from __future__ import annotations

from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv


def test_updates_that_change_the_customer_or_the_receipt_are_named(small_store, tmp_path):
    c01, c03, c06 = list(COMPLAINTS[0]), list(COMPLAINTS[2]), list(COMPLAINTS[5])
    c01[8], c01[1] = "Z", "2026-08-15 10:00:00"  # another customer, another month
    c03[11] += "（补充）"  # progress only
    c06[8] = "Y"  # another customer
    path = write_csv(tmp_path / "other.csv", COMPLAINT_HEADERS_ZH, [c01, c03, c06])
    (summary,) = import_files([path], small_store).files
    assert summary.updated == 3
    (note,) = [w for w in summary.warnings if "客户号" in w and "受理时间" in w]
    assert "2 件" in note and "C01（客户号、受理时间）" in note and "C06（客户号）" in note and "C03" not in note


def test_a_receipt_time_without_its_seconds_is_no_identity_change(small_store, tmp_path):
    """An extract re-saved in Excel writes 2026-10-01 08:00 for 08:00:37: not a moved ticket (hostile H178: every
    row of such a re-extract was named as a possible overwrite). A minute's difference still is."""
    c03, c05, c06 = list(COMPLAINTS[2]), list(COMPLAINTS[4]), list(COMPLAINTS[5])
    c03[1] = "2026-10-01 08:00:37"  # stored 08:00:00: the same minute
    c05[1] = "2026-10-25 15:00:59"
    c06[1] = "2026-10-10 10:01:00"  # stored 10:00:00: another minute
    path = write_csv(tmp_path / "resaved.csv", COMPLAINT_HEADERS_ZH, [c03, c05, c06])
    (summary,) = import_files([path], small_store).files
    assert summary.updated == 3
    (moved,) = [w for w in summary.warnings if "改变了投诉的客户号或受理时间" in w]
    assert moved.startswith("1 件") and "C06（受理时间）" in moved and "C03" not in moved and "C05" not in moved
    (seconds,) = [w for w in summary.warnings if "仅秒数不同" in w]
    assert seconds.startswith("2 件")
