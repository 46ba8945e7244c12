"""A character CRF trained on the project's own labelled complaint texts as the name finder's second
opinion (issue 15, brief T1): train it, cross-validate it, and measure it against the rules and LAC.

    pip install python-crfsuite==0.9.12          # not a runtime dependency
    python bench/crf_names.py train [--out DIR]   # 5-fold CV of c1/c2 and the threshold, then the model
    python bench/crf_names.py FILE ...            # figures of rules / lac / crf on labelled files

Why a bench and not a module: on dev10's batches 4-5 (D10-0151..0250, 100 texts, 170 names, unseen by the
rules and by the CRF) it took names found from 70.6 % to 72.4 % (+3 names), texts wrongly masked 2 % both,
at 3.9 times the rules' CPU (77 s per 100,000 narratives against 20 s): the brief's bar for an opt-in
setting was +5 points (/work/reports/T1.md; the module, the model and a COMPLAINTS_NAME_TAGGER=crf setting
are on branch s12-T-crf). The CRF alone is a fair tagger there (exact name spans: precision 0.875, recall
0.70), but a span becomes a candidate only through names._Finder.from_learned, as LAC's do: it must start
with a surname and have a one- or two-character given name, and most of the names the rules miss are not
of that shape (given names alone, familiar forms, lone surnames).

The model: each character of a sentence (split at 。！？；and line breaks; only sentences with a character
that can start a surname) is tagged B, I or O of a ``name`` span. Features (:func:`features`): the
character, its neighbours -3..+3, the bigrams around it, surname flags (surnames.txt), the given-name
plausibility band of it and its neighbours (given_names.txt), whether a role, title or family word of
names.py ends just before it or starts 1-3 characters after it, the rjieba part of speech of the word it
is in (as names.py reads it) and its place in the word, its class (Han, digit, Latin, punctuation, '*').
A span is a B whose marginal probability is at least the threshold, then each next I that is.

Training (deterministic: files sorted, folds from a fixed seed, L-BFGS on the same data in the same
order gives the same model): every tests/fixtures/masking_*.jsonl (masking_namefree.jsonl for the "no
name" side) except masking_dev10.jsonl's D10-0151..D10-0250, the texts as the name finder sees them
(masking._mask_numbers, where that keeps the offsets). c1 and c2: 5-fold CV, exact-span F1 at 0.5. The
threshold: the out-of-fold spans with the rules (mask_eval.evaluate); the lowest threshold whose texts
wrongly masked are at most the rules' + 0.5 point. Chosen: c1 0.05, c2 0.005, threshold 0.2 (0.21 MB).

The figures: rules and lac through ``python -m dashboard mask --evaluate FILE`` with the setting; crf
in-process through the same mask_eval.evaluate and masking, with learned.persons answering the CRF's
spans (masking._mask_names passes them to names.name_spans, which checks them as it checks LAC's); and
the CPU per 100,000 distinct narratives (mask_eval.time_per_100k, one at a time and batched).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
MODEL_DIR = Path(tempfile.gettempdir()) / "crf_names_model"
MODEL, PARAMS = "crf_names.crfsuite", "crf_names.json"
HELD_OUT = "masking_dev10.jsonl", 151, 250  # file, first and last number of the ids kept unseen
SEED = 15
FOLDS = 5
GRID = [(c1, c2) for c1 in (0.05, 0.2, 0.5) for c2 in (0.005, 0.05)]
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7)
ITERATIONS = 150
WRONG_BUDGET = 0.5  # points of texts wrongly masked over the rules' allowed to the chosen threshold

# Sentences: split after a full stop, a question or exclamation mark, a semicolon or a line break.
_SENTENCES = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]*")
_PUNCT = frozenset("，。；：！？、“”‘’（）《》【】「」,.;:!?()[]\"' \t\u3000\n\r…—-·")


@functools.lru_cache(maxsize=1)
def _tables():
    from dashboard.text import given_names, names

    surnames = names.SURNAMES_ALL | names.SURNAMES_RARE
    compound = names.SURNAMES_2
    words = sorted(set(names._ROLES) | set(names._TITLES_STAFF) | set(names._TITLES_FAMILY), key=len, reverse=True)
    lengths = sorted({len(w) for w in words}, reverse=True)
    table = given_names._table()
    return surnames, compound, frozenset(words), lengths, table


def _band(p: float) -> str:
    return "0" if p <= 0.0 else "1" if p < 0.1 else "2" if p < 0.3 else "3"


def _kind(ch: str) -> str:
    if ch == "*":
        return "star"
    if ch.isdigit():
        return "digit"
    if ch.isascii() and ch.isalpha():
        return "latin"
    if ch in _PUNCT:
        return "punct"
    if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000":
        return "han"
    return "other"


def _words(sentence: str) -> list[tuple[str, str]]:
    """The rjieba reading of the sentence as names.py reads it (clause by clause, cached; a clause
    without a surname character stands as one word flagged x)."""
    from dashboard.text import names

    out: list[tuple[str, str]] = []
    for clause in names._CLAUSES.findall(sentence):
        if names._NAME_START.search(clause) and not clause.isspace():
            out.extend(names._tag(clause))
        else:
            out.append((clause, "x"))
    return out


def features(sentence: str) -> list[list[str]]:
    """The features of each character of the sentence (a list of strings a character)."""
    surnames, compound, words, lengths, table = _tables()
    n = len(sentence)
    pos = [""] * n
    place = [""] * n
    at = 0
    for word, flag in _words(sentence):
        for k in range(len(word)):
            if at + k < n:
                pos[at + k] = flag
                place[at + k] = "S" if len(word) == 1 else "B" if k == 0 else "E" if k == len(word) - 1 else "M"
        at += len(word)
    role_end = [False] * (n + 1)  # a role or title word ends just before position i
    role_start = [False] * (n + 1)  # one starts at position i
    for i in range(n):
        for size in lengths:
            if i + size <= n and sentence[i : i + size] in words:
                role_start[i] = True
                role_end[i + size] = True
    out = []
    for i, ch in enumerate(sentence):
        f = [
            "b",
            "c=" + ch,
            "k=" + _kind(ch),
            "p=" + pos[i],
            "w=" + place[i] + pos[i],
            "g=" + _band(table.get(ch, 0.0)),
        ]
        for d in (-3, -2, -1, 1, 2, 3):
            j = i + d
            if 0 <= j < n:
                f.append(f"c{d}=" + sentence[j])
                if abs(d) <= 2:
                    f.append(f"k{d}=" + _kind(sentence[j]))
                    f.append(f"g{d}=" + _band(table.get(sentence[j], 0.0)))
                if abs(d) == 1:
                    f.append(f"p{d}=" + pos[j])
            else:
                f.append(f"c{d}=^" if j < 0 else f"c{d}=$")
        f.append("bb=" + sentence[i - 1 : i + 1] if i else "bb=^" + ch)
        f.append("ba=" + sentence[i : i + 2] if i + 1 < n else "ba=" + ch + "$")
        if i >= 2:
            f.append("bbb=" + sentence[i - 2 : i])
        if i + 2 < n:
            f.append("baa=" + sentence[i + 1 : i + 3])
        if ch in surnames:
            f.append("sur")
        if sentence[i : i + 2] in compound:
            f.append("sur2")
        if i and sentence[i - 1] in surnames:
            f.append("sur-1")
        if i >= 2 and sentence[i - 2] in surnames:
            f.append("sur-2")
        if role_end[i]:
            f.append("role<")
        for d in (1, 2, 3):
            if i + d <= n and role_start[i + d]:
                f.append(f"role>{d}")
        out.append(f)
    return out


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of each sentence with a character that can start a surname."""
    from dashboard.text import names

    return [
        (m.start(), m.group()) for m in _SENTENCES.finditer(text) if m.group() and names._NAME_START.search(m.group())
    ]


