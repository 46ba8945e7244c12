"""A header cell typed with a line break (Excel's Alt+Enter) is quoted across lines in the CSV Excel writes;
it is read as the column it names (hostile H197: the import was refused as 缺少必填列, naming eight columns
that were in the file), and a narrative's own line break stays."""

from __future__ import annotations

import csv

from dashboard import db
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_small_extracts


def test_a_header_cell_with_a_line_break_is_read_as_its_column(tmp_path):
    data = tmp_path / "data"
    import_files(write_small_extracts(tmp_path / "x")[:2], data)  # branches and customers
    header = list(COMPLAINT_HEADERS_ZH)
    header[1] = "受理\n时间"  # required
    header[11] = "投诉\r\n内容"  # optional, CRLF as Excel on Windows
    rows = [list(r) for r in COMPLAINTS[:3]]
    rows[0][11] = "第一行\n第二行"  # a narrative's own line break
    path = tmp_path / "wrapped.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    (summary,) = import_files([path], data).files
    assert (summary.read, summary.inserted, summary.quarantined) == (3, 3, 0)
    assert any("单元格内有换行" in w for w in summary.warnings)
    _, con = db.current(data)
    stored = dict(con.execute("select complaint_id, content from complaints").fetchall())
    assert stored[rows[0][0]] == "第一行\n第二行"
    received = con.execute("select received_at from complaints where complaint_id = ?", [rows[1][0]]).fetchall()
    assert str(received[0][0]) == rows[1][1]
