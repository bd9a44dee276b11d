"""Cancelling a load through the real Cancel button of the status bar.

The load is slowed deterministically, not by a big file: the worker's progress hook
blocks on a gate once it has read the first sheet of the gated workbook, so the test
knows the worker is mid-file when Cancel is pressed and the loader's next cancel check
(right after that progress report) stops it. Everything else is the real path: the
LoadController, the LoadJob on the thread pool, core.ingest.load_file.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import settle
from PySide6.QtCore import Qt

from gui import core_api
from gui.settings import recent_files

openpyxl = pytest.importorskip("openpyxl")

GATE_TIMEOUT_S = 30  # the worker never waits longer than this, even if a test fails


class GatedLoad:
    """``core_api.load_file`` whose progress hook holds the worker the first time the
    gated file reports progress, until ``release`` is set."""

    def __init__(self, real, gated_name: str) -> None:
        self.real = real
        self.gated_name = gated_name
        self.reached = threading.Event()
        self.release = threading.Event()
        self.calls: list[str] = []

    def __call__(self, path, *, mapping=None, progress=None, cancel=None, use_cache=True):
        self.calls.append(Path(path).name)
        hook = progress
        if Path(path).name == self.gated_name and not self.reached.is_set():
            def hook(fraction: float, text: str) -> None:
                if progress is not None:
                    progress(fraction, text)
                if not self.reached.is_set():
                    self.reached.set()
                    self.release.wait(GATE_TIMEOUT_S)
        return self.real(path, mapping=mapping, progress=hook, cancel=cancel,
                         use_cache=use_cache)


@pytest.fixture
def gate(monkeypatch):
    g = GatedLoad(core_api.load_file, "big_desk.xlsx")
    monkeypatch.setattr(core_api, "load_file", g)
    yield g
    g.release.set()  # never leave a pool thread waiting


def business_days(start: str, n: int) -> np.ndarray:
    days = np.arange(np.datetime64(start), np.datetime64(start) + 2 * n, dtype="datetime64[D]")
    return days[np.is_busday(days)][:n]


def write_workbook(path: Path, sheets: dict[str, tuple[np.ndarray, dict[str, np.ndarray]]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (dates, columns) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(["Date", *columns])
        for i, d in enumerate(dates.astype(object)):
            ws.append([d, *(float(v[i]) for v in columns.values())])
    wb.save(path)


def write_csv(path: Path, dates: np.ndarray, columns: dict[str, np.ndarray]) -> None:
    lines = [",".join(["Date", *columns])]
    lines += [",".join([str(d), *(f"{v[i]:.4f}" for v in columns.values())])
              for i, d in enumerate(dates)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def files(tmp_path):
    """A small CSV (opened first, must survive the cancel) and a three-sheet workbook
    (the one cancelled), with the values each should give."""
    rng = np.random.default_rng(3)
    csv_dates = business_days("2023-01-02", 60)
    csv_cols = {"Alpha close": np.round(100 + np.cumsum(rng.normal(0, 1, 60)), 4),
                "Beta close": np.round(50 + np.cumsum(rng.normal(0, 1, 60)), 4)}
    small = tmp_path / "small_desk.csv"
    write_csv(small, csv_dates, csv_cols)
    big_dates = business_days("2020-01-01", 400)
    big_sheets = {f"Sheet {k}": (big_dates, {f"Gamma {k}": 1000 + k + np.arange(400) * 0.5,
                                             f"Delta {k}": 20 + k + np.arange(400) * 0.25})
                  for k in range(1, 4)}
    big = tmp_path / "big_desk.xlsx"
    write_workbook(big, big_sheets)
    return {"small": (small, csv_dates, csv_cols), "big": (big, big_dates, big_sheets)}


def series_of(window, path: Path) -> list:
    """Every series the catalog has from ``path``: filed under it, or naming it as source."""
    filed = window.session.catalog.series_of_file(str(path.resolve()))
    named = [s for s in window.session.catalog if s.source.file in (path.name, str(path))]
    assert {s.id for s in named} == {s.id for s in filed}
    return filed


def tree_labels(window) -> list[str]:
    tree = window.data_panel.tree
    return [tree.topLevelItem(i).text(0).split("  (")[0] for i in range(tree.topLevelItemCount())]


def load_and_wait(window, qtbot, paths: list[Path]) -> None:
    with qtbot.waitSignal(window.loader.idle, timeout=30000):
        window.open_files([str(p) for p in paths])
    settle(window)


def start_gated(window, qtbot, gate: GatedLoad, paths: list[Path]) -> None:
    window.open_files([str(p) for p in paths])
    qtbot.waitUntil(gate.reached.is_set, timeout=20000)


def press_cancel(window, qtbot) -> None:
    assert window.cancel_button.isVisible()
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)


def test_cancel_stops_the_load_keeps_open_files_and_a_second_load_works(
        window, qtbot, gate, files, dialogs):
    small = files["small"][0]
    big, _big_dates, big_sheets = files["big"]
    load_and_wait(window, qtbot, [small])
    before = {s.id: s.values.copy() for s in series_of(window, small)}
    assert len(before) == 2

    start_gated(window, qtbot, gate, [big])
    # the worker is mid-file: busy, progress and Cancel shown, naming the file
    assert window.loader.busy
    assert window.progress.isVisible()
    assert "big_desk.xlsx" in window.progress.format()

    # the window stays responsive while the worker holds the file: a preset moves
    # window A and the queued recompute runs on the GUI thread's event loop
    old_a = window.session.window_a
    with qtbot.waitSignal(window.session.resultsReady, timeout=5000):
        qtbot.mouseClick(window.navigator.preset_buttons["1M"], Qt.MouseButton.LeftButton)
    assert not core_api.same_window(window.session.window_a, old_a)
    assert core_api.same_window(window.session.comparison.a.window, window.session.window_a)
    assert window.loader.busy  # still loading: the GUI thread did not wait for it

    press_cancel(window, qtbot)
    assert "Cancel" in window.progress.format()
    with qtbot.waitSignal(window.loader.cancelled, timeout=10000) as cancelled, \
            qtbot.waitSignal(window.loader.idle, timeout=10000):
        gate.release.set()
    settle(window)

    assert cancelled.args == [[str(big.resolve())]]
    assert not window.loader.busy
    assert not window.progress.isVisible() and not window.cancel_button.isVisible()
    message = window.statusBar().currentMessage()
    assert "cancelled" in message.lower() and "big_desk.xlsx" in message
    # nothing of the cancelled file anywhere; the CSV exactly as it was
    assert series_of(window, big) == []
    assert window.session.files == [str(small.resolve())]
    assert tree_labels(window) == ["small_desk.csv"]
    after = {s.id: s.values for s in series_of(window, small)}
    assert after.keys() == before.keys()
    for sid, values in before.items():
        np.testing.assert_array_equal(after[sid], values)
    assert str(big.resolve()) not in window.loader.watcher.files()
    assert str(big.resolve()) not in recent_files()
    assert dialogs == []

    # a second load of the same file reads it whole (no half result was cached)
    load_and_wait(window, qtbot, [big])
    assert gate.calls == ["small_desk.csv", "big_desk.xlsx", "big_desk.xlsx"]
    loaded = {s.name: s for s in series_of(window, big)}
    expected = {name: (dates, values) for dates, cols in big_sheets.values()
                for name, values in cols.items()}
    assert loaded.keys() == expected.keys()
    for name, (dates, values) in expected.items():
        np.testing.assert_array_equal(loaded[name].dates, dates.astype("datetime64[D]"))
        np.testing.assert_allclose(loaded[name].values, values)
    assert set(window.session.files) == {str(small.resolve()), str(big.resolve())}
    assert sorted(tree_labels(window)) == ["big_desk.xlsx", "small_desk.csv"]
    assert dialogs == []


def test_cancel_keeps_files_read_earlier_in_the_same_load_and_drops_the_queue(
        window, qtbot, gate, files, tmp_path, dialogs):
    small, big = files["small"][0], files["big"][0]
    later = tmp_path / "queued_desk.csv"
    later.write_text(small.read_text("utf-8"), encoding="utf-8")

    # one load of two files: the CSV is read, then the workbook is held mid-file
    start_gated(window, qtbot, gate, [small, big])
    window.open_files([str(later)])  # queued behind the running load
    press_cancel(window, qtbot)
    with qtbot.waitSignal(window.loader.cancelled, timeout=10000) as cancelled, \
            qtbot.waitSignal(window.loader.idle, timeout=10000):
        gate.release.set()
    settle(window)

    assert cancelled.args == [[str(big.resolve()), str(later.resolve())]]
    assert window.session.files == [str(small.resolve())]
    assert len(series_of(window, small)) == 2
    assert series_of(window, big) == [] and series_of(window, later) == []
    assert "queued_desk.csv" not in gate.calls  # the queued load never started
    message = window.statusBar().currentMessage()
    assert "big_desk.xlsx" in message and "queued_desk.csv" in message
    assert dialogs == []
