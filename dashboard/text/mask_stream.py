"""``python -m dashboard mask``: standard input to standard output, one narrative a line, with bounded memory.

A line of up to :data:`WHOLE_LINE_CHARS` characters (the import's cap on one value,
IMPORT_MAX_CELL_CHARS: no narrative in the store is longer) is masked in one piece with
:func:`dashboard.text.masking.mask`, exactly as the app shows it. A longer line is read in pieces and
masked in chunks of at most :data:`CHUNK_CHARS` characters, each cut after a sentence or clause mark
(。！？；，、!?;) so that no phone, ID, card or name is cut in two; a run of CHUNK_CHARS without any
such mark is cut between two characters no identifier contains (a name may then be cut). Memory stays bounded by the chunk size and READ_BYTES whatever
the line's length (the tester's 26 MB line needed 3.4 GB when masked whole). The one difference to
masking the whole line: a name found in one chunk is not propagated to later chunks.

Short lines are written in groups of :data:`HELD_LINES` (the learned name tagger reads a group in one
batch, dashboard/text/learned.py), so output comes a group at a time. Line ends (LF, CRLF) are kept, a UTF-8 BOM at the start is dropped, and the same number of lines comes
out; a line that is not UTF-8 stops the command with a Chinese message (the lines before it are out).
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from dashboard.config import IMPORT_MAX_CELL_CHARS
from dashboard.text.masking import mask, prefetch

__all__ = ["CHUNK_CHARS", "READ_BYTES", "WHOLE_LINE_CHARS", "NotUtf8", "mask_stream", "safe_cut"]

WHOLE_LINE_CHARS = IMPORT_MAX_CELL_CHARS  # a narrative the import would store is masked whole
CHUNK_CHARS = 4_000
HELD_LINES = 512  # short lines held back and masked together (the learned tagger reads them in a batch)
READ_BYTES = 1 << 16
_MARKS = "。！？；，、!?;"
# what a phone, ID, card or e-mail may contain, full-width digits and separators included
_IDENTIFIER = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ@＠._+\-－—–()（） *＊xX\u3000·・\t/〇零一二三四五六七八九幺两]")


class NotUtf8(ValueError):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def safe_cut(text: str, at: int) -> int:
    """The last place at or before `at` where text may be cut with neither neighbour part of a phone, ID,
    card or e-mail (or `at` when the whole run before it is one: no identifier is that long): a prefix
    cut there holds no identifier's first digits, which the mask, wanting them whole, would leave in
    clear (hostile H262: 1381234 of 13812345678 at the end of a quarantined narrative's first 2,000)."""
    if at >= len(text):
        return len(text)
    for cut in range(at, 0, -1):
        if not (_IDENTIFIER.match(text[cut - 1]) and _IDENTIFIER.match(text[cut])):
            return cut
    return at


def _cut(text: str) -> int:
    """Where to end the next chunk of a long text: after the last mark within CHUNK_CHARS; in a run
    without one, at the last place within it where neither neighbour can belong to a phone, ID, card or
    e-mail (hostile H136: a cut at CHUNK_CHARS inside a phone number wrote it out in clear)."""
    best = max(text.rfind(mark, 0, CHUNK_CHARS) for mark in _MARKS)
    # not a comma between a number's groups (139，1234，5678, 幺八六，零五七三…): the mark before it
    while best > 0 and _IDENTIFIER.match(text[best - 1]) and _IDENTIFIER.match(text[best + 1 : best + 2] or "。"):
        best = max(text.rfind(mark, 0, best) for mark in _MARKS)
    if best > 0:
        return best + 1
    for cut in range(CHUNK_CHARS, 0, -1):
        if not (_IDENTIFIER.match(text[cut - 1]) or _IDENTIFIER.match(text[cut])):
            return cut
    return CHUNK_CHARS  # 4,000 characters of digits and letters: no identifier is that long


def _mask_long(text: str, out: BinaryIO, final: bool) -> str:
    """Mask and write the chunks of a long line's text; returns the tail kept for the next piece
    (everything when final)."""
    while len(text) > (0 if final else 2 * CHUNK_CHARS):
        if final and len(text) <= CHUNK_CHARS:
            cut = len(text)
        else:
            cut = _cut(text)
        out.write(mask(text[:cut]).encode("utf-8"))
        text = text[cut:]
    return text


def _flush(lines: list[tuple[str, str]], out: BinaryIO) -> None:
    """Write the lines held back, masked: the learned name tagger reads them in one batch first."""
    if lines:
        prefetch([body for body, _ in lines])
        out.write("".join(mask(body) + ending for body, ending in lines).encode("utf-8"))
        lines.clear()


def mask_stream(stdin: BinaryIO, out: BinaryIO) -> None:
    """Mask every line of stdin to out; raises NotUtf8 (with the line number) on a line that is not UTF-8."""
    number = 1
    at_start = True
    held: list[tuple[str, str]] = []  # up to HELD_LINES short lines, masked together
    while True:
        decoder = codecs.getincrementaldecoder("utf-8")()
        pending, long_line = "", False
        while True:
            raw = stdin.readline(READ_BYTES)
            try:
                pending += decoder.decode(raw, final=not raw or raw.endswith(b"\n"))
            except UnicodeDecodeError:
                _flush(held, out)
                raise NotUtf8(number) from None
            if at_start and pending:
                pending = pending.removeprefix("\ufeff")
                at_start = False
            if not raw or raw.endswith(b"\n"):
                break
            if len(pending) > WHOLE_LINE_CHARS or long_line:
                long_line = True
                _flush(held, out)
                pending = _mask_long(pending, out, final=False)
        body = pending.rstrip("\r\n")
        ending = pending[len(body) :]
        if long_line or len(body) > WHOLE_LINE_CHARS:
            _flush(held, out)
            _mask_long(body, out, final=True)
            out.write(ending.encode("utf-8"))
        elif pending:
            held.append((body, ending))
            if len(held) >= HELD_LINES:
                _flush(held, out)
        if not raw:
            break
        number += 1
    _flush(held, out)
    out.flush()
