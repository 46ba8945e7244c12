"""Column mapping files (TOML or YAML): header names, value codes and date formats of one source system.

Format (documented for users in docs/mapping.md):

    table = "complaints"                 # optional: force the table instead of recognising it

    [headers]                            # canonical name (or its 表头) -> the extract's header
    complaint_id = "工单号"

    [values.channel]                     # per column: the source's value -> the contract's value
    "01" = "客服热线"

    [dates]                              # per column: strftime format, day_first, month_first,
    received_at = "%d-%m-%Y"             # year_first or excel_serial

    files = ["cfpb_*.csv"]               # optional: the file names it applies to (else every file)
    max_unmapped_share = 0.05            # optional: refuse a file when more rows than this would be
                                         # quarantined for a value missing from [values.*]
    [constants]                          # a column the source lacks, one value for every row
    channel = "监管转办"
    [generated]                          # an id the source lacks: "row" (prefix + row number) or
    complaint_id = { prefix = "CF-", from = "row" }   # from = [columns] (a hash of their values)
    [rules]
    closed_at = "when_closed"            # keep closed_at only on rows whose status is 已办结
    status = "from_closed_at"            # empty status: 已办结 where closed_at is present, else 处理中
    customer_key = "none"                # the source has no customer key: repeat numbers not computed

A source header may feed several columns ([headers] complaint_id and customer_id both "Complaint ID").
In [values.*], "*" is the default for any value not listed.

Every key and value is read as a string (YAML through the base loader, so `01` stays "01" and `Y` stays "Y").
A mapping that names an unknown column, a target value outside the contract's enumeration or an unknown
date format is refused as a whole with an ExtractError, before any extract is read.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from dashboard import schema
from dashboard.ingest.errors import ExtractError

DATE_KEYWORDS = ("day_first", "month_first", "year_first", "excel_serial")
_TOP_LEVEL_KEYS = (
    "table",
    "files",
    "max_unmapped_share",
    "headers",
    "values",
    "dates",
    "constants",
    "generated",
    "rules",
)
DEFAULT_VALUE = "*"  # [values.x] "*" = ...: the target of every value not listed
MAX_UNMAPPED_SHARE = 0.05
NO_CUSTOMER_PREFIX = "无客户号:"  # customer_id of a source declared without a customer key (+ complaint_id)
_RULES = {"closed_at": ("when_closed",), "status": ("from_closed_at",), "customer_key": ("none",)}
_BOOLEAN_WORDS = frozenset({"是", "否", "true", "false", "1", "0", "y", "n", "yes", "no"})


@dataclass
class Mapping:
    """A parsed mapping file. All names are canonical English column names."""

    path: Path | None = None
    table: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # canonical -> source header
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # canonical -> {source value: contract value}
    dates: dict[str, str] = field(default_factory=dict)  # canonical -> format spec
    files: list[str] = field(default_factory=list)  # fnmatch patterns; empty = any file
    max_unmapped_share: float = MAX_UNMAPPED_SHARE
    accept_unmapped: bool = False  # ingest --accept-unmapped
    constants: dict[str, str] = field(default_factory=dict)  # canonical -> value
    generated: dict[str, dict] = field(default_factory=dict)  # canonical -> {prefix, from}
    rules: dict[str, str] = field(default_factory=dict)  # see _RULES

    def value_map(self, column: str) -> dict[str, str]:
        return self.values.get(column, {})

    def provides(self, column: str) -> bool:
        """Whether the mapping fills the column itself (so the file need not have it)."""
        return (
            column in self.constants
            or column in self.generated
            or (column == "customer_id" and self.rules.get("customer_key") == "none")
            or (column == "status" and self.rules.get("status") == "from_closed_at")
        )

    def applies_to(self, file_name: str) -> bool:
        return not self.files or any(fnmatch.fnmatch(file_name, pattern) for pattern in self.files)

    def date_format(self, column: str) -> str | None:
        return self.dates.get(column)

    def fingerprint(self) -> str:
        """What the mapping makes of a file (not where it lives or which files it names): with the file's
        sha256, what says an import was already done. A corrected mapping reads the file again."""
        what = {k: v for k, v in dataclasses.asdict(self).items() if k not in ("path", "files", "accept_unmapped")}
        return hashlib.sha256(json.dumps(what, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _all_columns() -> dict[str, list[schema.Column]]:
    """Canonical name -> its Column definitions across tables."""
    out: dict[str, list[schema.Column]] = {}
    for cols in schema.TABLES.values():
        for col in cols:
            out.setdefault(col.name, []).append(col)
    return out


def _resolve_column(key: str, table: str | None, where: str, name: str) -> str:
    """Accept a canonical English name (any case) or a 表头; return the canonical name."""
    k = key.strip()
    tables = [table] if table else list(schema.TABLES)
    for t in tables:
        for col in schema.TABLES[t]:
            if k.lower() == col.name or k == col.header_zh:
                return col.name
    scope = f"表 {schema.TABLE_LABELS_ZH[table]}({table}) 中" if table else "数据合同中"
    raise ExtractError(
        f"映射文件 {name} 的 [{where}] 中列名“{k}”在{scope}不存在，请使用合同列名（如 received_at）或其表头（如 受理时间）。"
    )


def _as_text(value: object, where: str, name: str) -> str:
    if isinstance(value, (dict, list)):
        raise ExtractError(
            f"映射文件 {name} 的 {where} 应为文本，实际为{'表' if isinstance(value, dict) else '列表'}。"
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise ExtractError(f"映射文件 {name} 的 {where} 为空。")
    return str(value)


def _as_table(value: object, where: str, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ExtractError(f"映射文件 {name} 的 [{where}] 应为“键 = 值”形式的表。")
    return value


def _parse_text(text: str, suffix: str, name: str) -> dict:
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ExtractError(f"映射文件 {name} 不是有效的 TOML：{exc}") from exc
    try:
        # BaseLoader keeps every scalar a string: 01 stays "01", Y stays "Y", no stray booleans.
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        raise ExtractError(f"映射文件 {name} 不是有效的 YAML：{exc}") from exc
    if data is None or data == "":
        return {}
    if not isinstance(data, dict):
        raise ExtractError(f"映射文件 {name} 的顶层应为键值对（table、headers、values、dates）。")
    return data


def _check_target(column: str, target: str, name: str) -> None:
    """A value map's target must be acceptable for the column; catch typos before any import.

    An empty target means "treat as empty" and is always accepted.
    """
    if target == "":
        return
    for col in _all_columns()[column]:
        if col.kind == "enum" and target not in col.values:
            raise ExtractError(
                f"映射文件 {name} 中 {col.header_zh}({column}) 的目标值“{target}”不在合同枚举内，"
                f"可用取值：{'、'.join(col.values)}。"
            )
        if col.kind == "boolean" and target.strip().lower() not in _BOOLEAN_WORDS:
            raise ExtractError(f"映射文件 {name} 中 {col.header_zh}({column}) 的目标值“{target}”应为“是”或“否”。")


def _valid_strftime(spec: str) -> bool:
    """Whether every %-directive is one strptime knows (`%Q` or a trailing `%` is not)."""
    try:
        datetime.strptime("", spec)
    except ValueError as exc:
        return "does not match format" in str(exc)
    return True


def parse_mapping(data: dict, name: str = "（映射）", path: Path | None = None) -> Mapping:
    """Build a Mapping from already-parsed TOML/YAML data; raise ExtractError on anything unknown."""
    unknown = [k for k in data if k not in _TOP_LEVEL_KEYS]
    if unknown:
        raise ExtractError(
            f"映射文件 {name} 中有无法识别的配置项：{'、'.join(map(str, unknown))}"
            f"（可用：{'、'.join(_TOP_LEVEL_KEYS)}）。"
        )
    table = None
    if data.get("table") not in (None, ""):
        raw = _as_text(data["table"], "table", name).strip()
        by_label = {v: k for k, v in schema.TABLE_LABELS_ZH.items()}
        table = raw.lower() if raw.lower() in schema.TABLES else by_label.get(raw)
        if table is None:
            choices = "、".join(f"{k}（{v}）" for k, v in schema.TABLE_LABELS_ZH.items())
            raise ExtractError(f"映射文件 {name} 中 table = “{raw}” 无法识别，可用：{choices}。")

    headers: dict[str, str] = {}
    for key, src in _as_table(data.get("headers"), "headers", name).items():
        canon = _resolve_column(str(key), table, "headers", name)
        src_text = _as_text(src, f"[headers] {key}", name).strip()
        if not src_text:
            raise ExtractError(f"映射文件 {name} 的 [headers] {key} 为空。")
        headers[canon] = src_text  # one header may feed several columns (an id as both keys)

    values: dict[str, dict[str, str]] = {}
    for key, table_map in _as_table(data.get("values"), "values", name).items():
        canon = _resolve_column(str(key), table, "values", name)
        vmap: dict[str, str] = {}
        for src, dst in _as_table(table_map, f"values.{key}", name).items():
            dst_text = _as_text(dst, f"[values.{key}] {src}", name).strip()
            _check_target(canon, dst_text, name)
            vmap[str(src).strip()] = dst_text
        values[canon] = vmap

    dates: dict[str, str] = {}
    for key, spec in _as_table(data.get("dates"), "dates", name).items():
        canon = _resolve_column(str(key), table, "dates", name)
        kinds = {c.kind for c in _all_columns()[canon]}
        if not kinds & {"timestamp", "month"}:
            raise ExtractError(f"映射文件 {name} 的 [dates] 中 {key} 不是日期列。")
        spec_text = _as_text(spec, f"[dates] {key}", name).strip()
        if spec_text.lower() in DATE_KEYWORDS:
            spec_text = spec_text.lower()
        elif "%" not in spec_text or not _valid_strftime(spec_text):
            raise ExtractError(
                f"映射文件 {name} 的 [dates] {key} = “{spec_text}” 无法识别：应为 day_first、month_first、"
                f'year_first、excel_serial，或 strftime 格式（如 "%d-%m-%Y"、"%Y/%m/%d %H:%M"）。'
            )
        dates[canon] = spec_text

    constants: dict[str, str] = {}
    for key, value in _as_table(data.get("constants"), "constants", name).items():
        canon = _resolve_column(str(key), table, "constants", name)
        constants[canon] = _as_text(value, f"[constants] {key}", name).strip()
        _check_target(canon, constants[canon], name)
    generated: dict[str, dict] = {}
    for key, spec in _as_table(data.get("generated"), "generated", name).items():
        canon = _resolve_column(str(key), table, "generated", name)
        generated[canon] = _generated(spec, f"[generated] {key}", table, name)
    rules: dict[str, str] = {}
    for key, value in _as_table(data.get("rules"), "rules", name).items():
        text = _as_text(value, f"[rules] {key}", name).strip()
        if key not in _RULES or text not in _RULES[key]:
            allowed = "；".join(f'{k} = "{"/".join(v)}"' for k, v in _RULES.items())
            raise ExtractError(f"映射文件 {name} 的 [rules] {key} = “{text}” 无法识别，可用：{allowed}。")
        rules[key] = text
    files = data.get("files") or []
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(f, str) and f.strip() for f in files):
        raise ExtractError(f'映射文件 {name} 的 files 应为文件名模式的列表，如 files = ["complaints_*.csv"]。')
    share = data.get("max_unmapped_share", MAX_UNMAPPED_SHARE)
    try:
        share = float(share)
    except (TypeError, ValueError):
        share = -1.0
    if not 0 <= share <= 1:
        raise ExtractError(f"映射文件 {name} 的 max_unmapped_share 应为 0 到 1 之间的小数（如 0.05 即 5%）。")
    return Mapping(
        path=path,
        table=table,
        headers=headers,
        values=values,
        dates=dates,
        files=[f.strip() for f in files],
        max_unmapped_share=share,
        constants=constants,
        generated=generated,
        rules=rules,
    )


def _generated(spec: object, where: str, table: str | None, name: str) -> dict:
    """{prefix, from}: from = "row" (prefix + the file's row number) or a list of columns (a hash)."""
    spec = _as_table(spec, where, name)
    unknown = [k for k in spec if k not in ("prefix", "from")]
    source = spec.get("from")
    if unknown or source is None:
        raise ExtractError(
            f'映射文件 {name} 的 {where} 应写成 {{ prefix = "前缀", from = "row" }}'
            f' 或 {{ from = ["received_at", "content"] }}（由这些列的值计算）。'
        )
    prefix = _as_text(spec.get("prefix", ""), f"{where} prefix", name)
    if source == "row":
        return {"prefix": prefix, "from": "row"}
    if not isinstance(source, list) or not source:
        raise ExtractError(f'映射文件 {name} 的 {where} from 应为 "row" 或列名列表。')
    return {"prefix": prefix, "from": [_resolve_column(str(c), table, where, name) for c in source]}


def load_mapping(path: Path) -> Mapping:
    """Load a mapping from a .toml, .yaml or .yml file. Raises ExtractError with a Chinese message."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise ExtractError(f"映射文件 {name} 的扩展名应为 .toml、.yaml 或 .yml。")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"映射文件 {name} 无法打开：{exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ExtractError(f"映射文件 {name} 的编码无法识别（已尝试 UTF-8、GB18030），请保存为 UTF-8。") from exc
    return parse_mapping(_parse_text(text, suffix, name), name, path)


def mappings_for(paths: list[Path], specs: list[str | Path]) -> list[Mapping | None]:
    """The mapping of each file: `FILE=MAPPING` names the file; a plain MAPPING applies to the files its
    `files` patterns match (to every file without them). Two mappings for one file are refused."""
    explicit: dict[str, Mapping] = {}
    general: list[Mapping] = []
    for spec in specs:
        text = str(spec)
        if "=" in text:
            file_name, mapping_path = text.split("=", 1)
            name = Path(file_name).name
            if name in explicit:
                raise ExtractError(f"文件 {name} 指定了两个映射文件（--mapping {name}=…），请只保留一个。")
            explicit[name] = load_mapping(Path(mapping_path))
        else:
            general.append(load_mapping(Path(text)))
    unmatched = sorted(set(explicit) - {Path(p).name for p in paths})
    if unmatched:  # a typo would otherwise drop the mapping and blame the file's headers
        raise ExtractError(
            f"映射 --mapping {unmatched[0]}=… 未匹配本批任何文件（本批文件："
            f"{'、'.join(Path(p).name for p in paths)}），请核对文件名。"
        )
    chosen: list[Mapping | None] = []
    for path in paths:
        name = Path(path).name
        if name in explicit:
            chosen.append(explicit[name])
            continue
        hits = [m for m in general if m.applies_to(name)]
        if len(hits) > 1:
            raise ExtractError(
                f"多个映射文件都适用于文件 {name}：{'、'.join(m.path.name for m in hits)}。"
                f"请用 --mapping {name}=映射文件 指定，或在映射文件中用 files 写明适用的文件名。"
            )
        chosen.append(hits[0] if hits else None)
    return chosen
