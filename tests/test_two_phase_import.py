"""An import with many new narratives publishes twice under one lock (issue 21, brief P16): the numbers first,
then the narrative analysis of the new and changed narratives only. Checked against a one-phase import of
the same files into a copy of the same store, table by table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dashboard.analysis import text_status
from dashboard.derived import terms_index
from dashboard.ingest import pipeline, store

NARRATIVE_TABLES = {
    "complaint_terms",
    "complaint_masked",
    "similar_windows",
    "similar_groups",
    "term_postings",
    "term_month_docs",
}
CHANGED = 7  # history complaints the month's file sends again with another narrative


@pytest.fixture(scope="module")
def bank(tmp_path_factory) -> dict:
    """A demo bank's last month as a file of its own (plus CHANGED history complaints with a new narrative
    and a later extraction time), and a store holding everything before it."""
    from dashboard.demo.generator import generate

    root = tmp_path_factory.mktemp("two_phase")
    extracts = root / "extracts"
    generate(extracts, rows=9_000, seed=13, months=12, end_month="2026-10")
    complaints = pq.read_table(extracts / "complaints.parquet")
    start = pc.strptime("2026-10-01", format="%Y-%m-%d", unit="s")
    new = pc.greater_equal(pc.cast(complaints["received_at"], start.type), start)
    history, month = complaints.filter(pc.invert(new)), complaints.filter(new)
    changed = history.slice(0, CHANGED).to_pandas()
    changed["content"] = changed["content"].fillna("") + "另：客户再次来电补充，要求尽快退还多收的年费。"
    changed["extracted_at"] = pd.Timestamp("2026-11-02 08:00:00")
    month = pa.concat_tables([month, pa.Table.from_pandas(changed, schema=complaints.schema, preserve_index=False)])
    pq.write_table(history, root / "history.parquet")
    pq.write_table(month, root / "month.parquet")
    base = root / "base"
    pipeline.import_files(
        [extracts / "branches.parquet", extracts / "customers_monthly.parquet", root / "history.parquet"], base
    )
    return {"base": base, "month": root / "month.parquet", "new": month.num_rows - CHANGED}


def _copy(bank: dict, target: Path) -> Path:
    shutil.copytree(bank["base"], target)
    return target


def _tables(snapshot: store.Snapshot) -> dict[str, pd.DataFrame]:
    """Every Parquet table of a snapshot; the import log without its import times (two imports differ there)."""
    out = {}
    for path in sorted(snapshot.path.glob("*.parquet")):
        frame = pd.read_parquet(path)
        out[path.stem] = frame.drop(columns=["imported_at"]) if path.stem in ("imports", "quarantine") else frame
    return out


def _assert_same(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame], names) -> None:
    for name in sorted(names):
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=True, obj=name)


@pytest.fixture
def tokenized(monkeypatch) -> list[int]:
    """How many narratives each complaint_terms build tokenized (the incremental part)."""
    counts: list[int] = []
    real = terms_index._tokenize_todo

    def counting(todo):
        result = real(todo)
        counts.append(result.num_rows)
        return result

    monkeypatch.setattr(terms_index, "_tokenize_todo", counting)
    return counts


@pytest.fixture
def one_phase(bank, tmp_path_factory) -> store.Snapshot:
    """The month imported in one publish (the threshold out of reach)."""
    data_dir = _copy(bank, tmp_path_factory.mktemp("one") / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 10**9)
        result = pipeline.import_files([bank["month"]], data_dir)
    assert result.numbers_version is None
    snapshot = store.current_snapshot(data_dir)
    assert not snapshot.meta["deferred"] and NARRATIVE_TABLES <= {p.stem for p in snapshot.path.glob("*.parquet")}
    return snapshot


def test_numbers_first_then_the_new_narratives_only(bank, one_phase, tmp_path, monkeypatch, tokenized):
    data_dir = _copy(bank, tmp_path / "data")
    before = store.current_snapshot(data_dir)
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 100)
    steps: list[str] = []
    result = pipeline.import_files([bank["month"]], data_dir, progress=steps.append)
    numbers = next(s for s in store.published_snapshots(data_dir) if s.version == result.numbers_version)
    text = store.current_snapshot(data_dir)
    assert result.text_error is None and text.version == result.version
    assert before.version < numbers.version < text.version  # two publishes, the numbers first

    # phase 1: every numbers table as a one-phase import's, the narrative tables absent (kept for reuse)
    assert set(numbers.meta["deferred"]) == NARRATIVE_TABLES
    assert numbers.meta["text_pending"]["narratives"] == bank["new"] + CHANGED
    first, reference = _tables(numbers), _tables(one_phase)
    assert not NARRATIVE_TABLES & set(first)
    assert set(first) == set(reference) - NARRATIVE_TABLES
    _assert_same(first, reference, first)
    assert {p.name for p in numbers.path.glob("*.reuse")} == {f"{n}.reuse" for n in NARRATIVE_TABLES}

    # phase 2: every table as the one-phase import's; only the new and changed narratives were tokenized
    _assert_same(_tables(text), reference, reference)
    assert set(_tables(text)) == set(reference)
    assert tokenized == [bank["new"] + CHANGED]
    keys = pq.read_schema(text.table("similar_windows")).metadata
    assert keys == pq.read_schema(one_phase.table("similar_windows")).metadata
    assert text.meta["deferred"] == [] and "text_pending" not in text.meta
    assert not list(text.path.glob("*.reuse"))
    assert any("第一步完成" in s for s in steps) and any("第二步完成" in s for s in steps)


def test_a_small_import_publishes_once(bank, tmp_path):
    data_dir = _copy(bank, tmp_path / "data")
    before = len(store.published_snapshots(data_dir))
    result = pipeline.import_files([bank["month"]], data_dir)  # ~1,300 narratives: below the threshold
    assert result.numbers_version is None
    assert len(store.published_snapshots(data_dir)) == before + 1
    assert store.current_snapshot(data_dir).meta["deferred"] == []


def test_a_failed_analysis_leaves_the_numbers_and_rebuild_completes_it(
    bank, one_phase, tmp_path, monkeypatch, tokenized
):
    data_dir = _copy(bank, tmp_path / "data")
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 100)

    def broken(con, previous):
        raise RuntimeError("similar groups broke")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.derived, "TABLES", _with_build(pipeline.derived.TABLES, "similar_groups", broken))
        result = pipeline.import_files([bank["month"]], data_dir)
    assert result.text_error and "similar groups broke" in result.text_error
    numbers = store.current_snapshot(data_dir)
    assert numbers.version == result.version == result.numbers_version  # the numbers stay published
    assert not list(numbers.path.glob("staging-*")) and not list(store.store_dir(data_dir).glob("staging-*"))
    reference = _tables(one_phase)
    kept = _tables(numbers)
    _assert_same(kept, reference, set(reference) - NARRATIVE_TABLES)
    assert text_status.note(numbers) == text_status.INTERRUPTED  # no import is running: not "being computed"

    rebuilt = pipeline.rebuild(data_dir)
    _assert_same(_tables(rebuilt), reference, reference)
    # the complaint_terms of the failed run were not kept: rebuild tokenized the new and changed ones only
    assert tokenized == [bank["new"] + CHANGED, bank["new"] + CHANGED]


def test_the_next_import_completes_a_failed_analysis(bank, one_phase, tmp_path, monkeypatch):
    data_dir = _copy(bank, tmp_path / "data")
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 100)

    def broken(con, previous):
        raise RuntimeError("terms broke")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.derived, "TABLES", _with_build(pipeline.derived.TABLES, "complaint_terms", broken))
        assert pipeline.import_files([bank["month"]], data_dir).text_error
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 10**9)
    result = pipeline.import_files([bank["month"]], data_dir, force=True)  # the same file again: no data change
    assert not result.changed
    done = store.current_snapshot(data_dir)
    assert done.meta["deferred"] == []
    reference = _tables(one_phase)
    _assert_same(_tables(done), reference, NARRATIVE_TABLES)


def _with_build(tables, name, build):
    from dataclasses import replace

    return tuple(replace(t, build=build) if t.name == name else t for t in tables)


def test_pages_say_the_analysis_is_being_computed(bank, tmp_path, monkeypatch):
    """While the import holds the writer lock, a numbers snapshot says when its analysis will be there; with
    the lock free it says the analysis was interrupted; an import with --defer-text says to run rebuild."""
    data_dir = _copy(bank, tmp_path / "data")
    monkeypatch.setattr(pipeline, "TWO_PHASE_MIN_NARRATIVES", 100)
    monkeypatch.setattr(pipeline, "_publish_text", _raise)
    pipeline.import_files([bank["month"]], data_dir)
    numbers = store.current_snapshot(data_dir)
    estimate = numbers.meta["text_pending"]["estimated_seconds"]
    assert estimate == round((bank["new"] + CHANGED) * pipeline.TEXT_SECONDS_PER_NARRATIVE)
    published = pd.Timestamp(numbers.meta["created_at"]).tz_localize("Asia/Shanghai").timestamp()
    with store.writer_lock(data_dir):
        # 10 minutes estimated, 3.5 minutes gone: 6.5 minutes left, said as 7
        numbers.meta["text_pending"]["estimated_seconds"] = 600
        assert text_status.note(numbers, now=published + 210) == "热点词与相似投诉分析中，约 7 分钟后更新。"
        # 1 second left: still "about 1 minute"; past the estimate it says so, not 约 1 分钟 for an hour (H248)
        assert text_status.note(numbers, now=published + 599) == "热点词与相似投诉分析中，约 1 分钟后更新。"
        late = "热点词与相似投诉分析用时已超过预计，仍在进行，完成后自动更新。"
        assert text_status.note(numbers, now=published + 600) == late
        assert text_status.note(numbers, now=published + 3_600) == late
        # an estimate of seconds was said as 约 1 分钟 (pipeline.pending_minutes): late only after that minute
        numbers.meta["text_pending"]["estimated_seconds"] = 6
        assert text_status.note(numbers, now=published + 59) == "热点词与相似投诉分析中，约 1 分钟后更新。"
        assert text_status.note(numbers, now=published + 61) == late
    assert text_status.note(numbers) == text_status.INTERRUPTED

    deferred = _copy(bank, tmp_path / "deferred")
    pipeline.import_files([bank["month"]], deferred, defer_text=True)
    assert text_status.note(store.current_snapshot(deferred)) == text_status.NOT_COMPUTED
    assert text_status.note(store.current_snapshot(bank["base"])) == ""


def _raise(*args, **kwargs):
    raise RuntimeError("phase 2 failed")
