"""Reading one extract file (Parquet, CSV, .xlsx) into canonical columns of strings.

Every value is kept as text, exactly as the file holds it (codes keep their leading zeros); typing and
checking is validate.py's job. Typed Parquet and Excel cells are turned into text the way a person would
write them: integers without '.0', booleans as 'true'/'false', timestamps as 'YYYY-MM-DD HH:MM:SS'
(time-zone aware ones converted to Asia/Shanghai local time first). Empty cells become NA.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dashboard import config, schema
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.headers import Recognition, clean_header, label, recognise, refuse_other_units, two_row_header
from dashboard.ingest.mapping import NO_CUSTOMER_PREFIX, Mapping
from dashboard.text.masking import mask as mask_text

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads plain UTF-8
_ENCODING_NAMES = "UTF-8、UTF-8（带 BOM）、GBK/GB18030"
_ENCODING_LABELS = {"utf-8-sig": "UTF-8", "gb18030": "GBK/GB18030"}
_HEADER_SEARCH_ROWS = 10  # xlsx: title rows above the header are skipped
_HEADER_WRAP_LINES = 5  # lines a header line may be wrapped over by line breaks inside its cells
_MAX_ROWS_LISTED = 10
_EXCEL_MAX_ROWS = 1_048_576  # what Excel itself can hold in a sheet (the header included)
_XLSX_CHUNK = 50_000  # xlsx rows gathered as Python values before compacting to Arrow
# Excel keeps 15 significant digits of a number: an id of 16 digits or more saved as a number cell (or as a
# float in Parquet) has lost its last digits, and ids that differed only there became one (hostile H142).
ID_NUMBER_LIMIT = 10**15
_LONG_IDS_SHOWN = 5


@dataclass
class Extract:
    """One extract file read into canonical columns.

    `frame` has every column of the table's contract in schema order (columns absent from the file are
    all NA; `columns_present` says which were there) plus 'source_row', the 1-based data-row number in the
    file (the header is not counted). Values are the file's text, untrimmed, NA where empty.
    """

    path: Path
    table: str
    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    columns_present: list[str] = field(default_factory=list)
    source_format: str = ""  # 'parquet' | 'csv' | 'xlsx'
    encoding: str | None = None  # CSV only: 'utf-8-sig' or 'gb18030'
    mapping: Mapping | None = None  # the mapping used to read it; validate() reuses it by default
    # CSV only: data rows with fewer fields than the header (source_row -> (fields, last field empty)), which
    # the parser pads with empty values, and the header's field count; validate() judges them
    short_rows: dict[int, tuple[int, bool]] = field(default_factory=dict)
    header_fields: int = 0

    @property
    def rows(self) -> int:
        return len(self.frame)


# --------------------------------------------------------------------------------------- file formats
def _detect_format(path: Path, head: bytes) -> str:
    name = path.name
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractError(
            f"文件 {name} 是旧版 Excel（.xls）或已加密的 Office 文件，无法读取。"
            f"请在 Excel 中另存为 .xlsx（不加密）或 CSV 后再导入。"
        )
    ext = path.suffix.lower()
    if ext in (".parquet", ".pq", ".parq"):
        return "parquet"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if ext in (".json", ".jsonl", ".ndjson", ".xml") or stripped.startswith((b"[{", b"{", b"<?xml")):
        # read as a one-column CSV it was refused as 表头无法识别, quoting the first line (hostile H58)
        raise ExtractError(
            f"文件 {name} 的格式不受支持（看起来是 {'XML' if stripped.startswith(b'<') else 'JSON'}）："
            "请提供 Parquet、CSV 或 Excel（.xlsx）格式的提取文件。"
        )
    return "csv"


def _long_number_ids(name: str, table: str, found: dict[str, tuple[int, list[str]]]) -> ExtractError:
    """The refusal of a file whose ids were saved as numbers of more than 15 digits. `found`: id column ->
    (how many cells, the first few as 'where value')."""
    parts = [
        f"{label(table, c)} {n:,} 个（{'、'.join(shown)}{' 等' if n > len(shown) else ''}）"
        for c, (n, shown) in found.items()
    ]
    return ExtractError(
        f"文件 {name} 中的编号以数字保存且超过 15 位：{'；'.join(parts)}。数字只保留 15 位有效数字，超出的位数已丢失，"
        "不同的编号可能变成了同一个，无法从文件中恢复原编号。本次导入未做任何改动。"
        "请把这些列设为文本格式后重新导出（在 Excel 中先把列设为“文本”再粘贴或导入数据），"
        "或直接从源系统导出 CSV（不要用 Excel 打开后另存）。"
    )


# A month saved as a number: 2026.10 and 2026.1 are one number (no trailing zero is kept), so ".1" may be
# October or January (hostile H148). 2026.11 or 2026.05 say one month.
_AMBIGUOUS_MONTH = re.compile(r"\d{4}\.1")


def _ambiguous_months(name: str, table: str, column: str, count: int, shown: list[str]) -> ExtractError:
    more = " 等" if count > len(shown) else ""
    return ExtractError(
        f"文件 {name} 的{label(table, column)}有 {count:,} 个以数字保存、无法判断月份的值（{'、'.join(shown)}{more}）："
        "数字 2026.10 与 2026.1 是同一个数（数字不保留末尾的 0），可能是 10 月，也可能是 1 月。本次导入未做任何改动。"
        "请把月份列设为文本格式并写成 2026-10 或 2026年10月（或直接从源系统导出 CSV）后重新导入。"
    )


def _corrupt(name: str, exc: Exception) -> ExtractError:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ExtractError(f"文件 {name} 无法读取（文件可能已损坏或不完整）：{detail}")


# Limits (config.IMPORT_*, docs/import_limits.md) --------------------------------------------------------
def _check_columns(n: int, name: str) -> None:
    if n > config.IMPORT_MAX_COLUMNS:
        raise ExtractError(
            f"文件 {name} 有 {n:,} 列，超过导入上限 {config.IMPORT_MAX_COLUMNS:,} 列"
            f"（IMPORT_MAX_COLUMNS），未导入。请只导出数据合同需要的列。"
        )


def _check_rows(n: int, name: str, limit: int | None = None) -> None:
    limit = limit or config.IMPORT_MAX_ROWS
    if n > limit:
        raise ExtractError(
            f"文件 {name} 有超过 {limit:,} 行数据，超过导入上限（IMPORT_MAX_ROWS；.xlsx 另以 Excel "
            f"工作表的 {_EXCEL_MAX_ROWS:,} 行为限），未导入。请按月份拆分为几个文件分别导入。"
        )


def _check_size(path: Path, name: str) -> None:
    size = path.stat().st_size
    if size > config.IMPORT_MAX_FILE_MB * 2**20:
        raise ExtractError(
            f"文件 {name} 大小 {size / 2**20:,.0f} MB，超过导入上限 {config.IMPORT_MAX_FILE_MB:,} MB"
            f"（IMPORT_MAX_FILE_MB），未导入。请按月份拆分后再导入。"
        )


# CSV ---------------------------------------------------------------------------------------------------
def _decode(raw: bytes, name: str) -> tuple[str, str]:
    # UTF-16 puts a NUL beside every ASCII character (digits, commas, line ends); a stray NUL is a damaged
    # value, and the validator quarantines its row (with the row number) instead of refusing the file.
    sample = raw[: 1 << 16]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or sample.count(b"\x00") * 20 > len(sample):
        raise ExtractError(
            f"文件 {name} 不是可识别的文本文件（看起来是 UTF-16 编码）：已尝试 {_ENCODING_NAMES} "
            f"编码均无法读取。请另存为 UTF-8 或 GBK 编码的 CSV。"
        )
    where = []
    for enc in CSV_ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError as exc:
            # where it failed, so an analyst can find the line among 300,000 (two exports pasted together)
            line = raw.count(b"\n", 0, exc.start) + 1
            where.append(f"按 {_ENCODING_LABELS[enc]} 第 {line:,} 行（第 {exc.start + 1:,} 字节）无法解码")
    raise ExtractError(
        f"文件 {name} 的编码无法识别：已尝试 {_ENCODING_NAMES} 编码均无法读取（{'；'.join(where)}）。"
        f"文件可能由不同编码的几部分拼接而成。请另存为 UTF-8 或 GBK 编码的 CSV。"
    )


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_pyarrow(data: bytes, sep: str, first_line: str, lf_only: bool) -> pd.DataFrame | None:
    """Fast path (multi-threaded Arrow parser); None when the file needs the careful pandas path."""
    if re.search(rb"\n[ \t]*\r?\n", data):
        return None  # blank lines: Arrow would skip them and shift source_row
    if lf_only and b"\r" in data:
        return None  # a CR inside a value (pandas' to_csv leaves it unquoted): Arrow ends the row there
    ncols = len(next(csv.reader([first_line], delimiter=sep), []))
    if not ncols:
        return None
    names = [f"c{i}" for i in range(ncols)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None  # ragged rows and the like: pandas pads short rows and explains long ones
    return pd.DataFrame({i: table.column(i).to_pandas() for i in range(ncols)})


def _short_records(data: bytes, sep: str, ncols: int, lf_only: bool) -> dict[int, tuple[int, bool]]:
    """Data rows (source_row, counted as the pandas path counts them: blank lines included) with fewer than
    `ncols` fields: their field count and whether their last field is empty. pandas pads such rows with
    empty values, indistinguishable from empty fields, so Arrow's serial reader counts them (it reports each
    short row with its record number). Only one column is converted."""
    if lf_only and b"\r" in data:  # a CR is then text, never a line end: as a space it counts the same
        data = data.replace(b"\r", b" ")
    short: dict[int, tuple[int, bool]] = {}

    def record(row) -> str:
        if row.actual_columns < ncols and row.number is not None:
            fields = next(csv.reader(io.StringIO(row.text, newline=""), delimiter=sep), [""])
            short[row.number - 1] = (row.actual_columns, fields[-1] == "")  # number 1 is the header
        return "skip"

    names = [f"c{i}" for i in range(ncols)]
    try:
        pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),  # numbers need one thread
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=record
            ),
            convert_options=pacsv.ConvertOptions(include_columns=names[:1], column_types={names[0]: pa.large_string()}),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return {}  # a file pandas read and Arrow cannot: its rows are judged by their values alone, as before
    return short


def _line_of_record(data: bytes, sep: str, record: int) -> int:
    """The file line (1-based, the header's is 1) on which data record `record` (1-based) starts: records
    may hold line breaks inside quotes, so lines and records part. Only on the error path: it reads the
    file again, record by record."""
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""), delimiter=sep)
    for _ in range(record):  # the header and the records before this one
        if next(reader, None) is None:
            break
    return reader.line_num + 1


def _ends_lines_with_cr(data: bytes) -> bool:
    """Whether the header line ends in a CR alone: a header holds no line break of its own."""
    cr, lf = data.find(b"\r"), data.find(b"\n")
    return cr >= 0 and (lf < 0 or cr < lf) and data[cr + 1 : cr + 2] != b"\n"


def _two_rows_note(first: int, titles: bool) -> str:
    above = "，其上方的标题行已忽略" if titles else ""
    return (
        f"表头占两行（第 {first}—{first + 1} 行：上行为分组名，下行为字段名），已按列合并读取："
        f"下行有名称的列用下行的名称，否则用上行的{above}"
    )


def _unwrapped_header(data: bytes, name: str, mapping: Mapping | None) -> tuple[bytes, list[str]]:
    """A header cell typed with a line break (Excel's Alt+Enter: "受理⏎时间") is quoted across lines, and the
    header search reads line by line: the first line whose quotes do not close is joined with the next ones,
    the breaks inside the header dropped, when that reads as a header (hostile H197: 缺少必填列 named eight
    columns that were in the file). Data rows are never joined: a narrative keeps its own line breaks."""
    lines = data.split(b"\n", _HEADER_SEARCH_ROWS + _HEADER_WRAP_LINES)
    for i, raw in enumerate(lines[:_HEADER_SEARCH_ROWS]):
        if raw.count(b'"') % 2 == 0:
            continue
        for j in range(i + 1, min(i + 1 + _HEADER_WRAP_LINES, len(lines) - 1)):
            joined = b"".join(part.rstrip(b"\r") for part in lines[i : j + 1])
            if joined.count(b'"') % 2:
                continue
            try:
                line = joined.decode("utf-8")
                sep = _sniff_delimiter(line)
                _check_columns(line.count(sep) + 1, name)
                recognise([clean_header(c) for c in next(csv.reader([line], delimiter=sep), [])], name, mapping)
            except (ExtractError, UnicodeDecodeError):
                return data, []
            rest = b"\n".join(lines[j + 1 :])
            return b"\n".join([*lines[:i], joined, rest]), [
                f"表头第 {i + 1} 行的单元格内有换行（如在 Excel 中按 Alt+Enter 输入），已去掉换行后读取列名"
            ]
        return data, []
    return data, []


def _title_lines(data: bytes, name: str, mapping: Mapping | None) -> tuple[bytes, list[str]]:
    """The data from its header line on: the first of the first _HEADER_SEARCH_ROWS lines that reads as a
    header, title lines above it (报表名称, 导出时间: hostile H68) dropped and said. No such line: the data
    unchanged when its first line is the header, else the first line's own error (表头无法识别)."""
    lines = data.split(b"\n", _HEADER_SEARCH_ROWS)[:_HEADER_SEARCH_ROWS]
    first_error: ExtractError | None = None
    upper: list[str] | None = None  # the line before, when it did not read as a header: a group line?
    for i, raw in enumerate(lines):
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:  # a line cut by the split limit inside a character
            break
        sep = _sniff_delimiter(line)
        _check_columns(line.count(sep) + 1, name)  # before parsing a line of a million fields
        cells = [clean_header(c) for c in next(csv.reader([line], delimiter=sep), [])]
        try:
            recognise(cells, name, mapping)
        except ExtractError as exc:
            first_error = first_error or exc
            if upper is not None and len(upper) == len(cells):
                try:
                    combined = two_row_header(upper, cells)
                    recognise(combined, name, mapping)
                except ExtractError:
                    pass
                else:  # the two lines become one header line, quoted as the parser expects
                    out = io.StringIO()
                    csv.writer(out, delimiter=sep, lineterminator="\n").writerow(combined)
                    rest = data.split(b"\n", i + 1)[i + 1 :]
                    return out.getvalue().encode("utf-8") + (rest[0] if rest else b""), [
                        _two_rows_note(i, titles=i > 1)
                    ]
            upper = cells
            continue
        if i == 0:
            return data, []
        skipped = "第 1 行" if i == 1 else f"第 1—{i} 行"
        shown = "；".join(t.decode("utf-8", "replace").strip().strip("\r")[:40] for t in lines[:i])
        return b"\n".join(data.split(b"\n", i)[i:]), [
            f"表头位于第 {i + 1} 行，其上方的标题行（{skipped}：{shown}）已忽略"
        ]
    if first_error is not None:
        raise first_error
    return data, []


def _read_csv(
    path: Path, name: str, mapping: Mapping | None = None
) -> tuple[list[str], pd.DataFrame, str, list[str], dict[int, tuple[int, bool]]]:
    raw = path.read_bytes()
    text, enc = _decode(raw, name)
    if not text.strip():
        raise ExtractError(f"文件 {name} 为空。")
    # Hand the parser UTF-8 bytes (much faster than a str); the strict decode above was the check.
    if enc == "utf-8-sig":
        data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    else:
        data = text.encode("utf-8")
    del text, raw
    if _ends_lines_with_cr(data):  # CR alone (classic Mac OS, Excel for Mac's "CSV (Macintosh)")
        # every lone CR becomes LF; a value's own line break (LF, or CRLF) is quoted and stays in it (H75)
        data = re.sub(rb"\r(?!\n)", b"\n", data)
    data = re.sub(rb"\A(?:[ \t]*\r?\n)+", b"", data)  # blank lines above the header
    data, wrapped = _unwrapped_header(data, name, mapping)
    data, notes = _title_lines(data, name, mapping)
    notes = wrapped + notes
    end = data.find(b"\n")
    # Lines end in LF alone (the header says so): a CR is then part of a value, never a line end.
    lf_only = end >= 0 and not data[:end].endswith(b"\r")
    first_line = (data if end < 0 else data[:end]).decode("utf-8").rstrip("\r")
    sep = _sniff_delimiter(first_line)
    _check_columns(first_line.count(sep) + 1, name)  # before any parser allocates a column each
    df = _csv_pyarrow(data, sep, first_line, lf_only)
    short: dict[int, tuple[int, bool]] = {}
    if df is None:
        try:
            # Blank lines are kept (and dropped later with a warning) so that source_row matches the file.
            df = pd.read_csv(
                io.BytesIO(data),
                sep=sep,
                header=None,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                engine="c",
                encoding="utf-8",
                lineterminator="\n" if lf_only else None,
            )
        except pd.errors.ParserError as exc:
            m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
            if m:
                raise ExtractError(
                    f"文件 {name} 第 {m.group(2)} 行（含表头）有 {m.group(3)} 个字段，多于表头的 "
                    f"{m.group(1)} 个，可能含有未加引号的分隔符或换行。"
                ) from exc
            m = re.search(r"EOF inside string starting at row (\d+)", str(exc))
            if m:  # pandas counts rows from 0 with the header: row N is the N-th data record
                record = int(m.group(1))
                raise ExtractError(
                    f"文件 {name} 第 {_line_of_record(data, sep, record):,} 行（第 {record:,} 条记录）开始的引号"
                    f"直到文件末尾都没有闭合：文件可能不完整（被截断），请重新导出完整的文件。"
                ) from exc
            raise ExtractError(f"文件 {name} 无法按 CSV 解析：{exc}") from exc
        except pd.errors.EmptyDataError as exc:
            raise ExtractError(f"文件 {name} 为空。") from exc
        # Arrow reads a file with a short row only here, and the last column's being empty somewhere is
        # what every short row shows after padding: only then the rows are counted (hostile H229)
        if (df.iloc[1:, -1] == "").any():
            short = _short_records(data, sep, df.shape[1], lf_only)
    _check_rows(len(df) - 1, name)
    headers = [clean_header(h) for h in df.iloc[0].tolist()]
    body = df.iloc[1:].reset_index(drop=True)
    return headers, body, enc, notes, short


# Excel -------------------------------------------------------------------------------------------------
def _cell_text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v)


def _check_xlsx_archive(path: Path, name: str) -> None:
    """Before openpyxl unzips anything: each part's unzipped size against the limit (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            biggest = max((info.file_size for info in archive.infolist()), default=0)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExtractError(f"文件 {name} 无法读取（文件可能已损坏、不完整或不是 .xlsx 格式）：{exc}") from exc
    if biggest > config.IMPORT_MAX_XLSX_XML_MB * 2**20:
        raise ExtractError(
            f"文件 {name} 解压后有 {biggest / 2**20:,.0f} MB，超过导入上限 "
            f"{config.IMPORT_MAX_XLSX_XML_MB:,} MB（IMPORT_MAX_XLSX_XML_MB），未导入。"
            f"请另存为 CSV 或拆分后再导入。"
        )
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as xml:
                    if _long_xml_token(xml):
                        raise ExtractError(
                            f"文件 {name} 的 {info.filename} 中有超过 {_XML_TOKEN_MAX // 2**20} MB 的单个 XML 标记、注释或属性，"
                            "不是电子表格软件保存的文件，未导入。请在 Excel 中打开并另存，或导出为 CSV 后再导入。"
                        )


# One tag, attribute value, comment, CDATA section or processing instruction longer than this is no
# spreadsheet's (a cell holds at most 32,767 characters). Python's XML parser (expat 2.5) re-reads an
# unfinished token from its start at every 16 KB openpyxl feeds it, so one long token costs time quadratic
# in its length: a 600 KB file with a 600 MB comment in its sheet held an import for hours (hostile H263).
_XML_TOKEN_MAX = 1 << 20
_XML_OPENER = re.compile(rb"<!--|<!\[CDATA\[|<\?")
_XML_CLOSER = {b"<!--": b"-->", b"<![CDATA[": b"]]>", b"<?": b"?>"}


def _long_xml_token(xml, limit: int = _XML_TOKEN_MAX) -> bool:
    """Does this XML stream hold a run of more than `limit` bytes without a '<' (a tag with its attributes,
    or text), or a comment, CDATA section or processing instruction longer than that (they may hold '<')?
    Read in 4 MB chunks; offsets below are from the start of the stream."""
    run = 0  # bytes since the last '<'
    base = 0  # offset of the current chunk
    tail = b""  # the previous chunk's last bytes: a marker may be cut in two
    closing: bytes | None = None  # the end awaited of an open comment / CDATA / PI, opened at `opened`
    opened = 0
    search_from = 0
    for chunk in iter(lambda: xml.read(1 << 22), b""):
        first = chunk.find(b"<")
        if first < 0:
            run += len(chunk)
        else:
            if run + first > limit or max(map(len, chunk.split(b"<"))) > limit:
                return True
            run = len(chunk) - chunk.rfind(b"<") - 1
        if run > limit:
            return True
        buf, start = tail + chunk, base - len(tail)
        pos = max(search_from - start, 0)
        while True:
            if closing is not None:
                end = buf.find(closing, pos)
                if end < 0:
                    if start + len(buf) - opened > limit:
                        return True
                    search_from = start + max(pos, len(buf) - len(closing) + 1)
                    break
                if start + end - opened > limit:
                    return True
                pos, closing = end + len(closing), None
            else:
                found = _XML_OPENER.search(buf, pos)
                if found is None:
                    search_from = start + max(pos, len(buf) - 8)
                    break
                closing, opened, pos = _XML_CLOSER[found.group()], start + found.start(), found.end()
        base += len(chunk)
        tail = buf[-8:]
    return False


_XLSX_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_XLSX_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# a row start tag with hidden="1" (a row an analyst hid to set it aside), and its number
_XLSX_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b(?=[^>]*\bhidden="(?:1|true)")[^>]*?\br="([0-9]{1,7})"')
_HIDDEN_ROWS_KEPT = 100_000  # row numbers kept for the note: only the count and the first few are shown
_XLSX_MERGE_TAG = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})"')
_MAX_MERGED = 10_000  # merged ranges a sheet's body may have: each is checked on the rows it covers


def _check_xlsx_rows(wb, ws, name: str) -> tuple[int, list[str], list[int]]:
    """Count the sheet's <row> elements in its XML before openpyxl parses one (a scan of the unzipped
    part, bounded by IMPORT_MAX_XLSX_XML_MB): a sheet of two million rows is refused in seconds instead
    of after a million parsed rows. openpyxl's read-only sheet keeps its part's path in _worksheet_path.
    Returns the number of formula cells (<f> elements) seen on the way, the merged ranges (A1:B2;
    the read-only sheet does not give them) and the numbers of hidden rows (neither does it)."""
    part = getattr(ws, "_worksheet_path", None)
    if part is None:
        return 0, [], []  # the streaming count below still stops at the first row over the limit
    rows, formulas, tail = 0, 0, b""
    merged: set[bytes] = set()
    hidden: set[bytes] = set()
    with wb._archive.open(part) as xml:
        for chunk in iter(lambda: xml.read(1 << 22), b""):
            block = tail + chunk
            rows += len(_XLSX_ROW_TAG.findall(block))
            formulas += len(_XLSX_FORMULA_TAG.findall(block))
            if len(merged) <= _MAX_MERGED:
                merged.update(_XLSX_MERGE_TAG.findall(block))  # a set: the tail's are found twice
            if len(hidden) <= _HIDDEN_ROWS_KEPT:
                hidden.update(_XLSX_HIDDEN_ROW.findall(block))
            tail = block[-128:]
            rows -= len(_XLSX_ROW_TAG.findall(tail))  # counted again with the next chunk
            formulas -= len(_XLSX_FORMULA_TAG.findall(tail))
    _check_rows(rows - 1, name, min(config.IMPORT_MAX_ROWS, _EXCEL_MAX_ROWS - 1))
    return formulas, sorted(m.decode("ascii") for m in merged), sorted(int(r) for r in hidden)


class _FormulaCells:
    """Rows of a sheet holding formulas: each cell's value as Excel last saved it, and where a formula has
    no saved result (a file written by a program, never opened in Excel) the formula's own text, which is
    then validated like any value: a narrative keeps it, a date column quarantines it naming it. Never a
    silent blank (hostile H26). Counts what it did, for the import's notes."""

    def __init__(self, values, formulas):
        self.pairs = zip(values, formulas)
        self.at = 0  # the sheet's row number of the last row given out: the reader takes the header
        # rows, then iterates again for the body (hostile H117: counting anew named K1 for K2)
        self.unsaved: list[tuple[int, int]] = []  # (row, column), 1-based, of formulas read as their text

    def __iter__(self):
        return self

    def __next__(self) -> tuple:
        values, formulas = next(self.pairs)
        self.at += 1
        row = list(values)
        for i, (value, formula) in enumerate(zip(values, formulas)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                row[i] = formula
                self.unsaved.append((self.at, i + 1))
        return tuple(row)


def _formula_note(formulas: int, unsaved: list[tuple[int, int]]) -> list[str]:
    if not formulas:
        return []
    from openpyxl.utils import get_column_letter

    note = f"第一个工作表中有 {formulas:,} 个公式单元格：按 Excel 保存的计算结果读取"
    if unsaved:
        where = "、".join(f"{get_column_letter(c)}{r}" for r, c in unsaved[:5])
        more = " 等" if len(unsaved) > 5 else ""
        note += (
            f"；其中 {len(unsaved):,} 个没有保存的计算结果（文件未在 Excel 中保存过），已按公式文本读取"
            f"（{where}{more}），请在 Excel 中打开并另存后重新导入，或导出为数值"
        )
    return [note]


def _read_xlsx(
    path: Path, name: str, mapping: Mapping | None
) -> tuple[Recognition, list[str], pd.DataFrame, list[str]]:
    import openpyxl  # local: only needed for Excel files
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    _check_xlsx_archive(path, name)
    notes: list[str] = []
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises its own InvalidFileException and assorted parse errors
        raise ExtractError(f"文件 {name} 无法读取（文件可能已损坏、不完整或不是 .xlsx 格式）：{exc}") from exc
    try:
        if not wb.worksheets:
            raise ExtractError(f"文件 {name} 中没有工作表。")
        visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
        hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
        if hidden:  # an old version or a lookup list the user cannot see is never imported (hostile H80)
            notes.append(f"已跳过隐藏的工作表：{'、'.join(hidden)}")
        if not visible:
            raise ExtractError(f"文件 {name} 中没有可见的工作表（隐藏的工作表不导入：{'、'.join(hidden)}）。")
        epoch1904 = wb.epoch == CALENDAR_MAC_1904
        first_error: ExtractError | None = None
        for pos in range(len(visible)):  # the first sheet with a header (a cover sheet before it: H68)
            ws = visible[pos]
            try:
                read = _read_sheet(path, wb, ws, name, mapping, epoch1904)
                break
            except _NoHeader as exc:
                first_error = first_error or exc
        else:
            assert first_error is not None
            raise first_error
        rec, headers, columns, n_body, unnamed, header_note, formulas, unsaved, converted = read
        after = [s.title for s in visible[pos + 1 :]]
        if pos == 0 and after and not hidden:
            notes.append(f"只读取了第一个工作表“{ws.title}”，其他工作表已忽略：{'、'.join(after)}")
        elif pos or hidden or after:
            before = f"，其前没有表头的工作表已跳过：{'、'.join(s.title for s in visible[:pos])}" if pos else ""
            notes.append(
                f"读取了工作表“{ws.title}”{before}" + (f"；其后的工作表已忽略：{'、'.join(after)}" if after else "")
            )
        if converted:
            notes.append(
                f"工作簿使用 1904 日期系统（Mac 版 Excel）：{converted:,} 个以数字保存的日期已按 1904 日期系统换算"
            )
    finally:
        wb.close()
    notes += header_note
    notes += _formula_note(formulas, unsaved)
    frame = pd.DataFrame(
        {
            idx: pd.Series(
                col.to_pandas(types_mapper={pa.large_string(): pd.StringDtype(na_value=np.nan)}.get), dtype="str"
            )
            for idx, col in columns.items()
        },
        index=pd.RangeIndex(n_body),
    )
    if unnamed:
        notes.append(f"已忽略没有表头但有内容的列：第 {'、'.join(str(i + 1) for i in sorted(unnamed))} 列")
    return rec, headers, frame, notes


class _NoHeader(ExtractError):
    """A sheet without a recognisable header among its first rows: the next sheet may have one."""


def _read_sheet(path: Path, wb, ws, name: str, mapping: Mapping | None, epoch1904: bool):
    """One sheet streamed (_stream_xlsx), its formulas' text read alongside when it has formulas."""
    import openpyxl

    # The sheet's declared <dimension> is not trusted: openpyxl pads every row to it (a 2 KB file
    # declaring A1:XFD1048576 is 17 billion cells). Rows are streamed as stored, the limits counted.
    ws.reset_dimensions()
    formulas, merged, hidden = _check_xlsx_rows(wb, ws, name)
    rows = ws.iter_rows(values_only=True)
    with_formulas = None
    if formulas:  # the same sheet read a second time for the formulas' text, in step with the values
        with_formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        sheet = with_formulas[ws.title]
        sheet.reset_dimensions()
        rows = _FormulaCells(rows, sheet.iter_rows(values_only=True))
    try:
        streamed = _stream_xlsx(rows, name, mapping, ws.title, epoch1904, merged, hidden)
    except ExtractError:
        raise
    except Exception as exc:
        raise ExtractError(f"文件 {name} 无法读取（文件可能已损坏或不完整）：{exc}") from exc
    finally:
        if with_formulas is not None:
            with_formulas.close()
    rec, headers, columns, n_body, unnamed, header_note, converted = streamed
    unsaved = rows.unsaved if isinstance(rows, _FormulaCells) else []
    return rec, headers, columns, n_body, unnamed, header_note, formulas, unsaved, converted


def _merged_spans(merged: list[str], header_row: int, wanted: list[int], name: str) -> dict[int, list]:
    """The body's merged ranges over the wanted columns, by first row: (first row, last row, first column,
    last column), 0-based columns. A merge in or above the header (a title) is no body's."""
    from openpyxl.utils.cell import range_boundaries

    spans: dict[int, list] = {}
    cols = set(wanted)
    kept = 0
    for ref in merged:
        c1, r1, c2, r2 = range_boundaries(ref)
        if r1 <= header_row or not cols.intersection(range(c1 - 1, c2)):
            continue
        kept += 1
        spans.setdefault(r1, []).append((r1, r2, c1 - 1, c2 - 1, ref))
    if kept > _MAX_MERGED:
        raise ExtractError(f"文件 {name} 的数据区有超过 {_MAX_MERGED:,} 个合并单元格区域，请取消合并后再导入。")
    return spans


def _stream_xlsx(
    rows,
    name: str,
    mapping: Mapping | None,
    title: str,
    epoch1904: bool = False,
    merged: list[str] | None = None,
    hidden: list[int] | None = None,
):
    """Find the header among the first non-blank rows, then gather only the recognised columns, in Arrow
    chunks, counting rows and columns against the limits as they come."""

    def blank(row: tuple) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)

    first_error: ExtractError | None = None
    rec, header_row, seen, above, at = None, None, 0, False, 0
    upper: list[str] | None = None  # the row before, when it did not read as a header: a group row?
    two_rows = False
    for row in rows:
        at += 1
        _check_columns(len(row), name)
        if blank(row):
            upper = None
            continue
        seen += 1
        if seen > _HEADER_SEARCH_ROWS:
            break
        cells = [clean_header(_cell_text(v)) for v in row]
        try:
            rec = recognise(cells, name, mapping)
            header_row = cells
            break
        except ExtractError as exc:
            first_error = first_error or exc
        if upper is not None:
            try:
                header_row = two_row_header(upper, cells)
                rec = recognise(header_row, name, mapping)
                two_rows = True
                break
            except ExtractError:
                header_row = None
        above = True
        upper = cells
    if header_row is None:
        if first_error is None:
            raise _NoHeader(f"文件 {name} 为空（工作表“{title}”没有内容）。")
        raise _NoHeader(str(first_error))
    headers = header_row
    wanted = sorted(set(rec.positions.values()))
    nameless = [i for i, h in enumerate(headers) if not h]
    unnamed: set[int] = set()
    chunks: dict[int, list[pa.Array]] = {i: [] for i in wanted}
    pending: dict[int, list] = {i: [] for i in wanted}
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, from_excel

    n = converted = 0
    limit = min(config.IMPORT_MAX_ROWS, _EXCEL_MAX_ROWS - at)
    # A Mac Excel workbook (date1904) counts serial dates from 1904-01-01; openpyxl converts date-formatted
    # cells, but a date kept as a plain number would be read in the 1900 system, 4 years off (hostile H94).
    kinds = {c.name: c.kind for c in schema.TABLES[rec.table]}
    dated = {i for c, i in rec.positions.items() if kinds.get(c) in ("timestamp", "month")} if epoch1904 else set()

    # number cells of the id columns past 15 digits: sheet cell references (the first few) and counts
    id_at = {i: c for c, i in rec.positions.items() if c in schema.ID_COLUMNS}
    long_ids: dict[int, list[str]] = {i: [] for i in id_at}
    long_count = dict.fromkeys(id_at, 0)
    number_count = dict.fromkeys(id_at, 0)
    month_at = {i: c for c, i in rec.positions.items() if kinds.get(c) == "month"}
    ambiguous: dict[int, list[str]] = {i: [] for i in month_at}
    ambiguous_count = dict.fromkeys(month_at, 0)

    # merged cells of the body: each covered cell reads as its range's first cell (hostile H166)
    spans = _merged_spans(merged or [], at, wanted, name)
    active: list[list] = []  # [last row, first column, last column, value, ref]
    used: list[str] = []

    def flush() -> None:
        for i in wanted:
            chunks[i].append(pa.array(pending[i], type=pa.large_string()))
            pending[i] = []

    for row in rows:
        n += 1
        if n > limit:
            _check_rows(n, name, limit)
        if spans or active:
            r = at + n
            active = [a for a in active if a[0] >= r]
            for _r1, r2, c1, c2, ref in spans.pop(r, ()):
                active.append([r2, c1, c2, row[c1] if c1 < len(row) else None, ref])
                used.append(ref)
            if active:
                row = list(row) + [None] * max(0, max(a[2] for a in active) + 1 - len(row))
                for _, c1, c2, value, _ref in active:
                    for c in range(c1, c2 + 1):
                        row[c] = value
        width = len(row)
        _check_columns(width, name)
        for i in wanted:
            v = row[i] if i < width else None
            if i in dated and isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 2_958_466:
                v, converted = from_excel(v, CALENDAR_MAC_1904), converted + 1
            pending[i].append(_cell_text(v))
        for i in id_at:
            v = row[i] if i < width else None
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                number_count[i] += 1
                if abs(v) >= ID_NUMBER_LIMIT:
                    long_count[i] += 1
                    if len(long_ids[i]) < _LONG_IDS_SHOWN:
                        long_ids[i].append(f"{get_column_letter(i + 1)}{at + n} {mask_text(_cell_text(v) or '')}")
        for i in month_at:
            v = row[i] if i < width else None
            if isinstance(v, float) and _AMBIGUOUS_MONTH.fullmatch(repr(v)):
                ambiguous_count[i] += 1
                if len(ambiguous[i]) < _LONG_IDS_SHOWN:
                    ambiguous[i].append(f"{get_column_letter(i + 1)}{at + n} {v!r}")
        for i in nameless:
            if i < width and _cell_text(row[i]) not in (None, ""):
                unnamed.add(i)
        if n % _XLSX_CHUNK == 0:
            flush()
    flush()
    if any(long_count.values()):
        raise _long_number_ids(name, rec.table, {id_at[i]: (k, long_ids[i]) for i, k in long_count.items() if k})
    for i, k in ambiguous_count.items():
        if k:
            raise _ambiguous_months(name, rec.table, month_at[i], k, ambiguous[i])
    columns = {i: pa.chunked_array(chunks[i], type=pa.large_string()) for i in wanted}
    if two_rows:
        note = [_two_rows_note(at - 1, titles=seen > 2)]
    else:
        note = [f"表头位于第 {at} 行，其上方的标题行已忽略"] if above else []
    if used:
        shown = "、".join(used[:10]) + (f" 等 {len(used):,} 个" if len(used) > 10 else "")
        note.append(f"数据区有合并单元格，被合并的单元格按合并区域左上角的值读取：{shown}")
    body_hidden = [r for r in (hidden or []) if at < r <= at + n]
    if body_hidden:  # whoever hid them may believe they were left out (hostile H177)
        shown = "、".join(str(r) for r in body_hidden[:10]) + (" 等" if len(body_hidden) > 10 else "")
        note.append(
            f"工作表“{title}”中有 {len(body_hidden):,} 行被隐藏（第 {shown} 行），已照常导入；"
            "如这些行不应导入，请在源文件中删除后重新导入"
        )
    numbers = [f"{label(rec.table, id_at[i])} {k:,} 个" for i, k in number_count.items() if k]
    if numbers:  # said even when nothing stored to compare with (a first import, hostile H143)
        note.append(
            f"编号列中有以数字保存的单元格：{'、'.join(numbers)}。Excel 的数字单元格没有前导零（007001 会存成 7001）；"
            "若源系统的编号有前导零，请把这些列设为文本格式后重新导出，否则同一投诉或客户会以另一个编号入库"
        )
    return rec, headers, columns, n, unnamed, note, converted


