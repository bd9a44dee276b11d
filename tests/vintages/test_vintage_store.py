"""The vintage store: what each export said, revisions, older exports arriving late,
the catalog reopened from the store alone, one transaction per load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from weekly_exports import week, write_export

from core.ingest import load_file
from core.vintages import (
    UnknownSeries,
    VintageStore,
    catalog_from_store,
    exports_of,
    revisions,
    said_about,
    store_path,
)

S1 = "desk_positioning:csv:S1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path):
    with VintageStore(tmp_path / "v.sqlite") as s:
        yield s


def _said(store, sid, day, export=None):
    return [(s.export.file_name, s.value) for s in said_about(store, sid, day, export)]


def test_store_lives_in_the_app_data_folder(isolated_home: Path) -> None:
    assert store_path() == isolated_home / "local_share" / "vintages.sqlite"
    with VintageStore() as s:
        assert s.path.exists()


def test_what_each_export_said(store, tmp_path: Path) -> None:
    a = store.record(load_file(write_export(tmp_path, "2025-07-22", 28)))
    b = store.record(load_file(write_export(tmp_path, "2025-07-29", 30, revise={26: 5.0, 27: 6.0})))
    assert (a.series, a.new_days, a.revised) == (2, 56, 0)
    assert (b.series, b.new_days, b.revised) == (2, 4, 2)
    old, new = "desk_positioning_2025-07-22.csv", "desk_positioning_2025-07-29.csv"
    assert _said(store, S1, week(26)) == [(old, 1026.0), (new, 5.0)]
    assert _said(store, S1, week(3)) == [(old, 1003.0), (new, 1003.0)]  # unchanged: stored once
    assert _said(store, S1, week(29)) == [(old, None), (new, 1029.0)]
    assert _said(store, S1, week(26), "2025-07-22") == [(old, 1026.0)]
    assert _said(store, S1, week(26), new) == [(new, 5.0)]
    assert _said(store, S1, "2020-01-01") == [(old, None), (new, None)]


def test_which_values_were_revised(store, tmp_path: Path) -> None:
    store.record(load_file(write_export(tmp_path, "2025-07-22", 28)))
    store.record(load_file(write_export(tmp_path, "2025-07-29", 30, revise={26: 5.0})))
    got = {e.file_name: [(r.day, r.old, r.new, r.applied) for r in rs] for e, rs in revisions(store, S1)}
    assert got == {"desk_positioning_2025-07-22.csv": [],
                   "desk_positioning_2025-07-29.csv": [(week(26), 1026.0, 5.0, True)]}
    summary = [(s.export.export_date, s.count, s.new_days, s.revised) for s in exports_of(store, S1)]
    assert summary == [("2025-07-22", 28, 28, 0), ("2025-07-29", 30, 2, 1)]


def test_catalog_from_store_is_the_merged_history(store, tmp_path: Path) -> None:
    a = write_export(tmp_path, "2025-07-22", 28)
    b = write_export(tmp_path, "2025-07-29", 30, revise={26: 5.0})
    for p in (a, b):
        store.record(load_file(p))
    catalog = catalog_from_store(store)
    assert sorted(catalog.ids) == ["desk_positioning:csv:S1", "desk_positioning:csv:S2"]
    s1 = catalog[S1]
    assert len(s1) == 30 and s1.values[26] == 5.0 and s1.values[0] == 1000.0
    assert str(s1.dates[-1]) == week(29) and s1.meta["files"] == [str(a), str(b)]
    assert catalog.files == [str(b)]
    from core.ingest import load_files

    parsed = {s.id: s for s in load_files([a, b])[1].series}
    for sid in catalog.ids:
        assert np.array_equal(parsed[sid].dates, catalog[sid].dates)
        assert np.array_equal(parsed[sid].values, catalog[sid].values)
        assert parsed[sid].unit == catalog[sid].unit and parsed[sid].name == catalog[sid].name


def test_same_content_is_not_stored_twice(store, tmp_path: Path) -> None:
    path = write_export(tmp_path, "2025-07-22", 28)
    assert store.record(load_file(path)).export is not None
    assert store.record(load_file(path)).export is None
    assert len(store.exports()) == 1


def test_an_older_export_arriving_late_fills_gaps_only(store, tmp_path: Path) -> None:
    store.record(load_file(write_export(tmp_path, "2025-07-29", 30, drop={2})))
    late = store.record(load_file(write_export(tmp_path, "2025-07-22", 28, revise={26: 5.0})))
    assert late.revised == 1
    s1 = catalog_from_store(store)[S1]
    assert s1.values[list(map(str, s1.dates)).index(week(26))] == 1026.0  # the later export's value
    assert week(2) in list(map(str, s1.dates))  # the gap filled from the older one
    assert _said(store, S1, week(26), "2025-07-22") == [("desk_positioning_2025-07-22.csv", 5.0)]
    [(_, rs)] = revisions(store, S1, "2025-07-22")
    assert [(r.day, r.applied) for r in rs] == [(week(26), False)]


def test_a_day_left_out_is_not_what_the_later_export_said(store, tmp_path: Path) -> None:
    store.record(load_file(write_export(tmp_path, "2025-07-22", 28)))
    store.record(load_file(write_export(tmp_path, "2025-07-29", 30, drop={5})))
    assert _said(store, S1, week(5)) == [("desk_positioning_2025-07-22.csv", 1005.0),
                                        ("desk_positioning_2025-07-29.csv", None)]
    assert len(catalog_from_store(store)[S1]) == 30  # the history keeps the day


def test_unknown_series_and_export_are_clear(store, tmp_path: Path) -> None:
    store.record(load_file(write_export(tmp_path, "2025-07-22", 28)))
    with pytest.raises(UnknownSeries, match="is not in the vintage store"):
        said_about(store, "nope:csv:S1", week(1))
    with pytest.raises(UnknownSeries, match="no stored export matches"):
        said_about(store, S1, week(1), "2024-01-01")


_CHILD = """
import sys, time
from core.ingest import load_file
from core.vintages import VintageStore
store = VintageStore(sys.argv[1])
store.record(load_file(sys.argv[2]))
written = []
def slow():
    written.append(1)
    if len(written) == 40:
        print("mid-write", flush=True)
        time.sleep(60)
