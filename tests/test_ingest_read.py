"""Reading extracts: file types, encodings, header recognition, mapping files, file-level errors."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import schema
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.mapping import load_mapping
from dashboard.ingest.readers import read_extract
from dashboard.ingest.validate import REASON_COLUMN, validate

CUSTOMERS_ZH = "机构代码,月份,客户数\n0101,2026-10,1200\n0102,2026-10,800\n"
BRANCHES_ZH = "机构代码,机构名称,上级机构代码,机构层级,省份,城市\n0001,总行,,总行,北京,北京\n0101,北京分行,0001,一级分行,北京,北京\n"
COMPLAINT_HEADERS_ZH = [
    c.header_zh
    for c in schema.COMPLAINTS
    if c.name != "extracted_at" and c.name not in schema.SECTION7_COLUMNS["complaints"]
]
COMPLAINT_ROW = [
    "C001",
    "2026-10-05 14:30:00",
    "",
    "0101",
    "客服热线",
    "信用卡",
    "定价收费",
    "金卡",
    "K01",
    "67",
    "100.5",
    "年费",
    "处理中",
    "",
    "",
    "否",
    "",
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def complaints_csv(rows: list[list[str]] | None = None, headers: list[str] | None = None) -> str:
    rows = rows if rows is not None else [COMPLAINT_ROW]
    return "\n".join(",".join(r) for r in [headers or COMPLAINT_HEADERS_ZH, *rows]) + "\n"


# ------------------------------------------------------------------------------------------ CSV encodings
@pytest.mark.parametrize(
    "encoding, expected",
    [("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_encodings_with_chinese_headers(tmp_path, encoding, expected):
    ex = read_extract(write(tmp_path / "customers.csv", CUSTOMERS_ZH, encoding))
    assert ex.table == "customers_monthly"
    assert ex.encoding == expected
    assert ex.source_format == "csv"
    assert ex.frame["branch_code"].tolist() == ["0101", "0102"]  # leading zero kept
    assert ex.frame["customer_count"].tolist() == ["1200", "800"]  # still strings
    assert ex.frame["source_row"].tolist() == [1, 2]
    assert list(ex.frame.columns) == [c.name for c in schema.CUSTOMERS_MONTHLY] + ["source_row"]


def test_csv_gbk_complaint_values_survive(tmp_path):
    ex = read_extract(write(tmp_path / "c.csv", complaints_csv(), "gbk"))
    assert ex.table == "complaints"
    assert ex.frame.loc[0, "business_category"] == "信用卡"
    assert ex.frame.loc[0, "content"] == "年费"
    assert pd.isna(ex.frame.loc[0, "closed_at"])  # empty cell -> NA
    assert pd.isna(ex.frame.loc[0, "extracted_at"])  # absent optional column -> NA
    assert "extracted_at" not in ex.columns_present


def test_csv_other_delimiters(tmp_path):
    ex = read_extract(write(tmp_path / "c.txt", CUSTOMERS_ZH.replace(",", "\t")))
    assert ex.frame["branch_code"].tolist() == ["0101", "0102"]


def test_csv_blank_lines_skipped_and_row_numbers_kept(tmp_path):
    text = "\n机构代码,月份,客户数\n0101,2026-10,5\n\n0102,2026-10,6\n , ,\n0103,2026-10,7\n"
    ex = read_extract(write(tmp_path / "c.csv", text))
    assert ex.frame["branch_code"].tolist() == ["0101", "0102", "0103"]
    assert ex.frame["source_row"].tolist() == [1, 3, 5]
    assert any("已跳过 2 个空行" in w for w in ex.warnings)


def test_csv_quoted_fields_and_short_rows(tmp_path):
    text = '机构代码,机构名称,上级机构代码,机构层级,省份,城市\n0001,"总行,本部",,总行,北京,北京\n0101,"北京\n分行",0001,一级分行,北京\n'
    ex = read_extract(write(tmp_path / "b.csv", text))
    assert ex.frame["branch_name"].tolist() == ["总行,本部", "北京\n分行"]
    assert pd.isna(ex.frame.loc[1, "city"])  # short row padded with NA
    assert ex.frame["source_row"].tolist() == [1, 2]


def test_csv_carriage_returns_inside_narratives_keep_their_row(tmp_path):
    """F7: pandas' to_csv leaves a bare CR unquoted; the file's lines end in LF, so a CR is text. A CRLF
    file keeps a quoted bare CR inside its value as well."""
    texts = ["第一行\r\n第二行", "只有回车\r后面的内容", "只有换行\n后面的内容"]
    rows = [[f"C00{i}", *COMPLAINT_ROW[1:11], t, *COMPLAINT_ROW[12:]] for i, t in enumerate(texts, start=1)]
    pd.DataFrame(rows, columns=COMPLAINT_HEADERS_ZH).to_csv(tmp_path / "lf.csv", index=False)
    crlf = tmp_path / "crlf.csv"
    pd.DataFrame(rows, columns=COMPLAINT_HEADERS_ZH).to_csv(
        crlf, index=False, lineterminator="\r\n", quoting=1
    )  # csv.QUOTE_ALL
    for path in (tmp_path / "lf.csv", crlf):
        ex = read_extract(path)
        assert ex.frame["content"].tolist() == texts, path.name
        assert ex.frame["complaint_id"].tolist() == ["C001", "C002", "C003"]
        assert ex.frame["source_row"].tolist() == [1, 2, 3]
        assert validate(ex, {"0101"}).quarantine.empty


def test_csv_with_lines_ended_by_cr_alone_reads_every_row(tmp_path):
    """Hostile H66: classic Mac OS line ends (CR only) crashed the reader with a traceback."""
    rows = [[f"C00{i}", *COMPLAINT_ROW[1:]] for i in (1, 2)]
    text = "\r".join(",".join(r) for r in [COMPLAINT_HEADERS_ZH, *rows]) + "\r"
    path = tmp_path / "cr.csv"
    path.write_bytes(text.encode("utf-8"))
    ex = read_extract(path)
    assert ex.frame["complaint_id"].tolist() == ["C001", "C002"]
    assert ex.frame["content"].tolist() == [COMPLAINT_ROW[11]] * 2
    assert ex.frame["source_row"].tolist() == [1, 2]


@pytest.mark.parametrize("inside", ["\n", "\r\n", "\r"])
def test_csv_ended_by_cr_alone_keeps_a_quoted_line_break_inside_its_value(tmp_path, inside):
    """Hostile H75: a CR-ended file (Excel for Mac) with an Alt+Enter (LF) or CRLF inside a quoted narrative
    raised a csv traceback, or read as one line with no data rows."""
    texts = [f"第一行{inside}第二行", "没有换行"]
    rows = [[f"C00{i}", *COMPLAINT_ROW[1:11], t, *COMPLAINT_ROW[12:]] for i, t in enumerate(texts, start=1)]
    quoted = ['"' + '","'.join(r) + '"' for r in [COMPLAINT_HEADERS_ZH, *rows]]
    path = tmp_path / "cr_quoted.csv"
    path.write_bytes(("\r".join(quoted) + "\r").encode("utf-8"))
    ex = read_extract(path)
    assert ex.frame["complaint_id"].tolist() == ["C001", "C002"]
    assert ex.frame["source_row"].tolist() == [1, 2]
    kept = ex.frame["content"].tolist()
    assert kept[1] == "没有换行" and kept[0].startswith("第一行") and kept[0].endswith("第二行")
    assert kept[0][3:-3] in ("\n", "\r\n")  # the value's line break, as LF (a lone CR was a line end)


def test_a_csv_cut_inside_a_quoted_value_is_refused_naming_the_line_and_the_record(tmp_path):
    """Hostile H78: a file cut inside a quoted narrative (a truncated export) was refused with pandas'
    English "EOF inside string starting at row 2068". Record 3 starts on line 5: record 2's narrative
    holds a line break."""
    rows = [
        [f"C00{i}", *COMPLAINT_ROW[1:11], f"第{i}条\n两行" if i == 2 else "一行", *COMPLAINT_ROW[12:]] for i in (1, 2)
    ]
    whole = pd.DataFrame(rows, columns=COMPLAINT_HEADERS_ZH).to_csv(index=False, quoting=1)
    cut = whole + '"C003","2026-10-05 09:00:00","' + '","'.join(COMPLAINT_ROW[2:11]) + '","这条投诉内容被截断'
    path = tmp_path / "cut.csv"
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(ExtractError) as caught:
        read_extract(path)
    message = str(caught.value)
    assert "第 5 行（第 3 条记录）开始的引号直到文件末尾都没有闭合" in message and "被截断" in message
    assert "EOF" not in message


# ------------------------------------------------------------------------------------------- Excel, Parquet
def test_xlsx_first_sheet_text_codes_and_typed_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户数"
    ws.append(["机构代码", "月份", "客户数"])
    ws.append(["0101", dt.datetime(2026, 10, 1), 1200])
    ws.append(["0102", "2026-11", 800.0])
    wb.create_sheet("说明").append(["不读这里"])
    path = tmp_path / "c.xlsx"
    wb.save(path)
    ex = read_extract(path)
    assert ex.source_format == "xlsx"
    assert ex.frame["branch_code"].tolist() == ["0101", "0102"]
    assert ex.frame["month"].tolist() == ["2026-10-01 00:00:00", "2026-11"]
    assert ex.frame["customer_count"].tolist() == ["1200", "800"]  # no '.0'
    assert any("第一个工作表" in w for w in ex.warnings)


def test_xlsx_title_rows_above_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年10月 机构表"])
    ws.append([])
    for line in BRANCHES_ZH.strip().split("\n"):
        ws.append(line.split(","))
    path = tmp_path / "b.xlsx"
    wb.save(path)
    ex = read_extract(path)
    assert ex.table == "branches"
    assert ex.frame["branch_code"].tolist() == ["0001", "0101"]
    assert ex.frame["source_row"].tolist() == [1, 2]


def test_xlsx_complaint_serial_dates_and_booleans(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COMPLAINT_HEADERS_ZH)
    row = list(COMPLAINT_ROW)
    row[1], row[9], row[15] = 46300.5, 67, True
    ws.append(row)
    path = tmp_path / "c.xlsx"
    wb.save(path)
    ex = read_extract(path)
    assert ex.frame.loc[0, "received_at"] == "46300.5"
    assert ex.frame.loc[0, "customer_age"] == "67"
    assert ex.frame.loc[0, "regulator_referred"] == "true"
    v = validate(ex, {"0101"})
    assert v.clean.loc[0, "received_at"] == pd.Timestamp("2026-10-05 12:00")
    assert bool(v.clean.loc[0, "regulator_referred"]) is True


def test_parquet_typed_columns_become_text(tmp_path):
    table = pa.table(
        {
            "complaint_id": ["C1", "C2"],
            "received_at": pa.array([dt.datetime(2026, 10, 5, 14, 30), dt.datetime(2026, 10, 6)], pa.timestamp("us")),
            "closed_at": pa.array([dt.datetime(2026, 10, 6, 6, 0), None], pa.timestamp("ms", tz="UTC")),
            "branch_code": ["0101", "0102"],
            "channel": pa.array(["客服热线", "网点现场"]).dictionary_encode(),
            "business_category": ["信用卡", "借记卡"],
            "reason": ["定价收费", "其他"],
            "customer_id": ["K1", "K2"],
            "customer_age": pa.array([35.0, None]),  # an Int column with NA, saved as float
            "amount": pa.array([5000, 12], pa.int64()),
            "status": ["已办结", "处理中"],
            "regulator_referred": [True, False],
            "extracted_at": pa.array([dt.date(2026, 10, 31), dt.date(2026, 10, 31)]),
        }
    )
    path = tmp_path / "c.parquet"
    pq.write_table(table, path)
    ex = read_extract(path)
    f = ex.frame
    assert ex.source_format == "parquet"
    assert f["branch_code"].tolist() == ["0101", "0102"]
    assert f["received_at"].tolist() == ["2026-10-05 14:30:00", "2026-10-06 00:00:00"]
    assert f.loc[0, "closed_at"] == "2026-10-06 14:00:00"  # UTC -> Asia/Shanghai, naive
    assert pd.isna(f.loc[1, "closed_at"])
    assert f["channel"].tolist() == ["客服热线", "网点现场"]
    assert f.loc[0, "customer_age"] == "35" and pd.isna(f.loc[1, "customer_age"])
    assert f["amount"].tolist() == ["5000", "12"]
    assert f["regulator_referred"].tolist() == ["true", "false"]
    assert f["extracted_at"].tolist() == ["2026-10-31", "2026-10-31"]
    assert all(f[c].dtype == "str" for c in f.columns if c != "source_row")
    v = validate(ex, {"0101", "0102"})
    assert len(v.clean) == 2 and v.quarantine.empty
    assert v.clean.loc[0, "closed_at"] == pd.Timestamp("2026-10-06 14:00")


def test_parquet_int_codes_cannot_have_zero_but_string_codes_do(tmp_path):
    path = tmp_path / "b.parquet"
    pd.DataFrame({"branch_code": ["0101"], "month": ["2026-10"], "customer_count": [5]}).to_parquet(path)
    assert read_extract(path).frame.loc[0, "branch_code"] == "0101"


# ------------------------------------------------------------------------------------------------ headers
@pytest.mark.parametrize(
    "text, table",
    [
        (CUSTOMERS_ZH, "customers_monthly"),
        (BRANCHES_ZH, "branches"),
        (complaints_csv(), "complaints"),
        ("branch_code,month,customer_count\n0101,2026-10,5\n", "customers_monthly"),
        ("BRANCH_CODE, Branch Name ,parent_code,level,province\n0001,总行,,总行,北京\n", "branches"),
    ],
)
def test_table_recognised_from_headers(tmp_path, text, table):
    assert read_extract(write(tmp_path / "x.csv", text)).table == table


def test_english_headers_case_whitespace_and_bom(tmp_path):
    headers = ["\ufeff Complaint_ID", "RECEIVED_AT", "closed at"] + [c.name for c in schema.COMPLAINTS[3:17]]
    ex = read_extract(write(tmp_path / "x.csv", complaints_csv(headers=headers)))
    assert ex.table == "complaints"
    assert ex.frame.loc[0, "complaint_id"] == "C001"


def test_unit_suffix_in_header_tolerated(tmp_path):
    headers = list(COMPLAINT_HEADERS_ZH)
    headers[10] = "涉及金额（元）"
    ex = read_extract(write(tmp_path / "x.csv", complaints_csv(headers=headers)))
    assert ex.frame.loc[0, "amount"] == "100.5"


def test_complaints_win_when_ambiguous_and_extra_columns_warned(tmp_path):
    headers = COMPLAINT_HEADERS_ZH + ["机构名称", "机构层级", "省份", "经办人"]
    row = COMPLAINT_ROW + ["北京分行", "一级分行", "北京", "张三"]
    ex = read_extract(write(tmp_path / "x.csv", complaints_csv([row], headers)))
    assert ex.table == "complaints"
    assert len(ex.warnings) == 1
    assert "已忽略" in ex.warnings[0] and "经办人" in ex.warnings[0] and "机构名称" in ex.warnings[0]


def test_missing_required_columns_listed_in_both_names(tmp_path):
    headers = [h for h in COMPLAINT_HEADERS_ZH if h not in ("受理时间", "客户号")]
    row = [v for h, v in zip(COMPLAINT_HEADERS_ZH, COMPLAINT_ROW) if h not in ("受理时间", "客户号")]
    with pytest.raises(ExtractError) as err:
        read_extract(write(tmp_path / "x.csv", complaints_csv([row], headers)))
    msg = str(err.value)
    assert "缺少必填列" in msg and "受理时间(received_at)" in msg and "客户号(customer_id)" in msg
    assert "x.csv" in msg


def test_duplicate_header_refused(tmp_path):
    text = "机构代码,月份,客户数,branch_code\n0101,2026-10,5,0102\n"
    with pytest.raises(ExtractError, match="出现了多次"):
        read_extract(write(tmp_path / "x.csv", text))


@pytest.mark.parametrize("text", ["a,b,c\n1,2,3\n", "0101,2026-10,5\n0102,2026-10,6\n"])
def test_random_csv_or_no_header_row_refused(tmp_path, text):
    with pytest.raises(ExtractError, match="表头无法识别"):
        read_extract(write(tmp_path / "x.csv", text))


# ------------------------------------------------------------------------------------------ file errors
def test_empty_and_header_only_files(tmp_path):
    with pytest.raises(ExtractError, match="为空"):
        read_extract(write(tmp_path / "empty.csv", ""))
    with pytest.raises(ExtractError, match="没有数据行"):
        read_extract(write(tmp_path / "h.csv", "机构代码,月份,客户数\n"))
    with pytest.raises(ExtractError, match="不存在"):
        read_extract(tmp_path / "nope.csv")


def test_utf16_file_refused(tmp_path):
    with pytest.raises(ExtractError) as err:
        read_extract(write(tmp_path / "u.csv", CUSTOMERS_ZH, "utf-16"))
    assert "UTF-16" in str(err.value) and "GBK/GB18030" in str(err.value) and "u.csv" in str(err.value)


def test_binary_file_refused(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    with pytest.raises(ExtractError, match="已尝试 UTF-8"):
        read_extract(path)


def test_undecodable_without_nul_refused(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes("机构代码,月份,客户数\n".encode() + b"\x81\x20\xff\xfe,x,y\n")
    with pytest.raises(ExtractError, match="编码无法识别"):
        read_extract(path)


def test_truncated_parquet_refused(tmp_path):
    good = tmp_path / "good.parquet"
    pd.DataFrame(
        {"branch_code": ["0101"] * 500, "month": ["2026-10"] * 500, "customer_count": list(range(500))}
    ).to_parquet(good)
    data = good.read_bytes()
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractError) as err:
        read_extract(cut)
    assert "文件 cut.parquet 无法读取（文件可能已损坏或不完整）" in str(err.value)


def test_corrupt_xlsx_and_old_xls_refused(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ExtractError, match="无法读取"):
        read_extract(bad)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(100))
    with pytest.raises(ExtractError, match=r"\.xlsx"):
        read_extract(old)


def test_ragged_csv_refused(tmp_path):
    with pytest.raises(ExtractError, match="多于表头"):
        read_extract(write(tmp_path / "r.csv", "机构代码,月份,客户数\n0101,2026-10,5,9\n"))


def _short(row: list[str], drop: int | None = None) -> str:
    """A CSV line of `row` without the field at `drop` (a value left out: the rest moves left), or, with
    no `drop`, with its trailing empty fields left out as some exporters write them."""
    if drop is not None:
        return ",".join(row[:drop] + row[drop + 1 :])
    fields = list(row)
    while fields and fields[-1] == "":
        fields.pop()
    return ",".join(fields)


def test_csv_rows_without_their_trailing_empty_fields_load_as_the_full_rows(tmp_path):
    # hostile H229's caution: an exporter leaving out trailing empty fields writes every row short; read
    # as the same rows written in full
    rows = [list(COMPLAINT_ROW) for _ in range(2)]
    rows[1][0] = "C002"
    header = ",".join(COMPLAINT_HEADERS_ZH)
    short = write(tmp_path / "short.csv", "\n".join([header, *(_short(r) for r in rows)]) + "\n")
    assert all(_short(r).count(",") == len(COMPLAINT_HEADERS_ZH) - 2 for r in rows)  # 16 fields of 17
    full = write(tmp_path / "full.csv", complaints_csv(rows))
    got, expected = validate(read_extract(short), {"0101"}), validate(read_extract(full), {"0101"})
    assert got.quarantine.empty and expected.quarantine.empty
    pd.testing.assert_frame_equal(got.clean, expected.clean)


def test_csv_rows_with_a_value_left_out_are_quarantined_naming_the_field_count(tmp_path):
    # hostile H229: a value left out moves the rest one column to the left; the reason names that cause
    # first. Row 2 lost 业务类别 (its last field, 根本原因, is empty: never what an exporter leaving out
    # trailing empties writes); row 3 lost 客户年龄 and its trailing empty field (its values no longer
    # fit); row 4 only its trailing empty field (kept)
    age = COMPLAINT_HEADERS_ZH.index("客户年龄")
    rows = [list(COMPLAINT_ROW) for _ in range(4)]
    for i, row in enumerate(rows):
        row[0] = f"C00{i + 1}"
    lines = [
        ",".join(rows[0]),
        _short(rows[1], drop=5),
        _short(rows[2][:age] + rows[2][age + 1 :]),
        _short(rows[3]),
    ]
    text = "\n".join([",".join(COMPLAINT_HEADERS_ZH), *lines]) + "\n"
    v = validate(read_extract(write(tmp_path / "c.csv", text)), {"0101"})
    assert v.clean["complaint_id"].tolist() == ["C001", "C004"]
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert reasons[2] == "字段数少于表头（16 个，表头 17 个），其后各列的值可能错位"
    assert reasons[3].startswith("字段数少于表头（15 个，表头 17 个），其后各列的值可能错位；")


def test_a_csv_whose_every_row_has_a_value_left_out_is_refused_like_a_longer_row(tmp_path):
    rows = [list(COMPLAINT_ROW) for _ in range(3)]
    for i, row in enumerate(rows):
        row[0] = f"C00{i + 1}"
    text = "\n".join([",".join(COMPLAINT_HEADERS_ZH), *(_short(r, drop=5) for r in rows)]) + "\n"
    ex = read_extract(write(tmp_path / "c.csv", text))
    with pytest.raises(ExtractError, match="每个数据行的字段都少于表头（如第 1 行有 16 个字段，表头有 17 个）"):
        validate(ex, {"0101"})


# ------------------------------------------------------------------------------------------ mapping files
TOML_MAPPING = """
table = "complaints"
[headers]
complaint_id = "工单号"
"受理时间" = "受理日期"
[values.channel]
"01" = "客服热线"
"电话" = "客服热线"
[values.regulator_referred]
Y = "是"
N = "否"
[dates]
received_at = "%d-%m-%Y"
"""

YAML_MAPPING = """
headers:
  complaint_id: 工单号
  received_at: 受理日期