# Parquet -----------------------------------------------------------------------------------------------
def _arrow_text(col: pa.ChunkedArray, label: str, name: str) -> pa.ChunkedArray:
    """A typed Parquet column as text, written the way a person would."""
    t = col.type
    if pa.types.is_dictionary(t):
        col = col.cast(t.value_type)
        t = col.type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return col.cast(pa.large_string())
    if pa.types.is_null(t):
        return pa.chunked_array([pa.nulls(len(col), pa.large_string())])
    if pa.types.is_boolean(t):
        return pc.if_else(col, "true", "false").cast(pa.large_string())
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            local = col.to_pandas().dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
            col = pa.chunked_array([pa.array(local, type=pa.timestamp(t.unit))])
        try:
            col = col.cast(pa.timestamp("s"))  # whole seconds print without a fraction
        except pa.ArrowInvalid:
            pass
        return col.cast(pa.large_string())
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        try:
            return col.cast(pa.large_string())
        except pa.ArrowInvalid as exc:
            raise ExtractError(f"文件 {name} 的列 {label} 含有非文本的二进制内容。") from exc
    if (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_decimal(t)
        or pa.types.is_date(t)
        or pa.types.is_time(t)
    ):
        return col.cast(pa.large_string())  # floats: 46300.0 -> "46300", 46300.5 -> "46300.5"
    raise ExtractError(f"文件 {name} 的列 {label} 的数据类型（{t}）无法作为文本读取。")


