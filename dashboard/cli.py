"""Command line: python -m dashboard ingest | report | demo."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard import config, schema


def _filters_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", help="机构代码：只看该机构及其下辖机构")
    parser.add_argument("--category", action="append", choices=schema.BUSINESS_CATEGORIES, help="业务类别（可重复）")
    parser.add_argument("--reason", action="append", choices=schema.REASONS, help="投诉原因（可重复）")
    parser.add_argument("--channel", action="append", choices=schema.CHANNELS, help="投诉渠道（可重复）")
    parser.add_argument("--referred", choices=("是", "否"), help="是否监管转办")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="消保投诉分析：导入、报告、演示数据")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="导入投诉、机构或客户数抽数文件")
    ingest.add_argument("files", nargs="+", type=Path)
    ingest.add_argument("--data-dir", type=Path, default=None)
    ingest.add_argument("--mapping", type=Path, help="列名/取值/日期格式映射文件（TOML 或 YAML）")

    report = commands.add_parser("report", help="输出某月的指标")
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--data-dir", type=Path, default=None)
    report.add_argument("--json", action="store_true", help="以 JSON 输出")
    _filters_arguments(report)

    demo = commands.add_parser("demo", help="生成并导入演示数据")
    demo.add_argument("--rows", type=int, default=300_000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--data-dir", type=Path, default=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = (args.data_dir or config.data_dir()).resolve()
    return {"ingest": cmd_ingest, "report": cmd_report, "demo": cmd_demo}[args.command](args, data_dir)


def cmd_ingest(args, data_dir: Path) -> int:
    from dashboard.ingest.errors import ExtractError
    from dashboard.ingest.pipeline import import_files

    try:
        result = import_files(args.files, data_dir, args.mapping)
    except ExtractError as error:
        print(f"导入失败，数据未作任何改动：{error}", file=sys.stderr)
        return 2
    print_summary(result)
    return 0


def print_summary(result) -> None:
    for f in result.files:
        print(f"{f.file}（{schema.TABLE_LABELS_ZH[f.table]}）：读取 {f.read:,} 行，新增 {f.inserted:,}，"
              f"更新 {f.updated:,}，未变 {f.unchanged:,}，旧于已入库 {f.skipped_older:,}，隔离 {f.quarantined:,}")
        for reason, count in sorted(f.reasons.items(), key=lambda kv: -kv[1]):
            print(f"    隔离原因：{reason} × {count:,}")
        for warning in f.warnings:
            print(f"    提示：{warning}")
    print(f"当前数据版本：{result.version}{'' if result.changed else '（数据无变化）'}")


def cmd_report(args, data_dir: Path) -> int:
    from dashboard import db, report
    from dashboard.filters import Filters, month_start

    opened = db.current(data_dir)
    if opened is None:
        print(f"{data_dir} 中尚无已导入的数据，请先运行 python -m dashboard ingest 或 demo。", file=sys.stderr)
        return 2
    _, con = opened
    try:
        month = month_start(args.month)
    except ValueError:
        print(f"月份格式应为 YYYY-MM：{args.month}", file=sys.stderr)
        return 2
    filters = Filters(
        month_from=month, month_to=month, org=args.org,
        categories=tuple(args.category) if args.category else None,
        reasons=tuple(args.reason) if args.reason else None,
        channels=tuple(args.channel) if args.channel else None,
        referred={"是": True, "否": False}.get(args.referred),
    )
    result = report.build(con, filters, month)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        for key, value in result["kpis"].items():
            print(f"{key}: {value}")
    return 0


def cmd_demo(args, data_dir: Path) -> int:
    from dashboard.demo.generator import generate
    from dashboard.ingest.pipeline import import_files

    extracts = data_dir / "demo"
    print(f"正在生成演示数据（约 {args.rows:,} 条投诉）到 {extracts} …")
    generate(extracts, rows=args.rows, seed=args.seed)
    files = [extracts / name for name in ("branches.parquet", "customers_monthly.parquet", "complaints.parquet")]
    print_summary(import_files(files, data_dir, user="demo"))
    return 0
