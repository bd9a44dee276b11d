"""Chart axes are pixmap-cached on screen (cheap drag repaints) but exported as vectors."""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QGraphicsItem

from gui import chart_export
from gui.chart_export import widget_image, write_widget_svg

CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache


def _axes(window):
    return [ax["item"] for key in window.charts.visible_rows
            for ax in window.charts.rows[key].plot.axes.values()]


def test_axes_cached_on_screen_and_drawn_as_vectors_in_exports(desk_window, tmp_path,
                                                                monkeypatch):
    w = desk_window
    assert _axes(w) and all(a.cacheMode() == CACHED for a in _axes(w))

    write_widget_svg(w.charts, tmp_path / "vector.svg")
    vector = (tmp_path / "vector.svg").read_text()
    # the same export with the caches left on: the axes arrive as bitmaps
    monkeypatch.setattr(chart_export, "uncached", lambda widget: contextlib.nullcontext())
    write_widget_svg(w.charts, tmp_path / "cached.svg")
    cached = (tmp_path / "cached.svg").read_text()
    assert vector.count("<text") > cached.count("<text") + 2 * len(w.charts.visible_rows)
    assert cached.count("<image") > vector.count("<image")
    monkeypatch.undo()

    widget_image(w.charts, dpi=192)
    # after each export the on-screen cache is back
    assert all(a.cacheMode() == CACHED for a in _axes(w))