def marginals(tagger, sentence: str) -> tuple[list[float], list[float]]:
    """Each character's marginal probability of B and of I."""
    tagger.set(features(sentence))
    n = len(sentence)
    return [tagger.marginal("B", i) for i in range(n)], [tagger.marginal("I", i) for i in range(n)]


def cut(begin: Sequence[float], inside: Sequence[float], threshold: float) -> list[tuple[int, int]]:
    """Name spans: a B at least as probable as the threshold, then each I that is."""
    n = len(begin)
    out = []
    i = 0
    while i < n:
        if begin[i] >= threshold:
            end = i + 1
            while end < n and inside[end] >= threshold:
                end += 1
            out.append((i, end))
            i = end
        else:
            i += 1
    return out


def spans(tagger, sentence: str, threshold: float) -> list[tuple[int, int]]:
    """Name spans of one sentence at the threshold."""
    return cut(*marginals(tagger, sentence), threshold)


def spans_of(tagger, text: str, thresholds: Sequence[float]) -> dict[float, list[tuple[int, int]]]:
    """:func:`persons` with another model, at several thresholds (the trainer's cross-validation)."""
    out: dict[float, list[tuple[int, int]]] = {t: [] for t in thresholds}
    for offset, sentence in sentences(text):
        begin, inside = marginals(tagger, sentence)
        for t in thresholds:
            out[t].extend((offset + s, offset + e) for s, e in cut(begin, inside, t))
    return out


