"""One plot of the chart stack: its curves, the A/B shading, the crosshair line and,
for positioning, the lookback +-1/2 sigma band. Data arrays are set once per catalog or
check change; a drag only moves regions, rescales curves (QTransform) or swaps the few
window-length arrays (relative lines, gap)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QTransform

from gui.theme import COLOR_A, COLOR_B, curve_color, region_brush


class ChartRow:
    def __init__(self, key: str, title: str, unit_hint: str) -> None:
        self.key = key
        self.title = title
        self.plot = pg.PlotItem(axisItems={"bottom": pg.DateAxisItem()})
        self.widget = pg.PlotWidget(plotItem=self.plot)
        self.widget.setMinimumHeight(45)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        # no grid: grid lines are drawn by the axes and double their repaint cost per drag
        self.plot.showGrid(x=False, y=False)
        self.plot.setLabel("left", unit_hint)
        self.plot.getAxis("left").setWidth(62)
        self.plot.setAutoVisible(y=True)
        self.plot.enableAutoRange(y=True)
        self.title_colour = "#202020"
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.labels: dict[str, str] = {}
        self.shade_a = self._shade(COLOR_A)
        self.shade_b = self._shade(COLOR_B)
        self.vline = pg.InfiniteLine(angle=90, movable=False,
                                     pen=pg.mkPen((128, 128, 128), width=1))
        self.vline.setZValue(50)
        self.vline.hide()
        self.plot.addItem(self.vline, ignoreBounds=True)
        self.bands: list[pg.LinearRegionItem] = []
        self.mean_line: pg.InfiniteLine | None = None
        self.marker: pg.ScatterPlotItem | None = None

    def _shade(self, colour) -> pg.LinearRegionItem:
        r = pg.LinearRegionItem(values=(0, 1), movable=False, brush=region_brush(colour, 28),
                                pen=pg.mkPen(region_brush(colour, 110), width=1))
        r.setZValue(-20)
        self.plot.addItem(r, ignoreBounds=True)
        return r

    # -- curves ---------------------------------------------------------------------
    def set_curves(self, items: list[tuple[str, str, np.ndarray, np.ndarray]]) -> None:
        """(id, label, x seconds, y) per curve; replaces all curves of the row."""
        for c in self.curves.values():
            self.plot.removeItem(c)
        self.curves.clear()
        self.labels.clear()
        for i, (cid, label, x, y) in enumerate(items):
            c = pg.PlotDataItem(x, y, pen=pg.mkPen(curve_color(i), width=1.5), name=label,
                                skipFiniteCheck=False)
            self.plot.addItem(c)
            # after addItem: clipping before the item has a ViewBox parent raises in pyqtgraph
            c.setDownsampling(auto=True, method="peak")
            c.setClipToView(True)
            self.curves[cid] = c
            self.labels[cid] = label
        self.set_title(self.title)

    def set_title(self, title: str) -> None:
        """The title doubles as the legend (coloured names), so no legend box hides data."""
        self.title = title
        names = " ".join(f"<span style='color:{c.opts['pen'].color().name()}'>\u25a0 "
                         f"{self.labels[cid]}</span>" for cid, c in self.curves.items())
        self.plot.setTitle(f"<span style='color:{self.title_colour}'><b>{title}</b></span>"
                           f"&nbsp;&nbsp;{names}", size="8pt", justify="left")

    def update_curve(self, cid: str, x: np.ndarray, y: np.ndarray) -> None:
        c = self.curves.get(cid)
        if c is not None:
            c.setData(x, y)

    def set_scale(self, cid: str, factor: float) -> None:
        """Rebase by scaling y in item coordinates: no array is touched."""
        c = self.curves.get(cid)
        if c is None:
            return
        if not np.isfinite(factor):
            factor = 1.0
        if c.transform().m22() != factor:
            c.setTransform(QTransform.fromScale(1.0, factor))

    def refit(self) -> None:
        self.plot.getViewBox().updateAutoRange()

    # -- windows / band / marker ------------------------------------------------------
    def set_windows(self, a: tuple[float, float], b: tuple[float, float] | None) -> None:
        self.shade_a.setRegion(a)
        if b is None:
            self.shade_b.hide()
        else:
            self.shade_b.show()
            self.shade_b.setRegion(b)

    def set_band(self, mean: float | None, std: float | None) -> None:
        """Lookback mean +-1 sigma (darker) and +-2 sigma (lighter), horizontal."""
        if not self.bands:
            for alpha in (22, 40):
                r = pg.LinearRegionItem(orientation="horizontal", movable=False,
                                        brush=pg.mkBrush(120, 120, 120, alpha),
                                        pen=pg.mkPen(None))
                r.setZValue(-30)
                self.plot.addItem(r, ignoreBounds=True)
                self.bands.append(r)
            self.mean_line = pg.InfiniteLine(angle=0, movable=False,
                                             pen=pg.mkPen((120, 120, 120), style=pg.QtCore.Qt.PenStyle.DashLine))
            self.plot.addItem(self.mean_line, ignoreBounds=True)
        ok = bool(mean is not None and std is not None and np.isfinite(mean)
                  and np.isfinite(std))
        for k, r in zip((2.0, 1.0), self.bands, strict=True):
            r.setVisible(ok)
            if ok:
                r.setRegion((mean - k * std, mean + k * std))
        self.mean_line.setVisible(ok)
        if ok:
            self.mean_line.setPos(mean)

    def set_marker(self, x: float | None, y: float | None) -> None:
        if self.marker is None:
            self.marker = pg.ScatterPlotItem(size=8, brush=pg.mkBrush(COLOR_A),
                                             pen=pg.mkPen("k"))
            self.plot.addItem(self.marker)
        if x is None or y is None or not np.isfinite(y):
            self.marker.setData([], [])
        else:
            self.marker.setData([x], [y])

    # -- crosshair --------------------------------------------------------------------
    def readout(self, x: float) -> list[tuple[str, str, float]]:
        """(label, colour, displayed value) per curve at the last point on or before x."""
        out = []
        for cid, c in self.curves.items():
            xs, ys = c.xData, c.yData
            if xs is None or len(xs) == 0:
                continue
            i = int(np.searchsorted(xs, x, side="right")) - 1
            if i < 0:
                continue
            v = float(ys[i]) * c.transform().m22()
            out.append((self.labels[cid], c.opts["pen"].color().name(), v))
        return out
