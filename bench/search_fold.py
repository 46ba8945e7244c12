"""The narrative search's full-width fold, folded at query time or read from the stored column (issue 21):

    python -m bench.search_fold [--rows 1000000] [--rounds 3] [--threads 2] [--work DIR]

Builds a complaints-like Parquet file of ROWS narratives (the masking fixtures' 5,158 texts, cycled, each made
distinct by its row number so that Parquet cannot store them as a dictionary; row groups as the import writes
complaints.parquet), once with the narrative alone and once with the stored fold beside it
(queries/macro_search_fold.sql, as queries/import_derive_complaints.sql writes it): the difference of the two
writes is what the import adds, the difference of their sizes the storage. Then, over the file (a view, as
dashboard/db.open_snapshot reads complaints), for each term (atm, 信用卡, 第1支行) and round, alternated:

    translate  contains(search_fold(content), term)           the fold at query time (before this change)
    plain      contains(lower(content), term)                  no fold at all (before H19)
    stored     contains(coalesce(search_text, ''), term)       the stored fold (this change)
    sparse     contains(coalesce(sparse, content), term)       a copy stored only where the fold changes the text

and the search guard's check (queries/complaints_search_hidden.sql) on the masked text of the hits: the hits
whose masked text (the fixtures' texts masked once, cycled likewise) lacks the term, folded at query time on
both sides (hidden_translate), the narrative's stored fold and the hits' masked texts folded (hidden_stored), and
both stored (hidden_both_stored: complaint_masked.masked_search; complaint_masked's join left out).
Prints the medians (seconds) as JSON. Not a test: the machine is shared, so figures are noisy; at most 1M rows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from dashboard import db
from dashboard.ingest.pipeline import COMPLAINT_ROW_GROUP
from dashboard.text.masking import mask

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
BENCH_TERMS = ("atm", "信用卡", "第1支行")
QUERIES = {
    "translate": "select count(*) from c where contains(search_fold(coalesce(content, '')), $t)",
    "plain": "select count(*) from c where contains(lower(coalesce(content, '')), $t)",
    "stored": "select count(*) from c where contains(coalesce(search_text, ''), $t)",
    "sparse": "select count(*) from c where contains(coalesce(sparse, lower(coalesce(content, ''))), $t)",
    "hidden_translate": "select count(*) from c where contains(search_fold(coalesce(content, '')), $t)"
    " and not contains(search_fold(coalesce(masked, content)), $t)",
    "hidden_stored": "select count(*) from c where contains(coalesce(search_text, ''), $t)"
    " and not contains(coalesce(search_fold(masked), search_text), $t)",
    "hidden_both_stored": "select count(*) from c where contains(coalesce(search_text, ''), $t)"
    " and not contains(coalesce(masked_search, search_text), $t)",
}


def fixture_texts() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def build(con: duckdb.DuckDBPyConnection, rows: int, work: Path) -> dict:
    texts = fixture_texts()
    masked = [mask(t) for t in texts]
    con.execute("create table fixture(i integer, content varchar, masked varchar)")
    con.executemany(
        "insert into fixture values (?, ?, ?)",
        [(i, t, None if m == t else m) for i, (t, m) in enumerate(zip(texts, masked))],
    )
    # distinct narratives: the row number after the text (ASCII, so the fold's cost per row is the text's)
    con.execute(
        "create table source as select f.content || ' #' || r.range as content,"
        " f.masked || ' #' || r.range as masked"
        " from range($rows) r join fixture f on f.i = r.range % $n order by r.range",
        {"rows": rows, "n": len(texts)},
    )
    out: dict = {"rows": rows, "distinct_texts": len(texts)}
    plain, folded = work / "plain.parquet", work / "folded.parquet"
    options = f"(format parquet, compression zstd, row_group_size {COMPLAINT_ROW_GROUP})"
    stored = work / "stored.parquet"
    writes: dict[str, list[float]] = {"narrative_only": [], "with_stored_fold": []}
    for _ in range(3):  # alternated: the import's added cost is the difference
        start = time.perf_counter()
        con.execute(f"copy (select content, masked from source) to '{plain}' {options}")
        writes["narrative_only"].append(time.perf_counter() - start)
        start = time.perf_counter()
        con.execute(
            f"copy (select content, masked, search_fold(content) as search_text from source) to '{stored}' {options}"
        )
        writes["with_stored_fold"].append(time.perf_counter() - start)
    out["write_s"] = {k: round(statistics.median(v), 2) for k, v in writes.items()}
    # the sparse copy beside the full one, for its size and the query
    con.execute(
        f"copy (select content, masked, search_fold(content) as search_text,"
        f" case when search_fold(content) <> content then search_fold(content) end as sparse,"
        f" search_fold(masked) as masked_search from source) to '{folded}' {options}"
    )
    sizes = con.execute(
        "select path_in_schema, sum(total_compressed_size) / 1e6 from parquet_metadata($p) group by all",
        {"p": str(folded)},
    ).fetchall()
    out["column_mb"] = {name: round(mb, 1) for name, mb in sizes}
    out["file_mb"] = {
        "narrative_only": round(plain.stat().st_size / 1e6, 1),
        "with_stored_fold": round(stored.stat().st_size / 1e6, 1),
    }
    out["sparse_rows"] = con.execute(f"select count(sparse) from '{folded}'").fetchone()[0]
    con.execute("drop table source")
    con.execute(f"create view c as select * from read_parquet('{folded}')")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--queries", default=",".join(QUERIES), help="the variants to time, comma-separated")
    args = parser.parse_args(argv)
    if args.rows > 1_000_000:
        parser.error("at most 1M rows: the machine is shared")
    con = db.new_connection()
    con.execute(f"set threads = {int(args.threads)}")
    con.execute(db.load_sql("macro_search_fold"))
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        out = build(con, args.rows, Path(tmp))
        chosen = {name: QUERIES[name] for name in args.queries.split(",")}
        times: dict[str, dict[str, list[float]]] = {t: {q: [] for q in chosen} for t in BENCH_TERMS}
        hits: dict[str, dict[str, int]] = {t: {} for t in BENCH_TERMS}
        for _ in range(args.rounds):
            for term in BENCH_TERMS:
                for name, sql in chosen.items():
                    start = time.perf_counter()
                    hits[term][name] = con.execute(sql, {"t": term}).fetchone()[0]
                    times[term][name].append(time.perf_counter() - start)
        out["threads"] = args.threads
        out["rounds"] = args.rounds
        out["median_s"] = {t: {q: round(statistics.median(v), 3) for q, v in qs.items()} for t, qs in times.items()}
        out["hits"] = hits
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
