"""One regex for a list of words, written as a trie (dashboard/text/names.py's cue, title and speech scans,
dashboard/text/institutions.py's dictionary)."""

from __future__ import annotations

import re
from typing import Iterable

__all__ = ["trie"]


def trie(words: Iterable[str]) -> str:
    """A regex matching any of the words, longest first, written as a trie (客户|客户经理|客服 ->
    客(?:户(?:经理)?|服)): Python's regex engine tries a flat alternation of ~150 words one by one at
    every position, the trie one character at a time (the cue, title and speech scans of every
    narrative got about twice as fast). At a position it matches the longest of the words that starts
    there, as a flat alternation sorted longest first does."""
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

    return emit(root)
