"""CPU per narrative of complaint_terms' work (mask, then cut), this checkout against an older commit, the two
run alternately in one process on the same texts (not a test; issue 21):

    .venv/bin/python -m bench.terms_cpu --base 0c43066 --store DIR/store/v000001/complaints.parquet
    .venv/bin/python -m bench.terms_cpu --base 0c43066 --fixtures 15   # the labelled sets' texts, 15 times

The base commit's dashboard/text/{names,masking,terms}.py and data files are written into a temporary
package and imported beside dashboard.text (the other modules, unchanged by the speed work, are shared).
Each run starts with every cache of both emptied; with --fixtures the caches are emptied before each
repetition, so that repeated texts cost what distinct ones do. It also checks that both give the same
masked texts and terms, and prints process_time seconds per run and the ratio of the sums.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_MODULES = ("names", "masking", "terms")


def _base_package(commit: str, root: Path) -> str:
    """Write the base commit's text modules into root/base_text and return the package name."""
    repo = Path(__file__).resolve().parents[1]
    package = root / "base_text"
    package.mkdir()
    (package / "__init__.py").write_text("")
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{commit}:dashboard/text"], cwd=repo, check=True, capture_output=True
    ).stdout.decode()
    for name in listing.split():
        if name.endswith(".txt") or name in {f"{m}.py" for m in _MODULES}:
            body = subprocess.run(
                ["git", "show", f"{commit}:dashboard/text/{name}"], cwd=repo, check=True, capture_output=True
            ).stdout
            if name == "masking.py":
                body = body.replace(
                    b"from dashboard.text import learned, names\n",
                    b"from dashboard.text import learned\nfrom base_text import names\n",
                )
            if name == "terms.py":
                body = body.replace(
                    b"from dashboard.text.masking import mask\n", b"from base_text.masking import mask\n"
                )
            (package / name).write_bytes(body)
    sys.path.insert(0, str(root))
    return "base_text"


def _clear(modules, each_repetition: bool) -> None:
    names, masking, terms = modules
    masking._mask_cached.cache_clear()
    terms._cut.cache_clear()
    terms._clause_terms.cache_clear()
    if hasattr(names, "_tag"):
        names._tag.cache_clear()
    if not each_repetition:
        terms._keep.cache_clear()
        names._reads_as_words.cache_clear()


def _run(modules, sets: list[list[str]]) -> float:
    _clear(modules, each_repetition=False)
    start = time.process_time()
    for texts in sets:
        _clear(modules, each_repetition=True)
        for text in texts:
            list(dict.fromkeys(modules[2].tokenize(text)))
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--store", type=Path, help="a complaints.parquet: its first --rows distinct narratives")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--fixtures", type=int, default=0, help="the labelled masking sets' texts, N times")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sets: list[list[str]] = []
    if args.store is not None:
        import pyarrow.parquet as pq

        values = pq.read_table(args.store, columns=["content"]).column("content").to_pylist()
        distinct = list(dict.fromkeys(v for v in values if isinstance(v, str)))
        step = max(1, len(distinct) // args.rows)
        sets.append(distinct[::step][: args.rows])
    if args.fixtures:
        fixtures = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
        texts = [
            json.loads(line)["text"]
            for path in sorted(fixtures.glob("masking_*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        sets += [texts] * args.fixtures
    if not sets:
        parser.error("give --store, --fixtures or both")
    with tempfile.TemporaryDirectory() as root:
        package = _base_package(args.base, Path(root))
        old = tuple(importlib.import_module(f"{package}.{m}") for m in _MODULES)
        new = tuple(importlib.import_module(f"dashboard.text.{m}") for m in _MODULES)
        for modules in (old, new):  # set the taggers up outside the timed runs
            modules[2].tokenize("客户王小明来电")
        texts = [t for s in sets[:2] for t in s]
        same = all(old[1].mask(t) == new[1].mask(t) and old[2].tokenize(t) == new[2].tokenize(t) for t in texts)
        print(f"same masked texts and terms on {len(texts):,} texts: {same}")
        olds, news = [], []
        for _ in range(args.runs):
            olds.append(_run(old, sets))
            news.append(_run(new, sets))
        n = sum(map(len, sets))
        print("base CPU s:", " ".join(f"{x:.2f}" for x in olds), f"({1e6 * min(olds) / n:.0f} µs a narrative)")
        print("this CPU s:", " ".join(f"{x:.2f}" for x in news), f"({1e6 * min(news) / n:.0f} µs a narrative)")
        print(f"ratio of the sums: {sum(olds) / sum(news):.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
