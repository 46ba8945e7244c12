"""How plausible characters are as a Chinese given name (names.py accepts a surname + 1-2 plausible
characters after medium cues: 我是, 客户, 姓名, kinship words).

The table, given_names.txt beside this module, is derived from jieba 0.42.1's dict.txt (MIT licence,
Copyright (c) 2013 Sun Junyi; the notice is in the data file's header): for each character, ``g`` is how
often it stands in the given-name part of a dictionary entry tagged ``nr`` that starts with a surname
(three characters, or four after a compound surname), ``w`` how often it appears in the entries with any
other tag. A character's plausibility is ``g / (g + w + 5)``: 伟 0.76, 丽 0.59, 建 0.35, 国 0.16, against
多 0.02, 款 0.00, 行 0.04 (characters of ordinary words); a given name's is the geometric mean of its
characters'. The table is data, read offline; rebuild it with
``python -m dashboard.text.given_names PATH/TO/jieba/dict.txt``.
"""

from __future__ import annotations

import functools
import math
import sys
from collections import Counter
from pathlib import Path

__all__ = ["plausibility"]

TABLE = Path(__file__).resolve().parent / "given_names.txt"
_SMOOTHING = 5

_HEADER = """# Given-name plausibility of Chinese characters (dashboard/text/given_names.py): character, g, w.
# g: occurrences in the given-name part of jieba dict.txt entries tagged nr that start with a surname
# (dashboard/text/surnames.txt); w: occurrences in the entries with any other tag. Characters with g >= 1.
# Derived from jieba 0.42.1 dict.txt (https://github.com/fxsjy/jieba), under its licence:
# The MIT License (MIT). Copyright (c) 2013 Sun Junyi. Permission is hereby granted, free of charge, to any
# person obtaining a copy of this software and associated documentation files (the "Software"), to deal in
# the Software without restriction, including without limitation the rights to use, copy, modify, merge,
# publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
# Software is furnished to do so, subject to the following conditions: The above copyright notice and this
# permission notice shall be included in all copies or substantial portions of the Software. THE SOFTWARE IS
# PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
# WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
# CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
# DEALINGS IN THE SOFTWARE.
"""


@functools.cache
def _table() -> dict[str, float]:
    out: dict[str, float] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        ch, g, w = line.split()
        out[ch] = int(g) / (int(g) + int(w) + _SMOOTHING)
    return out


def plausibility(given: str) -> float:
    """Geometric mean of the characters' plausibility as given-name characters (0 for a character the
    table does not have, or an empty string)."""
    if not given:
        return 0.0
    table = _table()
    product = 1.0
    for ch in given:
        p = table.get(ch, 0.0)
        if p <= 0.0:
            return 0.0
        product *= p
    return math.pow(product, 1.0 / len(given))


def build(dict_lines, singles: frozenset[str], compounds: frozenset[str]) -> str:
    """The table's text from the lines of a jieba dictionary ("word freq tag")."""
    g: Counter = Counter()
    w: Counter = Counter()
    for line in dict_lines:
        parts = line.split()
        if len(parts) != 3:
            continue
        word, _, tag = parts
        if tag == "nr":
            if len(word) == 3 and word[0] in singles and word[:2] not in compounds:
                g.update(word[1:])
            elif len(word) == 4 and word[:2] in compounds:
                g.update(word[2:])
        else:
            w.update(word)
    rows = [f"{ch} {g[ch]} {w[ch]}" for ch in sorted(g)]
    return _HEADER + "\n".join(rows) + "\n"


def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    """The single surnames of surnames.txt's common and rare tiers (names.SURNAMES_1), and its compound
    ones; read here rather than imported from names.py, which imports this module."""
    singles: set[str] = set()
    compounds: set[str] = set()
    tier = ""
    for line in (TABLE.parent / "surnames.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("["):
            tier = line.strip("[]")
        elif line and tier == "compound":
            compounds.add(line)
        elif line and tier in ("common", "rare"):
            singles.update(line)
    return frozenset(singles), frozenset(compounds)


if __name__ == "__main__":  # python -m dashboard.text.given_names PATH/TO/jieba/dict.txt
    source = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
    TABLE.write_text(build(source, *_surnames()), encoding="utf-8")
