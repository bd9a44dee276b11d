"""Navigator: one series' whole history with draggable windows A and B.

Dragging a region moves the window live (one undo entry per drag); arrow keys nudge
the focused window by one observation, Shift+arrow by a month; presets and exact dates
set it outright. B can be locked to "the same span a year earlier".
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.analytics.window import Window
from gui import core_api
from gui.plot_cache import cache_axes
from gui.qt_dates import (
    day_to_seconds,
    from_qdate,
    seconds_to_day,
    shift_months,
    step_observation,
    to_qdate,
    to_seconds,
)
from gui.session import Session
from gui.theme import COLOR_A, COLOR_B, region_brush

PRESET_TIPS = {"YTD": "Year to date", "1M": "Last month", "3M": "Last three months",
               "6M": "Last six months", "1Y": "Last year", "3Y": "Last three years",
               "All": "Whole history"}


# y labels at least this many text lines apart: the navigator is a short strip (about
# 45 px of plot at 1280x720) whose job is the shape of the history, not its values
LABEL_GAP_LINES = 2.0


class SparseValueAxis(pg.AxisItem):
    """A value axis for a short plot: one level of ticks spaced so their labels stand
    LABEL_GAP_LINES text lines apart (1-2-5 steps), and no label that would stick out
    of the axis (pyqtgraph lets vertical labels run 15 px past it, where the plot's
    edge cuts them)."""

    def __init__(self, orientation: str = "left") -> None:
        super().__init__(orientation)
        self.setStyle(hideOverlappingLabels=True)

    def label_gap(self) -> float:
        font = self.style.get("tickFont") or QApplication.font()
        return LABEL_GAP_LINES * QFontMetricsF(font).height()

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # noqa: N802,N803
        levels = super().tickSpacing(minVal, maxVal, size)
        span = abs(maxVal - minVal)
        if not levels or size <= 0 or span == 0:
            return levels
        spacing = levels[0][0]
        gap = self.label_gap()
        while spacing * size / span < gap:
            spacing = next_step(spacing)
        return [(spacing, 0.0)]


def next_step(spacing: float) -> float:
    """The next tick spacing up the 1-2-5 ladder (2.5 goes to 5)."""
    mag = 10.0 ** math.floor(math.log10(spacing))
    mantissa = spacing / mag
    return next(m * mag for m in (2.0, 5.0, 10.0) if m > mantissa * (1 + 1e-9))


class NavigatorPanel(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.focused = "A"
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip("Drag the shaded windows; \u2190/\u2192 nudge the focused window by one "
                        "observation, Shift+\u2190/\u2192 by a month")

        self.series_combo = QComboBox(self)
        self.series_combo.setToolTip("Series whose whole history the navigator shows")
        self.series_combo.currentIndexChanged.connect(self._on_series_chosen)
        self.series_combo.setMinimumContentsLength(18)
        self.lock_box = QCheckBox("Lock B = A a year earlier", self)
        self.lock_box.setToolTip("Window B follows A: the same span one year earlier")
        self.lock_box.setChecked(session.lock_b)
        self.lock_box.toggled.connect(session.set_lock)
        focus_group = QButtonGroup(self)
        self.focus_buttons = {}
        for which in ("A", "B"):
            rb = QRadioButton(which, self)
            rb.setToolTip(f"Arrow keys, presets and 'since the low' act on window {which}")
            rb.toggled.connect(lambda on, w=which: on and self.set_focus(w))
            focus_group.addButton(rb)
            self.focus_buttons[which] = rb
        self.focus_buttons["A"].setChecked(True)

        top = QHBoxLayout()
        top.addWidget(QLabel("Series:", self))
        top.addWidget(self.series_combo, 1)
        top.addWidget(QLabel("Focus:", self))
        top.addWidget(self.focus_buttons["A"])
        top.addWidget(self.focus_buttons["B"])
        self.preset_buttons: dict[str, QPushButton] = {}
        for name in [*self._preset_names(), "Since low"]:
            b = QPushButton(name, self)
            b.setMaximumWidth(68)
            b.setToolTip(PRESET_TIPS.get(name, "From the lowest point of the focused window's "
                                                "series to the window end"))
            b.clicked.connect(lambda _=False, n=name: self.apply_preset(n))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.preset_buttons[name] = b
            top.addWidget(b)
        top.addWidget(self.lock_box)

        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(),
                                             "left": SparseValueAxis("left")})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=True, y=False)
        # no grid: the axis replays its grid lines wherever a region moved, ~1 ms a step
        self.plot.showGrid(x=False, y=False)
        self.curve = self.plot.plot([], [], pen=pg.mkPen("#5a5a5a", width=1))
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        # a drag repaints the strips the regions leave and enter: blit the history from a
        # pixmap there instead of stroking thousands of points again
        self.curve.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        cache_axes(self.plot.getPlotItem())  # the date axis sits under every region move
        self.region_a = self._make_region(COLOR_A, "A")
        self.region_b = self._make_region(COLOR_B, "B")

        self.date_edits: dict[str, QDateEdit] = {}
        bottom = QHBoxLayout()
        for key, label in (("a_start", "A from"), ("a_end", "to"), ("b_start", "B from"),
                           ("b_end", "to")):
            bottom.addWidget(QLabel(label, self))
            ed = QDateEdit(self)
            ed.setCalendarPopup(True)
            ed.setDisplayFormat("yyyy-MM-dd")
            ed.setToolTip(f"Exact date: window {label[0] if label != 'to' else ''} "
                          f"{'start' if 'start' in key else 'end'}")
            ed.dateChanged.connect(lambda _d, k=key: self._on_date_edited(k))
            self.date_edits[key] = ed
            bottom.addWidget(ed)
        bottom.addStretch(1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.plot, 1)
        lay.addLayout(bottom)

        session.catalogChanged.connect(self._on_catalog)
        session.windowsChanged.connect(self._on_windows)
        session.lockChanged.connect(self._on_lock)
        self._on_catalog()
        self._on_lock(session.lock_b)

    def set_history_colour(self, colour: str) -> None:
        self.curve.setPen(pg.mkPen(colour, width=1))

    # -- construction helpers ------------------------------------------------------
    def _preset_names(self) -> list[str]:
        try:
            return core_api.preset_names()
        except ImportError:
            return ["YTD", "1M", "3M", "6M", "1Y", "3Y", "All"]

    def _make_region(self, colour, which: str) -> pg.LinearRegionItem:
        region = pg.LinearRegionItem(values=(0, 1), brush=region_brush(colour, 60),
                                     hoverBrush=region_brush(colour, 90),
                                     pen=pg.mkPen(colour, width=2),
                                     hoverPen=pg.mkPen(colour, width=3))
        region.setZValue(10 if which == "A" else 5)
        region.sigRegionChanged.connect(lambda r, w=which: self._on_region_dragged(w, r))
        region.sigRegionChangeFinished.connect(self._on_region_released)
        # moving a region must not make the view re-range (ignoreBounds, fixed y below)
        self.plot.addItem(region, ignoreBounds=True)
        return region

    # -- reading -------------------------------------------------------------------
    def drag_region(self, which: str, x0: float, x1: float) -> None:
        """Move a region the way a mouse drag does (lines moved, no "finished" signal);
        tests and the drag benchmark use it."""
        region = self.region_a if which == "A" else self.region_b
        region.blockLineSignal = True
        region.lines[0].setValue(x0)
        region.blockLineSignal = False
        region.lines[1].setValue(x1)

    def release_region(self, which: str) -> None:
        region = self.region_a if which == "A" else self.region_b
        region.sigRegionChangeFinished.emit(region)

    @property
    def series(self):
        sid = self.series_combo.currentData()
        return self.session.series(sid) if sid else None

    def set_focus(self, which: str) -> None:
        self.focused = which
        if not self.focus_buttons[which].isChecked():
            self.focus_buttons[which].setChecked(True)

    # -- session -> view -------------------------------------------------------------
    def _on_catalog(self) -> None:
        current = self.series_combo.currentData()
        self.series_combo.blockSignals(True)
        self.series_combo.clear()
        series = [s for s in self.session.catalog if len(s)]
        prices = [s for s in series if s.kind == "price"]
        for s in prices + [s for s in series if s.kind != "price"]:
            self.series_combo.addItem(s.name, s.id)
            self.series_combo.setItemData(self.series_combo.count() - 1,
                                          f"{s.name} [{s.unit}], {s.frequency.value}",
                                          Qt.ItemDataRole.ToolTipRole)
        i = self.series_combo.findData(current)
        self.series_combo.setCurrentIndex(max(i, 0))
        self.series_combo.blockSignals(False)
        self._on_series_chosen()

    def _on_series_chosen(self) -> None:
        s = self.series
        if s is None:
            self.curve.setData([], [])
            return
        ok = ~np.isnan(s.values)
        self.curve.setData(to_seconds(s.dates[ok]), s.values[ok])
        self.plot.setXRange(day_to_seconds(s.first_date), day_to_seconds(s.last_date),
                            padding=0.01)
        # the y-range is the history's, set once: left on auto-range, pyqtgraph would
        # recompute it (and re-slice the curve) on every step of a drag
        values = s.values[ok]
        if len(values):
            self.plot.disableAutoRange(axis=pg.ViewBox.YAxis)
            self.plot.setYRange(float(values.min()), float(values.max()))
        self._on_windows()

    def _on_windows(self, origin: object = None) -> None:
        """Show the session's windows. The region a drag came from (``origin``) already
        is where the mouse put it: it is not set back. Regions set here have their
        signals blocked, so a programmatic move is never taken for the user's."""
        a, b = self.session.window_a, self.session.window_b
        if a is None:
            return
        for region, w in ((self.region_a, a), (self.region_b, b)):
            if region is origin or w is None:
                continue
            s, e = core_api.bounds(w)
            region.blockSignals(True)
            region.setRegion((day_to_seconds(s), day_to_seconds(e)))
            region.blockSignals(False)
        for key, w, end in (("a_start", a, 0), ("a_end", a, 1), ("b_start", b, 0),
                            ("b_end", b, 1)):
            ed = self.date_edits[key]
            date = to_qdate(core_api.bounds(w)[end])
            if ed.date() != date:  # an unchanged editor is not repainted
                ed.blockSignals(True)
                ed.setDate(date)
                ed.blockSignals(False)

    def _on_lock(self, locked: bool) -> None:
        self.lock_box.blockSignals(True)
        self.lock_box.setChecked(locked)
        self.lock_box.blockSignals(False)
        self.region_b.setMovable(not locked)
        for key in ("b_start", "b_end"):
            self.date_edits[key].setEnabled(not locked)
        if locked and self.focused == "B":
            self.set_focus("A")

    # -- view -> session -------------------------------------------------------------
    def _on_region_dragged(self, which: str, region: pg.LinearRegionItem) -> None:
        x0, x1 = region.getRegion()
        w = core_api.make_window(seconds_to_day(x0), seconds_to_day(x1))
        self.set_focus(which)
        self._set(which, w, drag=True, origin=region)

    def _on_region_released(self, _region) -> None:
        self.session.end_drag()

    def _set(self, which: str, w: Window, *, drag: bool = False,
             origin: object = None) -> None:
        if which == "A":
            self.session.set_window_a(w, drag=drag, origin=origin)
        else:
            self.session.set_window_b(w, drag=drag, origin=origin)

    def _focused_window(self):
        return self.session.window_a if self.focused == "A" else self.session.window_b

    def _on_date_edited(self, key: str) -> None:
        which = "A" if key.startswith("a") else "B"
        start = from_qdate(self.date_edits[f"{which.lower()}_start"].date())
        end = from_qdate(self.date_edits[f"{which.lower()}_end"].date())
        self._set(which, core_api.make_window(start, end))

    def apply_preset(self, name: str) -> None:
        if self.session.engine is None:
            return
        if name == "Since low":
            s = self.series
            if s is None:
                return
            w = core_api.since_low(s, self._focused_window())
        else:
            w = core_api.preset(self.session, name, self.series)
        if w is not None:
            self._set(self.focused if not self.session.lock_b else "A", w)

    def nudge(self, step: int, *, months: bool = False) -> None:
        w = self._focused_window()
        s = self.series
        if w is None:
            return
        start, end = core_api.bounds(w)
        if months:
            start, end = shift_months(start, step), shift_months(end, step)
        elif s is not None:
            start = step_observation(s.dates, start, step)
            end = step_observation(s.dates, end, step)
        self._set(self.focused, core_api.make_window(start, end))

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            self.nudge(step, months=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            event.accept()
            return
        super().keyPressEvent(event)
