"""Parsing date and month columns of an extract, column by column.

Accepted forms: 2026-10-05, 2026/10/5, 2026.10.05, 2026-10-05 14:30[:00[.123]], 2026-10-05T14:30:00+08:00,
2026年10月5日 [14:30 | 14时30分], 20261005, 05-10-2026 / 10/5/2026 (day- or month-first, optionally with a
time and AM/PM), Excel serial numbers (46300, 46300.5).

The day-first / month-first question is never answered value by value. A mapping file may declare it;
otherwise the column decides: a first part > 12 proves day-first, a second part > 12 proves month-first.
A column where no value decides it raises ExtractError (the user must declare it); a column with evidence
both ways is read the way most rows show, and the rows that contradict it fail.
Excel serials are read only when every value of the column is a number, or when declared.

Speed: the canonical form 'YYYY-MM-DD[ HH:MM:SS]' (what readers make of typed Parquet/Excel cells) is
parsed for all rows at once by fixed-position slicing; everything else is parsed once per distinct value
with pyarrow's RE2 regexes and numpy calendar arithmetic. A million rows take a fraction of a second.
Timestamps with an offset (Z, +08:00) are converted to local time (UTC+8, Asia/Shanghai); results are naive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.errors import ExtractError

DATETIME_DTYPE = "datetime64[us]"
LOCAL_UTC_OFFSET_MINUTES = 8 * 60  # Asia/Shanghai, no daylight saving since 1991
NAT = np.iinfo(np.int64).min  # int64 view of NaT
_US_PER_DAY = 86_400_000_000
_EXCEL_EPOCH_US = int((np.datetime64("1899-12-30", "us") - np.datetime64("1970-01-01", "us")).astype(np.int64))
_EXCEL_MAX_SERIAL = 2958466  # 9999-12-31 + 1

# 上午/下午 … before the time: how Excel's Chinese time formats show it (hostile H150)
_ZH_AM, _ZH_PM = ("上午", "凌晨", "早上"), ("下午", "中午", "晚上")
_TIME = (
    r"(?:\s*T?\s*(?P<zh>上午|下午|凌晨|早上|中午|晚上)?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})"
    r"(?:\s*[:：分]\s*(?P<S>\d{1,2})(?:[.,](?P<f>\d{1,9}))?\s*秒?)?\s*分?\s*(?P<ampm>[AaPp][Mm])?)?"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?"
)
_YMD = r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?" + _TIME + "$"
_YMD8 = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
# YYYYMMDDHHMMSS: what batch extracts write (to_char(…, 'YYYYMMDDHH24MISS'), hostile H161)
_YMD14 = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})$"
_DMY = r"^(?P<a>\d{1,2})\s*[-/.]\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})" + _TIME + "$"
_NUM = r"^\d+(?:\.\d+)?$"
_SERIAL = r"^\d{1,7}(?:\.\d+)?$"
_MONTH_CANONICAL = r"^\d{4}-\d{2}$"
_MONTH = r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?$"
_MONTH6 = r"^(?P<y>\d{4})(?P<m>\d{2})$"
_TZ = r"^(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})$"

NUMBER_HINT = "（数字形式的日期仅在整列都是数字时按 Excel 序列号解读，或在映射文件中声明 excel_serial）"


@dataclass
class ParsedColumn:
    """Result for one column, aligned with the input rows."""

    values: pd.Series  # datetime64[us] (or 'YYYY-MM' str for months); NaT/NA where missing or failed
    failed: np.ndarray  # bool: a value was present but could not be parsed
    note: str | None = None  # how the column was read, for the user (e.g. read as day-first)
    hints: np.ndarray | None = None  # per row, text appended to a failed row's reason ('' if none)


# ----------------------------------------------------------------------------------------------- helpers
def _bools(arr) -> np.ndarray:
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False)


def _to_int(arr: pa.Array) -> np.ndarray:
    """Digit strings as int64; -1 for '' or null."""
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    return pc.fill_null(pc.cast(arr, pa.int64()), -1).to_numpy(zero_copy_only=False)


def _days(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 and validity for calendar dates, vectorised (2026-02-30 is invalid)."""
    ok = (y >= 1000) & (y <= 9999) & (m >= 1) & (m <= 12) & (d >= 1)
    months = (np.where(ok, y, 1970) - 1970) * 12 + (np.where(ok, m, 1) - 1)
    start = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    end = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    ok &= d <= (end - start)
    return np.where(ok, start + d - 1, 0), ok