values:
  channel:
    01: 客服热线
    电话: 客服热线
  regulator_referred: {Y: 是, N: 否}
dates:
  received_at: day_first
"""

SOURCE = (
    "工单号,受理日期,被投诉机构代码,投诉渠道,业务类别,投诉原因,客户号,处理状态,是否监管转办,经办人\n"
    "A1,05-10-2026,0101,01,信用卡,定价收费,K1,已受理,y,张三\n"
    "A2,06-10-2026,0101,电话,信用卡,定价收费,K1,已受理, N ,李四\n"
    "A3,2026-10-07,0101,短信,信用卡,定价收费,K1,已受理,是,\n"
)


@pytest.mark.parametrize("name, text", [("m.toml", TOML_MAPPING), ("m.yaml", YAML_MAPPING), ("m.yml", YAML_MAPPING)])
def test_mapping_headers_values_and_dates(tmp_path, name, text):
    mapping = load_mapping(write(tmp_path / name, text))
    assert mapping.headers == {"complaint_id": "工单号", "received_at": "受理日期"}
    assert mapping.values["channel"] == {"01": "客服热线", "电话": "客服热线"}  # YAML 01 stays "01"
    mapping.accept_unmapped = True  # one row of three unmapped on purpose (above max_unmapped_share)
    ex = read_extract(write(tmp_path / "src.csv", SOURCE), mapping)
    assert ex.table == "complaints"
    assert ex.frame["channel"].tolist() == ["01", "电话", "短信"]  # frame keeps source values
    v = validate(ex, {"0101"})
    assert v.clean["complaint_id"].tolist() == ["A1", "A2"]
    assert v.clean["channel"].tolist() == ["客服热线", "客服热线"]
    assert v.clean["received_at"].tolist() == [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-06")]
    assert v.clean["regulator_referred"].tolist() == [True, False]  # 'y' mapped ignoring case
    assert v.quarantine[REASON_COLUMN].tolist() == ["投诉渠道取值不在合同枚举内：短信"]
    assert v.quarantine["channel"].tolist() == ["短信"]


def test_mapping_table_forced_and_missing_mapped_header(tmp_path):
    mapping = load_mapping(write(tmp_path / "m.toml", 'table = "月度客户数"\n[headers]\nmonth = "统计月"\n'))
    assert mapping.table == "customers_monthly"
    with pytest.raises(ExtractError) as err:
        read_extract(write(tmp_path / "x.csv", "机构代码,客户数\n0101,5\n"), mapping)
    assert "月份(month)" in str(err.value) and "统计月" in str(err.value)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('tables = "complaints"\n', "无法识别的配置项"),
        ('table = "orders"\n', "无法识别"),
        ('[headers]\nfoo = "x"\n', "foo"),
        ('[values.channel]\n"01" = "客服电话"\n', "不在合同枚举内"),
        ('[values.regulator_referred]\nY = "也许"\n', "是"),
        ('[dates]\nreceived_at = "dd-mm-yyyy"\n', "day_first"),
        ('[dates]\nchannel = "day_first"\n', "不是日期列"),
        ("[headers\n", "不是有效的 TOML"),
    ],
)
def test_bad_mapping_files_refused(tmp_path, text, fragment):
    with pytest.raises(ExtractError, match=fragment):
        load_mapping(write(tmp_path / "m.toml", text))


def test_bad_yaml_and_extension(tmp_path):
    with pytest.raises(ExtractError, match="YAML"):
        load_mapping(write(tmp_path / "m.yaml", "headers: [a, b\n"))
    with pytest.raises(ExtractError, match="扩展名"):
        load_mapping(write(tmp_path / "m.json", "{}"))


def _formula_extract(path: Path, cached: str | None = None) -> Path:
    """A complaints sheet whose 投诉内容 and 受理时间 of row 2 are formulas, as a program writes them (no saved
    result); with `cached`, the narrative formula carries a saved result as Excel would store it."""
    import zipfile

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COMPLAINT_HEADERS_ZH)
    content = COMPLAINT_HEADERS_ZH.index(next(c.header_zh for c in schema.COMPLAINTS if c.name == "content"))
    first = list(COMPLAINT_ROW)
    first[0] = "C001"
    second = list(COMPLAINT_ROW)
    second[0], second[1], second[content] = "C002", "=DATE(2026,10,5)", '=CONCATENATE("公式","注入")'
    ws.append(first)
    ws.append(second)
    wb.save(path)
    if cached is not None:  # rewrite the narrative formula's empty <v /> as a saved string result
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        old = '<f>CONCATENATE("公式","注入")</f><v /></c>'
        assert old in xml
        xml = xml.replace(old, f'<f>CONCATENATE("公式","注入")</f><v>{cached}</v></c>')
        parts["xl/worksheets/sheet1.xml"] = xml.replace(
            f'><f>CONCATENATE("公式","注入")</f><v>{cached}', f' t="str"><f>CONCATENATE("公式","注入")</f><v>{cached}'
        ).encode()
        with zipfile.ZipFile(path, "w") as z:
            for n, data in parts.items():
                z.writestr(n, data)
    return path


def test_xlsx_formula_cells_without_a_saved_result_are_read_as_their_text_and_said(tmp_path):
    # hostile H26: such cells were read as empty, silently: the narrative lost, a date quarantined as 为空
    ex = read_extract(_formula_extract(tmp_path / "formula.xlsx"))
    assert ex.frame.loc[1, "content"] == '=CONCATENATE("公式","注入")'
    assert ex.frame.loc[1, "received_at"] == "=DATE(2026,10,5)"
    notes = [w for w in ex.warnings if "公式" in w]
    assert len(notes) == 1 and "2 个公式单元格" in notes[0] and "2 个没有保存的计算结果" in notes[0]
    # the cells as Excel names them: header in row 1, C001 in row 2, C002 in row 3 (hostile H117: B2 …)
    content = COMPLAINT_HEADERS_ZH.index(next(c.header_zh for c in schema.COMPLAINTS if c.name == "content"))
    content_cell = openpyxl.utils.get_column_letter(content + 1)
    assert f"（B3、{content_cell}3）" in notes[0]
    v = validate(ex, {"0101"})
    assert v.clean["complaint_id"].tolist() == ["C001"]  # the date formula cannot be a date: quarantined,
    reason = v.quarantine.loc[v.quarantine["complaint_id"] == "C002", REASON_COLUMN].iloc[0]
    assert "=DATE(2026,10,5)" in reason and "为空" not in reason  # naming what the cell held


def test_xlsx_formula_in_the_id_is_quarantined_as_a_formula_and_a_formula_narrative_kept(tmp_path):
    # hostile H230: 投诉编号 =CONCAT("X","9") (never computed) was stored as the id of a complaint. openpyxl
    # writes formulas without a saved result, as the finding's file had
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COMPLAINT_HEADERS_ZH)
    content = COMPLAINT_HEADERS_ZH.index(next(c.header_zh for c in schema.COMPLAINTS if c.name == "content"))
    rows = [list(COMPLAINT_ROW) for _ in range(3)]
    rows[0][0] = "C001"
    rows[1][0] = '=CONCAT("X","9")'
    rows[2][0], rows[2][content] = "C003", '=HYPERLINK("http://x","点击")'
    for row in rows:
        ws.append(row)
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    ex = read_extract(path)
    content_cell = openpyxl.utils.get_column_letter(content + 1)
    (note,) = [w for w in ex.warnings if "公式" in w]
    assert (
        "2 个没有保存的计算结果" in note and f"（A3、{content_cell}4）" in note
    )  # the id in row 3, the narrative in row 4, as Excel names them
    v = validate(ex, {"0101"})
    assert v.clean["complaint_id"].tolist() == ["C001", "C003"]  # the narrative formula stays: exports neutralise it
    assert v.clean.loc[v.clean["complaint_id"] == "C003", "content"].iloc[0] == '=HYPERLINK("http://x","点击")'
    (reason,) = v.quarantine[REASON_COLUMN].tolist()
    assert reason.startswith("投诉编号是公式文本") and '=CONCAT("X","9")' in reason and "；" not in reason


def test_csv_ids_that_are_formula_text_are_quarantined_naming_the_column_and_a_text_wrapper_is_not(tmp_path):
    # hostile H230, the CSV side: an id =… is what Excel would compute, not a number; ="C004" is the exporters'
    # text wrapper and stays C004. The fields are quoted as a CSV writer quotes a comma and a quote
    customer = COMPLAINT_HEADERS_ZH.index("客户号")
    rows = [list(COMPLAINT_ROW) for _ in range(4)]
    rows[0][0] = "C001"
    rows[1][0] = '"=CONCAT(""X"",""9"")"'
    rows[2][0], rows[2][customer] = "C003", "=K0+1"
    rows[3][0] = '"=""C004"""'
    v = validate(read_extract(write(tmp_path / "c.csv", complaints_csv(rows))), {"0101"})
    assert v.clean["complaint_id"].tolist() == ["C001", "C004"]
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert reasons == {
        2: '投诉编号是公式文本（以 = 开头），不是编号：=CONCAT("X","9")',
        3: "客户号是公式文本（以 = 开头），不是编号：=K0+1",
    }


