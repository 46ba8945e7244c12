"""Recognising an extract's header row: which table it holds and which source column is which canonical one.

Headers match the canonical English name (case, spaces, '_' and '-' ignored: "Complaint ID" = complaint_id)
or the Chinese 表头 from schema.py (whitespace, a BOM, a leading '*' and a trailing unit in brackets such
as "涉及金额（元）" ignored). A mapping file's [headers] (canonical -> source header) is applied first.
The table is the one whose required columns are all present, in schema.TABLES order (complaints first:
its required set is the largest), unless the mapping forces one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard import schema
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.mapping import Mapping

_UNIT_SUFFIX = re.compile(r"[（(][^（）()]*[)）]$")

# Other Chinese headers source systems use for a column (contract section 7's optional columns have no
# settled name yet): recognised like the 表头 itself.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "complaints": {
        "deadline_days": ("办理时限", "办理期限", "处理时限", "办结时限", "时限天数"),
        "referral_source": ("转办来源", "监管转送来源", "转送渠道"),
        "redress_amount": ("补偿金额", "赔偿金额", "赔付金额", "退赔金额"),
    },
    "branches": {"is_outlet": ("是否网点", "营业网点")},
    "customers_monthly": {"elderly_customer_count": ("老年客户数量", "60岁及以上客户数")},
}


# The units a header may state for a column, as the contract reads its values (lower case); any other unit in
# brackets (涉及金额（万元）, 客户数（万户）, 受理时间（UTC）) refuses the file: the values would be read in the
# contract's unit, 10,000-fold or 8 hours off (hostile H165). Columns not listed take any bracketed note.
_MONEY = ("元", "人民币元", "人民币", "rmb", "cny")
_COUNT = ("户", "人", "个", "位")
_LOCAL = ("北京时间", "东八区", "utc+8", "utc+08:00", "gmt+8", "gmt+08:00")
CONTRACT_UNITS: dict[str, tuple[str, ...]] = {
    "amount": _MONEY,
    "redress_amount": _MONEY,
    "customer_count": _COUNT,
    "elderly_customer_count": _COUNT,
    "customer_age": ("岁", "周岁"),
    "deadline_days": ("天", "日", "自然日"),
    "received_at": _LOCAL,
    "closed_at": _LOCAL,
    "extracted_at": _LOCAL,
}
_CONTRACT_UNIT_ZH = {
    "amount": "元",
    "redress_amount": "元",
    "customer_count": "户",
    "elderly_customer_count": "户",
    "customer_age": "岁",
    "deadline_days": "天（自然日）",
    "received_at": "北京时间",
    "closed_at": "北京时间",
    "extracted_at": "北京时间",
}


def refuse_other_units(rec: "Recognition", headers: list[object], file_name: str) -> None:
    """Refuse a file whose header states a unit the contract does not read its column in (see CONTRACT_UNITS)."""
    wrong = []
    for canon, idx in rec.positions.items():
        allowed = CONTRACT_UNITS.get(canon)
        shown = clean_header(headers[idx]) if idx < len(headers) else ""
        found = _UNIT_SUFFIX.search(shown)
        if allowed is None or found is None:
            continue
        unit = found.group(0)[1:-1].strip()
        if unit and re.sub(r"\s+", "", unit.lower()) not in allowed:
            wrong.append(f"“{shown}”标明的单位是“{unit}”，而{label(rec.table, canon)}按{_CONTRACT_UNIT_ZH[canon]}读取")
    if wrong:
        raise ExtractError(
            f"文件 {file_name} 的表头单位与数据合同不符：{'；'.join(wrong)}。按原样导入，数值会被当作合同单位"
            "（例如 12.5 万元会成为 12.5 元）。本次导入未做任何改动。请换算为合同单位后重新导出"
            "（表头可写作“涉及金额（元）”或不写单位）。"
        )


def clean_header(value: object) -> str:
    """The header as shown to the user: BOM and surrounding whitespace removed."""
    return "" if value is None else str(value).replace("\ufeff", "").strip()


def header_key(value: object) -> str:
    """Comparison key: lower case, no whitespace, '_' or '-', no leading '*'."""
    return re.sub(r"[\s_\-]+", "", clean_header(value).lstrip("*＊").lower())


def _unit_stripped(key: str) -> str:
    return _UNIT_SUFFIX.sub("", key)


def label(table: str, name: str) -> str:
    """'受理时间(received_at)': how a column is named in messages."""
    return f"{schema.header_zh(table, name)}({name})"


@dataclass
class Recognition:
    table: str
    positions: dict[str, int]  # canonical name -> index of the source column
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Attempt:
    table: str
    positions: dict[str, int]
    missing: list[str]
    error: str | None = None
    mapped_missing: dict[str, str] = field(default_factory=dict)  # canonical -> mapped header not found


def _attempt(table: str, headers: list[str], mapping: Mapping | None) -> _Attempt:
    cols = schema.TABLES[table]
    names = {c.name for c in cols}
    keys: dict[str, str] = {}
    for c in cols:
        keys[header_key(c.name)] = c.name
        keys[header_key(c.header_zh)] = c.name
        keys.setdefault(_unit_stripped(header_key(c.header_zh)), c.name)  # 办理时限（天） as 办理时限(天)
        for alias in ALIASES.get(table, {}).get(c.name, ()):
            keys.setdefault(header_key(alias), c.name)
    positions: dict[str, int] = {}
    used: set[int] = set()
    mapped_missing: dict[str, str] = {}
    error = None

    if mapping is not None:
        for canon, src in mapping.headers.items():
            if canon not in names:
                continue
            hits = [i for i, h in enumerate(headers) if header_key(h) == header_key(src)]
            if not hits:
                mapped_missing[canon] = src
            elif len(hits) > 1:
                error = f"映射文件指定的表头“{src}”在文件中出现了 {len(hits)} 次（第 {'、'.join(str(i + 1) for i in hits)} 列）。"
            else:
                positions[canon] = hits[0]
                used.add(hits[0])

    found: dict[str, list[int]] = {}
    for i, h in enumerate(headers):
        if i in used:
            continue
        k = header_key(h)
        canon = keys.get(k) or keys.get(_unit_stripped(k))
        if canon is not None and canon not in positions:
            found.setdefault(canon, []).append(i)
    for canon, idxs in found.items():
        if len(idxs) > 1 and error is None:
            shown = "、".join(f"第 {i + 1} 列“{headers[i]}”" for i in idxs)
            error = f"列 {label(table, canon)} 在文件中出现了多次：{shown}，无法确定使用哪一列。"
        positions[canon] = idxs[-1]
    missing = [
        c.name
        for c in cols
        if c.required and c.name not in positions and not (mapping is not None and mapping.provides(c.name))
    ]
    return _Attempt(table, positions, missing, error, mapped_missing)


def two_row_header(upper: list[str | None], lower: list[str | None]) -> list[str | None]:
    """One header from a two-row one (a group row over the field names, the usual layout of a bank's Excel
    report): each column's lower name, or, where the lower cell is empty (a name merged down over both rows),
    the upper one."""
    width = max(len(upper), len(lower))
    upper, lower = list(upper) + [None] * (width - len(upper)), list(lower) + [None] * (width - len(lower))
    return [lo if lo else up for up, lo in zip(upper, lower, strict=True)]


def recognise(headers: list[object], file_name: str, mapping: Mapping | None = None) -> Recognition:
    """Decide the table and the column positions; raise ExtractError (Chinese) when it cannot."""
    shown = [clean_header(h) for h in headers]
    forced = mapping.table if mapping is not None else None
    tables = [forced] if forced else list(schema.TABLES)
    attempts = [_attempt(t, shown, mapping) for t in tables]
    chosen = next((a for a in attempts if not a.missing), None)

    if chosen is None:

        def score(a: _Attempt) -> float:
            req = len(schema.required_columns(a.table))
            return (req - len(a.missing)) / req

        best = max(attempts, key=score)  # max keeps the first on ties: complaints, branches, customers
        if score(best) == 0 and not forced:
            first = "、".join(h for h in shown[:8] if h) + ("…" if len(shown) > 8 else "")
            raise ExtractError(
                f"文件 {file_name} 的表头无法识别：未找到投诉工单、机构或月度客户数的必填列。文件可能没有表头行，"
                f"或不是本系统的提取文件；如果表头是源系统自己的名称，请提供列映射文件。文件第一行为：{first or '（空）'}"
            )
        parts = []
        for name in best.missing:
            text = label(best.table, name)
            if name in best.mapped_missing:
                text += f"（映射文件指定的表头“{best.mapped_missing[name]}”未找到）"
            parts.append(text)
        raise ExtractError(
            f"文件 {file_name} 缺少必填列：{'、'.join(parts)}（按“{schema.TABLE_LABELS_ZH[best.table]}”表识别）。"
            f"请检查表头，或在映射文件的 [headers] 中指定对应的列。"
        )
    if chosen.error:
        raise ExtractError(f"文件 {file_name}：{chosen.error}")

    warnings = []
    ignored = [h for i, h in enumerate(shown) if h and i not in chosen.positions.values()]
    if ignored:
        warnings.append(f"已忽略不属于“{schema.TABLE_LABELS_ZH[chosen.table]}”表的列：{'、'.join(ignored)}")
    for canon, src in chosen.mapped_missing.items():
        if canon in chosen.positions:
            continue
        # a complaints column the file lacks keeps the stored values (pipeline.import_keep_absent_complaints)
        effect = "已入库投诉的该字段保留原值，新增投诉为空" if chosen.table == "complaints" else "该列按空值处理"
        warnings.append(f"映射文件指定的表头“{src}”（{label(chosen.table, canon)}）在文件中未找到，{effect}")
    return Recognition(chosen.table, chosen.positions, warnings)
