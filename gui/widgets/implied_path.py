"""The implied path: the expected target rate after each meeting as a step line, priced
at A's end (blue) and at B's end (orange), from core ``FedWatchMatrix`` objects.

Each line starts at its date with the midpoint of the range in force then, steps at
every meeting to the expected target after it (``FedWatchMatrix.expected_rates``) and
runs on to ``TAIL_DAYS`` after the last meeting, so the last level shows as a step too.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.rates.fedwatch_matrix import FedWatchMatrix
from core.rates.odds import STEP
from gui.theme import COLOR_A, COLOR_B

TAIL_DAYS = 42  # about the spacing of meetings


def path_points(m: FedWatchMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Step edges (seconds since the epoch, one more than the levels) and the levels:
    today's range midpoint, then the expected target after each meeting."""
    start = m.current_range[0] + STEP / 2 if m.current_range else np.nan
    levels = np.r_[start, m.expected_rates]
    days = np.r_[np.datetime64(m.asof, "D"), m.meetings.astype("datetime64[D]"),
                 (m.meetings[-1] if len(m.meetings) else m.asof) + np.timedelta64(TAIL_DAYS, "D")]
    return days.astype("datetime64[s]").astype(np.float64), levels


class ImpliedPathPlot(QWidget):
    """Two step lines (A, B) over a date axis; ``set_data(a, b)`` with core matrices."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setLabel("left", "Expected target, %")
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.lines: dict[str, pg.PlotDataItem] = {}
        self.markers: dict[str, pg.ScatterPlotItem] = {}
        for which, colour, style in (("B", COLOR_B, Qt.PenStyle.DashLine),
                                     ("A", COLOR_A, Qt.PenStyle.SolidLine)):
            pen = pg.mkPen(colour, width=2, style=style)  # whole pixels: no antialiasing
            self.lines[which] = self.plot.plot([], [], pen=pen, stepMode="center")
            self.markers[which] = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(colour),
                                                     pen=pg.mkPen(colour))
            self.plot.addItem(self.markers[which])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.caption)
        lay.addWidget(self.plot, 1)
        self.set_data(None)

    def set_data(self, a: FedWatchMatrix | None, b: FedWatchMatrix | None = None) -> None:
        self.legend.clear()
        shown = {"A": a, "B": b}
        for which, m in shown.items():
            line, marks = self.lines[which], self.markers[which]
            if m is None or not len(m.meetings):
                line.setData([], [])
                marks.setData([], [])
                line.hide()
                continue
            x, y = path_points(m)
            line.setData(x, y, stepMode="center")
            marks.setData(x[1:-1], y[1:])
            line.show()
            self.legend.addItem(line, f"{which}'s end {m.asof}")
        visible = [m for m in shown.values() if m is not None and len(m.meetings)]
        if not visible:
            self.plot.hide()
            self.caption.setText("No implied path at A's end: no meeting is priced there.")
            return
        self.plot.show()
        # the legend goes in the corner the path leaves empty: bottom left when it falls
        first, last = path_points(visible[0])[1][[0, -1]]
        self.legend.setOffset((10, -10) if last < first else (10, 10))
        levels = np.concatenate([path_points(m)[1] for m in visible])
        levels = levels[np.isfinite(levels)]
        lo, hi = float(levels.min()), float(levels.max())
        pad = max(0.05, 0.1 * (hi - lo))
        self.plot.setYRange(lo - pad, hi + pad, padding=0)
        edges = np.concatenate([path_points(m)[0] for m in visible])
        self.plot.setXRange(float(edges.min()), float(edges.max()), padding=0.02)
        end = a if a is not None and len(a.meetings) else visible[0]
        self.caption.setText(
            f"Expected target after each meeting (probability-weighted range midpoint); "
            f"by the {end.meetings[-1]} meeting {end.expected_rates[-1]:.2f}% at "
            f"{'A' if end is a else 'B'}'s end.")
