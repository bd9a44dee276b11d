"""The stats table paints its own cells (gui/widgets/stats_view.py): what it draws must be
what the model says -- backgrounds, selection, text in every visible cell."""

from __future__ import annotations

import os

from conftest import settle
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QColor


def _cell_pixels(view, image, row: int, col: int) -> set[int]:
    rect = view.visualRect(view.model().index(row, col))
    pts = set()
    for x in range(rect.left() + 1, rect.right() - 1, 2):
        for y in range(rect.top() + 1, rect.bottom() - 1, 2):
            pts.add(image.pixel(x, y))
    return pts


def test_backgrounds_selection_and_text_follow_the_model(desk_window):
    w = desk_window
    view, proxy = w.stats.view, w.stats.proxy
    assert proxy.rowCount() >= 3
    view.clearSelection()
    view.selectionModel().select(proxy.index(2, 4), QItemSelectionModel.SelectionFlag.Select)
    settle(w)
    image = view.viewport().grab().toImage()
    d = w.stats.delegate
    base = view.palette().color(view.palette().ColorRole.Base).rgb()
    alt = d._alt.color().rgb()
    highlight = d._highlight.color().rgb()

    # row 0 on the base colour, row 1 on the alternate colour; every cell holds text
    # (pixels other than its background) because every cell of the model has a text
    for row, background in ((0, base), (1, alt)):
        for col in range(proxy.columnCount()):
            rect = view.visualRect(proxy.index(row, col))
            if rect.right() >= view.viewport().width():
                break
            pixels = _cell_pixels(view, image, row, col)
            assert background in pixels, (row, col)
            if proxy.index(row, col).data():
                assert len(pixels) > 1, (row, col)  # text drawn over the background
    assert highlight in _cell_pixels(view, image, 2, 4)
    assert highlight not in _cell_pixels(view, image, 2, 5)


def test_a_drag_repaints_the_new_figures(desk_window, qtbot):
    """Cells on screen show the new window's figures after a drag step (the pixels of a
    changed cell change)."""
    w = desk_window
    view, proxy = w.stats.view, w.stats.proxy
    from PySide6.QtCore import Qt

    col = next(c for c in range(proxy.columnCount())
               if proxy.headerData(c, Qt.Orientation.Horizontal) == "Return %")
    view.scrollTo(proxy.index(0, col))
    settle(w)
    before_text = proxy.index(0, col).data()
    before = view.viewport().grab().toImage()
    from gui import core_api

    start, end = core_api.bounds(w.session.window_a)
    w.session.set_window_a(core_api.make_window(start - 60, end - 60))
    settle(w)
    after_text = proxy.index(0, col).data()
    assert after_text != before_text
    after = view.viewport().grab().toImage()
    assert _cell_pixels(view, before, 0, col) != _cell_pixels(view, after, 0, col)


def test_empty_table_paints_without_cells(window):
    window.stats.view.viewport().grab()  # nothing loaded: no rows, no crash
    assert window.stats.proxy.rowCount() == 0
    assert QColor(window.stats.delegate._grid).isValid()


def test_app_keeps_qt_fills_on_the_gui_thread_unless_asked(monkeypatch):
    from gui.qt_application import keep_fills_on_the_gui_thread

    monkeypatch.delenv("QT_NO_GUI_THREADPOOL", raising=False)
    monkeypatch.delenv("GAPWATCH_QT_THREADPOOL", raising=False)
    keep_fills_on_the_gui_thread()
    assert os.environ["QT_NO_GUI_THREADPOOL"] == "1"
    monkeypatch.delenv("QT_NO_GUI_THREADPOOL")
    monkeypatch.setenv("GAPWATCH_QT_THREADPOOL", "1")
    keep_fills_on_the_gui_thread()
    assert "QT_NO_GUI_THREADPOOL" not in os.environ