store._on_series_written = slow
store.record(load_file(sys.argv[3]))
print("finished", flush=True)
"""


def test_crash_during_a_store_write_keeps_the_previous_state(tmp_path: Path) -> None:
    first = write_export(tmp_path, "2025-07-22", 28, series=60)
    second = write_export(tmp_path, "2025-07-29", 30, series=60, revise={3: 1.0})
    db = tmp_path / "crash.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(db), str(first), str(second)],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert child.stdout.readline().strip() == "mid-write"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    with VintageStore(db) as store:
        assert [e.file_name for e in store.exports()] == ["desk_positioning_2025-07-22.csv"]
        catalog = catalog_from_store(store)
        assert len(catalog) == 60 and len(catalog[S1]) == 28 and catalog[S1].values[3] == 1003.0
        again = store.record(load_file(second))  # the store is writable again
        assert again.export is not None and again.revised == 1
        assert len(catalog_from_store(store)[S1]) == 30


def test_cli_history_answers(tmp_path: Path, isolated_home: Path) -> None:
    a = write_export(tmp_path, "2025-07-22", 28)
    b = write_export(tmp_path, "2025-07-29", 30, revise={26: 5.0})
    env = {**os.environ, "GAPWATCH_HOME": str(isolated_home)}

    def run(*args):
        return subprocess.run([sys.executable, "main.py", "history", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    assert run("--record", str(a), str(b)).returncode == 0
    import json

    said = json.loads(run(S1, "--date", week(26), "--json").stdout)["said"]
    assert [(s["file"], s["value"]) for s in said] == [
        ("desk_positioning_2025-07-22.csv", 1026.0), ("desk_positioning_2025-07-29.csv", 5.0)]
    text = run(S1, "--revisions").stdout
    assert f"{week(26)}: 1026 -> 5" in text
    missing = run("nope:csv:S1")
    assert missing.returncode == 1 and "not in the vintage store" in missing.stderr
    assert "Traceback" not in missing.stderr and "Error" not in missing.stderr
    assert run(S1, "--date", "29/07/2025").returncode == 2


def test_damaged_store_file_is_a_clear_message(tmp_path: Path) -> None:
    from core.vintages import StoreUnavailable

    bad = tmp_path / "vintages.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreUnavailable, match="cannot be opened .*move it away"):
        VintageStore(bad)
    result = subprocess.run([sys.executable, "main.py", "history", S1, "--store", str(bad)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "cannot be opened" in result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


def test_record_results_answers_in_messages(tmp_path: Path, isolated_home: Path) -> None:
    from core.vintages import record_results

    results = [load_file(write_export(tmp_path, "2025-07-22", 28)),
               load_file(tmp_path / "missing.csv")]
    said = record_results(results)
    assert [(m.level, m.file) for m in said] == [("info", "desk_positioning_2025-07-22.csv")]
    assert "2 series, 56 new observations, 0 revised values" in said[0].text
    assert record_results(results) == []  # the same content is not stored twice
    assert len(catalog_from_store()[S1]) == 28  # the default store, in the app data folder
    (isolated_home / "local_share" / "vintages.sqlite").unlink()
    (isolated_home / "local_share" / "vintages.sqlite").mkdir()  # a folder where the file should be
    [problem] = record_results(results)
    assert problem.level == "error" and "cannot be opened" in problem.text
