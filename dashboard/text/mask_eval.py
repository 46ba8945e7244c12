"""Figures of the masking on a hand-labelled set (``python -m dashboard mask --evaluate FILE``).

The file is JSON lines: ``{"id", "text", "pii": [{"type", "text"}], "keep": [span, ...]}`` where
``pii`` lists the personal data a reader must not see (type name, phone, landline, id, card, email,
other) and ``keep`` spans that must stay as written (institutions, amounts, dates, percentages).

* found: a personal-data item is found when its text no longer appears in the masked narrative;
* wrongly masked: a narrative where a '*' was put on a character outside every personal-data item
  (the texts are aligned with difflib); a lone surname before a title (王律师 -> *律师) is masked by
  design and is not an ordinary word;
* untouched: a ``keep`` span that still appears in the masked narrative; amounts and dates are the
  spans with a digit in them.
"""
from __future__ import annotations

import difflib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.text.masking import mask


@dataclass
class Figures:
    texts: int = 0
    found: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    wrong_texts: int = 0
    keep_numbers: int = 0
    keep_numbers_ok: int = 0
    keep_all: int = 0
    keep_all_ok: int = 0
    misses: list = field(default_factory=list)
    false_masks: list = field(default_factory=list)
    broken_keeps: list = field(default_factory=list)

    def share(self, part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else 100.0

    def lines(self) -> list[str]:
        out = [f"标注文本 {self.texts} 条"]
        for kind in sorted(self.total):
            out.append(f"  {kind}: 找到 {self.found[kind]}/{self.total[kind]}（{self.share(self.found[kind], self.total[kind]):.1f}%）")
        out.append(f"姓名找到率 names found: {self.share(self.found['name'], self.total['name']):.1f}%")
        out.append(f"误遮文本占比 texts with ordinary words wrongly masked: {self.wrong_texts}/{self.texts}"
                   f"（{self.share(self.wrong_texts, self.texts):.2f}%）")
        out.append(f"金额与日期未被改动 amounts and dates untouched: {self.keep_numbers_ok}/{self.keep_numbers}"
                   f"（{self.share(self.keep_numbers_ok, self.keep_numbers):.1f}%）")
        out.append(f"应保留片段未被改动 keep spans untouched: {self.keep_all_ok}/{self.keep_all}"
                   f"（{self.share(self.keep_all_ok, self.keep_all):.1f}%）")
        return out


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(records: list[dict]) -> Figures:
    f = Figures()
    for record in records:
        text = record["text"]
        masked = mask(text)
        f.texts += 1
        allowed = [False] * len(text)
        # a mention inside a span to keep (高峰 in 高峰期) is not the person
        kept = [False] * len(text)
        for span in record.get("keep", []):
            start = text.find(span)
            while start >= 0:
                for i in range(start, start + len(span)):
                    kept[i] = True
                start = text.find(span, start + 1)
        for item in record.get("pii", []):
            f.total[item["type"]] += 1
            shown = [i for i in _occurrences(masked, item["text"]) if not all(kept[i:i + len(item["text"])])]
            if not shown:
                f.found[item["type"]] += 1
            else:
                f.misses.append((record.get("id"), item["type"], item["text"], masked))
            start = text.find(item["text"])
            while start >= 0:
                for i in range(start, start + len(item["text"])):
                    allowed[i] = True
                start = text.find(item["text"], start + 1)
        wrong = [i for i in _masked_outside(text, masked, allowed) if not _surname_before_title(text, i)]
        if wrong:
            f.wrong_texts += 1
            f.false_masks.append((record.get("id"), masked))
        for span in record.get("keep", []):
            ok = span in masked
            f.keep_all += 1
            f.keep_all_ok += ok
            if any(c.isdigit() for c in span):
                f.keep_numbers += 1
                f.keep_numbers_ok += ok
            if not ok:
                f.broken_keeps.append((record.get("id"), span, masked))
    return f


def _surname_before_title(text: str, i: int) -> bool:
    """A lone surname before a title (王律师 -> *律师) is masked on purpose: not an ordinary word."""
    from dashboard.text.names import SURNAMES_1, _TITLE_RE

    return text[i] in SURNAMES_1 and _TITLE_RE.match(text, i + 1) is not None


def _masked_outside(text: str, masked: str, allowed: list[bool]) -> list[int]:
    """Positions of the original text changed into '*' outside the personal-data items. The texts are
    aligned (an e-mail's local part becomes a fixed '***', so lengths may differ)."""
    out = []
    matcher = difflib.SequenceMatcher(None, text, masked, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal" and "*" in masked[j1:j2]:
            out.extend(i for i in range(i1, max(i2, i1 + 1)) if i < len(text) and not allowed[i])
    return out


def _occurrences(text: str, part: str) -> list[int]:
    out, start = [], text.find(part)
    while start >= 0:
        out.append(start)
        start = text.find(part, start + 1)
    return out


def time_per_100k(texts: list[str], repeat_to: int = 20_000) -> float:
    """Seconds to mask 100,000 narratives like these, each distinct (the cache is bypassed)."""
    from dashboard.text.masking import _mask_uncached

    sample = [f"{t}（{i}）" for i, t in zip(range(repeat_to), (texts * (repeat_to // max(1, len(texts)) + 1)))]
    started = time.perf_counter()
    for t in sample:
        _mask_uncached(t)
    return (time.perf_counter() - started) * 100_000 / len(sample)
