"""A bad file cannot take the import, or the app, down (issue 14, section 2).

Each hostile input of the issue, built here: before this change each ended in a hang, a traceback, an
abort or a whole file refused. Now each ends with a Chinese message (file refused) or its rows
quarantined, and the rest of the file imported.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from dashboard import cli, config, db
from dashboard.auth import audit
from dashboard.ingest import audited, isolated, store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.mapping import parse_mapping
from dashboard.ingest.pipeline import import_files
from dashboard.ingest.readers import read_extract
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write_xlsx(path: Path, rows: list[list[str]], dimension: str) -> Path:
    """A minimal .xlsx (inline strings) whose sheet declares `dimension`, whatever it holds."""

    def row(r: int, values) -> str:
        cells = "".join(f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
        return f'<row r="{r}">{cells}</row>'

    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{''.join(row(i + 1, r) for i, r in enumerate(rows))}</sheetData></worksheet>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{rel}">'
            f'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def complaint(cid: str, **changes) -> list[str]:
    row = list(COMPLAINTS[0])
    row[0] = cid
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


def test_xlsx_declaring_the_whole_sheet_reads_only_its_rows(tmp_path):
    """1.7 KB declaring 16,384 x 1,048,576 cells: before, openpyxl padded every row to it (minutes of CPU)."""
    path = write_xlsx(tmp_path / "dim.xlsx", [COMPLAINT_HEADERS_ZH, complaint("X1")], "A1:XFD1048576")
    assert path.stat().st_size < 3000
    start = time.perf_counter()
    extract = read_extract(path)
    assert time.perf_counter() - start < 10
    assert list(extract.frame["complaint_id"]) == ["X1"]


def test_xlsx_beyond_the_row_limit_is_refused_while_streaming(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "IMPORT_MAX_ROWS", 100)
    rows = [["机构代码", "月份", "客户数"]] + [["0101", "2026-10", "1"]] * 101
    with pytest.raises(ExtractError, match=r"超过 100 行数据，超过导入上限"):
        read_extract(write_xlsx(tmp_path / "long.xlsx", rows, "A1:C2"))
    read_extract(write_xlsx(tmp_path / "ok.xlsx", rows[:101], "A1:C2"))  # exactly the limit passes


def test_xlsx_beyond_the_row_limit_is_refused_before_openpyxl_parses_a_row(tmp_path, monkeypatch):
    """F5 (a): the sheet's <row> elements are counted in its XML first; a 2 M-row sheet used to be refused
    only after a million parsed rows (about three minutes)."""
    from dashboard.ingest import readers

    monkeypatch.setattr(config, "IMPORT_MAX_ROWS", 100)
    rows = [["机构代码", "月份", "客户数"]] + [["0101", "2026-10", "1"]] * 101
    path = write_xlsx(tmp_path / "long.xlsx", rows, "A1:C2")

    def parsed(*_args, **_kwargs):
        raise AssertionError("rows were parsed before the count refused the sheet")

    monkeypatch.setattr(readers, "_stream_xlsx", parsed)
    with pytest.raises(ExtractError, match=r"超过 100 行数据，超过导入上限"):
        read_extract(path)


def test_csv_with_a_million_columns_is_refused_before_parsing(tmp_path):
    """Before: std::bad_alloc, the process aborted (exit 134)."""
    path = tmp_path / "wide.csv"
    path.write_text(
        ",".join(COMPLAINT_HEADERS_ZH + [f"x{i}" for i in range(1_000_000 - 17)])
        + "\n"
        + ",".join(COMPLAINTS[0])
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ExtractError, match=r"有 1,000,000 列，超过导入上限 500 列"):
        read_extract(path)


def test_parquet_and_file_size_limits(tmp_path, monkeypatch, small_extracts):
    monkeypatch.setattr(config, "IMPORT_MAX_FILE_MB", 0)
    with pytest.raises(ExtractError, match=r"超过导入上限 0 MB"):
        read_extract(small_extracts[0])


def test_an_overlong_value_quarantines_its_row_only(small_store, tmp_path, monkeypatch):
    """Before: a 200 MB narrative passed validation, then the text analysis aborted (4.3 GB)."""
    monkeypatch.setattr(config, "IMPORT_MAX_CELL_CHARS", 100)
    long = complaint("L1", c11="投诉" * 1500)  # 3,000 characters
    path = write_csv(tmp_path / "long.csv", COMPLAINT_HEADERS_ZH, [long, complaint("L2")])
    result = import_files([path], small_store)
    (summary,) = result.files
    assert (summary.inserted, summary.quarantined) == (1, 1)
    (reason,) = result.quarantine["reason"]
    assert reason == "投诉内容过长（超过 100 字的上限 IMPORT_MAX_CELL_CHARS），共 3,000 字"
    kept = json.loads(result.quarantine["record"].iloc[0])["content"]  # the record keeps 2,000 characters
    assert kept == "投诉" * 1000 + "…（共 3,000 字，已截断）"


def test_the_kept_part_of_an_overlong_value_does_not_end_inside_a_phone_or_id(small_store, tmp_path, monkeypatch):
    """Hostile H262: the first 2,000 characters ended with 1381234 of 13812345678 (and 11010119900307 of an ID
    number): too short for the mask, so the quarantine table showed the digits the mask hides (138****5678).
    The kept part now stops before an identifier cut in two; one that ends before the cut is kept whole."""
    monkeypatch.setattr(config, "IMPORT_MAX_CELL_CHARS", 100)
    phone = "啊" * 1993 + "13812345678" + "啊" * 1000  # the phone's 1,994th to 2,004th characters
    identity = "啊" * 1986 + "身份证110101199003071234" + "啊" * 1000  # 身份证 ends at 1,989, the ID runs on
    whole = "啊" * 1980 + "电话13812345678，" + "啊" * 1000  # ends at 1,994: inside the 2,000
    rows = [complaint("P1", c11=phone), complaint("P2", c11=identity), complaint("P3", c11=whole)]
    result = import_files([write_csv(tmp_path / "long.csv", COMPLAINT_HEADERS_ZH, rows)], small_store)
    kept = {
        json.loads(r)["complaint_id"]: json.loads(r)["content"].split("…（共")[0] for r in result.quarantine["record"]
    }
    assert kept["P1"] == "啊" * 1993
    assert kept["P2"] == "啊" * 1986 + "身份证"
    assert kept["P3"] == "啊" * 1980 + "电话13812345678，" + "啊" * 6  # 1,994 + 6: the 2,000


def test_amounts_that_do_not_fit_are_quarantined_rows(small_store, tmp_path):
    """Before: a DuckDB ConversionException, the whole file refused, no audit line."""
    rows = [
        complaint("M1", c10="1e308"),
        complaint("M2", c10="6222021234567890123"),
        complaint("M3", c10="9999999999999999.99"),
        complaint("M4", c10="300"),
    ]
    result = import_files([write_csv(tmp_path / "m.csv", COMPLAINT_HEADERS_ZH, rows)], small_store)
    (summary,) = result.files
    assert (summary.inserted, summary.quarantined) == (1, 3) and summary.accounted
    assert list(result.quarantine["source_row"]) == [1, 2, 3]
    assert all(r.startswith("涉及金额超出可存储的范围") for r in result.quarantine["reason"])


def test_a_card_number_quoted_in_a_reason_is_masked(small_store, tmp_path, capsys):
    """F5 (b): the reason quoted the card number typed into 涉及金额, in the CLI summary and the quarantine."""
    card = "6222021234567890123"
    path = write_csv(tmp_path / "card.csv", COMPLAINT_HEADERS_ZH, [complaint("K1", c10=card), complaint("K2")])
    assert cli.main(["ingest", str(path), "--data-dir", str(small_store)]) == 0
    out = capsys.readouterr().out
    assert card not in out and "6222***********0123" in out  # first 4 and last 4 digits kept
    _, con = db.current(small_store)
    reasons = db.run(con, "data_quarantine")["reason"].tolist()
    assert len(reasons) == 1 and card not in reasons[0] and "6222***********0123" in reasons[0]


def test_a_nul_byte_quarantines_its_row_with_the_row_number(small_store, tmp_path):
    """Before: the whole file was refused as 'not text', without the row number."""
    rows = [complaint("N1"), complaint("N2", c11="柜员\x00态度差"), complaint("N3")]
    result = import_files([write_csv(tmp_path / "nul.csv", COMPLAINT_HEADERS_ZH, rows)], small_store)
    assert result.files[0].inserted == 2
    assert list(result.quarantine["source_row"]) == [2]
    assert list(result.quarantine["reason"]) == ["投诉内容含有空字符（NUL，文件可能已损坏）"]


def test_utf16_is_still_recognised(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("投诉编号,受理时间\nC1,2026-10-01\n".encode("utf-16-le"))
    with pytest.raises(ExtractError, match="UTF-16"):
        read_extract(path)


@pytest.mark.parametrize("spec", ["%Q-%m", "%Y-%m-%"])
def test_a_malformed_strftime_in_a_mapping_is_refused_in_chinese(spec):
    with pytest.raises(ExtractError, match=r"无法识别：应为 day_first"):
        parse_mapping({"dates": {"received_at": spec}}, "m.toml")


def test_every_attempt_is_audited_failed_ones_included(small_store, tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(600)) + "\n", encoding="utf-8")
    assert cli.main(["ingest", str(wide), "--data-dir", str(small_store)]) == 2
    entries = audit.read(audit.log_path(small_store)).entries
    assert [e["detail"].get("stage") for e in entries[-2:]] == ["attempt", None]
    assert entries[-1]["detail"]["ok"] is False and "600 列" in entries[-1]["detail"]["error"]


def test_no_import_when_the_audit_log_cannot_be_written(small_store, tmp_path, monkeypatch):
    version = store.current_snapshot(small_store).version

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(OSError):
        audited.run([write_csv(tmp_path / "n.csv", COMPLAINT_HEADERS_ZH, [complaint("Z1")])], small_store, None, "t")
    assert store.current_snapshot(small_store).version == version


def test_upload_import_runs_in_a_child_and_keeps_same_named_files_apart(small_store, tmp_path):
    first, second = tmp_path / "a" / "x.csv", tmp_path / "b" / "x.csv"
    first.parent.mkdir(), second.parent.mkdir()
    write_csv(first, COMPLAINT_HEADERS_ZH, [complaint("S1")])
    write_csv(second, COMPLAINT_HEADERS_ZH, [complaint("S2"), complaint("S3")])
    steps = []
    result = isolated.run([first, second], small_store, None, "tester", progress=steps.append)
    assert [(f.file, f.inserted) for f in result.files] == [("x.csv", 1), ("x.csv", 2)]
    assert steps[0] == "读取 x.csv" and "计算派生数据并写入新版本" in steps
    derived_steps = steps[steps.index("计算派生数据并写入新版本") + 1 :]
    assert derived_steps and all(step.startswith("计算派生表 ") for step in derived_steps)
    assert [e["detail"].get("stage") for e in audit.read(audit.log_path(small_store)).entries[-2:]] == ["attempt", None]


def test_a_child_that_dies_is_reported_and_changes_nothing(small_store, tmp_path, monkeypatch):
    version = store.current_snapshot(small_store).version
    monkeypatch.setattr(config, "IMPORT_CHILD_TIMEOUT_S", 0.01)  # the parent ends it at once
    path = write_csv(tmp_path / "k.csv", COMPLAINT_HEADERS_ZH, [complaint("K1")])
    with pytest.raises(ExtractError, match="导入进程异常退出"):
        isolated.run([path], small_store, None, "tester")
    assert store.current_snapshot(small_store).version == version
    last = audit.read(audit.log_path(small_store)).entries[-1]
    assert last["detail"]["ok"] is False and "导入进程异常退出" in last["detail"]["error"]


def test_xlsx_parts_too_large_once_unzipped_are_refused_before_openpyxl(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "IMPORT_MAX_XLSX_XML_MB", 0)
    path = write_xlsx(tmp_path / "z.xlsx", [COMPLAINT_HEADERS_ZH, complaint("Z1")], "A1:Q2")
    with pytest.raises(ExtractError, match=r"解压后有 .* MB，超过导入上限 0 MB"):
        read_extract(path)


def test_an_xlsx_with_one_huge_xml_token_is_refused_before_openpyxl(tmp_path):
    """Hostile H263: a 600 KB .xlsx whose sheet carried one 600 MB XML comment (under the unzipped-size limit)
    kept an import at 100 % CPU for hours: the XML parser re-reads an unfinished token at every piece fed
    to it (20 MB: 14 s, 40 MB: 55 s). A comment, an attribute or a tag longer than 1 MB is no spreadsheet's:
    refused. An ordinary sheet, with a short comment and a long cell, still reads."""
    path = write_xlsx(tmp_path / "ok.xlsx", [COMPLAINT_HEADERS_ZH, complaint("Z1", c11="年费" * 15_000)], "A1:Q2")
    assert len(read_extract(path).frame) == 1  # a 30,000-character cell: no token over 1 MB
    for name, extra in {
        "comment": b"<!--" + b"<a>" * 400_000 + b"-->",  # 1.2 MB, '<' inside: not a run without one
        "attribute": b'<x y="' + b">" * (1 << 20) + b'"/>',
    }.items():
        bomb = tmp_path / f"{name}.xlsx"
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename.endswith("sheet1.xml"):
                    data = data.replace(b"</sheetData>", b"</sheetData>" + extra)
                out.writestr(item, data)
        with pytest.raises(ExtractError, match=r"sheet1.xml 中有超过 1 MB 的单个 XML 标记、注释或属性"):
            read_extract(bomb)


def test_a_refused_files_cells_and_name_reach_the_audit_log_masked(small_store, tmp_path):
    # hostile H154: an extract without its header row is refused quoting its first line, a person's name,
    # mobile and ID number included; the audit log is the record copied off the server
    path = tmp_path / "张伟13812345678.csv"
    path.write_text("张伟,13812345678,110101199003077777,2026-11-02,年费\n李娜,13998765432,,2026-11-03,年费\n", "utf-8")
    with pytest.raises(ExtractError):
        audited.run([path], small_store, None, "tester")
    raw = audit.log_path(small_store).read_text(encoding="utf-8")
    for secret in ("13812345678", "110101199003077777"):
        assert secret not in raw
    last = audit.read(audit.log_path(small_store)).entries[-1]
    assert last["detail"]["ok"] is False and last["detail"]["error"]  # still says why
