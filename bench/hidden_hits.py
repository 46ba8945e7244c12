"""The hotspots page's hidden-hit check timed (issues 15, 21): ui.complaint_list.guarded_search for a user
without the reveal right, with the page's hits callable, on one store and this tree's code:

    python -m bench.hidden_hits DATA_DIR WORD:MONTHS ... [--runs 5] [--uncapped]

MONTHS is the selection's period, the last MONTHS months of the data (0: all of it). A tree with
queries/complaints_search_hidden.sql asks it (the stored masked text decides); an older tree asks
complaints_search_hits and masks each hit in Python (--uncapped: without search_guard.HITS_CHECKED, to see what
masking them all costs). The masking's LRU cache is cleared before each timed call, after one warm call. Run it
with PYTHONPATH and the working directory of each tree to compare, alternated (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from dashboard import db
from dashboard.analysis import hotspots as hs
from dashboard.analysis.source import Source
from dashboard.filters import Filters, add_months
from dashboard.text import masking, search_guard
from dashboard.text.search_query import parse
from dashboard.ui import complaint_list

STORED = (Path(db.__file__).resolve().parent.parent / "queries" / "complaints_search_hidden.sql").exists()


def hits_for(source: Source, selection: dict):
    def hits(text: str):
        limit = search_guard.HITS_CHECKED + 1
        if STORED:
            from dashboard.derived import masked_text

            tokenizer = masked_text.current_tokenizer()
            rows = source("complaints_search_hidden", **selection, search=text, tokenizer=tokenizer, limit=limit)
        else:
            rows = source("complaints_search_hits", **selection, search=text, limit=limit)
        return rows.itertuples(index=False)

    return hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("words", nargs="+", metavar="WORD:MONTHS")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--uncapped", action="store_true")
    args = parser.parse_args(argv)
    if args.uncapped:
        search_guard.HITS_CHECKED = 10**9
    snapshot, con = db.current(args.data_dir)
    first, last = con.execute("select min(month), max(month) from complaints").fetchone()
    out: dict = {"stored": STORED, "uncapped": args.uncapped, "complaints": snapshot.meta["complaints"]}
    for spec in args.words:
        word, months = spec.rsplit(":", 1)
        start = first if months == "0" else add_months(last, 1 - int(months))
        filters = Filters(month_from=start, month_to=last)
        hits = hits_for(Source.of(con, filters), hs.selection_overrides(filters, None))
        search = parse(word)
        complaint_list.guarded_search(search, None, hits)  # warm: the files' pages read once
        times = []
        for _ in range(args.runs):
            masking._mask_cached.cache_clear()
            started = time.perf_counter()
            refused, checked = complaint_list.guarded_search(search, None, hits)
            times.append(time.perf_counter() - started)
        found = con.execute(
            "select count(*) from complaints where contains(lower(content), lower(?)) and month >= ?", [word, start]
        ).fetchone()[0]
        out[spec] = {
            "hits": found,
            "median_ms": round(sorted(times)[len(times) // 2] * 1000, 1),
            "refused": bool(refused),
            "hidden": None if checked is None or checked.hidden is None else len(checked.hidden[0][0]),
        }
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