def labels(sentence_offset: int, sentence: str, names_at: Sequence[tuple[int, int]]) -> list[str]:
    """B/I/O of each character of a sentence from the labelled name spans of its text."""
    out = ["O"] * len(sentence)
    for start, end in names_at:
        s, e = start - sentence_offset, end - sentence_offset
        if 0 <= s < len(sentence):
            out[s] = "B"
            for k in range(s + 1, min(e, len(sentence))):
                out[k] = "I"
    return out


def training_files(fixtures: Path = FIXTURES) -> list[Path]:
    return sorted(fixtures.glob("masking_*.jsonl"))


def _held_out(path: Path, record: dict) -> bool:
    name, first, last = HELD_OUT
    if path.name != name:
        return False
    number = int(str(record["id"]).rsplit("-", 1)[1])
    return first <= number <= last


def load(files: list[Path]) -> list[dict]:
    """The training records of the files, in file then line order (the held-out ids left out)."""
    out = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if not _held_out(path, record):
                    record["_file"] = path.name
                    out.append(record)
    return out


def name_spans(record: dict) -> list[tuple[int, int]]:
    """(start, end) of every labelled name occurrence (each occurrence when the label gives no start)."""
    text, out = record["text"], []
    for item in record.get("pii", []):
        if item["type"] != "name" or not item["text"]:
            continue
        if item.get("start") is not None:
            out.append((item["start"], item["start"] + len(item["text"])))
        else:
            at = text.find(item["text"])
            while at >= 0:
                out.append((at, at + len(item["text"])))
                at = text.find(item["text"], at + 1)
    return out


def seen_text(text: str) -> str:
    """The text as the name finder sees it when that keeps the offsets (the labels stay in place)."""
    from dashboard.text.masking import _mask_numbers

    seen = _mask_numbers(text)
    return seen if len(seen) == len(text) else text


def sequences(records: list[dict]) -> list[tuple[list[list[str]], list[str]]]:
    out = []
    for record in records:
        text = seen_text(record["text"])
        spans = name_spans(record)
        for offset, sentence in sentences(text):
            out.append((features(sentence), labels(offset, sentence, spans)))
    return out


def train(seqs, model_path: Path, c1: float, c2: float, iterations: int = ITERATIONS) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in seqs:
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(model_path))


def folds(records: list[dict], k: int = FOLDS) -> list[int]:
    order = list(range(len(records)))
    random.Random(SEED).shuffle(order)
    fold = [0] * len(records)
    for rank, index in enumerate(order):
        fold[index] = rank % k
    return fold


def _fit_fold(args) -> dict:
    """Train without one fold; its texts' spans at every threshold, and span counts at 0.5."""
    import pycrfsuite

    records, fold, held, c1, c2, iterations = args
    train_records = [r for r, f in zip(records, fold) if f != held]
    test_records = [(i, r) for i, (r, f) in enumerate(zip(records, fold)) if f == held]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.crfsuite"
        train(sequences(train_records), path, c1, c2, iterations)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        found: dict[float, dict[int, list[tuple[int, int]]]] = {t: {} for t in THRESHOLDS}
        tp = fp = fn = 0
        for i, record in test_records:
            text = seen_text(record["text"])
            gold = set(name_spans(record))
            for t, found_spans in spans_of(tagger, text, THRESHOLDS).items():
                found[t][i] = found_spans
            got = set(found[0.5][i])
            tp += len(got & gold)
            fp += len(got - gold)
            fn += len(gold - got)
        tagger.close()
    return {"tp": tp, "fp": fp, "fn": fn, "found": found}


def cross_validate(records, c1, c2, iterations, workers) -> list[dict]:
    fold = folds(records)
    jobs = [(records, fold, held, c1, c2, iterations) for held in range(FOLDS)]
    if workers <= 1:
        return [_fit_fold(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_fit_fold, jobs))


def f1(results: list[dict]) -> tuple[float, float, float]:
    tp = sum(r["tp"] for r in results)
    fp = sum(r["fp"] for r in results)
    fn = sum(r["fn"] for r in results)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def masked_figures(records: list[dict], spans_by_index: dict[int, list[tuple[int, int]]] | None) -> dict:
    """Rules (None) or rules + the given CRF spans: mask_eval's figures on the records."""
    from dashboard.text import learned, mask_eval, masking

    table = {}
    if spans_by_index is not None:
        table = {masking._mask_numbers(r["text"]): spans_by_index.get(i, []) for i, r in enumerate(records)}
    persons = learned.persons
    # the masking asks learned.persons for the tagger's spans: here they are the fold models' (no model
    # file needed, none is read)
    learned.persons = lambda text: table.get(text, [])  # type: ignore[assignment]
    try:
        fig = mask_eval.evaluate(records, masker=masking._mask_uncached)
    finally:
        learned.persons = persons  # type: ignore[assignment]
    return {
        "names_found": round(fig.share(fig.found["name"], fig.total["name"]), 2),
        "wrong_texts": round(fig.share(fig.wrong_texts, fig.texts), 2),
        "amounts_dates": round(fig.share(fig.keep_numbers_ok, fig.keep_numbers), 2),
    }


