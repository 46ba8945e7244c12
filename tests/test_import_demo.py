"""bench/import_demo.py: more demo data imported while sessions run keeps the store the demo bank at every
moment, the swap of CURRENT included; a store that is not the demo bank is refused."""

from __future__ import annotations

from bench import import_demo
from dashboard.auth import demo_mode
from dashboard.ingest import store
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv


def _more(folder):
    new = list(COMPLAINTS[0])
    new[0] = "C99"
    return write_csv(folder / "more.csv", COMPLAINT_HEADERS_ZH, [new])


def test_more_demo_data_keeps_demo_mode_across_the_publish(small_store, small_extracts, monkeypatch):
    monkeypatch.setenv(demo_mode.ENV, "1")
    old = store.current_snapshot(small_store)
    demo_mode.mark(small_store, old)
    real, seen = store.publish, []

    def publish(data_dir, staging, meta):  # the moment before CURRENT is swapped: both versions marked
        upcoming = store._next_version(store.store_dir(data_dir))
        seen.append(
            (
                upcoming,
                demo_mode.holds_demo_bank(data_dir),
                demo_mode.holds_demo_bank(data_dir, store.Snapshot(path=staging, version=upcoming, meta={})),
            )
        )
        return real(data_dir, staging, meta)

    monkeypatch.setattr(store, "publish", publish)
    assert import_demo.main([str(_more(small_extracts[0].parent)), "--data-dir", str(small_store)]) == 0
    new = store.current_snapshot(small_store)
    assert seen == [(new.version, True, True)] and new.version != old.version
    assert demo_mode.active(small_store)
    assert demo_mode.marker_path(small_store).read_text(encoding="utf-8").split() == [
        new.version,
        demo_mode.identity(new),
    ]


def test_a_store_that_is_not_the_demo_bank_is_refused(small_store, small_extracts, monkeypatch, capsys):
    monkeypatch.setenv(demo_mode.ENV, "1")
    before = store.current_snapshot(small_store).version
    assert import_demo.main([str(_more(small_extracts[0].parent)), "--data-dir", str(small_store)]) == 2
    assert "does not hold the generated demo bank" in capsys.readouterr().err
    assert store.current_snapshot(small_store).version == before
    assert not demo_mode.marker_path(small_store).exists()


def test_a_marker_holds_its_snapshot_and_the_upcoming_version_and_no_other(small_store):
    current = store.current_snapshot(small_store)
    demo_mode.mark(small_store, current, upcoming="v000099")
    assert demo_mode.holds_demo_bank(small_store)
    assert not demo_mode.holds_demo_bank(small_store, store.Snapshot(path=current.path, version="v000100", meta={}))
    longer = store.Snapshot(path=current.path, version=current.version + "0", meta=current.meta)
    assert not demo_mode.holds_demo_bank(small_store, longer)  # a longer name is not a match
    other = store.Snapshot(path=current.path, version=current.version, meta={**current.meta, "created_at": "x"})
    assert not demo_mode.holds_demo_bank(small_store, other)  # the same name, another snapshot


def test_measure_reports_the_import_stages_and_its_memory(small_extracts, tmp_path):
    from dashboard.derived import registry

    data_dir = tmp_path / "measured"
    result = import_demo.measure(small_extracts, data_dir, interval=0.05)
    snapshot = store.current_snapshot(data_dir)
    assert result["version"] == snapshot.version == "v000001"
    assert snapshot.meta["complaints"] > 0  # the files were imported, not just timed
    # every derived table is a stage, and the stages are the import's own record
    assert {t.name for t in registry.load_all()} <= set(result["stages"])
    assert result["stages"] == snapshot.meta["timings"]
    assert sum(result["stages"].values()) <= result["seconds"]
    assert result["peak_rss_mb"] > 50  # a Python process with pandas and DuckDB loaded is at least this


def test_measure_reports_a_failed_import(tmp_path):
    import pytest

    bad = tmp_path / "complaints.csv"
    bad.write_text("not,a,complaint,file\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="exit code"):
        import_demo.measure([bad], tmp_path / "data", interval=0.05)


def test_an_import_slower_than_the_pending_window_keeps_the_upcoming_version_marked(
    small_store, small_extracts, monkeypatch
):
    # the 1M replica run: an import under load took 639 s against the 600 s pending window, and the sessions
    # after its publish met the sign-in page (36 of 3,225 views)
    import time

    monkeypatch.setenv(demo_mode.ENV, "1")
    demo_mode.mark(small_store, store.current_snapshot(small_store))
    monkeypatch.setattr(demo_mode, "PENDING_SECONDS", 2)  # renewed every 0.5 s; stamps are whole seconds
    real, seen = store.publish, []

    def slow_publish(data_dir, staging, meta):
        time.sleep(5)  # 2.5 pending windows
        upcoming = store._next_version(store.store_dir(data_dir))
        seen.append(demo_mode.holds_demo_bank(data_dir, store.Snapshot(path=staging, version=upcoming, meta={})))
        return real(data_dir, staging, meta)

    monkeypatch.setattr(store, "publish", slow_publish)
    assert import_demo.main([str(_more(small_extracts[0].parent)), "--data-dir", str(small_store)]) == 0
    assert seen == [True] and demo_mode.active(small_store)