def test_a_branch_code_that_is_formula_text_is_quarantined_and_its_children_with_it(tmp_path):
    text = BRANCHES_ZH + "=A1,广州分行,0001,一级分行,广东,广州\n0201,天河支行,=A1,支行,广东,广州\n"
    v = validate(read_extract(write(tmp_path / "b.csv", text)), set())
    assert v.clean["branch_code"].tolist() == ["0001", "0101"]
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert reasons[3] == "机构代码是公式文本（以 = 开头），不是编号：=A1"
    assert reasons[4].startswith("上级机构代码是公式文本（以 = 开头），不是编号：=A1")


def test_xlsx_formula_cells_with_a_saved_result_read_that_result(tmp_path):
    ex = read_extract(_formula_extract(tmp_path / "cached.xlsx", cached="公式注入"))
    assert ex.frame.loc[1, "content"] == "公式注入"
    assert ex.frame.loc[1, "received_at"] == "=DATE(2026,10,5)"  # the other formula still has none
    (note,) = [w for w in ex.warnings if "公式" in w]
    assert "2 个公式单元格" in note and "1 个没有保存的计算结果" in note


def test_xlsx_without_formulas_says_nothing_about_them(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COMPLAINT_HEADERS_ZH)
    ws.append(COMPLAINT_ROW)
    wb.save(tmp_path / "plain.xlsx")
    assert not [w for w in read_extract(tmp_path / "plain.xlsx").warnings if "公式" in w]


