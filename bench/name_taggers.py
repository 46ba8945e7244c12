"""Compare two offline Chinese taggers as person-name finders on the labelled masking set.

    pip install thulac==0.2.2          # not a runtime dependency: only for this comparison
    python bench/name_taggers.py tests/fixtures/masking_labelled.jsonl

For each tagger: the words it tags as a person (rjieba/jieba: nr*, THULAC: np) are compared with the
hand-labelled names (type "name"): recall = labelled names of which some tagged word covers the whole
name; false words = tagged person words that overlap no labelled name; plus load time and speed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def evaluate(records, tag, flags) -> dict:
    names = found = false_words = 0
    started = time.perf_counter()
    for record in records:
        text = record["text"]
        spans, pos = [], 0
        for word, flag in tag(text):
            start = text.find(word, pos)
            if start < 0:
                continue
            pos = start + len(word)
            if flag.startswith(flags):
                spans.append((start, pos))
        labelled = []
        for item in record["pii"]:
            if item["type"] != "name":
                continue
            start = text.find(item["text"])
            names += 1
            labelled.append((start, start + len(item["text"])))
            found += any(s <= start and start + len(item["text"]) <= e for s, e in spans)
        false_words += sum(not any(s < le and ls < e for ls, le in labelled) for s, e in spans)
    seconds = time.perf_counter() - started
    return {
        "names": names,
        "recall_%": round(100 * found / max(names, 1), 1),
        "false_words": false_words,
        "texts": len(records),
        "seconds": round(seconds, 2),
    }


def main(path: str) -> None:
    records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    import rjieba

    started = time.perf_counter()
    jb = rjieba.Jieba()
    jb.tag("预热")
    print(
        "rjieba 0.2.2 (jieba dictionary + HMM)",
        f"load {time.perf_counter() - started:.1f}s",
        evaluate(records, jb.tag, ("nr",)),
    )
    try:
        import thulac
    except ImportError:
        print("thulac not installed: pip install thulac==0.2.2")
        return
    started = time.perf_counter()
    th = thulac.thulac()
    print(
        "thulac 0.2.2 (model in the package)",
        f"load {time.perf_counter() - started:.1f}s",
        evaluate(records, th.cut, ("np",)),
    )


if __name__ == "__main__":
    main(sys.argv[1])
