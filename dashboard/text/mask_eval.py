"""Figures of the masking on a hand-labelled set (``python -m dashboard mask --evaluate FILE``).

The file is JSON lines: ``{"id", "text", "pii": [{"type", "text"}], "keep": [span, ...]}`` where
``pii`` lists the personal data a reader must not see (type name, phone, landline, id, card, email,
other) and ``keep`` spans that must stay as written (institutions, amounts, dates, percentages).

* found: a personal-data item (each occurrence, at its ``start`` when the file gives one) is hidden the
  way the masking promises: a name loses all but its surname (王小明 -> 王**; a surname + title span,
  黎经理, or a label that is the surname alone, 王 of 王姐 or 姓王, loses the surname), a number or other identifier at least three of its characters (a
  landline keeps its area code and last four digits: 0592-***7218);
* wrongly masked: a narrative where a '*' was put on a character outside every personal-data item
  (the texts are aligned with difflib, as e-mails change length); a lone surname before a title
  (王律师 -> *律师) is masked by design and is not an ordinary word;
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
            out.append(
                f"  {kind}: 找到 {self.found[kind]}/{self.total[kind]}（{self.share(self.found[kind], self.total[kind]):.1f}%）"
            )
        out.append(f"姓名找到率 names found: {self.share(self.found['name'], self.total['name']):.1f}%")
        out.append(
            f"误遮文本占比 texts with ordinary words wrongly masked: {self.wrong_texts}/{self.texts}"
            f"（{self.share(self.wrong_texts, self.texts):.2f}%）"
        )
        out.append(
            f"金额与日期未被改动 amounts and dates untouched: {self.keep_numbers_ok}/{self.keep_numbers}"
            f"（{self.share(self.keep_numbers_ok, self.keep_numbers):.1f}%）"
        )
        out.append(
            f"应保留片段未被改动 keep spans untouched: {self.keep_all_ok}/{self.keep_all}"
            f"（{self.share(self.keep_all_ok, self.keep_all):.1f}%）"
        )
        return out


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(records: list[dict], masker=mask) -> Figures:
    """Score ``masker`` (the app's :func:`mask` unless another is compared, bench/name_taggers.py)."""
    f = Figures()
    for record in records:
        text = record["text"]
        masked = masker(text)
        f.texts += 1
        changed = _changed(text, masked)
        allowed = [False] * len(text)
        for item in record.get("pii", []):
            f.total[item["type"]] += 1
            start = item.get("start")
            starts = [start] if start is not None else _occurrences(text, item["text"])
            if starts and all(_hidden(item, text, s, changed) for s in starts):
                f.found[item["type"]] += 1
            else:
                f.misses.append((record.get("id"), item["type"], item["text"], masked))
            for s in starts:
                for i in range(s, s + len(item["text"])):
                    allowed[i] = True
        wrong = [i for i in range(len(text)) if changed[i] and not allowed[i] and not _surname_before_title(text, i)]
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


def _changed(text: str, masked: str) -> list[bool]:
    """For each character of the original: was it masked? The texts are aligned with difflib (an
    e-mail's local part becomes a fixed '***', so lengths may differ)."""
    out = [False] * len(text)
    matcher = difflib.SequenceMatcher(None, text, masked, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal" and "*" in masked[j1:j2]:
            for i in range(i1, i2):
                out[i] = True
    return out


def _hidden(item: dict, text: str, start: int, changed: list[bool]) -> bool:
    """Is this occurrence hidden the way the masking promises? A name loses everything but its surname
    (a surname + title span, 黎经理, loses the surname; a Latin name everything but its first letter);
    a number or other identifier has at least four of its characters masked (the shape stays)."""
    from dashboard.text.names import _TITLE_RE, SURNAMES_2

    span = item["text"]
    flags = changed[start : start + len(span)]
    if item["type"] == "name":
        if span[:1].isascii():
            return all(f for c, f in zip(span[1:], flags[1:]) if c.isalpha())
        surname = 2 if span[:2] in SURNAMES_2 else 1
        if len(span) <= surname or _TITLE_RE.fullmatch(span[surname:]):
            return all(flags[:surname])  # a lone surname (姓栾, 贾某, 王姐) is hidden when it is masked
        return len(span) > surname and all(f for c, f in zip(span[surname:], flags[surname:]) if c.isalpha())
    hidden = sum(f for c, f in zip(span, flags) if c.isalnum())
    return hidden >= min(3, max(1, sum(c.isalnum() for c in span) - 1))


def _surname_before_title(text: str, i: int) -> bool:
    """A lone surname before a title (王律师 -> *律师, 张总 -> *总) or named as a surname (自称姓韩,
    复姓慕容 -> 姓*, 复姓**) is masked on purpose: not an ordinary word."""
    from dashboard.text.names import _TITLE_RE, SURNAMES_1, SURNAMES_2

    if text[i] in SURNAMES_1 and (
        _TITLE_RE.match(text, i + 1) is not None or text[i - 1 : i] == "姓" or text[i + 1 : i + 2] in ("总", "工")
    ):
        return True
    return (
        text[i - 2 : i] == "复姓"
        and text[i : i + 2] in SURNAMES_2
        or text[i - 3 : i - 1] == "复姓"
        and text[i - 1 : i + 1] in SURNAMES_2
    )


def _occurrences(text: str, part: str) -> list[int]:
    out, start = [], text.find(part)
    while start >= 0:
        out.append(start)
        start = text.find(part, start + 1)
    return out


def time_per_100k(texts: list[str], repeat_to: int = 20_000, batched: bool = False) -> float:
    """CPU seconds to mask 100,000 narratives like these, each distinct (the cache is bypassed): CPU, not
    wall-clock time, which on a shared machine measures the neighbours. batched: as a column is masked
    (mask_series: the learned tagger reads the column first), else one at a time."""
    from dashboard.text.masking import _mask_uncached, prefetch

    sample = [f"{t}（{i}）" for i, t in zip(range(repeat_to), (texts * (repeat_to // max(1, len(texts)) + 1)))]
    started = time.process_time()
    for first in range(0, len(sample), 10_000):
        block = sample[first : first + 10_000]
        if batched:
            prefetch(block)
        for t in block:
            _mask_uncached(t)
    return (time.process_time() - started) * 100_000 / len(sample)