def test_a_file_of_two_encodings_is_refused_naming_the_line(tmp_path):
    # hostile H28: one GBK line among UTF-8 ones (two exports pasted together) was refused without saying where
    lines = complaints_csv([COMPLAINT_ROW] * 5).splitlines(keepends=True)
    raw = b"".join(line.encode("gbk" if at == 3 else "utf-8") for at, line in enumerate(lines))  # line 4
    path = tmp_path / "mixed.csv"
    path.write_bytes(raw)
    with pytest.raises(ExtractError, match=r"按 UTF-8 第 4 行（第 [\d,]+ 字节）无法解码"):
        read_extract(path)


@pytest.mark.parametrize(
    "name, body",
    [
        ("c.json", '[{"投诉编号": "TS1", "受理时间": 1792480861000}]'),
        ("c.txt", '\ufeff  {"投诉编号": "TS1"}\n{"投诉编号": "TS2"}\n'),  # JSON lines under another name
        ("c.xml", '<?xml version="1.0"?><rows/>'),
    ],
)
def test_json_and_xml_are_refused_as_a_format_not_as_a_header(tmp_path, name, body):
    # hostile H58: read as a one-column CSV, refused as 表头无法识别 with the first line quoted
    path = write(tmp_path / name, body)
    with pytest.raises(ExtractError, match="格式不受支持") as refused:
        read_extract(path)
    assert "表头" not in str(refused.value)


