"""python -m bench [--sizes 1000000,10000000] [--repeat 7]

For each size: generate the demo bank (cached under bench/work/), import it (timed), then in two separate
processes time the same interactions on our query layer and on the plain pandas baseline, each
reporting its own peak memory. Prints a table and writes bench/results/results.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"


def prepare(rows: int) -> tuple[Path, Path, float | None]:
    """Extracts and an imported store for `rows` complaints; the import time when it ran now."""
    from dashboard.demo.generator import generate
    from dashboard.ingest.pipeline import import_files

    folder = WORK / f"{rows}"
    extracts, data_dir = folder / "extracts", folder / "data"
    if not (extracts / "complaints.parquet").exists():
        print(f"generating {rows:,} complaints …", flush=True)
        generate(extracts, rows=rows, seed=7)
    import_seconds = None
    if not (data_dir / "store" / "CURRENT").exists():
        print(f"importing {rows:,} complaints …", flush=True)
        start = time.perf_counter()
        import_files([extracts / n for n in ("branches.parquet", "customers_monthly.parquet",
                                             "complaints.parquet")], data_dir, user="bench")
        import_seconds = time.perf_counter() - start
    return extracts, data_dir, import_seconds


def child(side: str, extracts: Path, data_dir: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.side", side, str(extracts), str(data_dir), str(repeat)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = []
    for rows in (int(s) for s in args.sizes.split(",")):
        extracts, data_dir, import_seconds = prepare(rows)
        ours, baseline = child("duckdb", extracts, data_dir, args.repeat), child("pandas", extracts, data_dir, args.repeat)
        results.append({"rows": rows, "import_seconds": import_seconds, "ours": ours, "pandas": baseline})

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\n{'rows':>11} {'measure':<34} {'ours':>10} {'pandas':>10} {'ratio':>8}")
    for r in results:
        ours, base = r["ours"], r["pandas"]
        for key, o in ours["timings"].items():
            p = base["timings"].get(key)
            if p is None:
                print(f"{r['rows']:>11,} {key + ' (s)':<34} {o:>10.4f} {'—':>10} {'—':>8}")
            else:
                print(f"{r['rows']:>11,} {key + ' (s)':<34} {o:>10.4f} {p:>10.4f} {p / o:>7.1f}x")
        print(f"{r['rows']:>11,} {'peak memory (MB)':<34} {ours['peak_mb']:>10.0f} {base['peak_mb']:>10.0f} "
              f"{base['peak_mb'] / ours['peak_mb']:>7.1f}x")
        if r["import_seconds"] is not None:
            print(f"{r['rows']:>11,} {'import (s)':<34} {r['import_seconds']:>10.1f}")


if __name__ == "__main__":
    main()
