"""python -m bench [--sizes 1000000,10000000] [--repeat 7]

For each size: generate the demo bank (cached under bench/work/<rows>/extracts), import it into
bench/work/<rows>/data unless a store is already there (the import's time is kept in
bench/work/<rows>/import.json, so a run that reuses the store still reports it), then in two separate
processes (bench/side.py) time the same interactions on our query layer and on the plain pandas baseline,
each reporting its own peak memory. Prints a table and writes bench/results/results.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
FILES = ("branches.parquet", "customers_monthly.parquet", "complaints.parquet")
BATCH_ROWS = 3_000_000  # larger demo banks are imported as several files of at most this many rows


def prepare(rows: int) -> tuple[Path, Path, dict | None]:
    """Extracts and an imported store for `rows` complaints, and the import's record (import.json:
    seconds, when, the snapshot version, rebuild_seconds when the narrative analysis was deferred and
    computed afterwards; None when the store predates import.json)."""
    from dashboard.demo.generator import generate
    from dashboard.ingest.pipeline import import_files, rebuild
    from dashboard.ingest.store import current_snapshot

    folder = WORK / f"{rows}"
    extracts, data_dir, record_path = folder / "extracts", folder / "data", folder / "import.json"
    if not (extracts / "complaints.parquet").exists():
        print(f"generating {rows:,} complaints …", flush=True)
        generate(extracts, rows=rows, seed=7)
    if not (data_dir / "store" / "CURRENT").exists():
        print(f"importing {rows:,} complaints …", flush=True)
        start = time.perf_counter()
        if rows <= BATCH_ROWS:
            result = import_files([extracts / n for n in FILES], data_dir, user="bench")
            mode = "one import, narrative analysis included"
        else:  # as a bank loads history: several files, numbers first (README, --defer-text)
            batches = quarter_batches(extracts, folder / "quarters")
            for i, batch in enumerate(batches):
                first = [extracts / n for n in FILES[:2]] if i == 0 else []
                result = import_files(first + batch, data_dir, user="bench", defer_text=True)
            mode = f"{len(batches)} imports of at most {BATCH_ROWS:,} rows, narrative analysis deferred"
        record = {
            "seconds": round(time.perf_counter() - start, 2),
            "version": result.version,
            "mode": mode,
            "finished_at": datetime.now().isoformat(timespec="seconds"),
        }
        record_path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    if not record_path.exists():
        return extracts, data_dir, None
    record = json.loads(record_path.read_text(encoding="utf-8"))
    if current_snapshot(data_dir).meta.get("deferred"):  # the narrative analysis, as `dashboard rebuild`
        print(f"computing the deferred narrative analysis of {rows:,} complaints …", flush=True)
        start = time.perf_counter()
        rebuild(data_dir)
        record["rebuild_seconds"] = round(time.perf_counter() - start, 2)
        record["mode"] += "; then one rebuild computing it"
        record_path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    return extracts, data_dir, record


def quarter_batches(extracts: Path, folder: Path) -> list[list[Path]]:
    """The complaints extract cut into one file per quarter of receipt, grouped into consecutive batches
    of at most BATCH_ROWS rows (an import validates its files in memory)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    folder.mkdir(exist_ok=True)
    table = pq.read_table(extracts / "complaints.parquet")
    received = table["received_at"]
    quarter = pc.add(pc.multiply(pc.year(received), 10), pc.add(pc.divide(pc.subtract(pc.month(received), 1), 3), 1))
    batches: list[list[Path]] = [[]]
    size = 0
    for key in sorted(set(quarter.to_pylist())):
        part = table.filter(pc.equal(quarter, key))
        path = folder / f"complaints_{key}.parquet"
        if not path.exists():
            pq.write_table(part, path)
        if size + part.num_rows > BATCH_ROWS and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(path)
        size += part.num_rows
    return batches


def snapshot_timings(data_dir: Path) -> dict:
    """The published snapshot's version and the per-stage import timings its meta.json holds (None when
    it has none: snapshots written before the import recorded them)."""
    from dashboard.ingest.store import current_snapshot

    snapshot = current_snapshot(data_dir)
    return {"version": snapshot.version, "timings": snapshot.meta.get("timings")}


def child(side: str, extracts: Path, data_dir: Path, repeat: int) -> dict:
    launched = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "bench.side", side, str(extracts), str(data_dir), str(repeat), repr(launched)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if value >= 10 else f"{value:.3f}"


def print_table(results: list[dict]) -> None:
    print(f"\n{'rows':>11}  {'measure (seconds unless said)':<40} {'ours':>9} {'pandas':>9} {'pandas/ours':>11}")
    for r in results:
        ours, base, n = r["ours"], r["pandas"], f"{r['rows']:>11,}"
        notes: dict[str, str] = {}
        for side in (ours, base):
            for page, text in side.get("notes", {}).items():
                notes[page] = f"{notes[page]}; {text}" if page in notes else text
        marks: dict[str, str] = {}
        for key, o in ours["timings"].items():
            p = base["timings"].get(key)
            ratio = f"{p / o:>10.1f}x" if p is not None and o else f"{'—':>11}"
            page = key.split(",")[0]
            if page in notes:
                marks.setdefault(page, "*" * (len(marks) + 1))
            print(f"{n}  {(key + marks.get(page, '')):<40} {seconds(o):>9} {seconds(p):>9} {ratio}")
        print(
            f"{n}  {'peak memory (MB, VmHWM)':<40} {ours['peak_mb']:>9.0f} {base['peak_mb']:>9.0f} "
            f"{base['peak_mb'] / ours['peak_mb']:>10.1f}x"
        )
        record, stages = r.get("import"), r.get("import_stages") or {}
        if record is None:
            print(f"{n}  {'import':<40} {'—':>9}   (store predates bench/work/<rows>/import.json)")
        else:
            when = "this run" if r.get("imported_now") else f"an earlier run, finished {record.get('finished_at', '?')}"
            note = "; ".join(x for x in (when, record.get("source")) if x)
            print(
                f"{n}  {'import (' + record.get('version', '?') + ')':<40} {seconds(record['seconds']):>9}   ({note})"
            )
            if "rebuild_seconds" in record:
                print(f"{n}  {'  then rebuild (narrative analysis)':<40} {seconds(record['rebuild_seconds']):>9}")
        if stages.get("timings"):
            same = record is not None and record.get("version") == stages["version"]
            print(
                f"{n}  stages of the published snapshot {stages['version']}"
                + ("" if same else " (written after that import: a rebuild or a later import)")
            )
            for stage, value in stages["timings"].items():
                print(f"{n}  {'  ' + stage:<40} {seconds(value):>9}")
        for page, mark in marks.items():
            print(f"{'':>13}{mark} {page}: {notes[page]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = []
    for rows in (int(s) for s in args.sizes.split(",")):
        had_store = (WORK / f"{rows}" / "data" / "store" / "CURRENT").exists()
        extracts, data_dir, record = prepare(rows)
        ours = child("duckdb", extracts, data_dir, args.repeat)
        baseline = child("pandas", extracts, data_dir, args.repeat)
        results.append(
            {
                "rows": rows,
                "repeat": args.repeat,
                "import": record,
                "imported_now": not had_store,
                "import_stages": snapshot_timings(data_dir),
                "ours": ours,
                "pandas": baseline,
            }
        )

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print_table(results)


if __name__ == "__main__":
    main()