# ------------------------------------------------------------------------------------------ H68, H80, H94
def test_csv_title_lines_above_the_header_are_skipped_and_said(tmp_path):
    """Hostile H68: 报表名称 and 导出时间 lines above the CSV header (fewer fields than the header)."""
    text = "报表名称：机构表\n导出时间：2026-11-01 08:00\n" + BRANCHES_ZH
    ex = read_extract(write(tmp_path / "b.csv", text))
    assert ex.table == "branches"
    assert ex.frame["branch_code"].tolist() == ["0001", "0101"] and ex.frame["source_row"].tolist() == [1, 2]
    (note,) = [w for w in ex.warnings if "表头位于第 3 行" in w]
    assert "第 1—2 行" in note


def test_csv_without_a_header_in_its_first_10_lines_is_still_refused(tmp_path):
    text = "".join(f"说明 {i}\n" for i in range(10)) + BRANCHES_ZH
    with pytest.raises(ExtractError, match="表头无法识别"):
        read_extract(write(tmp_path / "b.csv", text))


def _sheet(wb, title, rows, state="visible"):
    ws = wb.create_sheet(title)
    for r in rows:
        ws.append(r)
    ws.sheet_state = state
    return ws


def _branch_rows():
    return [line.split(",") for line in BRANCHES_ZH.strip().split("\n")]


