"""Command line: python -m dashboard ingest | report | briefing | rebuild | demo | mask."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

from dashboard import config, schema


def _filters_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", help="机构代码：只看该机构及其下辖机构")
    parser.add_argument("--category", action="append", choices=schema.BUSINESS_CATEGORIES, help="业务类别（可重复）")
    parser.add_argument("--reason", action="append", choices=schema.REASONS, help="投诉原因（可重复）")
    parser.add_argument("--channel", action="append", choices=schema.CHANNELS, help="投诉渠道（可重复）")
    parser.add_argument("--referred", choices=("是", "否"), help="是否监管转办")
    parser.add_argument(
        "--basis", choices=("全部受理", "监管转送", "合并重复后"), default="全部受理", help="统计口径（默认 全部受理）"
    )
    parser.add_argument(
        "--group", choices=("全部", "老年客户", "非老年客户"), default="全部", help="客户群体（默认 全部）"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="消保投诉分析：导入、报告、演示数据")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="导入投诉、机构或客户数抽数文件")
    ingest.add_argument("files", nargs="+", type=Path)
    ingest.add_argument("--data-dir", type=Path, default=None)
    ingest.add_argument(
        "--mapping",
        action="append",
        default=[],
        metavar="[FILE=]MAPPING",
        help="列名/取值/日期格式映射文件（TOML 或 YAML），可重复：FILE=MAPPING 只用于该文件；"
        "不带 FILE= 的映射用于其 files 所列的文件（未写 files 时用于全部文件）",
    )
    ingest.add_argument(
        "--accept-unmapped",
        action="store_true",
        help="映射文件未覆盖的取值超过其 max_unmapped_share 时仍导入（这些行进入隔离区）",
    )
    ingest.add_argument(
        "--force",
        action="store_true",
        help="内容已导入过的文件（文件指纹相同）也重新读取并逐行比较；默认跳过并提示“已导入过”。"
        "数据无变化时不发布新的数据版本",
    )
    ingest.add_argument(
        "--defer-text",
        action="store_true",
        help="暂不做投诉内容分析（热点词、相似投诉），先发布数据；之后运行 rebuild 补算。适合大批量历史数据",
    )

    ingest.add_argument(
        "--one-publish",
        action="store_true",
        help="新增投诉内容较多时也只发布一次（默认先发布数字，再发布热点词与相似投诉分析）",
    )

    report = commands.add_parser("report", help="输出某月的指标")
    report.add_argument("--month", help="YYYY-MM（与 --year 二选一）")
    report.add_argument("--year", type=int, help="YYYY：输出该年的年度投诉情况（annual），与 --month 二选一")
    report.add_argument("--data-dir", type=Path, default=None)
    report.add_argument("--json", action="store_true", help="以 JSON 输出")
    report.add_argument(
        "--level",
        choices=("一级分行", "二级分行", "支行"),
        default="支行",
        help="机构排名（branch_ranking）的机构层级，默认支行",
    )
    _filters_arguments(report)
    report.add_argument(
        "--user",
        metavar="EMAIL",
        help="按角色文件中该用户的可见范围出报告（分行用户只含本机构及下辖）；不填则为运行命令的操作员，全行范围",
    )

    briefing = commands.add_parser("briefing", help="生成月度简报（Excel 与 HTML）")
    briefing.add_argument("--month", help="YYYY-MM；默认最近一个完整月份")
    briefing.add_argument("--out", type=Path, required=True, help="输出目录")
    briefing.add_argument("--data-dir", type=Path, default=None)
    briefing.add_argument("--notes", type=Path, help="部门意见与工作建议（UTF-8 文本文件），写入简报")
    _filters_arguments(briefing)
    briefing.add_argument("--user", metavar="EMAIL", help="按角色文件中该用户的可见范围生成；不填则为全行")

    rebuild = commands.add_parser("rebuild", help="按当前程序重新计算已导入数据的派生列与派生表（升级后运行）")
    rebuild.add_argument("--data-dir", type=Path, default=None)

    masking = commands.add_parser(
        "mask",
        help="脱敏：从标准输入读 UTF-8 文本，每行一条投诉内容，按应用中无查看权限用户所见输出同样行数；"
        "超过 20,000 字（导入单元格上限）的行按句分段脱敏，内存有界",
    )
    masking.add_argument(
        "--evaluate",
        type=Path,
        metavar="FILE",
        nargs="+",
        help="改为在人工标注集（JSON Lines，可给多个文件）上评估脱敏效果并逐个文件输出指标",
    )
    masking.add_argument("--details", action="store_true", help="与 --evaluate 同用：列出漏遮与误遮的文本")
    masking.add_argument("--time", action="store_true", help="与 --evaluate 同用：测量每 10 万条的脱敏耗时")

    demo = commands.add_parser("demo", help="生成并导入演示数据")
    demo.add_argument("--rows", type=int, default=300_000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--data-dir", type=Path, default=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "mask":
        return cmd_mask(args)
    data_dir = (args.data_dir or config.data_dir()).resolve()
    return {
        "ingest": cmd_ingest,
        "report": cmd_report,
        "briefing": cmd_briefing,
        "demo": cmd_demo,
        "rebuild": cmd_rebuild,
    }[args.command](args, data_dir)


def cmd_ingest(args, data_dir: Path) -> int:
    from dashboard.auth import audit, roles
    from dashboard.ingest import audited
    from dashboard.ingest.errors import ExtractError
    from dashboard.ingest.store import current_snapshot

    before = current_snapshot(data_dir)
    try:
        result = audited.run(
            args.files,
            data_dir,
            args.mapping,
            roles.operator_principal(),
            force=args.force,
            defer_text=args.defer_text,
            accept_unmapped=args.accept_unmapped,
            two_phase=not args.one_publish,
            progress=_phase_lines,
        )
    except (audit.AuditError, ExtractError) as error:  # nothing changed, unless it failed after a publish
        print(_unaudited(error, data_dir, before, "导入"), file=sys.stderr)
        return 2
    except Exception as error:  # an internal error (audited.run logged it): after a publish, the data stands
        from dashboard.text.masking import mask

        print(
            _unaudited(
                RuntimeError(mask(f"内部错误：{type(error).__name__}: {error}"[:2000])), data_dir, before, "导入"
            ),
            file=sys.stderr,
        )
        return 2
    print_summary(result)
    return 0


def _unaudited(error: Exception, data_dir: Path, before, what: str) -> str:
    """The message of a failed import (an audit line that could not be written, a refusal, an internal
    error): the data is unchanged only if no snapshot was published since `before` (the log can become
    unwritable after the numbers' publish: then they stand, and the message says which version)."""
    from dashboard.ingest.errors import published_message
    from dashboard.ingest.store import current_snapshot

    now = current_snapshot(data_dir)
    if now is None or (before is not None and now.version == before.version):
        return f"{what}失败，数据未作任何改动：{error}"
    return published_message(now.version, bool(now.meta.get("text_pending")), str(error), what)


def _phase_lines(step: str) -> None:
    """Of an import's progress, the lines of a two-step publish (numbers published, analysis done)."""
    from dashboard.ingest.pipeline import PHASE_NOTE

    if step.startswith(PHASE_NOTE):
        print(step[len(PHASE_NOTE) :], flush=True)


_MAX_REASONS = 30  # distinct quarantine reasons printed per file


def print_summary(result) -> None:
    for f in result.files:
        label = f"{f.file}（{schema.TABLE_LABELS_ZH[f.table]}）"
        if f.already_imported_at:
            print(
                f"{label}：已导入过（{f.already_imported_at[:19]} 导入的文件内容和映射均相同），本次未读取、未改动；"
                f"确需重新导入请加 --force"
            )
            continue
        print(
            f"{label}：读取 {f.read:,} 行 = 新增 {f.inserted:,} + 更新 {f.updated:,} + 未变 {f.unchanged:,} "
            f"+ 旧于已入库 {f.skipped_older:,} + 隔离 {f.quarantined:,}"
        )
        if f.seen_again:
            print(f"    {f.seen_again_note}")
        for rule, count in f.older.items():
            print(f"    旧于已入库（{rule}）× {count:,}")
        if f.older_ids:
            more = "…" if len(f.older_ids) < f.skipped_older else ""
            print(f"    旧于已入库的投诉编号：{'、'.join(f.older_ids)}{more}")
        reasons = sorted(f.reasons.items(), key=lambda kv: -kv[1])
        for reason, count in reasons[:_MAX_REASONS]:
            print(f"    隔离原因：{reason} × {count:,}")
        if len(reasons) > _MAX_REASONS:  # one line per distinct bad value could be millions of lines
            rest = sum(count for _, count in reasons[_MAX_REASONS:])
            print(f"    另有 {len(reasons) - _MAX_REASONS:,} 种隔离原因（共 {rest:,} 行），见数据管理页的隔离区")
        for warning in f.warnings:
            print(f"    提示：{warning}")
    print(result.version_note)
    if result.text_error:
        print(
            f"提示：数字已发布（数据版本 {result.numbers_version}），投诉内容分析未完成：{result.text_error}；"
            "下次导入或运行 python -m dashboard rebuild 时补算",
            file=sys.stderr,
        )


def _open_as_user(args, data_dir: Path):
    """(principal, snapshot, connection) for --user's view (else the operator's, whole bank), or None
    after telling why on stderr."""
    from dashboard import db
    from dashboard.auth import roles

    try:
        principal = roles.for_cli(args.user, data_dir)
    except roles.RolesError as error:
        print(f"无法确定用户权限：{error}", file=sys.stderr)
        return None
    catalog = db.open_catalog(data_dir)
    if catalog is None:
        print(f"{data_dir} 中尚无已导入的数据，请先运行 python -m dashboard ingest 或 demo。", file=sys.stderr)
        return None
    if not catalog.is_current:
        print(f"数据需要重建：当前数据版本由旧版程序写入，请先运行 {db.REBUILD_COMMAND}。", file=sys.stderr)
        return None
    return principal, catalog.snapshot, catalog.con


def _filters(args, month, scope):
    """The command's filter options (see _filters_arguments) as the global filter set for one month."""
    from dashboard.filters import AGE_GROUPS, BASES, Filters

    # 合并重复后 inside a scope merges repeats among the scope's complaints only (queries/macro_filtered_rows.sql)
    basis = {v: k for k, v in BASES.items()}.get(getattr(args, "basis", None))
    return Filters(
        month_from=month,
        month_to=month,
        org=args.org,
        categories=tuple(args.category) if args.category else None,
        reasons=tuple(args.reason) if args.reason else None,
        channels=tuple(args.channel) if args.channel else None,
        referred={"是": True, "否": False}.get(args.referred),
        basis=basis,
        age_group={v: k for k, v in AGE_GROUPS.items()}.get(getattr(args, "group", None)),
        scope=scope,
    )


def cmd_report(args, data_dir: Path) -> int:
    from dashboard import report
    from dashboard.filters import month_start

    opened = _open_as_user(args, data_dir)
    if opened is None:
        return 2
    principal, snapshot, con = opened
    if (args.month is None) == (args.year is None):
        print("请给出 --month YYYY-MM 或 --year YYYY 之一。", file=sys.stderr)
        return 2
    if args.year is not None:
        if not _in_loaded_months(snapshot, args.year, None):
            return 2
        return _annual_report(args, data_dir, principal, con, snapshot.meta.get("as_of"))
    try:
        month = month_start(args.month)
    except ValueError:
        print(f"月份格式应为 YYYY-MM：{args.month}", file=sys.stderr)
        return 2
    if not _in_loaded_months(snapshot, month.year, month.month):
        return 2
    filters = _filters(args, month, principal.scope)
    if not _org_in_scope(args, principal, con):
        return 2
    from dashboard.analysis.ledger import data_span

    result = report.build(con, filters, month, level=args.level, data_dir=data_dir, span=data_span(snapshot.meta))
    result["scope"] = principal.scope
    from dashboard.analysis import text_status

    # hot terms, similar groups and waves are missing from a snapshot whose narrative analysis is pending
    result["text_analysis_note"] = text_status.note(snapshot) or None
    return _print_audited(
        args,
        data_dir,
        principal,
        {"what": "报告", "month": args.month, "filters": filters.to_query()},
        result,
        result["kpis"].items(),
        snapshot.meta.get("as_of"),
    )


def _annual_report(args, data_dir: Path, principal, con, as_of) -> int:
    """report --year: the annual disclosure (年度投诉情况) as the JSON object `annual`."""
    from datetime import date

    from dashboard import metrics
    from dashboard.analysis import annual

    if not 1900 < args.year < 3000:
        print(f"年份应为四位数字：{args.year}", file=sys.stderr)
        return 2
    filters = _filters(args, date(args.year, 12, 1), principal.scope)
    if not _org_in_scope(args, principal, con):
        return 2
    # the months the disclosure covers, not the one month the filter set is built on (hostile H77)
    shown = {**filters.to_query(), "from": f"{args.year}-01", "to": f"{args.year}-12"}
    result = {
        "year": args.year,
        "filters": shown,
        "scope": principal.scope,
        **metrics.data_age(as_of),  # as the monthly report: old data says so (H137)
        "annual": annual.report_section(con, filters, args.year),
    }
    return _print_audited(
        args,
        data_dir,
        principal,
        {"what": "年度投诉情况", "year": args.year, "basis": args.basis, "filters": shown},
        result,
        [(k, v) for k, v in result["annual"].items() if not k.startswith("by_")],
        as_of,
    )


def _in_loaded_months(snapshot, year: int, month: int | None) -> bool:
    """A report month (or year) among the loaded months, or a message on stderr: a month outside them has
    no data, and a report of zeros would read as a month without complaints (hostile H11, H32)."""
    first, last = snapshot.meta.get("first_month"), snapshot.meta.get("last_month")
    if not first:
        print("尚无已导入的投诉数据。", file=sys.stderr)
        return False
    first_key, last_key = (int(first[:4]), int(first[5:7])), (int(last[:4]), int(last[5:7]))
    inside = first_key <= (year, month) <= last_key if month is not None else first_key[0] <= year <= last_key[0]
    if not inside:
        asked = f"{year}-{month:02d}" if month is not None else f"{year} 年"
        print(f"{asked} 不在已加载数据的月份范围（{first[:7]} 至 {last[:7]}）内，没有可报告的数据。", file=sys.stderr)
    return inside


def _org_in_scope(args, principal, con) -> bool:
    """--org an organisation of the data and inside the user's scope, or a message on stderr."""
    from dashboard import db

    if not args.org or args.org in set(db.run(con, "branch_options", scope=principal.scope)["branch_code"]):
        return True
    # a typo gets a message, never a report of zeros; a scoped user is not told what exists outside the scope
    if principal.scope:
        print(
            f"机构 {args.org} 不存在或不在用户 {principal.user} 的可见范围（{principal.scope} 及下辖）内。",
            file=sys.stderr,
        )
    else:
        print(f"机构代码 {args.org} 不在机构数据中，请核对机构代码。", file=sys.stderr)
    return False


def _print_audited(args, data_dir: Path, principal, detail: dict, result: dict, lines, as_of) -> int:
    """The report on stdout (JSON, or `lines` as key: value), never without its audit line first. Old data
    (`as_of` more than DATA_STALE_DAYS days ago) says so as the pages do: JSON in `stale` and
    `stale_warning`, the text form on its first line (hostile: the text form printed numbers only)."""
    from dashboard import metrics
    from dashboard.auth import audit

    warning = metrics.stale_warning(as_of)

    try:
        audit.record("export", principal, {**detail, "format": "json" if args.json else "text"}, data_dir=data_dir)
    except audit.AuditError as error:
        print(f"报告未输出：{error}", file=sys.stderr)
        return 2
    if args.json:
        # allow_nan=False: a NaN left in any section is a bug to see, never `NaN` in a file readers refuse
        result = {**result, "stale_warning": warning}
        print(json.dumps(_json_ready(result), ensure_ascii=False, indent=2, default=str, allow_nan=False))
    else:
        if warning:
            print(f"注意：{warning}")
        for key, value in lines:
            print(f"{key}: {value}")
    return 0


def _json_ready(value):
    """JSON's values only: a missing value (None, NaN, NA, NaT) is null, wherever a section left one."""
    import pandas as pd

    from dashboard.fmt import json_scalar

    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if value is pd.NaT:
        return None
    return json_scalar(value) if isinstance(value, float) or value is pd.NA else value


def cmd_mask(args) -> int:
    """Mask stdin line by line with the function the app shows narratives through, or --evaluate."""
    from dashboard.text.learned import TaggerUnavailable
    from dashboard.text.mask_stream import NotUtf8, mask_stream

    try:
        if args.evaluate is not None:
            return _mask_evaluate(args)
        mask_stream(sys.stdin.buffer, sys.stdout.buffer)
    except TaggerUnavailable as error:
        sys.stdout.buffer.flush()
        print(str(error), file=sys.stderr)
        return 2
    except NotUtf8 as error:
        sys.stdout.buffer.flush()
        print(
            f"第 {error.line} 行不是 UTF-8 文本，已停止；之前的行已输出。请先把文件转成 UTF-8（如 GBK 文件："
            "iconv -f GBK -t UTF-8）。",
            file=sys.stderr,
        )
        return 2
    return 0


def _mask_evaluate(args) -> int:
    """Figures for each labelled file in turn (a set the rules were tuned on and a hold-out set are
    reported apart, never pooled)."""
    from dashboard.text import mask_eval

    loaded = []
    for path in args.evaluate:
        try:
            loaded.append((path, mask_eval.load(path)))
        except (OSError, ValueError) as error:
            print(f"无法读取标注集 {path}：{error}", file=sys.stderr)
            return 2
    from dashboard.text import learned

    print(f"姓名识别 name finder: {learned.status()}")
    for number, (path, records) in enumerate(loaded):
        if number:
            print()
        print(f"== {path}")
        figures = mask_eval.evaluate(records)
        for line in figures.lines():
            print(line)
        if args.time:
            texts = [r["text"] for r in records]
            seconds = mask_eval.time_per_100k(texts)
            print(f"脱敏耗时 masking time: {seconds:.1f} 秒 CPU / 10 万条（各不相同的文本，单线程，逐条）")
            seconds = mask_eval.time_per_100k(texts, batched=True)
            print(f"脱敏耗时 masking time: {seconds:.1f} 秒 CPU / 10 万条（各不相同的文本，单线程，成批：列表与导出）")
        if args.details:
            for record_id, kind, text, masked in figures.misses:
                print(f"漏遮 {record_id} {kind} {text}: {masked}")
            for record_id, masked in figures.false_masks:
                print(f"误遮 {record_id}: {masked}")
            for record_id, span, masked in figures.broken_keeps:
                print(f"改动 {record_id} {span}: {masked}")
    return 0


def cmd_rebuild(args, data_dir: Path) -> int:
    from dashboard.auth import audit, demo_mode, roles
    from dashboard.ingest import audited

    was_demo = demo_mode.holds_demo_bank(data_dir)
    try:
        snapshot = audited.rebuild(data_dir, roles.operator_principal())
    except audit.AuditError as error:  # a rebuild that cannot be audited does not happen
        print(f"重算失败，数据未作任何改动：{error}", file=sys.stderr)
        return 2
    if was_demo and snapshot is not None:  # recomputed, still the generated demo bank
        demo_mode.mark(data_dir, snapshot)
    if snapshot is None:
        print(f"{data_dir} 中尚无已导入的数据，无需重算。", file=sys.stderr)
        return 2
    stages = "，".join(f"{name} {seconds:.1f} 秒" for name, seconds in snapshot.meta["timings"].items())
    print(f"已重算派生数据并发布版本 {snapshot.version}（{stages}）")
    return 0


def cmd_demo(args, data_dir: Path) -> int:
    from dashboard.auth import audit, demo_mode, roles
    from dashboard.demo.generator import generate
    from dashboard.ingest.pipeline import import_files
    from dashboard.ingest.store import current_snapshot

    # Mixed into real data, the demo marker would open that data without sign-in: only an empty folder,
    # or the demo bank again.
    if current_snapshot(data_dir) is not None and not demo_mode.holds_demo_bank(data_dir):
        print(
            f"{data_dir} 中已有非演示数据：演示数据不会导入其中（否则演示模式会在无需登录时显示这些数据）。"
            "请用 --data-dir 指定另一个目录。",
            file=sys.stderr,
        )
        return 2
    before = current_snapshot(data_dir)
    extracts = data_dir / "demo"
    # a fresh machine's `make run` spends minutes here: say what is happening, and that it still is
    step = Progress(time.monotonic())
    beating = threading.Event()
    threading.Thread(target=step.heartbeat, args=(beating,), daemon=True).start()
    try:
        step(f"正在生成演示数据（约 {args.rows:,} 条投诉）到 {extracts} …")
        generate(extracts, rows=args.rows, seed=args.seed, progress=step)
        files = [extracts / name for name in ("branches.parquet", "customers_monthly.parquet", "complaints.parquet")]
        if audit.key_source() is None:  # generated data: the published demo key will do
            audit.use_key(audit.DEMO_KEY.decode())
        result = import_files(files, data_dir, user="demo", progress=step)
        step("导入完成")
    finally:
        beating.set()
    demo_mode.mark(data_dir, current_snapshot(data_dir))
    try:
        audit.record_import(roles.operator_principal(), files, result, data_dir=data_dir)
    except audit.AuditError as error:  # written after the import: the demo data is published all the same
        print_summary(result)
        print(_unaudited(error, data_dir, before, "演示数据导入"), file=sys.stderr)
        return 2
    print_summary(result)
    print("演示模式需显式开启：COMPLAINTS_DEMO=1（make run 已设置），且只用于这份演示数据。")
    return 0


class Progress:
    """Progress lines of a long command, each with the seconds since the start; a step that has run for
    QUIET seconds without a new line gets a line saying it is still running (heartbeat())."""

    QUIET = 10.0

    def __init__(self, started: float, out=None):
        self.started, self.out = started, out
        self.last_text, self.last_at = "", started
        self._lock = threading.Lock()

    def __call__(self, text: str, now: float | None = None) -> None:
        with self._lock:
            now = time.monotonic() if now is None else now
            self.last_text, self.last_at = text, now
            print(f"[{now - self.started:5.0f} 秒] {text}", file=self.out or sys.stdout, flush=True)

    def beat(self, now: float) -> None:
        """The still-running line, when the last line is QUIET seconds old."""
        with self._lock:
            if not self.last_text or now - self.last_at < self.QUIET:
                return
            self.last_at = now
            text = self.last_text.rstrip("…").rstrip()
            print(f"[{now - self.started:5.0f} 秒] 仍在进行：{text}", file=self.out or sys.stdout, flush=True)

    def heartbeat(self, stop: threading.Event) -> None:
        while not stop.wait(1.0):
            self.beat(time.monotonic())


def cmd_briefing(args, data_dir: Path) -> int:
    """The trends page's monthly briefing as files, for a scheduled monthly run."""
    from datetime import datetime

    from dashboard import metrics
    from dashboard.auth import audit
    from dashboard.briefing import build, files
    from dashboard.filters import latest_complete_month, month_start

    opened = _open_as_user(args, data_dir)
    if opened is None:
        return 2
    principal, snapshot, con = opened
    try:
        month = (
            month_start(args.month)
            if args.month
            else latest_complete_month(datetime.fromisoformat(snapshot.meta["as_of"]))
        )
    except ValueError:
        print(f"月份格式应为 YYYY-MM：{args.month}", file=sys.stderr)
        return 2
    if not _org_in_scope(args, principal, con):
        return 2
    # What can be checked before any work is (hostile H47): a notes file that is not there or not UTF-8, an
    # output folder that cannot be written. A failed briefing must not be audited as an export.
    notes = _read_notes(args.notes) if args.notes else None
    if notes is False or not _writable_folder(args.out):
        return 2
    filters = _filters(args, month, principal.scope)
    data = build.build(con, filters, month, build.ledger_items(data_dir, principal))
    if not data.coverage.has(month):
        first, last = data.coverage.first_month, data.coverage.last_month
        print(
            f"{args.month or month} 不在已加载数据的月份范围内"
            + (f"（{first:%Y-%m} 至 {last:%Y-%m}）" if first else "")
            + "。",
            file=sys.stderr,
        )
        return 2
    try:  # the audit line first: no briefing is written without it
        audit.record(
            "export",
            principal,
            {"what": "月度简报", "month": f"{month:%Y-%m}", "filters": filters.to_query(), "out": str(args.out)},
            data_dir=data_dir,
        )
    except audit.AuditError as error:
        print(f"简报未生成：{error}", file=sys.stderr)
        return 2
    try:
        paths = files.write(data, args.out, notes)
    except OSError as error:
        audit.record(
            "export", principal, {"what": "月度简报", "month": f"{month:%Y-%m}", "outcome": "未生成"}, data_dir=data_dir
        )
        print(f"简报未生成：无法写入 {args.out}（{error.strerror or error}）", file=sys.stderr)
        return 2
    stale = metrics.stale_warning(data.as_of)
    if stale:  # the files say it too; on stderr, so stdout stays one path a line for a scheduled run
        print(f"注意：{stale}", file=sys.stderr)
    for path in paths:
        print(path)
    return 0


def _read_notes(path: Path) -> str | bool:
    """The analyst's notes for the briefing, or False after saying why they cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        print(f"找不到或无法读取意见文件：{path}（{error.strerror or error}）", file=sys.stderr)
        return False
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        print(f"意见文件不是 UTF-8 编码：{path}。请用 UTF-8 编码另存后重试。", file=sys.stderr)
        return False


def _writable_folder(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"输出目录无法创建：{folder}（{error.strerror or error}）", file=sys.stderr)
        return False
    if not os.access(folder, os.W_OK):
        print(f"输出目录不可写：{folder}", file=sys.stderr)
        return False
    return True
