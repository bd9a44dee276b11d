"""Item caches that keep a window drag from redrawing what did not change.

A drag moves the A/B shading and rescales curves; Qt repaints every item whose bounds
touch the changed area, and the axes sit right at the edge of it (a region's lines and
a rescaled curve's bounds reach a few pixels past the view box). pyqtgraph replays an
axis from a QPicture: a dozen tick labels drawn as text on every step. With a device
cache the axis is one pixmap blit until its ticks change (pyqtgraph calls ``update()``
then, which drops the cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

_AXES = ("left", "bottom", "right", "top")


def cache_axes(plot: pg.PlotItem) -> None:
    """Draw ``plot``'s axes from a pixmap cache (see the module docstring)."""
    for name in _AXES:
        axis = plot.axes.get(name) if isinstance(plot.axes, dict) else None
        if axis is not None:
            axis["item"].setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


@contextmanager
def uncached(widget: QWidget) -> Iterator[None]:
    """Every graphics item under ``widget`` drawn directly while the block runs.

    For exports: a cached item is a screen-resolution pixmap, which would turn SVG axes
    into images and blur a 300-dpi PNG's tick labels."""
    changed: list[tuple[QGraphicsItem, QGraphicsItem.CacheMode]] = []
    views = widget.findChildren(QGraphicsView)
    if isinstance(widget, QGraphicsView):
        views.append(widget)
    for view in views:
        scene = view.scene()
        for item in scene.items() if scene is not None else []:
            mode = item.cacheMode()
            if mode != QGraphicsItem.CacheMode.NoCache:
                changed.append((item, mode))
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in changed:
            item.setCacheMode(mode)
