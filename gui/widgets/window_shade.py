"""Window A or B shaded on a chart row: a filled band with an edge line on each side.

pyqtgraph's LinearRegionItem does this with a region item and two InfiniteLines, all
painted and bounded in Python (each line recomputes its bounds from the view on every
move). A chart never drags its shading -- the navigator does -- so here the band is
three plain Qt items (a rectangle and two lines) painted in C++: moving a window is
three ``setRect``/``setLine`` calls per row. The band spans the view's y-range plus a
margin, refitted when the y-range changes, so no top or bottom edge ever shows.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem

from gui.theme import region_brush

EDGE_ALPHA = 110
_Z = -20  # under the curves


class WindowShade:
    """Shading of one window on one plot (``setRegion``/``getRegion`` as pyqtgraph's)."""

    def __init__(self, plot: pg.PlotItem, colour: QColor, fill_alpha: int = 28) -> None:
        self._view = plot.getViewBox()
        self._colour = QColor(colour)
        self._region = (0.0, 1.0)
        self._visible = True
        self.band = QGraphicsRectItem()
        self.band.setPen(QPen(Qt.PenStyle.NoPen))
        self.edges = (QGraphicsLineItem(), QGraphicsLineItem())
        edge_pen = QPen(region_brush(colour, EDGE_ALPHA))
        edge_pen.setCosmetic(True)  # 1 px whatever the data scale
        edge_pen.setWidth(1)
        for item in (self.band, *self.edges):
            item.setZValue(_Z)
            plot.addItem(item, ignoreBounds=True)
        for edge in self.edges:
            edge.setPen(edge_pen)
        self.set_fill_alpha(fill_alpha)
        self._view.sigYRangeChanged.connect(self._refit)
        self._refit()

    # -- the LinearRegionItem calls chart rows use ----------------------------------
    def setRegion(self, region: tuple[float, float]) -> None:  # noqa: N802 - pg's name
        lo, hi = float(region[0]), float(region[1])
        self._region = (lo, hi) if lo <= hi else (hi, lo)
        self._refit()

    def getRegion(self) -> tuple[float, float]:  # noqa: N802
        return self._region

    def show(self) -> None:
        self.setVisible(True)

    def hide(self) -> None:
        self.setVisible(False)

    def setVisible(self, on: bool) -> None:  # noqa: N802
        self._visible = bool(on)
        for item in (self.band, *self.edges):
            item.setVisible(self._visible)

    def isVisible(self) -> bool:  # noqa: N802
        return self._visible

    def set_fill_alpha(self, alpha: int) -> None:
        self.band.setBrush(QBrush(region_brush(self._colour, alpha)))

    def fill_colour(self) -> QColor:
        return self.band.brush().color()

    # -- geometry --------------------------------------------------------------------
    def _refit(self, *_args) -> None:
        y0, y1 = self._view.viewRange()[1]
        margin = max(abs(y1 - y0), 1e-9)
        top, bottom = y0 - margin, y1 + margin
        lo, hi = self._region
        self.band.setRect(QRectF(lo, top, hi - lo, bottom - top))
        self.edges[0].setLine(QLineF(lo, top, lo, bottom))
        self.edges[1].setLine(QLineF(hi, top, hi, bottom))
