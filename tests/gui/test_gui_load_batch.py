"""Opening several files builds the window engine once, not once per file: the catalog
and engine wait for the end of the open (or a periodic flush while a long open runs).
Building is ~0.4 s per 1,000 CFTC series, so per file a 13-file open once froze the GUI
for over a minute."""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import settle

from gui import core_api, loading



@pytest.fixture
def three_copies(sample_xlsx, tmp_path):
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"desk_{name}.xlsx"
        shutil.copy(sample_xlsx, path)
        paths.append(str(path))
    return paths


@pytest.fixture
def engine_builds(monkeypatch):
    builds: list[int] = []
    real = core_api.build_engine_set

    def counting(series, *args, **kwargs):
        builds.append(len(series))
        return real(series, *args, **kwargs)

    monkeypatch.setattr(core_api, "build_engine_set", counting)
    return builds


def test_a_multi_file_open_builds_the_engine_once(window, qtbot, three_copies, engine_builds,
                                                  monkeypatch, dialogs):
    monkeypatch.setattr(loading, "SHOW_LOADED_EVERY_S", 1e9)
    changed: list[int] = []
    window.session.catalogChanged.connect(lambda: changed.append(len(window.session.catalog)))
    with qtbot.waitSignal(window.loader.idle, timeout=60000):
        window.loader.open(three_copies)
    settle(window)
    assert dialogs == []
    assert len(engine_builds) == 1 and len(changed) == 1
    assert len(window.session.files) == 3
    assert engine_builds[0] == len([s for s in window.session.catalog if len(s)])


def test_a_long_open_shows_its_files_as_it_goes(window, qtbot, three_copies, engine_builds,
                                               monkeypatch, dialogs):
    monkeypatch.setattr(loading, "SHOW_LOADED_EVERY_S", 0.0)  # every file is "late"
    # files read slower than the views are rebuilt (on a worker, latest wins): as a real
    # long open goes (the copies here come from the parse cache in ~3 ms, a rebuild ~70)
    real_load = core_api.load_file

    def slow_load(*args, **kwargs):
        time.sleep(1.0)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(core_api, "load_file", slow_load)
    seen: list[int] = []
    window.session.catalogChanged.connect(lambda: seen.append(len(window.session.files)))
    with qtbot.waitSignal(window.loader.idle, timeout=60000):
        window.loader.open(three_copies)
    assert seen == [1, 2, 3]  # a rebuild per file, nothing shown twice
    assert len(engine_builds) == 3


def test_sync_open_and_single_results_still_rebuild(window, three_copies, engine_builds):
    window.open_files(three_copies, sync=True)
    assert len(engine_builds) == 1 and len(window.session.files) == 3
    result = window.session.results[window.session.files[0]]
    window.session.add_result(result)  # outside any batch: at once
    assert len(engine_builds) == 2


def test_batches_nest_and_the_outer_one_rebuilds(window, three_copies, engine_builds):
    results = [core_api.load_file(p) for p in three_copies]
    session = window.session
    with session.batch():
        session.add_result(results[0])
        with session.batch():
            session.add_result(results[1])
        assert engine_builds == [] and session.engine is None  # the outer batch still open
        session.add_result(results[2])
    assert len(engine_builds) == 1 and len(session.files) == 3
    with session.batch():
        pass  # nothing added: nothing rebuilt
    assert len(engine_builds) == 1


def test_unreadable_files_of_one_open_make_one_dialog(window, qtbot, three_copies, tmp_path,
                                                      dialogs):
    bad = []
    for name in ("empty.csv", "notes.txt"):
        path = tmp_path / name
        path.write_text("" if name == "empty.csv" else "just some words\nand more\n")
        bad.append(str(path))
    with qtbot.waitSignal(window.loader.idle, timeout=60000):
        window.loader.open([three_copies[0], *bad])
    assert len(dialogs) == 1  # one box at the end, not one per file mid-load
    title, text = dialogs[0]
    assert title == "2 files not loaded"
    assert "empty.csv" in text and "notes.txt" in text
    assert window.session.results[three_copies[0]].ok  # the readable file is loaded
    assert len(window.session.catalog) > 5
    window.open_files([bad[0]], sync=True)  # a single file keeps its own dialog
    assert dialogs[-1][0] == "Nothing readable" and len(dialogs) == 2
