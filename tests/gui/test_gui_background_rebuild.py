"""The rebuild after a load or a close (merge, derived odds, engine) runs on a worker:
the window stays live meanwhile, the latest request wins, and a state older than the
one shown is never installed."""

from __future__ import annotations

import threading
import time

from conftest import settle
from PySide6.QtCore import QTimer

from gui import core_api


def _slow_rebuilds(monkeypatch, seconds: float, gate: threading.Event | None = None):
    built: list[tuple[str, ...]] = []
    real = core_api.analysis_state

    def slow(results, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            if gate is not None:
                assert gate.wait(30)
            time.sleep(seconds)
        built.append(tuple(r.file for r in results))
        return real(results, *args, **kwargs)

    monkeypatch.setattr(core_api, "analysis_state", slow)
    return built


def test_the_window_stays_live_while_a_close_rebuilds(sample_window, qtbot, monkeypatch):
    session = sample_window.session
    file = str(sample_window.sample_copy)
    old_catalog = session.catalog
    _slow_rebuilds(monkeypatch, 0.5)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    sample_window.close_file(file)
    assert session.rebuilding and session.catalog is old_catalog  # shown until replaced
    qtbot.waitUntil(lambda: not session.rebuilding, timeout=10000)
    timer.stop()
    assert len(ticks) >= 10  # the event loop ran all through the 0.5 s rebuild
    assert session.files == [] and len(session.catalog) == 0 and session.engine is None


def test_latest_request_wins_and_intermediate_ones_are_skipped(sample_window, qtbot,
                                                                monkeypatch):
    session = sample_window.session
    gate = threading.Event()
    built = _slow_rebuilds(monkeypatch, 0.0, gate)
    result = session.results[str(sample_window.sample_copy)]
    session.remove_file(result.file, background=True)  # runs (held at the gate)
    for _ in range(3):                                  # wait; the last one replaces them
        session.results[result.file] = result
        session.remove_file("nothing.xlsx", background=True)
    gate.set()
    assert session.wait_rebuild(30)
    settle(sample_window)
    assert built == [(), (result.file,)]  # the first (running) and the latest only
    assert session.files == [result.file] and session.engine is not None


def test_a_state_older_than_the_one_shown_is_dropped(sample_window, qtbot, monkeypatch):
    session = sample_window.session
    gate = threading.Event()
    _slow_rebuilds(monkeypatch, 0.0, gate)
    result = session.results[str(sample_window.sample_copy)]
    session.remove_file(result.file, background=True)  # worker: empties the catalog
    session.add_result(result)                          # then at once, on this thread
    shown = session.catalog
    assert session.files == [result.file]
    gate.set()
    qtbot.waitUntil(lambda: session._rebuild_job is None, timeout=10000)
    settle(sample_window)
    assert session.catalog is shown and session.files == [result.file]


def test_a_failing_rebuild_says_so_and_keeps_the_last_state(sample_window, qtbot,
                                                            monkeypatch, dialogs):
    session = sample_window.session
    shown = session.catalog

    def broken(*_args, **_kwargs):
        raise MemoryError("no room for the engine")

    monkeypatch.setattr(core_api, "analysis_state", broken)
    sample_window.close_file(str(sample_window.sample_copy))
    qtbot.waitUntil(lambda: not session.rebuilding, timeout=10000)
    QTimer.singleShot(0, lambda: None)
    qtbot.wait(20)
    assert session.catalog is shown
    assert dialogs and dialogs[-1][0] == "Could not prepare the loaded data"
    assert "no room for the engine" in dialogs[-1][1]
