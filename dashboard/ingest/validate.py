"""Checking an extract against the data contract: typed clean rows, and quarantined rows with reasons.

Every row ends up in exactly one of `clean` and `quarantine`; nothing is dropped or fixed silently.
Values are trimmed and, when a mapping file gives a value map for the column, translated first; the
quarantine keeps the row as it was read. Reasons are Chinese, name the column by its 表头 and quote the
offending value; a row breaking several rules lists them all, joined by '；'.

All checks are vectorised (pandas/pyarrow/numpy); Python loops run only over distinct values of a
value-mapped column and over the rows that fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import clock, config, schema
from dashboard.ingest.dates import parse_datetimes, parse_months
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.mapping import DEFAULT_VALUE, Mapping
from dashboard.ingest.readers import Extract
from dashboard.text.masking import mask as mask_text

TRUE_WORDS = ("是", "true", "1", "y", "yes")
FALSE_WORDS = ("否", "false", "0", "n", "no")
# The quarantine's reason column. Not 'reason': that is a canonical complaints column (投诉原因).
REASON_COLUMN = "quarantine_reason"
REASON_HEADER_ZH = "隔离原因"
DUPLICATE_COMPLAINT = (
    "文件内投诉编号重复，以提取时间较新的一行为准（缺少提取时间时以处理进度靠后的一行为准，不使已办结的投诉重新打开，"
    "再以较后的一行为准）"
)
_BOOL_HINT = "（应为 是/否、true/false、1/0、Y/N）"
REFERRAL_CHANNEL = "监管转办"  # the channel that is a regulator's referral (schema.CHANNELS)
_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
# An id as Excel writes a number of more than 11 digits in a CSV it saves (2.02611E+19): the sign after E is
# what Excel always writes, so that ids such as 12E3 or E2026 stay ordinary ids.
_SCIENTIFIC = r"^[+-]?\d+(?:\.\d+)?[eE][+-]\d+$"
_PLAIN_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
# The contract's time zone: extract times are Asia/Shanghai wall-clock times, whatever the server's zone.
CONTRACT_ZONE = clock.ZONE
# received_at/closed_at/extracted_at may run this far past the import time (both in CONTRACT_ZONE): a
# source system's clock a little ahead. Beyond it a time is a typo (2099) that would become the data's
# as-of time, or, for extracted_at, make its row win against every later extract.
FUTURE_TOLERANCE = timedelta(minutes=15)
# decimal(18, 2), the stored type of 涉及金额: 16 digits before the point.
AMOUNT_LIMIT = 1e16
COUNT_LIMIT = 2**53  # customer_count: integers a float64 holds exactly (and a bigint stores)


@dataclass
class Validated:
    clean: pd.DataFrame  # typed, the table's canonical columns only, file order
    quarantine: pd.DataFrame  # rows as read (canonical columns as strings) + source_row + REASON_COLUMN
    notes: list[str] = field(default_factory=list)  # how columns were read (e.g. dates as day-first)
    # values of optional columns read as empty instead of costing the row (the import summary shows them)
    warnings: list[str] = field(default_factory=list)
    # organisation codes of the file that are not known but a known code is them without leading zeros
    # (the organisation table lost its zeros): file code -> known code, and the rows holding one
    lost_zero_codes: dict[str, str] = field(default_factory=dict)
    lost_zero_rows: int = 0


class _Findings:
    """Row-level reasons, collected rule by rule, only for the rows that fail."""

    def __init__(self, n: int):
        self.n = n
        self.bad = np.zeros(n, dtype=bool)
        self._text = np.full(n, None, dtype=object)

    def add(self, mask, text: str, values: pd.Series | None = None, suffix: str | np.ndarray = "") -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        if values is None:
            msgs = np.full(len(idx), text, dtype=object)
        else:
            # The quoted value masked (a card number typed into 涉及金额): reasons reach the CLI summary,
            # the quarantine and its export. Each distinct value is masked once.
            vals = values.iloc[idx].astype(object).to_numpy()
            # "；" joins a row's reasons: a value's own is shown as ";" so that the reason stays one
            masked = {v: mask_text(v).replace("；", ";") for v in {str(v) for v in vals}}
            msgs = np.array([f"{text}{masked[str(v)]}" for v in vals], dtype=object)
        if isinstance(suffix, np.ndarray):
            msgs = msgs + suffix[idx].astype(object)
        elif suffix:
            msgs = msgs + suffix
        seen = self.bad[idx]
        self._text[idx[~seen]] = msgs[~seen]
        if seen.any():
            self._text[idx[seen]] = self._text[idx[seen]] + "；" + msgs[seen]
        self.bad[idx] = True

    def first(self, mask: np.ndarray, msgs: np.ndarray, only: np.ndarray) -> None:
        """`msgs` (one per row) put before the reasons of the rows of `mask`: the cause the others follow from;
        for the rows of `only`, instead of them (what the others say is then only its consequence)."""
        self._text[only] = msgs[only]
        self.bad[only] = True
        idx = np.flatnonzero(mask & ~only)
        if not len(idx):
            return
        seen = self.bad[idx]
        self._text[idx[~seen]] = msgs[idx[~seen]]
        if seen.any():
            self._text[idx[seen]] = msgs[idx[seen]] + "；" + self._text[idx[seen]]
        self.bad[idx] = True

    def reasons(self) -> np.ndarray:
        """Joined reasons of the failing rows, in row order."""
        return self._text[self.bad]


def _trim(s: pd.Series) -> pd.Series:
    """Surrounding whitespace (incl. full-width spaces) removed; empty -> NA. Result dtype 'str'."""
    arr = pc.utf8_trim_whitespace(_arrow(s))
    empty = pc.equal(arr, "")
    if pc.any(empty).as_py():
        arr = pc.if_else(empty, pa.scalar(None, arr.type), arr)
    return pd.Series(arr.to_pandas(), index=s.index)


# Free text keeps its characters as written (full-width punctuation is ordinary Chinese writing); every other
# column (codes, ids, enums, dates, months, numbers, flags) is read after NFKC, so that full-width digits and
# signs typed by an IME (１３８…, ２０２６-１０-０１, ０１０１, 是否 as １/０) mean what they show (hostile finding
# H1: they were refused with a reason quoting the value as ASCII, which looked valid).
FREE_TEXT = frozenset({"content", "product", "branch_name", "province", "city"})


# Ids and codes: what tells two records apart, so nothing invisible may (hostile H92: 投诉编号 C01 and C01 with
# a zero-width space made two complaints). Letter case is kept: c01 and C01 may be two ids in a source system.
ID_COLUMNS = schema.ID_COLUMNS


# ="010001": what exporters write so that Excel keeps a value as text (and its leading zeros); "" inside is
# one quote, as in an Excel string literal. Anything else after = (="a" & "b") is not the wrapper.
_EXCEL_TEXT = r'^="((?:[^"]|"")*)"$'


def _unwrap_excel_text(s: pd.Series) -> tuple[pd.Series, np.ndarray | None]:
    """A trimmed column with each ="…" read as the text inside it, trimmed (hostile H145: 投诉编号 ="EQ00" was
    stored with the wrapper, another complaint than next month's EQ00); and which values were (None: none)."""
    arr = _arrow(s)
    if not pc.any(pc.fill_null(pc.starts_with(arr, '="'), False)).as_py():
        return s, None
    wrapped = pc.fill_null(pc.match_substring_regex(arr, _EXCEL_TEXT), False)
    if not pc.any(wrapped).as_py():
        return s, None
    inner = pc.replace_substring(pc.replace_substring_regex(arr, _EXCEL_TEXT, r"\1"), '""', '"')
    unwrapped = _trim(pd.Series(pc.if_else(wrapped, inner, arr).to_pandas(), index=s.index))
    return unwrapped, _bools_np(wrapped)


def _strip_format_chars(s: pd.Series) -> pd.Series:
    """Zero-width and other format characters (Unicode category Cf: U+200B, U+FEFF, U+2060 …) removed
    anywhere in the value, then trimmed; only when the column holds one."""
    arr = _arrow(s)
    if not pc.any(pc.fill_null(pc.match_substring_regex(arr, r"\p{Cf}"), False)).as_py():
        return s
    return _trim(pd.Series(pc.replace_substring_regex(arr, r"\p{Cf}", "").to_pandas(), index=s.index))


def _nfkc(s: pd.Series) -> pd.Series:
    """Unicode NFKC of a trimmed column, trimmed again; only when it holds a full-width form or the ideographic
    space (U+FF00-FFEF, U+3000): the Chinese values of the enumerations alone cost no normalisation pass."""
    arr = _arrow(s)
    if not pc.any(pc.fill_null(pc.match_substring_regex(arr, "[\u3000\uff00-\uffef]"), False)).as_py():
        return s
    return _trim(pd.Series(pc.utf8_normalize(arr, "NFKC").to_pandas(), index=s.index))


def _arrow(s: pd.Series) -> pa.Array:
    arr = pa.array(s, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if pa.types.is_large_string(arr.type) else arr.cast(pa.large_string())


def _map_values(s: pd.Series, vmap: dict[str, str]) -> pd.Series:
    """Translate a source system's values (exact match first, then ignoring case)."""
    if not vmap:
        return s
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    lower = {k.lower(): v for k, v in vmap.items()}
    default = vmap.get(DEFAULT_VALUE)
    new = [vmap.get(u, lower.get(u.lower(), u if default is None else default)) for u in uniques]
    new = np.array([v if v != "" else None for v in new] + [None], dtype=object)  # "" means empty
    return pd.Series(new[codes], index=s.index, dtype="str")  # code -1 picks the trailing None


def _bools_np(arr) -> np.ndarray:
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False)


def _np(mask: pd.Series) -> np.ndarray:
    return mask.to_numpy(dtype=bool, na_value=False)


def _numbers(s: pd.Series, thousands: bool = True, yuan: bool = False) -> pd.Series:
    """Parse decimals; NaN where not a number. Tolerates '5,000.00' and, if yuan, '¥' and a trailing '元'."""
    arr = _arrow(s)
    if yuan:
        arr = pc.replace_substring_regex(arr, r"^[¥￥]\s*|\s*元$", "")
    if thousands:
        has_sep = pc.match_substring(arr, ",")
        if pc.any(has_sep).as_py():
            ok_sep = pc.match_substring_regex(arr, _THOUSANDS)
            arr = pc.if_else(pc.and_kleene(has_sep, pc.invert(ok_sep)), pa.scalar(None, arr.type), arr)
            arr = pc.replace_substring(arr, ",", "")
    plain = pc.match_substring_regex(arr, _PLAIN_NUMBER)
    arr = pc.if_else(plain, arr, pa.scalar(None, arr.type))
    x = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    x = np.where(np.isfinite(x), x, np.nan)
    return pd.Series(x, index=s.index, dtype="float64")


def _keep_last(keys: pd.DataFrame, order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows that lose to a later duplicate of the same key, and for each row its keeper's position.

    `order` (int64, higher wins) ranks duplicates before file order; rows with a missing key never clash.
    """
    n = len(keys)
    losers = np.zeros(n, dtype=bool)
    keeper = np.full(n, -1, dtype=np.int64)
    if keys.shape[1] == 1:
        # Sort once (Arrow) and compare neighbours: cheap even for a million distinct ids.
        arr = _arrow(keys.iloc[:, 0])
        order_idx = pc.sort_indices(arr).to_numpy(zero_copy_only=False)
        ordered = arr.take(pa.array(order_idx))
        same = _bools_np(pc.equal(ordered.slice(1), ordered.slice(0, n - 1))) if n > 1 else np.zeros(0, bool)
        if not same.any():
            return losers, keeper
        dup_sorted = np.zeros(n, dtype=bool)
        dup_sorted[1:] |= same
        dup_sorted[:-1] |= same
        dup = np.zeros(n, dtype=bool)
        dup[order_idx] = dup_sorted
    else:
        complete = ~keys.isna().any(axis=1).to_numpy()
        dup = complete & keys.duplicated(keep=False).to_numpy()
    if not dup.any():
        return losers, keeper
    sub = keys.loc[dup].copy()
    sub.columns = [f"k{i}" for i in range(sub.shape[1])]
    kcols = list(sub.columns)
    sub["_pos"] = np.flatnonzero(dup)
    sub["_rank"] = order[dup] if order is not None else 0
    sub = sub.sort_values(["_rank", "_pos"], kind="stable")
    last = sub.drop_duplicates(kcols, keep="last")
    merged = sub.merge(last[kcols + ["_pos"]].rename(columns={"_pos": "_keeper"}), on=kcols, how="left")
    pos = merged["_pos"].to_numpy()
    kp = merged["_keeper"].to_numpy()
    losers[pos[pos != kp]] = True
    keeper[pos] = kp
    return losers, keeper


def _kept_suffix(losers: np.ndarray, keeper: np.ndarray, rows: np.ndarray) -> np.ndarray:
    out = np.full(len(losers), "", dtype=object)
    idx = np.flatnonzero(losers)
    out[idx] = [f"（保留第 {r} 行）" for r in rows[keeper[idx]]]
    return out


class _Validator:
    def __init__(
        self,
        extract: Extract,
        known_branches: Iterable[str],
        mapping: Mapping | None,
        now: datetime,
        stored_tree: dict[str, tuple[str | None, str]] | None = None,
        stored_closed: Callable[[pd.Series], set[str]] | None = None,
        stored_padded: Callable[[pd.DataFrame], list[tuple[str, str, str]]] | None = None,
    ):
        self.stored_tree = stored_tree or {}
        self.stored_closed = stored_closed
        self.stored_padded = stored_padded
        self.ex = extract
        self.now = now
        self.table = extract.table
        self.name = extract.path.name
        self.mapping = mapping
        self.frame = extract.frame.reset_index(drop=True)
        self.n = len(self.frame)
        self.known = {str(b).strip() for b in known_branches if b is not None}
        self.find = _Findings(self.n)
        self.lost_zero_codes: dict[str, str] = {}  # a missing code -> the known code it is without its zeros
        self.notes: list[str] = []
        self.warnings: list[str] = []
        self.cols = {c.name: c for c in schema.TABLES[self.table]}
        self.v: dict[str, pd.Series] = {}
        normalised, unwrapped = [], []
        for c in self.cols.values():
            s, wrapped = _unwrap_excel_text(_trim(self.frame[c.name]))
            if wrapped is not None:
                unwrapped.append(f"{c.header_zh} {int(wrapped.sum()):,} 个")
            inside = s  # what the normalisation of ids below starts from
            if c.name in ID_COLUMNS:
                s = _strip_format_chars(s)
            if c.name not in FREE_TEXT:
                s = _nfkc(s)
            if c.name in ID_COLUMNS:
                raw = self.frame[c.name] if wrapped is None else self.frame[c.name].where(~wrapped, inside)
                changed = int((raw.notna() & s.notna() & (raw.astype(str) != s.astype(str))).sum())
                if changed:
                    normalised.append(f"{c.header_zh} {changed:,} 个")
            if mapping is not None:
                vmap = mapping.value_map(c.name)
                if c.kind == "enum" and vmap and DEFAULT_VALUE not in vmap:
                    self._unmapped_share(c, s, vmap)
                s = _map_values(s, vmap)
            self.v[c.name] = s
        self.typed: dict[str, pd.Series] = {}
        if unwrapped:
            self.warnings.append(
                f'已按其中的文本读取 Excel 文本写法 ="…"（导出系统为让 Excel 保留前导零而写）：{"、".join(unwrapped)}'
            )
        if normalised:
            self.warnings.append(
                f"已规范化编号（去掉首尾空格、零宽等不可见字符，全角数字和字母转为半角；大小写不变）：{'、'.join(normalised)}"
            )

    def scientific_ids(self) -> None:
        """Refuse the file when an id is in scientific notation (2.02611E+19, hostile H142): Excel read the
        column as numbers and kept 15 significant digits, so the ids it stands for cannot be known and
        different complaints or customers would become one."""
        found = []
        for c in self.cols.values():
            if c.name not in ID_COLUMNS:
                continue
            hit = _bools_np(pc.match_substring_regex(_arrow(self.v[c.name]), _SCIENTIFIC))
            if not hit.any():
                continue
            rows = self.frame["source_row"].to_numpy()[hit]
            listed = "、".join(f"{r:,}" for r in rows[:10]) + (" 等" if len(rows) > 10 else "")
            example = mask_text(str(self.v[c.name][hit].iloc[0]))
            found.append(f"{c.header_zh}({c.name}) {len(rows):,} 行（第 {listed} 行，如 {example}）")
        if found:
            raise ExtractError(
                f"文件 {self.name} 中的编号是科学计数法，已被 Excel 当作数字处理：{'；'.join(found)}。"
                "这样写出的编号只剩几位有效数字（Excel 的数字最多 15 位），原编号无法从文件中恢复，"
                "不同的编号可能变成了同一个。本次导入未做任何改动。"
                "请把这些列设为文本格式后重新导出（在 Excel 中先把列设为“文本”再粘贴或导入数据），"
                "或直接从源系统导出 CSV（不要用 Excel 打开后另存）。"
            )

    def _unmapped_share(self, c: schema.Column, s: pd.Series, vmap: dict[str, str]) -> None:
        """Refuse the file when values missing from a value map would quarantine more than the mapping's
        stated share of it (a forgotten line silently cost 42 % of a file), unless --accept-unmapped."""
        known = {k.lower() for k in vmap} | {v.lower() for v in c.values}
        counts = s.dropna().value_counts()
        unmapped = counts[[str(v).lower() not in known for v in counts.index]]
        share = unmapped.sum() / max(self.n, 1)
        if share > self.mapping.max_unmapped_share and not self.mapping.accept_unmapped:
            shown = "、".join(f"“{v}”（{n:,} 行）" for v, n in unmapped.head(5).items())
            raise ExtractError(
                f"文件 {self.name} 的 {c.header_zh}({c.name}) 有 {share:.0%} 的行（{unmapped.sum():,} 行）取值既不在映射文件的 "
                f"[values.{c.name}] 中，也不是合同取值，例如 {shown}，这些行将被隔离，超过了映射文件允许的 "
                f'{self.mapping.max_unmapped_share:.0%}（max_unmapped_share）。请补充映射，或加默认值 "*" = "其他"；'
                f"确认隔离这些行时，导入加 --accept-unmapped（数据管理页：勾选“允许未映射取值”）。"
            )

    def derive_status(self) -> None:
        """The mapping's [rules]: closed_at only where the status is closed; a missing status from closed_at."""
        rules = self.mapping.rules if self.mapping else {}
        if rules.get("status") == "from_closed_at":
            derived = np.where(self.present("closed_at"), schema.CLOSED_STATUS, "处理中")
            self.v["status"] = self.v["status"].where(
                self.present("status"), pd.Series(derived, index=self.frame.index)
            )
        if rules.get("closed_at") == "when_closed":
            self.v["closed_at"] = self.v["closed_at"].where(_np(self.v["status"] == schema.CLOSED_STATUS))

    # ---- generic rules
    def cells(self) -> None:
        """Values a store or the text analysis cannot take: longer than the limit, or holding a NUL byte
        (a damaged export; the row is quarantined with its number rather than the text silently altered),
        and ids that are formula text."""
        limit = config.IMPORT_MAX_CELL_CHARS
        for c in self.cols.values():
            arr = _arrow(self.v[c.name])
            length = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
            long = np.nan_to_num(length.astype("float64"), nan=0) > limit
            if long.any():
                self.find.add(
                    long,
                    f"{c.header_zh}过长（超过 {limit:,} 字的上限 IMPORT_MAX_CELL_CHARS），共 ",
                    pd.Series([f"{n:,.0f}" for n in np.nan_to_num(length.astype("float64"))], index=self.frame.index),
                    " 字",
                )
            nul = _bools_np(pc.match_substring(arr, "\x00"))
            if nul.any():
                self.find.add(nul, f"{c.header_zh}含有空字符（NUL，文件可能已损坏）")
            if c.name in ID_COLUMNS:
                # an id still starting with = once ="…" is unwrapped is a formula's text (an .xlsx cell never
                # computed, a CSV's =CONCAT(…)), no number; stored, it would be a complaint, customer or
                # branch of that name (hostile H230)
                formula = _bools_np(pc.starts_with(arr, "="))
                if formula.any():
                    self.find.add(formula, f"{c.header_zh}是公式文本（以 = 开头），不是编号：", self.v[c.name])
                # + - @ start a formula in a spreadsheet too (+1+cmd|…, @SUM(…), -1+1; hostile H247): no
                # complaint id or branch code starts with one; a customer number may be a phone in the
                # international form (+86 138…), so there only + followed by digits, spaces and hyphens passes
                for sign in "+-@":  # a lone "-" (an empty field's placeholder) is no formula
                    shaped = pc.and_(pc.starts_with(arr, sign), pc.greater(pc.utf8_length(arr), 1))
                    if c.name == "customer_id" and sign == "+":
                        shaped = pc.and_(shaped, pc.invert(pc.match_substring_regex(arr, r"^\+[0-9][0-9 \-]*$")))
                    found = _bools_np(shaped)
                    if found.any():
                        self.find.add(found, f"{c.header_zh}是公式文本（以 {sign} 开头），不是编号：", self.v[c.name])

    def zh(self, name: str) -> str:
        return self.cols[name].header_zh

    def present(self, name: str) -> np.ndarray:
        return _np(self.v[name].notna())

    def required(self) -> None:
        for c in self.cols.values():
            if c.required:
                self.find.add(~self.present(c.name), f"{c.header_zh}为空（必填）")

    def strings(self) -> None:
        for c in self.cols.values():
            if c.kind in ("string", "enum"):
                self.typed[c.name] = self.v[c.name]

    def enums(self) -> None:
        for c in self.cols.values():
            if c.kind == "enum":
                s = self.v[c.name]
                bad = self.present(c.name) & ~_np(s.isin(list(c.values)))
                self.find.add(bad, f"{c.header_zh}取值不在合同枚举内：", s)

    def timestamps(self) -> None:
        for c in self.cols.values():
            if c.kind != "timestamp":
                continue
            declared = self.mapping.date_format(c.name) if self.mapping else None
            try:
                parsed = parse_datetimes(self.v[c.name], c.header_zh, c.name, declared)
            except ExtractError as exc:
                raise ExtractError(f"文件 {self.name}：{exc}") from exc
            self.find.add(parsed.failed, f"{c.header_zh}无法解析为日期：", self.v[c.name], parsed.hints)
            if parsed.note:
                self.notes.append(parsed.note)
            self.typed[c.name] = parsed.values

    def branch_exists(self, name: str) -> None:
        s = self.v[name]
        ok = _np(s.isin(list(self.known)))
        missing = self.present(name) & ~ok
        self.find.add(missing, f"{self.zh(name)}不存在于机构表：", s, self._lost_zero_hints(s, missing))

    def _lost_zero_hints(self, s: pd.Series, missing: np.ndarray) -> np.ndarray:
        """A code that is a known code without its leading zeros (Excel stores 080202 typed into a number
        cell as 80202): the reason says so and names the code meant (hostile H38)."""
        hints = np.full(len(s), "", dtype=object)
        digits = [k for k in self.known if isinstance(k, str) and k.isascii() and k.isdigit()]
        padded = {k.lstrip("0"): k for k in digits if k.startswith("0")}
        # the other way round: the organisation table lost its zeros (a branch list kept in Excel, H156)
        bare = {k: k for k in digits if not k.startswith("0") or k == "0"}
        if not (padded or bare) or not missing.any():
            return hints
        for pos in np.flatnonzero(missing):
            value = str(s.iloc[pos])
            if not (value.isascii() and value.isdigit()):
                continue
            if value in padded:
                hints[pos] = (
                    f"（可能是 Excel 把代码存成了数字、丢失了前导 0：是否为 {padded[value]}？"
                    "请把该列设为文本格式后重新导出）"
                )
            elif value.startswith("0") and (value.lstrip("0") or "0") in bare:
                known = bare[value.lstrip("0") or "0"]
                self.lost_zero_codes[value] = known
                hints[pos] = (
                    f"（机构表中有 {known}：可能是机构文件经 Excel 丢失了前导 0，"
                    "请把机构文件的机构代码、上级机构代码列设为文本格式后重新导入机构文件）"
                )
        return hints

    def integer(
        self, name: str, lo: int, hi: int | None, message: str, thousands: bool, report: bool = True
    ) -> pd.Series:
        s = self.v[name]
        x = _numbers(s, thousands=thousands)
        ok = _np(x.notna()) & (np.mod(x.fillna(0.5).to_numpy(), 1) == 0) & _np(x >= lo)
        if hi is not None:
            ok &= _np(x <= hi)
        if report:
            self.find.add(self.present(name) & ~ok, message, s)
        return x.where(ok)

    def boolean(self, name: str, optional_as: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(true, false) masks of a boolean column; a value that is neither is quarantined, or, for an optional
        column (`optional_as`: what an empty value means), read as empty with a warning naming the values and
        rows: a typo in an optional flag must not cost the row (hostile finding H23: a branch quarantined for
        是否营业网点 = “是的”, and then all its complaints as 机构代码不存在)."""
        low = self.v[name].str.lower()
        is_true, is_false = _np(low.isin(list(TRUE_WORDS))), _np(low.isin(list(FALSE_WORDS)))
        bad = self.present(name) & ~is_true & ~is_false
        if optional_as is None:
            self.find.add(bad, f"{self.zh(name)}取值无法识别：", self.v[name], _BOOL_HINT)
        elif bad.any():
            rows = self.frame["source_row"].to_numpy()[bad]
            values = self.v[name].to_numpy()[bad]
            shown = "、".join(f"“{mask_text(str(v))}”（第 {r} 行）" for v, r in list(zip(values, rows))[:10])
            more = f"等 {int(bad.sum()):,} 行" if bad.sum() > 10 else ""
            self.warnings.append(
                f"{self.zh(name)}取值无法识别{_BOOL_HINT}：{shown}{more}；这些行已导入，该列按未填写处理（{optional_as}）"
            )
        return is_true, is_false

    def money(self, name: str) -> pd.Series:
        """A yuan amount >= 0 ('5,000.00', '¥', '元' tolerated); bad values quarantined, NaN when empty."""
        raw = self.v[name]
        x = _numbers(raw, thousands=True, yuan=True)
        negative, huge = _np(x < 0), _np(x >= AMOUNT_LIMIT)
        self.find.add(self.present(name) & _np(x.isna()), f"{self.zh(name)}无法解析为数字：", raw)
        self.find.add(negative, f"{self.zh(name)}不能为负数：", raw)
        self.find.add(huge, f"{self.zh(name)}超出可存储的范围（整数部分最多 16 位），可能误填了卡号或账号：", raw)
        return x.where(~negative & ~huge).astype("float64")

    def section7_complaints(self, referred: np.ndarray) -> None:
        """Contract section 7: granted deadline, referral source, redress paid (all optional)."""
        typed, v = self.typed, self.v
        days = self.integer("deadline_days", 0, None, "", thousands=False, report=False)
        allowed = _np(days.isin(list(schema.DEADLINE_OPTIONS)))
        self.find.add(
            self.present("deadline_days") & ~allowed,
            "办理时限（天）应为 15、30 或 60（15 天为法定时限，30 天为复杂情况延长，60 天为再次延长）：",
            v["deadline_days"],
        )
        typed["deadline_days"] = days.where(allowed).round().astype("Int64")
        source = v["referral_source"]
        self.find.add(
            self.present("referral_source") & ~referred & self.present("regulator_referred"),
            "填写了转送来源，但是否监管转办为否：",
            source,
        )
        typed["redress_amount"] = self.money("redress_amount")

    # ---- complaints
    def complaints(self) -> None:
        self._lost_leading_zero_ids()
        self.cells()
        self.derive_status()
        self.required()
        self.strings()
        self.timestamps()
        self.enums()
        v, typed, find = self.v, self.typed, self.find
        self._open_status_wins()

        recv, closed = typed["received_at"], typed["closed_at"]
        latest = pd.Timestamp(self.now + FUTURE_TOLERANCE)
        find.add(_np(recv > latest), "受理时间晚于导入时间：", v["received_at"])
        find.add(_np(closed > latest), "办结时间晚于导入时间：", v["closed_at"])
        earliest = pd.Timestamp(config.IMPORT_EARLIEST_YEAR, 1, 1)
        placeholder = f"，早于 {config.IMPORT_EARLIEST_YEAR} 年（IMPORT_EARLIEST_YEAR），疑似导出系统空日期的默认值"
        find.add(_np(recv < earliest), "受理时间为 ", v["received_at"], placeholder)
        find.add(_np(closed < earliest), "办结时间为 ", v["closed_at"], placeholder)
        find.add(_np(typed["extracted_at"] > latest), "提取时间晚于导入时间：", v["extracted_at"])
        both = _np(recv.notna() & closed.notna())
        same_day_date_only = _np((closed == closed.dt.normalize()) & (closed.dt.normalize() == recv.dt.normalize()))
        early = both & _np(closed < recv) & ~same_day_date_only
        if early.any():
            pair = "办结 " + v["closed_at"].astype(object) + "，受理 " + v["received_at"].astype(object)
            find.add(early, "办结时间早于受理时间：", pair)

        status = v["status"]
        closed_status = _np(status == schema.CLOSED_STATUS)
        no_closing = closed_status & ~self.present("closed_at")
        if "closed_at" in self.ex.columns_present or self.stored_closed is None:
            find.add(no_closing, "处理状态为已办结，但办结时间为空")
        else:  # the file has no 办结时间 column (or an empty one): a complaint stored as 已办结 keeps its closing time
            kept = _np(v["complaint_id"].isin(self.stored_closed(v["complaint_id"][no_closing])))
            find.add(
                no_closing & ~kept,
                "处理状态为已办结，但文件未提供办结时间（没有该列或该列全空），且此前未以已办结入库（无办结时间可保留）",
            )

        is_true, is_false = self.boolean("regulator_referred")
        # 投诉渠道 监管转办 is the regulator's referral itself: a 否 beside it is counted as referred (H132)
        by_channel = is_false & _np(v["channel"] == REFERRAL_CHANNEL)
        self._warn_rows(
            by_channel,
            f"投诉渠道为{REFERRAL_CHANNEL}，但是否监管转办为否",
            "这些行已导入，按监管转办计（以投诉渠道为准）",
        )
        is_true = is_true | by_channel
        typed["regulator_referred"] = pd.Series(is_true, index=self.frame.index, dtype=bool)

        age = self.integer("customer_age", 0, 120, "客户年龄应为 0 到 120 之间的整数：", thousands=False)
        typed["customer_age"] = age.round().astype("Int64")

        typed["amount"] = self.money("amount")
        self.section7_complaints(is_true)

        self.branch_exists("branch_code")

        losers, keeper = _keep_last(pd.DataFrame({"id": v["complaint_id"]}), self._duplicate_rank(status))
        rows = self.frame["source_row"].to_numpy()
        find.add(losers, DUPLICATE_COMPLAINT + "：", v["complaint_id"], _kept_suffix(losers, keeper, rows))
        self._case_only_ids(v["complaint_id"], rows)

    def _case_only_ids(self, ids: pd.Series, rows: np.ndarray) -> None:
        """Numbers of this file that differ only in case (C001, c001): two complaints, as the store compares
        numbers as written (DATA_CONTRACT decision, hostile H123), with a warning naming them, since a source
        system that ignores case would mean one complaint counted twice."""
        present = ids.notna() & (ids != "")
        if not present.any():
            return
        frame = pd.DataFrame({"id": ids[present], "low": ids[present].str.lower(), "row": rows[_np(present)]})
        spellings = frame.groupby("low")["id"].nunique()
        clash = spellings[spellings > 1].index
        if not len(clash):
            return
        shown = []
        for low in list(clash)[:5]:
            part = frame[frame["low"] == low].drop_duplicates("id")
            shown.append("与".join(f"“{i}”（第 {r} 行）" for i, r in zip(part["id"], part["row"])))
        more = f"等 {len(clash):,} 组" if len(clash) > 5 else ""
        rows_involved = int(frame["low"].isin(clash).sum())
        self.warnings.append(
            f"投诉编号仅大小写不同，按不同投诉分别导入（投诉编号区分大小写）：{'；'.join(shown)}{more}，"
            f"共 {len(clash):,} 组 {rows_involved:,} 行；如为同一投诉，请在源系统统一写法后重新导入"
        )

    def _open_status_wins(self) -> None:
        """处理状态 decides whether a complaint is open (hostile H132): a row still 已受理 or 处理中 is kept and
        counted as open; a 办结时间 or 处理结果 on it (a reopened complaint, a result typed ahead) is read as
        empty, with a warning giving the rows and the count. (已办结 without 办结时间 stays quarantined: no
        closing time can be made up, and the deadline metrics need one.)"""
        v, typed = self.v, self.typed
        status = v["status"]
        open_status = _np(status.isin([s for s in schema.STATUSES if s != schema.CLOSED_STATUS]))
        for name, what in (("closed_at", "办结时间"), ("result", "处理结果")):
            clash = open_status & self.present(name)
            if not clash.any():
                continue
            self._warn_rows(
                clash,
                f"处理状态未办结（已受理或处理中），但填写了{what}",
                f"这些行已导入，按未办结计，{what}按未填写处理（以处理状态为准）",
            )
            v[name] = v[name].mask(clash)
            typed[name] = typed[name].mask(clash)

    def _warn_rows(self, mask: np.ndarray, what: str, effect: str) -> None:
        """A warning naming the rows of `mask` (the first 10) and their count, for rows kept as they are read."""
        if not mask.any():
            return
        rows = self.frame["source_row"].to_numpy()[mask]
        listed = "、".join(str(r) for r in rows[:10]) + ("等" if len(rows) > 10 else "")
        self.warnings.append(f"{what}：{len(rows):,} 行（第 {listed} 行）；{effect}")

    def _duplicate_rank(self, status: pd.Series) -> np.ndarray:
        """Which of a complaint's rows in one file wins (higher; file order breaks ties), by the rule that
        decides between files (DATA_CONTRACT section 1, import_classify_complaints.sql): the newer 提取时间
        when every row of the complaint has one; otherwise the row furthest on (已办结 over 处理中 over 已受理),
        so that two daily extracts pasted in the wrong order never reopen a closed complaint (hostile H48)."""
        ext = self.typed["extracted_at"]
        has_ext = _np(ext.notna())
        ids = self.v["complaint_id"]
        all_have = pd.Series(has_ext, index=ids.index).groupby(ids.to_numpy(), dropna=False).transform("all")
        progress = status.map({s: i for i, s in enumerate(schema.STATUSES, start=1)}).fillna(0).astype(np.int64)
        ext_rank = np.where(has_ext, ext.to_numpy().astype("datetime64[us]").astype(np.int64), np.iinfo(np.int64).min)
        return np.where(all_have.to_numpy(dtype=bool), ext_rank, progress.to_numpy())

    # ---- branches
    def branches(self) -> None:
        self.cells()
        self.required()
        self.strings()
        self.enums()
        v, find = self.v, self.find
        code, parent, level = v["branch_code"], v["parent_code"], v["level"]
        self._lost_leading_zeros(code)

        losers, keeper = _keep_last(pd.DataFrame({"code": code}))
        rows = self.frame["source_row"].to_numpy()
        if losers.any():
            find.add(losers, "文件内机构代码重复，以较后的一行为准：", code, _kept_suffix(losers, keeper, rows))

        is_true, is_false = self.boolean("is_outlet", optional_as="支行视为营业网点，其他层级不是")
        self.typed["is_outlet"] = pd.Series(
            np.where(is_true, True, np.where(is_false, False, None)), index=self.frame.index, dtype="boolean"
        )

        level_ok = _np(level.isin(list(schema.LEVELS)))
        is_head = _np(level == "总行")
        has_parent = self.present("parent_code")
        find.add(level_ok & ~is_head & ~has_parent, "上级机构代码为空（非总行机构必填）")
        self_parent = has_parent & _np(parent == code)
        find.add(self_parent, "上级机构代码不能是本机构自身：", parent)

        file_codes = set(code.dropna().tolist())
        in_known = _np(parent.isin(list(self.known)))
        in_file = _np(parent.isin(list(file_codes)))
        find.add(has_parent & ~in_known & ~in_file & ~self_parent, "上级机构代码不存在于机构表：", parent)
        # A parent that is only in this file must itself pass; repeat down the tree until nothing changes.
        flagged = self._cycles(code, parent)
        self._tree_shape(code, parent, level, has_parent & ~self_parent)
        while True:
            good_codes = set(code[~find.bad & self.present("branch_code")].tolist())
            m = has_parent & in_file & ~in_known & ~self_parent & ~flagged & ~_np(parent.isin(list(good_codes)))
            if not m.any():
                break
            find.add(m, "上级机构代码对应的机构行未通过校验：", parent)
            flagged |= m

    def _lost_leading_zeros(self, code: pd.Series) -> None:
        """Refuse the file when its codes and the stored ones differ only by leading zeros (101 against a
        stored 0101, or the other way round): Excel kept the codes as numbers in one of the two exports, and
        importing it would make a second tree beside the first (hostile H104)."""
        stored = {c.lstrip("0") or "0": c for c in self.stored_tree if c.isdigit()}
        pairs = sorted(
            {
                (c, stored[c.lstrip("0") or "0"])
                for c in code.dropna().unique()
                if c.isdigit() and c not in self.stored_tree and stored.get(c.lstrip("0") or "0", c) != c
            }
        )
        if not pairs:
            return
        shown = "、".join(f"{c}（已入库 {s}）" for c, s in pairs[:10]) + (
            f" 等 {len(pairs):,} 个" if len(pairs) > 10 else ""
        )
        shorter = sum(len(c) < len(s) for c, s in pairs) * 2 >= len(pairs)
        cause = (
            "疑似 Excel 去掉了前导零（机构代码被存成了数字）；请把机构代码列设为文本后重新导出"
            if shorter
            else "疑似此前导入的机构文件被 Excel 去掉了前导零；请核对已入库的机构代码"
        )
        raise ExtractError(
            f"文件 {self.name} 的机构代码与已入库的机构代码只差前导零：{shown}。{cause}。本次导入未做任何改动。"
        )

    def _lost_leading_zero_ids(self) -> None:
        """Refuse the file when its 投诉编号 or 客户号 are stored ids without their leading zeros (7001 against a
        stored 007001): Excel kept the columns as numbers, and the file would add its complaints again
        beside the stored ones, which then stay open for ever, and count one customer as two (hostile H143).
        The other way round (the store holds 7001 from an earlier Excel import) refusing would keep the
        correct ids out for ever: the file is imported and the pairs named."""
        if self.stored_padded is None:
            return
        parts = []
        for name in ("complaint_id", "customer_id"):
            ids = self.v[name].dropna().unique()
            digits = [i for i in ids if i.isascii() and i.isdigit()]
            parts.append(pd.DataFrame({"column_name": name, "id": pd.Series(digits, dtype=object)}))
        pairs = self.stored_padded(pd.concat(parts, ignore_index=True))
        if not pairs:
            return
        lost = [p for p in pairs if len(p[1]) < len(p[2])]
        gained = [p for p in pairs if len(p[1]) > len(p[2])]
        if lost:
            raise ExtractError(
                f"文件 {self.name} 的编号与已入库的编号只差前导零：{self._pairs(lost)}。"
                "疑似 Excel 去掉了前导零（编号被存成了数字）；导入后它们会成为另外的投诉和客户，已入库的投诉不会更新。"
                "本次导入未做任何改动。请把编号列设为文本格式后重新导出，或直接从源系统导出 CSV（不要用 Excel 打开后另存）。"
            )
        self.warnings.append(
            f"编号与已入库的编号只差前导零：{self._pairs(gained)}。疑似此前导入的文件被 Excel 去掉了前导零；"
            "本文件的行已按文件中的编号导入，已入库的那些编号仍在库中（同一投诉可能计为两件、同一客户计为两人），请核对"
        )

    def _pairs(self, pairs: list[tuple[str, str, str]]) -> str:
        """'投诉编号 7001（已入库 007001）、…；客户号 …', at most 10 per column."""
        out = []
        for name in ("complaint_id", "customer_id"):
            mine = [(f, s) for c, f, s in pairs if c == name]
            if mine:
                shown = "、".join(f"{mask_text(f)}（已入库 {mask_text(s)}）" for f, s in mine[:10])
                out.append(f"{self.zh(name)} {shown}" + (f" 等 {len(mine):,} 个" if len(mine) > 10 else ""))
        return "；".join(out)

    def _tree_shape(self, code: pd.Series, parent: pd.Series, level: pd.Series, has_parent: np.ndarray) -> None:
        """The tree as it will be after this file (the stored organisations with this file's rows over them)
        keeps its shape: one 总行, each parent of a higher level than its child (hostile H54: a 一级分行 put
        under another branch's 支行 moved its whole subtree, and its data, into that branch's scope; H57: a
        second root). An existing organisation given another parent is listed in the notes: it changes who
        sees what."""
        rank = {name: i for i, name in enumerate(schema.LEVELS)}
        ok = ~self.find.bad & self.present("branch_code")
        file_level = dict(zip(code[ok].tolist(), level[ok].tolist()))

        def level_of(org):
            return file_level.get(org) or self.stored_tree.get(org, (None, None))[1]

        parent_level = parent.map(lambda p: level_of(p) if isinstance(p, str) else None)
        inverted = np.array(
            [
                bool(m) and pl in rank and lv in rank and rank[pl] >= rank[lv]
                for m, pl, lv in zip(has_parent & ok, parent_level, level)
            ],
            dtype=bool,
        )
        if inverted.any():
            said = pd.Series(
                [f"{lv} {c} 的上级 {p} 是{pl}" for c, p, lv, pl in zip(code, parent, level, parent_level)],
                index=code.index,
            )
            self.find.add(inverted, "上级机构层级不符（上级应比本机构层级高）：", said)
        heads_stored = sorted(c for c, (_, lv) in self.stored_tree.items() if lv == "总行")
        is_head = ok & _np(level == "总行")
        if is_head.any():
            first_head = heads_stored[0] if heads_stored else code[is_head].iloc[0]
            second = is_head & _np(code != first_head)
            self.find.add(second, f"机构表只能有一个总行（已有总行 {first_head}）：", code)
        moved = []
        for c, p, m in zip(code, parent, ~self.find.bad & self.present("branch_code")):
            before = self.stored_tree.get(c)
            if m and before is not None and (before[0] or None) != (p if isinstance(p, str) else None):
                moved.append(f"{c} 上级 {before[0] or '无'} → {p if isinstance(p, str) else '无'}")
        if moved:
            more = f" 等 {len(moved):,} 个" if len(moved) > 10 else ""
            self.notes.append(
                f"机构调整（会改变各用户可见的范围）：{'；'.join(moved[:10])}{more}；"
                "机构树只有当前一版，这些机构以往各月的投诉和客户数也随之计入新的上级机构"
            )

    def _cycles(self, code: pd.Series, parent: pd.Series) -> np.ndarray:
        """Rows whose chain of parents loops back (the tree would have no root), through this file's rows
        and the stored organisations alike (hostile H53: a 一级分行 made the child of its own 支行 passed, as
        the loop ran through a stored row).

        Organisation files are small (thousands of rows), so a walk in Python is fine here.
        """
        ok = ~self.find.bad & self.present("branch_code") & self.present("parent_code")
        mine = dict(zip(code[ok].tolist(), parent[ok].tolist()))
        up = {c: p for c, (p, _) in self.stored_tree.items() if p}
        up.update(mine)
        in_cycle: dict[str, str] = {}
        for start in mine:
            path, node = [start], up[start]
            while node in up and node not in path and len(path) <= len(up):
                path.append(node)
                node = up[node]
            if node == start:  # a row leading into a loop is refused as its parent's child, below
                in_cycle[start] = " → ".join(path + [start])
        mask = np.zeros(self.n, dtype=bool)
        if in_cycle:
            mask = ok & _np(code.isin(list(in_cycle)))
            self.find.add(mask, "上级机构关系形成循环：", code.map(in_cycle))
        return mask

    # ---- customers_monthly
    def customers_monthly(self) -> None:
        self.cells()
        self.required()
        self.strings()
        v, find = self.v, self.find
        self.branch_exists("branch_code")
        declared = self.mapping.date_format("month") if self.mapping else None
        try:
            month = parse_months(v["month"], self.zh("month"), "month", declared)
        except ExtractError as exc:
            raise ExtractError(f"文件 {self.name}：{exc}") from exc
        find.add(
            month.failed,
            "月份无法解析为年月：",
            v["month"],
            np.where(month.hints != "", month.hints, "（应为 YYYY-MM，如 2026-10）").astype(object),
        )
        if month.note:
            self.notes.append(month.note)
        self.typed["month"] = month.values
        this_month = self.now.strftime("%Y-%m")  # months are 'YYYY-MM': text order is time order
        find.add(_np(month.values > this_month), f"月份晚于导入月份（{this_month}）：", v["month"])
        one = self.present("month") & _bools_np(pc.match_substring_regex(_arrow(v["month"]), r"^\d{4}\.1$"))
        if one.any():  # a number cell with it is refused by the reader; text may be Excel's too (hostile H148)
            self.warnings.append(
                f"月份中有 {int(one.sum()):,} 个写作“年.1”的值（如 {v['month'][one].iloc[0]}），已按 1 月读取；"
                "如果是 Excel 把 10 月（如 2026.10）存成的数字，请把月份列写成 2026-10 后重新导入"
            )
        count = self.integer("customer_count", 1, COUNT_LIMIT, "客户数应为大于 0 的整数：", thousands=True)
        self.typed["customer_count"] = count
        elderly = self.integer(
            "elderly_customer_count", 0, COUNT_LIMIT, "老年客户数应为大于或等于 0 的整数：", thousands=True
        )
        over = _np(elderly > count)
        find.add(
            over,
            "老年客户数大于客户数：",
            v["elderly_customer_count"].astype(object) + " > " + v["customer_count"].astype(object),
        )
        self.typed["elderly_customer_count"] = elderly.where(~over)

        keys = pd.DataFrame({"b": v["branch_code"], "m": month.values})
        losers, keeper = _keep_last(keys)
        if losers.any():
            rows = self.frame["source_row"].to_numpy()
            label = v["branch_code"].astype(object) + " " + month.values.astype(object)
            find.add(
                losers, "文件内同一机构同一月份重复，以较后的一行为准：", label, _kept_suffix(losers, keeper, rows)
            )

    # ---- output
    def short_rows(self) -> None:
        """CSV rows with fewer fields than the header (hostile H229: a value left out moved the rest one column
        to the left, and each row was quarantined with unrelated reasons). Exporters that leave out trailing
        empty fields write such rows too, so a short row is kept when its values pass and its last field is
        not empty (what those exporters never write); the others are quarantined with the cause: alone when the
        last field is empty (the row is certainly shifted, its other failures follow from it), else first.
        When no row survives that way the file is refused, as when rows have more fields than the header."""
        short, m = self.ex.short_rows, self.ex.header_fields
        if not short:
            return
        rows = self.frame["source_row"].to_numpy()
        found = [short.get(int(r)) for r in rows]
        is_short = np.array([f is not None for f in found], dtype=bool)
        last_empty = np.array([f is not None and f[1] for f in found], dtype=bool)
        shifted = is_short & (last_empty | self.find.bad)
        if not shifted.any():
            return
        fields = np.array([f[0] if f is not None else 0 for f in found])
        if shifted.all():
            first = int(rows[0])  # source_row, as the quarantine numbers rows
            raise ExtractError(
                f"文件 {self.name} 每个数据行的字段都少于表头（如第 {first} 行有 {fields[0]} 个字段，表头有 {m} 个），"
                "其后各列的值已错位，可能漏写了某一列的值或分隔符。本次导入未做任何改动。请检查导出设置后重新导出。"
            )
        msgs = np.array([f"字段数少于表头（{n} 个，表头 {m} 个），其后各列的值可能错位" for n in fields], dtype=object)
        self.find.first(shifted, msgs, only=is_short & last_empty)

    def result(self) -> Validated:
        bad = self.find.bad
        keep = np.flatnonzero(~bad) if bad.any() else None  # None: every row is clean, no copy
        clean = {}
        for c in self.cols.values():
            s = self.typed[c.name]
            if keep is not None:
                s = s.iloc[keep]
            if c.name == "customer_count":
                s = s.astype("int64")
            elif c.kind == "timestamp":
                s = s.astype("datetime64[us]")
            clean[c.name] = s.reset_index(drop=True)
        clean_df = pd.DataFrame(clean, columns=list(self.cols))
        quarantine = self.frame.loc[bad].copy()
        quarantine[REASON_COLUMN] = pd.Series(self.find.reasons(), dtype="str", index=quarantine.index)
        rows = 0
        if self.lost_zero_codes:
            rows = int(_np(self.v["branch_code"].isin(list(self.lost_zero_codes))).sum())
        return Validated(
            clean_df, quarantine.reset_index(drop=True), self.notes, self.warnings, self.lost_zero_codes, rows
        )


def validate(
    extract: Extract,
    known_branches: set[str],
    mapping: Mapping | None = None,
    now: datetime | None = None,
    stored_tree: dict[str, tuple[str | None, str]] | None = None,
    stored_closed: Callable[[pd.Series], set[str]] | None = None,
    stored_padded: Callable[[pd.DataFrame], list[tuple[str, str, str]]] | None = None,
) -> Validated:
    """Check every contract rule; return typed clean rows and quarantined rows with Chinese reasons.

    `known_branches` are the organisation codes already known (store plus branches imported in the same
    batch); a branches extract's own codes are added for its parent check. `mapping` defaults to the one
    the extract was read with. Raises ExtractError only for a file-level problem: a date column whose
    day/month order cannot be decided (the message says how to declare it). `now` is the import time
    (dates later than it by more than FUTURE_TOLERANCE are quarantined): a naive Asia/Shanghai time,
    as the extracts' times are, or an aware one (converted); by default the current time there.
    `stored_tree` (organisation code -> (parent code, level)) is the stored organisation tree, against
    which a branches extract's cycles, levels and root are checked. `stored_closed(ids)`: which of these
    complaint ids the store holds as 已办结 with a closing time (asked only of a complaints file without
    the 办结时间 column, whose 已办结 rows keep the stored closing time). `stored_padded(ids)`: of a frame
    (column_name, id) of the file's digits-only 投诉编号 and 客户号, the (column_name, id, stored id) whose
    stored id differs only by leading zeros (queries/import_lost_zero_ids.sql).
    """
    if mapping is None:
        mapping = extract.mapping
    now = clock.local_now().replace(microsecond=0) if now is None else now
    if now.tzinfo is not None:
        now = now.astimezone(CONTRACT_ZONE).replace(tzinfo=None)
    v = _Validator(extract, known_branches, mapping, now, stored_tree, stored_closed, stored_padded)
    v.scientific_ids()
    getattr(v, extract.table)()
    v.short_rows()
    return v.result()