def train_main(out: Path, workers: int, iterations: int, fixed: tuple[float, float, float] | None) -> int:
    files = training_files()
    records = load(files)
    print(f"{len(records)} training texts from {len(files)} files", file=sys.stderr)
    report: dict = {"sets": [p.name for p in files], "held_out": list(HELD_OUT), "texts": len(records)}
    if fixed is None:
        scores = []
        best_results, best, best_f = None, GRID[0], -1.0
        for c1, c2 in GRID:
            results = cross_validate(records, c1, c2, iterations, workers)
            p, r, f = f1(results)
            print(f"c1={c1} c2={c2}: P {p:.3f} R {r:.3f} F1 {f:.3f}", file=sys.stderr)
            scores.append({"c1": c1, "c2": c2, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)})
            if f > best_f:
                best_results, best, best_f = results, (c1, c2), f
        c1, c2 = best
        report["cv_grid"] = scores
        rules = masked_figures(records, None)
        report["cv_rules"] = rules
        by_threshold = []
        threshold = max(THRESHOLDS)
        assert best_results is not None
        for t in THRESHOLDS:
            merged: dict[int, list[tuple[int, int]]] = {}
            for res in best_results:
                merged.update(res["found"][t])
            fig = masked_figures(records, merged)
            fig["threshold"] = t
            by_threshold.append(fig)
            print(f"threshold {t}: {fig} (rules {rules})", file=sys.stderr)
        for fig in by_threshold:  # ascending: the lowest threshold within the budget
            if fig["wrong_texts"] <= rules["wrong_texts"] + WRONG_BUDGET:
                threshold = fig["threshold"]
                break
        report["cv_thresholds"] = by_threshold
    else:
        c1, c2, threshold = fixed
    report.update({"c1": c1, "c2": c2, "threshold": threshold, "iterations": iterations})
    out.mkdir(parents=True, exist_ok=True)
    train(sequences(records), out / MODEL, c1, c2, iterations)
    (out / PARAMS).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"c1={c1} c2={c2} threshold={threshold} -> {out / MODEL}", file=sys.stderr)
    return 0


_FIGURES = {
    "names": re.compile(r"姓名找到率 names found: ([\d.]+)%"),
    "wrong": re.compile(r"误遮文本占比 .*?: (\d+)/(\d+)（([\d.]+)%）"),
    "amounts": re.compile(r"金额与日期未被改动 .*?: (\d+)/(\d+)（([\d.]+)%）"),
    "names_n": re.compile(r"name: 找到 (\d+)/(\d+)"),
}


def evaluate_command(finder: str, path: str) -> str:
    """``python -m dashboard mask --evaluate FILE`` with COMPLAINTS_NAME_TAGGER=finder (rules or lac)."""
    env = dict(os.environ, COMPLAINTS_NAME_TAGGER=finder)
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "mask", "--evaluate", path], env=env, capture_output=True, text=True
    )
    if run.returncode:
        return (run.stderr or run.stdout).strip().splitlines()[-1]
    out = run.stdout
    names, names_n = _FIGURES["names"].search(out), _FIGURES["names_n"].search(out)
    wrong, amounts = _FIGURES["wrong"].search(out), _FIGURES["amounts"].search(out)
    assert names and names_n and wrong and amounts, out
    return (
        f"names {names.group(1)} % ({names_n.group(1)}/{names_n.group(2)}), wrongly masked {wrong.group(3)} % "
        f"({wrong.group(1)}/{wrong.group(2)}), amounts and dates {amounts.group(3)} % ({amounts.group(1)}/{amounts.group(2)})"
    )


