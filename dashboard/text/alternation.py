"""One regex for a list of words, written as a trie (dashboard/text/names.py's cue, title and speech scans,
dashboard/text/institutions.py's dictionary)."""

from __future__ import annotations

import math
import re
from typing import Iterable

__all__ = ["trie"]


def trie(words: Iterable[str], grouped: bool = False) -> str:
    """A regex matching any of the words, longest first, written as a trie (客户|客户经理|客服 ->
    客(?:户(?:经理)?|服)): Python's regex engine tries a flat alternation of ~150 words one by one at
    every position, the trie one character at a time (the cue, title and speech scans of every
    narrative got about twice as fast). At a position it matches the longest of the words that starts
    there, as a flat alternation sorted longest first does. grouped: the first characters in groups of
    _GROUP behind lookaheads (for a dictionary of hundreds of first characters)."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if ends else body

    firsts = sorted(ch for ch in root if ch)
    if not grouped or len(firsts) <= _GROUP:
        return emit(root)
    # Many first characters (institutions.txt's 342): the engine tries every branch at every position, so the
    # branches go into a few groups, each behind a lookahead of its first characters (1,242 entries: 23 -> 10 µs
    # a demo narrative, as for the 582 entries before; same matches).
    size = math.ceil(len(firsts) / math.ceil(len(firsts) / _GROUP))
    groups = []
    for i in range(0, len(firsts), size):
        part = firsts[i : i + size]
        lookahead = "(?=[" + "".join(re.escape(ch) for ch in part) + "])"
        groups.append(lookahead + emit({ch: root[ch] for ch in part}))
    return "(?:" + "|".join(groups) + ")"


_GROUP = 90  # first characters in a group: 60, 90 and 120 measured, 90 the fastest