def _read_parquet(path: Path, name: str, mapping: Mapping | None) -> tuple[Recognition, list[str], pd.DataFrame]:
    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
    except Exception as exc:
        raise _corrupt(name, exc) from exc
    _check_columns(len(names), name)
    _check_rows(pf.metadata.num_rows, name)
    # pandas may store its index as '__index_level_0__': not a column of the extract, not worth a warning.
    rec = recognise(["" if n.startswith("__index_level_") else n for n in names], name, mapping)
    wanted = sorted(set(rec.positions.values()))
    dup = [names[i] for i in wanted if names.count(names[i]) > 1]
    if dup:
        raise ExtractError(f"文件 {name} 中列名重复：{'、'.join(dup)}。")
    try:
        table = pf.read(columns=[names[i] for i in wanted])
        nrows = pf.metadata.num_rows
    except Exception as exc:
        raise _corrupt(name, exc) from exc
    long: dict[str, tuple[int, list[str]]] = {}
    for canon, idx in rec.positions.items():
        col = table.column(names[idx])
        if canon in schema.ID_COLUMNS and pa.types.is_floating(col.type):
            values = col.to_numpy()
            far = np.flatnonzero(np.abs(np.nan_to_num(values, nan=0.0)) >= ID_NUMBER_LIMIT)
            if len(far):
                shown = [f"第 {r + 1:,} 行 {mask_text(repr(float(values[r])))}" for r in far[:_LONG_IDS_SHOWN]]
                long[canon] = (len(far), shown)
    if long:
        raise _long_number_ids(name, rec.table, long)
    kinds = {c.name: c.kind for c in schema.TABLES[rec.table]}
    for canon, idx in rec.positions.items():
        col = table.column(names[idx])
        if kinds.get(canon) == "month" and pa.types.is_floating(col.type):
            values = [v for v in col.to_pylist()]
            rows = [r for r, v in enumerate(values) if v is not None and _AMBIGUOUS_MONTH.fullmatch(repr(v))]
            if rows:
                shown = [f"第 {r + 1:,} 行 {values[r]!r}" for r in rows[:_LONG_IDS_SHOWN]]
                raise _ambiguous_months(name, rec.table, canon, len(rows), shown)
    data = {}
    for canon, idx in rec.positions.items():
        text = _arrow_text(table.column(names[idx]), f"{schema.header_zh(rec.table, canon)}({names[idx]})", name)
        data[idx] = text.to_pandas(types_mapper={pa.large_string(): pd.StringDtype(na_value=np.nan)}.get)
    frame = pd.DataFrame(data, index=pd.RangeIndex(nrows))
    return rec, names, frame