class _Crf:
    """The trained model answering learned.persons (the masking's door for a learned tagger's spans)."""

    def __init__(self, model_dir: Path):
        import pycrfsuite

        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model_dir / MODEL))
        self.threshold = float(json.loads((model_dir / PARAMS).read_text(encoding="utf-8"))["threshold"])

    def persons(self, text: str) -> list[tuple[int, int]]:
        return spans_of(self.tagger, text, [self.threshold])[self.threshold]

    def __enter__(self):
        from dashboard.text import learned, masking

        self._saved = learned.persons
        learned.persons = self.persons  # type: ignore[assignment]
        masking._mask_cached.cache_clear()
        return self

    def __exit__(self, *exc) -> None:
        from dashboard.text import learned, masking

        learned.persons = self._saved  # type: ignore[assignment]
        masking._mask_cached.cache_clear()


def evaluate_crf(model_dir: Path, path: str) -> str:
    from dashboard.text import mask_eval

    os.environ["COMPLAINTS_NAME_TAGGER"] = "rules"
    with _Crf(model_dir):
        fig = mask_eval.evaluate(mask_eval.load(Path(path)))
    names = fig.share(fig.found["name"], fig.total["name"])
    return (
        f"names {names:.1f} % ({fig.found['name']}/{fig.total['name']}), wrongly masked "
        f"{fig.share(fig.wrong_texts, fig.texts):.2f} % ({fig.wrong_texts}/{fig.texts}), amounts and dates "
        f"{fig.share(fig.keep_numbers_ok, fig.keep_numbers):.1f} % ({fig.keep_numbers_ok}/{fig.keep_numbers})"
    )


def cpu(finder: str, paths: list[str], model_dir: Path) -> str:
    """CPU seconds per 100,000 distinct narratives like the files' (one at a time; batched)."""
    from dashboard.text import mask_eval

    texts = [r["text"] for p in paths for r in mask_eval.load(Path(p))]
    if finder == "crf":
        os.environ["COMPLAINTS_NAME_TAGGER"] = "rules"
        with _Crf(model_dir):
            one = mask_eval.time_per_100k(texts, repeat_to=5000)
            bulk = mask_eval.time_per_100k(texts, repeat_to=5000, batched=True)
        return f"{one:.1f} s; {bulk:.1f} s batched"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from dashboard.text import mask_eval\n"
        "texts = [r['text'] for p in sys.argv[1:] for r in mask_eval.load(Path(p))]\n"
        "one = mask_eval.time_per_100k(texts, repeat_to=5000)\n"
        "bulk = mask_eval.time_per_100k(texts, repeat_to=5000, batched=True)\n"
        "print(f'{one:.1f} s; {bulk:.1f} s batched')\n"
    )
    env = dict(os.environ, COMPLAINTS_NAME_TAGGER=finder)
    run = subprocess.run([sys.executable, "-c", code, *paths], env=env, capture_output=True, text=True)
    return run.stdout.strip() if run.returncode == 0 else (run.stderr.strip().splitlines() or ["-"])[-1]


def measure_main(paths: list[str], model_dir: Path) -> int:
    if not (model_dir / MODEL).exists():
        print(f"no model in {model_dir}: run `python bench/crf_names.py train` first", file=sys.stderr)
        return 2
    if len(paths) > 1:
        pooled = Path(tempfile.gettempdir()) / "crf_names_bench_pooled.jsonl"
        pooled.write_text(
            "".join(Path(p).read_text(encoding="utf-8").rstrip("\n") + "\n" for p in paths), encoding="utf-8"
        )
        paths = [*paths, str(pooled)]
    for path in paths:
        print(f"== {path}")
        print(f"  rules  {evaluate_command('rules', path)}")
        print(f"  lac    {evaluate_command('lac', path)}")
        print(f"  crf    {evaluate_crf(model_dir, path)}")
    print("== CPU per 100,000 distinct narratives like these (mask_eval.time_per_100k)")
    files = paths[:-1] if len(paths) > 1 else paths
    for finder in ("rules", "lac", "crf"):
        started = time.perf_counter()
        print(f"  {finder:5s}  {cpu(finder, files, model_dir)} ({time.perf_counter() - started:.0f} s wall)")
    print(f"== model {MODEL}: {(model_dir / MODEL).stat().st_size / 1e6:.2f} MB")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["train"]:
        parser = argparse.ArgumentParser(prog="bench/crf_names.py train")
        parser.add_argument("--out", type=Path, default=MODEL_DIR)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--iterations", type=int, default=ITERATIONS)
        parser.add_argument("--fixed", type=float, nargs=3, metavar=("C1", "C2", "THRESHOLD"), help="skip the CV")
        args = parser.parse_args(argv[1:])
        return train_main(args.out, args.workers, args.iterations, tuple(args.fixed) if args.fixed else None)
    parser = argparse.ArgumentParser(prog="bench/crf_names.py")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--model", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    return measure_main(args.files, args.model)


if __name__ == "__main__":
    sys.exit(main())
