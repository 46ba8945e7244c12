"""python -m bench [--sizes 1000000,10000000] [--repeat 7]

For each size: generate the demo bank (cached under bench/work/<rows>/extracts), import it into
bench/work/<rows>/data unless a store is already there (the import's time is kept in
bench/work/<rows>/import.json, so a run that reuses the store still reports it), then in two separate
processes (bench/side.py) time the same interactions on our query layer and on the plain pandas baseline,
each reporting its own peak memory. Prints a table and writes bench/results/results.json, then the issue's
targets beside the figures: the page query sets and the import from this run, the serving figures from the
last run of their own commands (bench/results/load.json: bench.load; app_start.json: bench.app_start;
replicas.json: bench.replicas), each named with where it came from, "not measured" when it has no run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from bench.import_demo import _tree_rss_mb

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
        peak = PeakMemory()
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
            "peak_rss_mb": peak.stop(),
        }
        record_path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    if not record_path.exists():
        return extracts, data_dir, None
    record = json.loads(record_path.read_text(encoding="utf-8"))
    if current_snapshot(data_dir).meta.get("deferred"):  # the narrative analysis, as `dashboard rebuild`
        print(f"computing the deferred narrative analysis of {rows:,} complaints …", flush=True)
        peak = PeakMemory()
        start = time.perf_counter()
        rebuild(data_dir)
        record["rebuild_seconds"] = round(time.perf_counter() - start, 2)
        record["rebuild_peak_rss_mb"] = peak.stop()
        record["mode"] += "; then one rebuild computing it"
        record_path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    return extracts, data_dir, record


class PeakMemory:
    """The largest resident memory of this process and its workers (MB), sampled every 0.5 s from now until
    stop(): an import runs in this process, its narrative work in worker processes."""

    def __init__(self) -> None:
        self.peak, self._stop = 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, _tree_rss_mb(os.getpid()))
            if self._stop.wait(0.5):
                return

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return round(self.peak)


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


QUERY_TARGET_S = {1_000_000: 0.050, 10_000_000: 0.150}  # issue 21: a page's query set, first view and change
SPEEDUP_TARGET = {1_000_000: 3.0, 10_000_000: 10.0}  # ... and at least this many times the pandas baseline
IMPORT_TARGET_S = {1_000_000: 30.0, 10_000_000: 600.0}  # with the narrative analysis
IMPORT_PEAK_TARGET_MB = {10_000_000: 8 * 1024}  # a 10M history's import, narrative analysis included
SERVING = (  # (measure, target, file under bench/results, reader of that file's figure)
    ("20 sessions, import during: p95 page ready", "<= 2 s", "load.json", lambda r: r["page_ready_s"]["p95"]),
    ("click inside a session to a drawn page (p50)", "<= 1 s", "load.json", lambda r: _nav_p50(r)),
    ("new session's first page (after start)", "<= 2.5 s", "app_start.json", lambda r: r["first_page_s_median"]),
    ("two replicas behind HAProxy: p95 page ready", "no failed check", "replicas.json", lambda r: _replicas(r)),
    ("a monthly extract of 300,000 imported", "<= 20 s", "monthly.json", lambda r: _monthly(r)),
)


def _monthly(result: dict) -> float | str:
    if result["rows"] < 300_000:  # a smaller month says nothing about the target
        return f"{result['rows']:,} rows, {seconds(result['seconds'])} s"
    return result["seconds"]


def _nav_p50(load: dict) -> float | None:
    """The median page-ready time of the in-session switches (not the URL opens that start a session)."""
    values = [r["ready_s"] for r in load.get("records", []) if r.get("kind") == "navigate" and r.get("ready_s")]
    values.sort()
    return values[len(values) // 2] if values else None


def _replicas(result: dict) -> str:
    p95 = result["load"]["page_ready_s"]["p95"]
    failed = result.get("failed") or []
    return f"{'passed' if not failed else 'FAILED ' + '; '.join(map(str, failed))[:60]}, p95 {seconds(p95)} s"


def verdict(value: float | None, limit: float) -> str:
    return "—" if value is None else ("met" if value <= limit else "missed")


def print_targets(results: list[dict]) -> None:
    """Every figure of issue 21 beside its target (and the pandas baseline where it has one)."""
    print(f"\n{'issue 21 targets':<52} {'target':>16} {'ours':>14} {'pandas':>9} {'verdict':>8}")
    for r in results:
        rows, ours, base = r["rows"], r["ours"]["timings"], r["pandas"]["timings"]
        limit, speedup = QUERY_TARGET_S.get(rows), SPEEDUP_TARGET.get(rows)
        for key, o in ours.items():
            if "," not in key or key.startswith("report"):
                continue
            p = base.get(key)
            ok = limit is not None and o <= limit and (p is None or speedup is None or p / o >= speedup)
            target = f"<={limit * 1000:.0f}ms,>={speedup:.0f}x" if limit and speedup else "—"
            print(
                f"{rows:>11,} {key:<40} {target:>16} {o * 1000:>12.0f}ms {'—' if p is None else f'{p * 1000:.0f}ms':>9} "
                f"{('met' if ok else 'missed') if limit else '—':>8}"
            )
        memory = r["ours"]["peak_mb"] / r["pandas"]["peak_mb"]
        print(
            f"{rows:>11,} {'peak memory, share of pandas':<40} {'<= 1/3':>16} {memory:>14.2f} {'1':>9} "
            f"{verdict(memory, 1 / 3):>8}"
        )
        record = r.get("import")
        target = IMPORT_TARGET_S.get(rows)
        value = None if record is None else record["seconds"] + record.get("rebuild_seconds", 0)
        print(
            f"{rows:>11,} {'import, narrative analysis included (s)':<40} "
            f"{(f'<= {target:.0f} s' if target else '—'):>16} {seconds(value):>14} {'':>9} "
            f"{verdict(value, target) if target else '—':>8}"
        )
        peaks = [record.get(k) for k in ("peak_rss_mb", "rebuild_peak_rss_mb")] if record else []
        peak = max((p for p in peaks if p is not None), default=None)
        limit_mb = IMPORT_PEAK_TARGET_MB.get(rows)
        print(
            f"{rows:>11,} {'import peak memory (MB)':<40} {(f'<= {limit_mb:,} MB' if limit_mb else '—'):>16} "
            f"{'not measured' if peak is None else f'{peak:,}':>14} {'':>9} "
            f"{verdict(peak, limit_mb) if limit_mb and peak is not None else '—':>8}"
        )
        for stage, value in ((r.get("import_stages") or {}).get("timings") or {}).items():
            print(f"{rows:>11,}   {stage:<38} {'':>16} {seconds(value):>14}")
    for measure, target, name, read in SERVING:
        path = RESULTS / name
        if not path.exists():
            print(f"{'':>11} {measure:<40} {target:>16} {'not measured':>14}  (run python -m bench.{name[:-5]})")
            continue
        try:
            value = read(json.loads(path.read_text(encoding="utf-8")))
        except (KeyError, TypeError, ValueError) as error:
            value = f"unreadable ({error})"
        shown = seconds(value) if isinstance(value, float) or value is None else str(value)
        limit = {"<= 2 s": 2.0, "<= 1 s": 1.0, "<= 2.5 s": 2.5, "<= 20 s": 20.0}.get(target)
        when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%m-%d %H:%M")
        met = verdict(value, limit) if isinstance(value, float) and limit else "—"
        print(f"{'':>11} {measure:<40} {target:>16} {shown:>14} {'':>9} {met:>8}  ({name}, {when})")


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
    print_targets(results)


if __name__ == "__main__":
    main()
