"""Item caches that keep a window drag from redrawing what did not change.

A drag moves the A/B shading and rescales curves; Qt repaints every item whose bounds
touch the changed area, and the axes sit right at the edge of it (a region's lines and
a rescaled curve's bounds reach a few pixels past the view box). pyqtgraph replays an
axis from a QPicture: a dozen tick labels drawn as text on every step. With a device
cache the axis is one pixmap blit until its ticks change (pyqtgraph calls ``update()``
then, which drops the cache).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

_AXES = ("left", "bottom", "right", "top")


def cache_axes(plot: pg.PlotItem) -> None:
    """Draw ``plot``'s axes from a pixmap cache (see the module docstring)."""
    for name in _AXES:
        axis = plot.axes.get(name) if isinstance(plot.axes, dict) else None
        if axis is not None:
            axis["item"].setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