def _combine(days: np.ndarray, ok: np.ndarray, hh: np.ndarray, mi: np.ndarray, ss: np.ndarray) -> np.ndarray:
    """Microseconds since epoch from days and time parts (-1 = no time); NAT where invalid."""
    has_time = hh >= 0
    ok = ok & (~has_time | ((hh <= 23) & (mi >= 0) & (mi <= 59) & (ss <= 59)))
    secs = np.where(has_time, hh * 3600 + mi * 60 + np.maximum(ss, 0), 0)
    return np.where(ok, days * _US_PER_DAY + secs * 1_000_000, NAT)


def _matched(arr: pa.Array, todo: np.ndarray, pattern: str) -> tuple[np.ndarray, pa.StructArray | None]:
    """Positions among `todo` whose value matches `pattern`, and the regex groups for those positions."""
    if not len(todo):
        return todo, None
    sub = arr.take(pa.array(todo))
    st = pc.extract_regex(sub, pattern)
    ok = _bools(st.is_valid())
    if not ok.any():
        return todo[:0], None
    return todo[ok], st.filter(pa.array(ok))


def _compose(st: pa.StructArray, y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Microseconds (local naive, NAT if invalid) from date parts plus the regex's time groups."""
    days, ok = _days(y, m, d)
    hh, mi, ss = _to_int(st.field("H")), _to_int(st.field("M")), _to_int(st.field("S"))
    ampm = pc.utf8_lower(st.field("ampm")).to_numpy(zero_copy_only=False)
    is_pm, is_am = ampm == "pm", ampm == "am"
    ok &= ~((is_pm | is_am) & ((hh < 1) | (hh > 12)))
    zh = st.field("zh").to_numpy(zero_copy_only=False)
    zh_pm, zh_am = np.isin(zh, _ZH_PM), np.isin(zh, _ZH_AM)
    ok &= ~(zh_am & (hh > 12))  # 下午14:30 is 14:30 as well; 上午13:00 is no time
    is_pm, is_am = is_pm | zh_pm, is_am | zh_am
    hh = np.where(is_pm & (hh < 12), hh + 12, np.where(is_am & (hh == 12), 0, hh))
    us = _combine(days, ok, hh, mi, ss)
    frac = st.field("f")
    if pc.any(pc.not_equal(frac, "")).as_py():
        micro = _to_int(pc.utf8_slice_codeunits(pc.utf8_rpad(frac, 6, "0"), 0, 6))
        us = np.where((us != NAT) & (micro > 0), us + micro, us)
    tz = st.field("tz")
    if pc.any(pc.not_equal(tz, "")).as_py():
        z = _bools(pc.equal(pc.utf8_upper(tz), "Z"))
        parts = pc.extract_regex(tz, _TZ)
        sign = np.where(parts.field("sign").to_numpy(zero_copy_only=False) == "-", -1, 1)
        offset = sign * (_to_int(parts.field("h")) * 60 + _to_int(parts.field("m")))
        has_tz = z | _bools(parts.is_valid())
        offset = np.where(z, 0, offset)
        us = np.where((us != NAT) & has_tz, us + (LOCAL_UTC_OFFSET_MINUTES - offset) * 60_000_000, us)
    return us


def _canonical(arr: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray]:
    """Rows in canonical 'YYYY-MM-DD[ HH:MM:SS]' form and their microseconds (NAT if impossible).

    Bytes are read straight from the Arrow string buffer: when every value has the same length (the usual
    case for a typed export) the buffer is viewed as a (rows x 19) byte matrix, otherwise gathered by
    offset. No per-value Python work at all.
    """
    valid = _bools(pc.is_valid(arr))
    rows = np.flatnonzero(valid)
    if not len(rows):
        return rows, np.empty(0, np.int64)
    sub = arr.filter(pa.array(valid)) if arr.null_count else arr
    _, offsets_buf, data_buf = sub.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[sub.offset : sub.offset + len(sub) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    length = np.diff(offsets)
    width = int(length[0])
    if width in (10, 19) and (length == width).all():
        matrix = data[offsets[0] : offsets[0] + width * len(sub)].reshape(len(sub), width)
        pick = np.arange(len(sub))

        def byte(p: int) -> np.ndarray:
            return matrix[:, p]

        has_time = np.full(len(sub), width == 19)
    else:
        pick = np.flatnonzero((length == 10) | (length == 19))
        start = offsets[pick]
        last = len(data) - 1

        def byte(p: int) -> np.ndarray:
            return data[np.minimum(start + p, last)]

        has_time = length[pick] == 19
    if not len(pick):
        return pick, np.empty(0, np.int64)

    shape = np.ones(len(pick), dtype=bool)
    for p in (0, 1, 2, 3, 5, 6, 8, 9):
        shape &= (byte(p) - 48) <= 9  # uint8 wrap-around makes bytes below '0' large
    shape &= (byte(4) == 45) & (byte(7) == 45)  # '-'
    if has_time.any():
        sep = byte(10)
        t = ((sep == 32) | (sep == 84)) & (byte(13) == 58) & (byte(16) == 58)  # ' ' or 'T', ':'
        for p in (11, 12, 14, 15, 17, 18):
            t &= (byte(p) - 48) <= 9
        shape &= ~has_time | t

    def digits(a: int, b: int) -> np.ndarray:
        out = np.zeros(len(pick), dtype=np.int64)
        for p in range(a, b):
            out = out * 10 + byte(p) - 48
        return out

    days, ok = _days(digits(0, 4), digits(5, 7), digits(8, 10))
    if has_time.any():
        minus1 = np.int64(-1)
        hh = np.where(has_time, digits(11, 13), minus1)
        mi = np.where(has_time, digits(14, 16), minus1)
        ss = np.where(has_time, digits(17, 19), minus1)
    else:
        hh = mi = ss = np.full(len(pick), -1, dtype=np.int64)
    us = _combine(days, ok, hh, mi, ss)
    return rows[pick[shape]], us[shape]


def _serials(arr: pa.Array) -> np.ndarray:
    x = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    ok = (x >= 1) & (x < _EXCEL_MAX_SERIAL)
    secs = np.round(np.where(ok, x, 0) * 86400).astype(np.int64)
    return np.where(ok, _EXCEL_EPOCH_US + secs * 1_000_000, NAT)


def _strftime(arr: pa.Array, fmt: str) -> np.ndarray:
    parsed = pd.to_datetime(pd.Series(arr.to_pylist(), dtype=object), format=fmt, errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    return parsed.astype(DATETIME_DTYPE).to_numpy().astype(np.int64)


def _example(arr: pa.Array, positions: np.ndarray) -> str:
    return str(arr[int(positions[0])].as_py()) if len(positions) else ""


# ------------------------------------------------------------------------------------------ the parser
def _parse_distinct(
    arr: pa.Array, counts: np.ndarray, label: str, column: str, declared: str | None, column_has_other: bool
) -> tuple[np.ndarray, str | None, np.ndarray]:
    """Parse distinct, non-empty, non-canonical strings.

    Returns (int64 microseconds or NAT per value, a note for the user, a hint per value for failures).
    `column_has_other` says the column also holds values not given here (so it is not all numbers).
    """
    n = len(arr)
    out = np.full(n, NAT, dtype=np.int64)
    todo = np.arange(n)
    notes: list[str] = []
    hints = np.full(n, "", dtype=object)
    if n == 0:
        return out, None, hints

    explicit = declared if declared and "%" in declared else None
    if explicit:
        parsed = _strftime(arr, explicit)
        out = np.where(parsed != NAT, parsed, out)
        todo = np.flatnonzero(parsed == NAT)

    # Year-first forms are unambiguous and always accepted. A value matching a form but impossible as a
    # date (2026-02-30) fails; no other reading is tried for it.
    pos, st = _matched(arr, todo, _YMD)
    if len(pos):
        out[pos] = _compose(st, _to_int(st.field("y")), _to_int(st.field("m")), _to_int(st.field("d")))
        todo = np.setdiff1d(todo, pos, assume_unique=True)
    pos, st = _matched(arr, todo, _YMD8)
    if len(pos):
        days, ok = _days(_to_int(st.field("y")), _to_int(st.field("m")), _to_int(st.field("d")))
        out[pos] = np.where(ok, days * _US_PER_DAY, NAT)
        todo = np.setdiff1d(todo, pos, assume_unique=True)
    pos, st = _matched(arr, todo, _YMD14)
    if len(pos):
        days, ok = _days(_to_int(st.field("y")), _to_int(st.field("m")), _to_int(st.field("d")))
        out[pos] = _combine(days, ok, _to_int(st.field("H")), _to_int(st.field("M")), _to_int(st.field("S")))
        todo = np.setdiff1d(todo, pos, assume_unique=True)

    # Numbers: Excel serials when the whole column is numeric or the mapping says so.
    is_num = _bools(pc.match_substring_regex(arr, _NUM))
    all_numeric = is_num.all() and not column_has_other
    if declared == "excel_serial" or (all_numeric and not explicit):
        pos, _ = _matched(arr, todo, _SERIAL)
        if len(pos):
            out[pos] = _serials(arr.take(pa.array(pos)))
            todo = np.setdiff1d(todo, pos, assume_unique=True)
            notes.append(f"{label}：数字按 Excel 日期序列号解读")
    elif not explicit:
        num_left = todo[is_num[todo]]
        hints[num_left] = NUMBER_HINT

    # Day/month/year or month/day/year: the column decides, never the row.
    pos, st = _matched(arr, todo, _DMY)
    if len(pos) and not explicit and declared not in ("year_first", "excel_serial"):
        a, b = _to_int(st.field("a")), _to_int(st.field("b"))
        day_ev, month_ev = (a > 12) & (b <= 12), (b > 12) & (a <= 12)
        order = declared if declared in ("day_first", "month_first") else None
        n_day, n_month = int(counts[pos[day_ev]].sum()), int(counts[pos[month_ev]].sum())
        if order is not None:
            # A declaration the values contradict is a mistake, not a few bad rows: 09/13/2016 can only be
            # month-first, and storing 09/12/2016 as 9 December for the rest would be silently wrong. Refused
            # when most values contradict it, or when some do and none can only be read the declared way (a
            # month of dates in its first twelve days contradicts only on the 13th and later).
            contra, total = (n_month if order == "day_first" else n_day), int(counts[pos].sum())
            support = n_day if order == "day_first" else n_month
            if contra * 2 > total or (contra and not support):
                said, seen = ("日/月/年", "月/日/年") if order == "day_first" else ("月/日/年", "日/月/年")
                example = _example(arr, pos[month_ev if order == "day_first" else day_ev])
                raise ExtractError(
                    f"列 {label} 在映射文件中声明为{said}（{order}），但 {contra:,} / {total:,} 行的值（如 {example}）"
                    f"只能按{seen}解读，{'且没有一行只能按' + said + '解读，' if not support else ''}"
                    f"声明与数据矛盾，未导入。请改正映射文件中的 [dates] {column}。"
                )
        if order is None:
            if n_day == 0 and n_month == 0:
                raise ExtractError(
                    f"列 {label} 的日期格式无法判断是日/月/年还是月/日/年（如 {_example(arr, pos)}，"
                    f'所有值的前两段都不大于 12），请在映射文件中声明，例如 [dates] {column} = "day_first"'
                    f'（日/月/年）或 {column} = "month_first"（月/日/年）。'
                )
            order = "day_first" if n_day >= n_month else "month_first"
            word = "日/月/年" if order == "day_first" else "月/日/年"
            if n_day and n_month:
                other = _example(arr, pos[month_ev if order == "day_first" else day_ev])
                notes.append(f"{label}：该列日期写法不一致（如 {other}），按多数行的{word}解读，与之矛盾的行无法解析")
                hints[pos] = f"（该列按{word}解读，如需其他解读，请在映射文件的 [dates] 中声明 {column}）"
            elif order == "day_first":
                notes.append(f"{label}：按{word}解读（依据：如 {_example(arr, pos[day_ev])} 的第一段大于 12）")
            else:
                notes.append(f"{label}：按{word}解读（依据：如 {_example(arr, pos[month_ev])} 的第二段大于 12）")
        day, month = (a, b) if order == "day_first" else (b, a)
        out[pos] = _compose(st, _to_int(st.field("y")), month, day)
    if declared:
        words = {
            "day_first": "日/月/年",
            "month_first": "月/日/年",
            "year_first": "年份在前",
            "excel_serial": "Excel 序列号",
        }
        unexplained = (out == NAT) & (hints == "")
        hints[unexplained] = f"（映射文件声明的日期写法为 {words.get(declared, declared)}）"
    return out, ("；".join(notes) or None), hints


def _encode(arr: pa.Array, rows: np.ndarray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Distinct values among `rows` of `arr`, each row's code, and each value's row count."""
    enc = pc.dictionary_encode(arr.take(pa.array(rows)))
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return enc.dictionary, codes, np.bincount(codes, minlength=len(enc.dictionary))


def _arrow(values: pd.Series) -> pa.Array:
    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    return arr


def parse_datetimes(
    values: pd.Series, label: str, column: str, declared: str | None = None, *, _column_has_other: bool = False
) -> ParsedColumn:
    """Parse a column of trimmed strings (NA = missing) into naive local datetimes.

    `label` is the column's 表头 for messages, `column` its canonical name (for the mapping example), and
    `declared` the mapping's format: a strftime format, "day_first", "month_first", "year_first",
    "excel_serial" or None. Raises ExtractError when day-first vs month-first cannot be decided.
    """
    arr = _arrow(values)
    n = len(arr)
    out = np.full(n, NAT, dtype=np.int64)
    hints = np.full(n, "", dtype=object)
    present = _bools(pc.is_valid(arr))
    note = None
    explicit = declared is not None and "%" in declared
    canon_rows = np.empty(0, np.int64)
    if not explicit:
        canon_rows, us = _canonical(arr)
        out[canon_rows] = us
    rest = np.flatnonzero(present)
    if len(canon_rows):
        rest = np.setdiff1d(rest, canon_rows, assume_unique=True)
    if len(rest):
        distinct, codes, counts = _encode(arr, rest)
        parsed, note, value_hints = _parse_distinct(
            distinct, counts, label, column, declared, column_has_other=bool(len(canon_rows)) or _column_has_other
        )
        out[rest] = parsed[codes]
        hints[rest] = value_hints[codes]
    failed = present & (out == NAT)
    hints[~failed] = ""
    result = pd.Series(out.view("datetime64[us]"), index=values.index, dtype=DATETIME_DTYPE)
    return ParsedColumn(result, failed, note, hints)


def parse_months(values: pd.Series, label: str, column: str, declared: str | None = None) -> ParsedColumn:
    """Parse a month column into 'YYYY-MM' strings.

    Accepts 2026-10, 2026/10, 2026.10, 2026年10月, 202610, and any full date or timestamp (its month),
    including Excel serials when the whole column is numeric.
    """
    arr = _arrow(values)
    n = len(arr)
    months = np.zeros(n, dtype=np.int64)  # months since 1970-01
    got = np.zeros(n, dtype=bool)
    hints = np.full(n, "", dtype=object)
    present = _bools(pc.is_valid(arr))
    note = None
    explicit = declared is not None and "%" in declared
    todo = np.flatnonzero(present)
    if not explicit:
        for pattern in (_MONTH_CANONICAL, _MONTH, _MONTH6):
            if pattern == _MONTH_CANONICAL:
                pos = todo[_bools(pc.match_substring_regex(arr.take(pa.array(todo)), pattern))] if len(todo) else todo
                if not len(pos):
                    continue
                sub = arr.take(pa.array(pos))
                y = pc.cast(pc.utf8_slice_codeunits(sub, 0, 4), pa.int64()).to_numpy(zero_copy_only=False)
                m = pc.cast(pc.utf8_slice_codeunits(sub, 5, 7), pa.int64()).to_numpy(zero_copy_only=False)
            else:
                pos, st = _matched(arr, todo, pattern)
                if not len(pos):
                    continue
                y, m = _to_int(st.field("y")), _to_int(st.field("m"))
            ok = (y >= 1000) & (m >= 1) & (m <= 12)
            months[pos] = (y - 1970) * 12 + m - 1
            got[pos] = ok
            todo = np.setdiff1d(todo, pos, assume_unique=True)
    if len(todo):
        # Full dates and timestamps (and serials): parse as dates, keep the month.
        parsed = parse_datetimes(
            values.iloc[todo].reset_index(drop=True),
            label,
            column,
            declared,
            _column_has_other=len(todo) < int(present.sum()),
        )
        us = parsed.values.to_numpy().astype(np.int64)
        good = us != NAT
        months[todo[good]] = us[good].view("datetime64[us]").astype("datetime64[M]").astype(np.int64)
        got[todo[good]] = True
        hints[todo] = parsed.hints
        note = parsed.note
    failed = present & ~got
    text = np.datetime_as_string(months.astype("datetime64[M]"), unit="M")
    result = pd.Series(text, index=values.index, dtype="str").where(got)
    hints[~failed] = ""
    return ParsedColumn(result, failed, note, hints)
