"""A month's extract imported into a history, timed (issue 21: a monthly extract of 300,000 <= 20 s):

    python -m bench.monthly --data-dir DIR [--rows 300000]

DIR holds an imported demo bank (bench/work/<rows>/data after `python -m bench`). The store is copied
first (the import must not change the bench's store), the month after its last one is generated as the
demo bank would have it (the same seed, so the same organisations; the generator needs 12 months, so it
writes 12 and the last one is kept, cut to --rows), and the import of that one file is measured with
bench.import_demo.measure: wall time, the stages the import recorded, the peak resident memory of the
import and its workers. Writes bench/results/monthly.json, which `python -m bench` prints beside the target.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.import_demo import measure

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def next_month(last_month: str) -> str:
    """'2026-10-01' -> '2026-11'."""
    first = date.fromisoformat(last_month[:10])
    return f"{first.year + first.month // 12}-{first.month % 12 + 1:02d}"


def write_month(folder: Path, month: str, rows: int, seed: int = 7) -> tuple[list[Path], int]:
    """The complaints received in `month` (at most `rows`) and that month's customer counts, as two files,
    and the number of complaints written."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from dashboard.demo.generator import generate

    full = folder / "generated"
    # 12 months ending in `month` with ~`rows` a month: the generator spreads rows over its months.
    generate(full, rows=rows * 12 + rows // 10, seed=seed, months=12, end_month=month)
    complaints = pq.read_table(full / "complaints.parquet")
    month_start = pc.strptime(f"{month}-01", format="%Y-%m-%d", unit="s")
    received = pc.cast(complaints["received_at"], month_start.type)
    complaints = complaints.filter(pc.greater_equal(received, month_start)).slice(0, rows)
    customers = pq.read_table(full / "customers_monthly.parquet")
    customers = customers.filter(pc.equal(customers["month"], month))
    out = [folder / "complaints.parquet", folder / "customers_monthly.parquet"]
    pq.write_table(complaints, out[0])
    pq.write_table(customers, out[1])
    shutil.rmtree(full)
    return out, complaints.num_rows


def main(argv: list[str] | None = None) -> int:
    from dashboard.ingest import store

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--work", type=Path, help="where the copy and the month go (default: a temporary folder)")
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        help="instead: the two-step import (numbers first) and the one-publish import, alternated PAIRS times",
    )
    args = parser.parse_args(argv)
    snapshot = store.current_snapshot(args.data_dir)
    if snapshot is None:
        print(f"{args.data_dir} holds no imported store", file=sys.stderr)
        return 2
    month = next_month(snapshot.meta["last_month"])
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        print(f"generating {args.rows:,} complaints of {month} …", flush=True)
        files, rows = write_month(work / "month", month, args.rows)
        print(f"copying the store of {snapshot.meta['complaints']:,} complaints …", flush=True)
        copy = work / "data"
        shutil.copytree(args.data_dir, copy, symlinks=True)
        if args.pairs:
            runs = []
            for i in range(args.pairs * 2):
                one = i % 2 == 1
                side = work / f"side{i}"
                shutil.copytree(copy, side, symlinks=True)
                print(f"importing ({'one publish' if one else 'numbers first'}) …", flush=True)
                runs.append({"one_publish": one, **measure(files, side, one_publish=one)})
                shutil.rmtree(side)
            result = {"pairs": runs}
        else:
            print("importing …", flush=True)
            result = measure(files, copy)
    result.update({"rows": rows, "month": month, "history": snapshot.meta["complaints"]})
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "monthly.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
