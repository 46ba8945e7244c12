"""What a page says where the narrative analysis (hot terms, similar complaints) of its snapshot is missing.

An import with many new narratives publishes its numbers first and its narrative analysis as the next
snapshot (dashboard/ingest/pipeline.py); meanwhile the numbers' snapshot has no hot-term or similar-group
tables. Pages and the report command then say that the analysis is being computed and about when it will
be there, instead of an error, an empty chart or last month's terms. Whether it still is being computed is
the writer lock's to say: the import holds it until its second publish, and a failed or killed one does not.
"""

from __future__ import annotations

import math
from datetime import datetime

from dashboard import clock
from dashboard.derived import masked_text, terms_index
from dashboard.ingest import store
from dashboard.ingest.store import Snapshot

NOT_COMPUTED = (
    "热点词与相似投诉尚未计算（导入时选择了稍后计算）：请运行 python -m dashboard rebuild，或下次导入时补算。"
)
STALE = "热点词与脱敏文本由旧版分词与脱敏规则计算，运行 python -m dashboard rebuild 后更新。"
INTERRUPTED = "热点词与相似投诉分析未完成（上次导入在发布数字后中断了内容分析）：下次导入或运行 python -m dashboard rebuild 时补算。"


def pending(snapshot: Snapshot | None) -> bool:
    """Whether the snapshot lacks its narrative analysis (deferred by its import)."""
    return bool(snapshot is not None and snapshot.meta.get("deferred"))


def note(snapshot: Snapshot | None, now: float | None = None) -> str:
    """Why the snapshot has no hot terms or similar groups, in Chinese ("" when it has them)."""
    if not pending(snapshot):
        return ""
    assert snapshot is not None
    planned = snapshot.meta.get("text_pending")
    if not planned:  # ingest --defer-text: left to rebuild
        return NOT_COMPUTED
    if not store.writer_busy(snapshot.path.parent.parent):
        return INTERRUPTED
    left = seconds_left(snapshot, now)
    if left <= 0:  # past the estimate: say so, not "one more minute" for as long as it runs (hostile H248)
        return LATE
    return f"热点词与相似投诉分析中，约 {math.ceil(left / 60)} 分钟后更新。"


LATE = "热点词与相似投诉分析用时已超过预计，仍在进行，完成后自动更新。"


def seconds_left(snapshot: Snapshot, now: float | None = None) -> float:
    """The import's estimate (at least the minute its progress line promised: pipeline.pending_minutes) less
    the time since the numbers were published; zero or less once past it."""
    estimate = max(60.0, float(snapshot.meta["text_pending"].get("estimated_seconds", 60)))
    published = datetime.fromisoformat(snapshot.meta["created_at"])
    if published.tzinfo is None:  # written as local_now(): the contract's zone
        published = published.replace(tzinfo=clock.ZONE)
    elapsed = (clock.now().timestamp() if now is None else now) - published.timestamp()
    return estimate - max(0.0, elapsed)


def stale_note(source) -> str:
    """STALE when the snapshot's complaint_terms and complaint_masked were cut by other segmentation or masking
    rules than the running code's (a release since its import: MASKING_VERSION, the dictionaries; fingerprint:
    masked_text.current_tokenizer), "" otherwise. source: an analysis.source.Source. The import and rebuild
    redo such rows; until then the hot terms keep the old cut and a search's hidden hits are masked one by one."""
    if not terms_index.ready_in(source.tables()):  # no hot terms at all: note() says why
        return ""
    stored = source("terms_tokenizer")["tokenizer"]
    return STALE if len(stored) and stored.iloc[0] != masked_text.current_tokenizer() else ""