def test_xlsx_cover_sheet_before_the_data_sheet(tmp_path):
    """Hostile H68: a 封面 sheet (title, date, no header) before the data sheet: the first sheet with a header
    is read, and the summary says which."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _sheet(wb, "封面", [["2026年10月机构表"], ["导出时间", "2026-11-01"]])
    _sheet(wb, "机构", _branch_rows())
    path = tmp_path / "b.xlsx"
    wb.save(path)
    ex = read_extract(path)
    assert ex.table == "branches" and ex.frame["branch_code"].tolist() == ["0001", "0101"]
    assert any("读取了工作表“机构”" in w and "封面" in w for w in ex.warnings), ex.warnings


def test_xlsx_hidden_first_sheet_is_skipped_and_said(tmp_path):
    """Hostile H80: a hidden first sheet (an old version of the data) was imported."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    old = [r if i == 0 else [r[0].replace("0101", "9999"), *r[1:]] for i, r in enumerate(_branch_rows())]
    _sheet(wb, "旧数据", old, state="hidden")
    _sheet(wb, "机构", _branch_rows())
    path = tmp_path / "b.xlsx"
    wb.save(path)
    ex = read_extract(path)
    assert ex.frame["branch_code"].tolist() == ["0001", "0101"]
    assert any("隐藏" in w and "旧数据" in w for w in ex.warnings), ex.warnings


