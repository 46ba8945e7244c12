"""The dictionary of financial institutions, products, apps and regulators (institutions.txt).

Never masked as a person (dashboard/text/names.py) and kept whole as hot terms (dashboard/text/terms.py).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

DICTIONARY = Path(__file__).resolve().parent / "institutions.txt"


@functools.lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Every entry, longest first (so that a regex alternation prefers 招联消费金融 to 招联)."""
    entries = set()
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            entries.add(word)
    return tuple(sorted(entries, key=lambda w: (-len(w), w)))


@functools.lru_cache(maxsize=1)
def pattern() -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in names()))


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every dictionary entry in the text, leftmost-longest, not overlapping."""
    return [m.span() for m in pattern().finditer(text)]