# ---------------------------------------------------------------------------------------------- the API
def _provided(frame: pd.DataFrame, rec: Recognition, mapping: Mapping, present: list[str]) -> list[str]:
    """Columns the mapping fills ([constants], [generated], rules.customer_key), in place; the notes."""
    notes = []
    names = {c.name for c in schema.TABLES[rec.table]}
    for column, value in mapping.constants.items():
        if column in names:
            frame[column] = pd.Series(np.full(len(frame), value, dtype=object), dtype="str")
            notes.append(f"{label(rec.table, column)}按映射文件取固定值“{value}”")
    for column, spec in mapping.generated.items():
        if column not in names:
            continue
        if spec["from"] == "row":
            frame[column] = spec["prefix"] + frame["source_row"].astype(str)
            notes.append(
                f"{label(rec.table, column)}由行号生成（{spec['prefix']}1、{spec['prefix']}2…）："
                f"只有每次导出的行序不变时才稳定，同一投诉再次导入可能得到不同编号"
            )
        else:
            joined = frame[spec["from"]].fillna("").astype(str).agg("\x1f".join, axis=1)
            digests = [hashlib.sha1(v.encode("utf-8")).hexdigest()[:16] for v in joined]
            frame[column] = pd.Series([spec["prefix"] + d for d in digests], dtype="str")
            shown = "、".join(label(rec.table, c) for c in spec["from"])
            notes.append(f"{label(rec.table, column)}由 {shown} 的值计算（哈希）：只有这些列在每次导出中不变时才稳定")
    if rec.table == "complaints" and mapping.rules.get("customer_key") == "none":
        frame["customer_id"] = NO_CUSTOMER_PREFIX + frame["complaint_id"].astype(str)
        notes.append("映射文件声明源系统没有客户号：重复投诉相关指标显示为“无客户号，无法计算”")
    return notes