def test_xlsx_with_only_hidden_sheets_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _sheet(wb, "数据", _branch_rows(), state="hidden")
    _sheet(wb, "空", [])
    wb.active = 1
    path = tmp_path / "b.xlsx"
    wb.save(path)
    with pytest.raises(ExtractError):
        read_extract(path)


def test_xlsx_1904_date_system_serial_dates(tmp_path):
    """Hostile H94: a Mac Excel workbook (date1904) whose 受理时间 cells hold serial numbers was read 4 years and
    a day off. In the 1904 system serial 44_842.604166… is 2026-10-05 14:30 (1904-01-01 + 44,842 days: by hand,
    the 1900 system's 46,300 for that day less 1,462); a date-typed cell was already right and stays right."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(COMPLAINT_HEADERS_ZH)
    first, second = list(COMPLAINT_ROW), list(COMPLAINT_ROW)
    first[1] = 46300 - 1462 + 14.5 / 24
    second[0], second[1] = "C002", dt.datetime(2026, 10, 5, 14, 30)
    ws.append(first)
    ws.append(second)
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    assert openpyxl.load_workbook(path).epoch == CALENDAR_MAC_1904
    ex = read_extract(path)
    v = validate(ex, {"0101"})
    assert v.clean["received_at"].tolist() == [pd.Timestamp("2026-10-05 14:30")] * 2


def test_ids_starting_with_plus_minus_or_at_are_formula_text_and_a_customer_phone_is_not(tmp_path):
    # hostile H247: + - @ start a formula as = does (exports neutralise them, the store kept them as ids). A
    # customer number may be a phone in the international form: + and digits (spaces, hyphens) passes
    customer = COMPLAINT_HEADERS_ZH.index("客户号")
    ids = ["C001", "\"+1+cmd|' /C calc'!A0\"", "@SUM(1+1)", "-1+1", "C005", "C006", "C007", "C008", "C009"]
    customers = ["K1", "K1", "K1", "K1", "+86 138-0000-0000", "+8613800000000", "+1+cmd", "@A1", "-2+3"]
    rows = [list(COMPLAINT_ROW) for _ in ids]
    for row, cid, kid in zip(rows, ids, customers):
        row[0], row[customer] = cid, kid
    v = validate(read_extract(write(tmp_path / "f.csv", complaints_csv(rows))), {"0101"})
    assert v.clean["complaint_id"].tolist() == ["C001", "C005", "C006"]
    assert v.clean["customer_id"].tolist() == ["K1", "+86 138-0000-0000", "+8613800000000"]
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert reasons == {
        2: "投诉编号是公式文本（以 + 开头），不是编号：+1+cmd|' /C calc'!A0",
        3: "投诉编号是公式文本（以 @ 开头），不是编号：@SUM(1+1)",
        4: "投诉编号是公式文本（以 - 开头），不是编号：-1+1",
        7: "客户号是公式文本（以 + 开头），不是编号：+1+cmd",
        8: "客户号是公式文本（以 @ 开头），不是编号：@A1",
        9: "客户号是公式文本（以 - 开头），不是编号：-2+3",
    }


def test_branch_codes_starting_with_plus_minus_or_at_are_formula_text(tmp_path):
    text = BRANCHES_ZH + "+0001,广州分行,0001,一级分行,广东,广州\n0201,天河支行,@A1,支行,广东,广州\n"
    v = validate(read_extract(write(tmp_path / "b.csv", text)), set())
    assert v.clean["branch_code"].tolist() == ["0001", "0101"]
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert reasons[3] == "机构代码是公式文本（以 + 开头），不是编号：+0001"
    assert reasons[4].startswith("上级机构代码是公式文本（以 @ 开头），不是编号：@A1")
