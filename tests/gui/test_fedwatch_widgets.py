"""The FedWatch matrix table and the implied-path plot over hand-made core matrices."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from core.rates.fedwatch_matrix import FedWatchMatrix
from gui.widgets.fedwatch_matrix import MODE_BOTH, MODE_DIFF, FedWatchMatrixView
from gui.widgets.implied_path import TAIL_DAYS, ImpliedPathPlot, path_points


def matrix(asof: str, rows: dict[str, dict[float, float]], current=(4.25, 4.50)) -> FedWatchMatrix:
    lows = np.array(sorted({lo for dist in rows.values() for lo in dist} | {current[0]}))
    probabilities = np.array([[dist.get(lo, 0.0) for lo in lows] for dist in rows.values()])
    return FedWatchMatrix(np.datetime64(asof), np.array(list(rows), dtype="datetime64[D]"),
                          lows, probabilities, current, np.full(len(rows), np.nan))


# A: September 60% cut / 40% hold; October 30% two cuts, 50% one, 20% none
A = matrix("2025-07-31", {"2025-09-17": {4.00: 0.6, 4.25: 0.4},
                          "2025-10-29": {3.75: 0.3, 4.00: 0.5, 4.25: 0.2}})
# B: September 20% cut; October not priced yet
B = matrix("2025-06-30", {"2025-07-30": {4.25: 1.0}, "2025-09-17": {4.00: 0.2, 4.25: 0.8}})


def cell(view: FedWatchMatrixView, row: int, col: int, role=Qt.ItemDataRole.DisplayRole):
    return view.model.data(view.model.index(row, col), role)


def test_matrix_cells_current_range_and_summary(qtbot):
    view = FedWatchMatrixView()
    qtbot.addWidget(view)
    view.set_data(A)
    model = view.model
    assert model.rowCount() == 2 and model.columnCount() == 3 + 3
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert heads == ["3.75-\n4.00", "4.00-\n4.25", "4.25-\n4.50\nnow", "Expected\n%",
                     "P(below\nnow) %", "P(above\nnow) %"]
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(2)] == [
        "2025-09-17", "2025-10-29"]
    assert [cell(view, 1, c) for c in range(3)] == ["30.0", "50.0", "20.0"]
    assert cell(view, 0, 0) == ""  # no probability in 3.75-4.00 after September
    # expected after October: 0.3 * 3.875 + 0.5 * 4.125 + 0.2 * 4.375 = 1.1625 + 2.0625 + 0.875
    assert cell(view, 1, 3) == "4.10"
    assert cell(view, 1, 4) == "80.0"  # below 4.25: 30 + 50
    assert cell(view, 0, 2, Qt.ItemDataRole.FontRole).bold()  # today's range
    deep = cell(view, 1, 1, Qt.ItemDataRole.BackgroundRole)  # 50%
    light = cell(view, 1, 2, Qt.ItemDataRole.BackgroundRole)  # 20%
    assert deep.lightnessF() < light.lightnessF()
    assert cell(view, 0, 0, Qt.ItemDataRole.BackgroundRole) is None
    assert "2025-07-31" in view.caption.text() and "4.25-4.50%" in view.caption.text()
    # without B only the first mode is offered
    assert not view.mode_combo.model().item(1).isEnabled()


def test_b_beside_and_the_difference(qtbot):
    view = FedWatchMatrixView()
    qtbot.addWidget(view)
    view.set_data(A, B)
    view.mode_combo.setCurrentIndex(1)
    assert view.model.mode == MODE_BOTH
    assert cell(view, 0, 1) == "60.0 (20.0)"
    assert cell(view, 1, 1) == "50.0 (n/a)"  # B does not price October
    assert "B's end 2025-06-30" in view.caption.text()
    view.mode_combo.setCurrentIndex(2)
    assert view.model.mode == MODE_DIFF
    assert cell(view, 0, 1) == "+40.0" and cell(view, 0, 2) == "-40.0"
    # expected target: A 0.6 * 4.125 + 0.4 * 4.375 = 4.225; B 4.325: -10 bp
    assert cell(view, 0, 3) == "-10"
    assert cell(view, 1, 1) == "n/a"
    gained = cell(view, 0, 1, Qt.ItemDataRole.BackgroundRole)
    lost = cell(view, 0, 2, Qt.ItemDataRole.BackgroundRole)
    assert gained.blue() > gained.red() and lost.red() > lost.blue()
    view.set_data(A)  # B gone: back to A alone
    assert view.model.mode == "A" and view.mode_combo.currentIndex() == 0


def paste_as_table(text: str) -> list[list[str]]:
    """What a spreadsheet does with the clipboard text: lines into rows, tabs into cells."""
    return [line.split("\t") for line in text.rstrip("\n").split("\n")]


def test_ctrl_c_copies_a_table_that_pastes_into_cells(qtbot):
    view = FedWatchMatrixView()
    qtbot.addWidget(view)
    view.set_data(A, B)
    view.show()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QApplication.clipboard().mimeData()
    table = paste_as_table(mime.text())
    assert table[0] == ["Meeting (A, 2025-07-31)", "3.75-4.00", "4.00-4.25", "4.25-4.50",
                        "Expected %", "P(below now) %", "P(above now) %"]
    assert table[1] == ["2025-09-17", "0", "60", "40", "4.225", "60", "0"]
    assert table[2] == ["2025-10-29", "30", "50", "20", "4.1", "80", "0"]
    assert all(len(r) == 7 for r in table)
    assert "<table" in mime.html()
    # a selection copies only its cells; "A (B)" copies A's table and then B's
    view.mode_combo.setCurrentIndex(1)
    sel = view.table.selectionModel()
    for col in (1, 2):
        sel.select(view.model.index(0, col), QItemSelectionModel.SelectionFlag.Select)
    table = paste_as_table(view.copy())
    assert table == [["Meeting (A, 2025-07-31)", "4.00-4.25", "4.25-4.50"],
                     ["2025-09-17", "60", "40"], [""],
                     ["Meeting (B, 2025-06-30)", "4.00-4.25", "4.25-4.50"],
                     ["2025-09-17", "20", "80"]]


def test_no_priced_meeting_says_so(qtbot):
    view = FedWatchMatrixView()
    qtbot.addWidget(view)
    empty = matrix("2025-07-31", {})
    view.set_data(empty)
    assert view.model.rowCount() == 0 and "No meeting priced" in view.caption.text()
    assert view.copy() == ""


def test_implied_path_steps_from_todays_midpoint(qtbot):
    # A: today 4.375 (midpoint of 4.25-4.50), after Sep 4.225, after Oct 4.10
    x, y = path_points(A)
    assert y == pytest.approx([4.375, 4.225, 4.1])
    days = (x.astype("datetime64[s]")).astype("datetime64[D]").astype(str)
    assert list(days) == ["2025-07-31", "2025-09-17", "2025-10-29",
                          str(np.datetime64("2025-10-29") + TAIL_DAYS)]
    plot = ImpliedPathPlot()
    qtbot.addWidget(plot)
    plot.set_data(A, B)
    xa, ya = plot.lines["A"].getData()
    assert ya == pytest.approx([4.375, 4.225, 4.1])
    assert plot.lines["B"].isVisible() or not plot.isVisible()
    _, yb = plot.lines["B"].getData()
    assert yb == pytest.approx([4.375, 4.375, 0.2 * 4.125 + 0.8 * 4.375])
    assert "4.10%" in plot.caption.text()
    plot.set_data(None)
    assert plot.plot.isHidden() and "No implied path" in plot.caption.text()


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 720)])
def test_both_render_at_panel_sizes(qtbot, tmp_path, size):
    view, plot = FedWatchMatrixView(), ImpliedPathPlot()
    for w in (view, plot):
        qtbot.addWidget(w)
        w.set_data(A, B)
        w.resize(*size)
        w.show()
    qtbot.waitExposed(view)
    # every meeting row is on screen, and today's column too
    last = view.table.visualRect(view.model.index(1, 2))
    assert last.isValid() and last.bottom() < view.table.viewport().height()
    assert last.right() < view.table.viewport().width()
    for name, w in (("matrix", view), ("path", plot)):
        image = w.grab().toImage()
        assert (image.width(), image.height()) == size
        assert image.save(str(tmp_path / f"{name}_{size[0]}.png"))