def _assemble(
    rec: Recognition, data: pd.DataFrame, name: str, mapping: Mapping | None = None
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Canonical columns in schema order (+ source_row); blank rows dropped with a warning."""
    n = len(data)
    cols: dict[str, pd.Series] = {}
    present = []
    for c in schema.TABLES[rec.table]:
        if c.name in rec.positions:
            s = data[rec.positions[c.name]]
            if s.dtype != "str":
                s = s.astype("str")
            empty = pc.equal(pa.array(s, from_pandas=True), "")
            if pc.any(empty).as_py():
                s = s.where(~empty.to_numpy(zero_copy_only=False))  # '' -> NA
            cols[c.name] = s.reset_index(drop=True)
            present.append(c.name)
        else:
            cols[c.name] = pd.Series(np.full(n, np.nan, dtype=object), dtype="str")
    frame = pd.DataFrame(cols)
    frame["source_row"] = np.arange(1, n + 1, dtype=np.int64)
    warnings = _provided(frame, rec, mapping, present) if mapping is not None else []
    if n and present:
        # Blank rows: narrow the candidates column by column, so full rows cost one cheap pass.
        cand = np.arange(n)
        for c in present:
            arr = pa.array(frame[c].iloc[cand] if len(cand) < n else frame[c], from_pandas=True)
            blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arr), ""), True)
            cand = cand[blank.to_numpy(zero_copy_only=False)]
            if not len(cand):
                break
        if len(cand):
            rows = frame["source_row"].to_numpy()[cand]
            listed = "、".join(map(str, rows[:_MAX_ROWS_LISTED])) + ("…" if len(rows) > _MAX_ROWS_LISTED else "")
            warnings.append(f"已跳过 {len(rows)} 个空行（第 {listed} 行）")
            keep = np.ones(n, dtype=bool)
            keep[cand] = False
            frame = frame.loc[keep].reset_index(drop=True)
    if frame.empty:
        raise ExtractError(f"文件 {name} 没有数据行（只有表头或全部为空行）。")
    return frame, present, warnings


def read_extract(path: Path, mapping: Mapping | None = None) -> Extract:
    """Read a Parquet, CSV or .xlsx extract. Raises ExtractError (Chinese message) if it cannot be imported."""
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError as exc:
        raise ExtractError(f"文件 {name} 不存在。") from exc
    except IsADirectoryError as exc:
        raise ExtractError(f"{name} 是文件夹，不是提取文件。") from exc
    except OSError as exc:
        raise ExtractError(f"文件 {name} 无法打开：{exc.strerror or exc}") from exc
    if not head:
        raise ExtractError(f"文件 {name} 为空（0 字节）。")
    _check_size(path, name)

    fmt = _detect_format(path, head)
    warnings: list[str] = []
    encoding = None
    short: dict[int, tuple[int, bool]] = {}
    if fmt == "parquet":
        rec, headers, data = _read_parquet(path, name, mapping)
    elif fmt == "xlsx":
        rec, headers, data, notes = _read_xlsx(path, name, mapping)
        warnings += notes
    else:
        headers, data, encoding, notes, short = _read_csv(path, name, mapping)
        warnings += notes
        rec = recognise(headers, name, mapping)
        unnamed = [i for i, h in enumerate(headers) if not h and (data[i].str.strip().str.len() > 0).any()]
        if unnamed:
            warnings.append(f"已忽略没有表头但有内容的列：第 {'、'.join(str(i + 1) for i in unnamed)} 列")
    refuse_other_units(rec, headers, name)
    frame, present, blank_notes = _assemble(rec, data, name, mapping)
    return Extract(
        path=path,
        table=rec.table,
        frame=frame,
        warnings=rec.warnings + warnings + blank_notes,
        columns_present=present,
        source_format=fmt,
        encoding=encoding,
        mapping=mapping,
        short_rows=short,
        header_fields=len(headers) if short else 0,
    )
