"""Charts: stacked plots sharing one date axis, windows A and B shaded, crosshair readout.

Rows: prices rebased to 100 at A's start, relative lines (a / b over the whole span,
rebased like prices), positioning with the lookback band (lookback_mean/std figures),
short interest, the positioning gap and rate-cut odds. Each row shows the checked
series of its kind; rows with nothing to show, or hidden by the user
(``set_row_hidden``, View > Charts), are left out. The rows sit in a scroll area with a
minimum height each, so a small screen scrolls instead of squashing every plot.

The panel draws what ``session.live`` computed for the step (rebase factors, the gap,
the relative lines): it computes nothing. During a drag the x-range stays put (it
follows the windows once settled) and the y-range of the rebased rows is set from each
series' min/max over the visible dates (the live service's) times its rebase factor:
no data scan, no second paint from a late auto-range.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.markets import legend_label
from gui import core_api
from gui.figure_format import format_value
from gui.live_results import COMPARISON, GAP, RELATIVE, RELEASE, LiveResults, RelativeLine
from gui.plot_cache import cache_axes
from gui.qt_dates import day_to_seconds, seconds_to_day, to_seconds
from gui.session import Session
from gui.widgets.chart_row import MIN_ROW_HEIGHT, ChartRow

# key, title (doubles as legend), short y-axis title, name in View > Charts
# key, title (doubles as legend), short y-axis title, name in View > Charts. The order
# is the order on screen: on a small screen the rows below the first four scroll.
ROWS = (
    ("prices", "Prices (100 = A's start)", "rebased", "Prices"),
    ("relative", "Relative (100 = A's start)", "rebased", "Relative performance"),
    ("positioning", "Positioning (band: lookback mean \u00b11\u03c3/\u00b12\u03c3)", "",
     "Positioning"),
    ("gap", "Positioning gap: z(tech) \u2212 z(small caps)", "\u03c3", "Positioning gap"),
    ("short_interest", "Short interest", "", "Short interest"),
    ("odds", "Rate-cut odds", "%", "Rate-cut odds"),
    ("other", "Other series", "", "Other series"),
)
KIND_TO_ROW = {"price": "prices", "positioning": "positioning",
               "short_interest": "short_interest", "probability": "odds"}
# a row's minimum height when the rows are fitted into a file's page
FIT_ROW_HEIGHT = 45
# units as they fit a 62 px axis
SHORT_UNITS = {"% of oi": "% OI", "% of open interest": "% OI", "index points": "points",
               "% probability": "%", "probability %": "%", "percent": "%"}
# the prices row carries the most information: it gets this many shares of the height
ROW_WEIGHT = {"prices": 2}


def short_unit(unit: str) -> str:
    return SHORT_UNITS.get(unit.strip().lower(), unit.strip())


def axis_title(units: list[str]) -> str:
    """One short title for the units of a row's series ("USD bn", "% OI / contracts")."""
    shorts = list(dict.fromkeys(short_unit(u) for u in units if u and u.strip()))
    return " / ".join(shorts) if len(" / ".join(shorts)) <= 16 else shorts[0] + " \u2026"


class ChartsPanel(QWidget):
    rowsChanged = Signal()   # the set of shown rows changed (data or the user's choice)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: dict[str, ChartRow] = {key: ChartRow(key, t, u, menu_name=m)
                                          for key, t, u, m in ROWS}
        for row in self.rows.values():
            cache_axes(row.plot)
        self.visible_rows: list[str] = []
        self.hidden_rows: set[str] = set()
        self.fit_rows = False
        self.gap_pair: tuple[str, str] | None = None
        self.relative_lines: tuple[RelativeLine, ...] = ()
        self._relative_x: dict[str, np.ndarray] = {}  # each line's dates as chart seconds
        self._relative_extremes: tuple | None = None  # ((x0, x1), {cid: (min, max)})
        self.band_sid: str | None = None
        self._gap_values = None
        self.overlay_b = False  # View > Overlay B on A

        self.readout = QLabel("Move the mouse over the charts to read every series "
                              "at that date", self)
        self.readout.setToolTip("Values of every visible series at the crosshair's date")
        self.readout.setWordWrap(True)
        self.readout.setFixedHeight(self.readout.fontMetrics().lineSpacing() * 2 + 4)
        self.follow_box = QCheckBox("Follow windows", self)
        self.follow_box.setChecked(True)
        self.follow_box.setToolTip("Keep the charts' date range on windows A and B; zooming "
                                   "or panning the charts turns this off")
        self.follow_box.toggled.connect(lambda on: on and self._follow())
        # one PlotWidget per row in a splitter: rows hide cleanly and the user can resize them
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(3)
        for row in self.rows.values():
            row.widget.setToolTip("Scroll to zoom, drag to pan; the crosshair shows values")
            self.splitter.addWidget(row.widget)
            row.widget.hide()
        # rows keep a usable height: when they do not fit, the stack scrolls
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.splitter)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top = QHBoxLayout()
        top.addWidget(self.readout, 1)
        top.addWidget(self.follow_box)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.scroll, 1)

        first = self.rows["prices"].plot
        for row in self.rows.values():
            if row.plot is not first:
                row.plot.setXLink(first)
            row.plot.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        self._mouse_proxies = [
            pg.SignalProxy(row.widget.scene().sigMouseMoved, rateLimit=30,
                           slot=lambda ev, r=row: self._on_mouse(r, ev))
            for row in self.rows.values()]
        session.catalogChanged.connect(self.rebuild)
        session.checkedChanged.connect(self.rebuild)
        session.windowsChanged.connect(self._on_windows)
        session.live.updated.connect(self._on_live)
        self.rebuild()

    # -- structure ---------------------------------------------------------------------
    def rebuild(self) -> None:
        s = self.session
        checked = [s.series(i) for i in s.checked if s.series(i) is not None]
        groups: dict[str, list] = {key: [] for key in self.rows}
        for ser in checked:
            groups[KIND_TO_ROW.get(ser.kind, "other")].append(ser)
        for key, members in groups.items():
            if key in ("relative", "gap"):
                continue
            items = []
            for ser in members:
                ok = np.isfinite(ser.values)
                items.append((ser.id, legend_label(ser), to_seconds(ser.dates[ok]),
                              ser.values[ok]))
            self.rows[key].set_curves(items)
            if key != "prices" and members:
                units = [m.unit for m in members if m.unit]
                full = ", ".join(sorted(set(units)))
                self.rows[key].set_axis_title(axis_title(units), full)
        structure = s.live.structure()
        self.gap_pair = structure.gap_pair
        self._set_relative_curves()
        self.rows["gap"].set_curves([("gap", "gap", np.empty(0), np.empty(0))]
                                    if self.gap_pair else [])
        self._gap_values = None
        self.band_sid = groups["positioning"][0].id if groups["positioning"] else None
        self._relayout()
        self._on_windows()
        self._redraw()

    def _set_relative_curves(self) -> None:
        self.relative_lines = self.session.live.structure().relative
        self._relative_x = {line.cid: to_seconds(line.dates) for line in self.relative_lines}
        self._relative_extremes = None
        self.rows["relative"].set_curves([(line.cid, line.label, self._relative_x[line.cid],
                                           line.values) for line in self.relative_lines])

    def set_fit_rows(self, fit: bool) -> None:
        """True: the rows share the panel's height however small, no scroll bar (files:
        a PNG/SVG of the panel shows every row). False (the window): rows keep a usable
        minimum height and the stack scrolls."""
        self.fit_rows = fit
        for row in self.rows.values():
            row.widget.setMinimumHeight(FIT_ROW_HEIGHT if fit else MIN_ROW_HEIGHT)
        self.scroll.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if fit else Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        # drawn for a file, never on screen (gui.chart_export): fit every row
        if self.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen) and not self.fit_rows:
            self.set_fit_rows(True)
        super().showEvent(event)

    def rows_with_data(self) -> list[str]:
        return [k for k in self.rows if self.rows[k].curves]

    def set_row_hidden(self, key: str, hidden: bool) -> None:
        """The user's choice (View > Charts); a hidden row stays hidden when data comes."""
        if key not in self.rows or (key in self.hidden_rows) == hidden:
            return
        (self.hidden_rows.add if hidden else self.hidden_rows.discard)(key)
        self._relayout()
        self._on_windows()
        self._redraw()

    def _relayout(self) -> None:
        visible = [k for k in self.rows_with_data() if k not in self.hidden_rows]
        if visible == self.visible_rows:
            return
        sizes = []
        for key, row in self.rows.items():
            shown = key in visible
            row.widget.setVisible(shown)
            row.plot.showAxis("bottom", shown and key == visible[-1])
            sizes.append(100 * ROW_WEIGHT.get(key, 1) if shown else 0)
        self.splitter.setSizes(sizes)
        self.visible_rows = visible
        self.rowsChanged.emit()

    # -- windows / results -------------------------------------------------------------
    def _on_windows(self, _origin: object = None) -> None:
        a, b = self.session.window_a, self.session.window_b
        if a is None:
            return
        ra = tuple(day_to_seconds(d) for d in core_api.bounds(a))
        rb = tuple(day_to_seconds(d) for d in core_api.bounds(b)) if b is not None else None
        for key in self.visible_rows:
            self.rows[key].set_windows(ra, rb)

    def _follow(self) -> None:
        a, b = self.session.window_a, self.session.window_b
        if a is None or not self.visible_rows:
            return
        ends = [*core_api.bounds(a), *(core_api.bounds(b) if b is not None else ())]
        lo, hi = day_to_seconds(min(ends)), day_to_seconds(max(ends))
        pad = max((hi - lo) * 0.03, 86400.0 * 3)
        self.rows[self.visible_rows[0]].plot.setXRange(lo - pad, hi + pad, padding=0)

    def _on_manual_range(self, *_args) -> None:
        self.follow_box.blockSignals(True)
        self.follow_box.setChecked(False)
        self.follow_box.blockSignals(False)

    def _redraw(self) -> None:
        """Draw the latest results whole (after the rows or their curves changed)."""
        latest = self.session.live.latest
        self._on_live(replace(latest, changed=latest.changed | {COMPARISON, GAP, RELATIVE}))

    def _on_live(self, r: LiveResults) -> None:
        if r.has(RELEASE):
            for row in self.rows.values():
                row.release_y()
            if self.follow_box.isChecked():
                self._follow()
        if r.comparison is None or not r.changed & {COMPARISON, GAP, RELATIVE}:
            return
        if self.session.live.structure().relative is not self.relative_lines:
            self._set_relative_curves()  # alignment changed: new lines, same rows
        shown = set(self.visible_rows)
        if r.dragging:
            # auto-range off before anything moves: a rescaled curve would otherwise
            # schedule an auto-range, and with it a second paint
            for key in shown:
                self.rows[key].freeze_y()
        elif self.follow_box.isChecked():
            # re-ranging every chart per drag step repaints every axis: follow when settled
            self._follow()
        prices = self.rows["prices"]
        for sid in prices.curves:
            if sid in r.price_scale:
                prices.set_scale(sid, r.price_scale[sid])
        if r.dragging and "prices" in shown:
            prices.hold_y(*self._visible_y_range(prices))
        elif not prices.y_held:
            prices.refit()
        rel = self.rows["relative"]
        if self.relative_lines:
            for cid, factor in r.relative_scale.items():
                curve = rel.curves.get(cid)
                if curve is not None:
                    curve.setVisible(math.isfinite(factor))  # no join date in A: no line
                rel.set_scale(cid, factor)
            if r.dragging and "relative" in shown:
                rel.hold_y(*self._relative_y_range(rel))
            elif not rel.y_held:
                rel.refit()
        if self.band_sid is not None:
            table_a = r.comparison.a
            self.rows["positioning"].set_band(table_a.number(self.band_sid, "lookback_mean"),
                                              table_a.number(self.band_sid, "lookback_std"))
        if self.gap_pair is not None and r.gap is not None:
            self._draw_gap(r.gap)
        if self.overlay_b:
            self._shift_overlays(r)

    # -- B overlaid on A -------------------------------------------------------------
    def set_overlay_b(self, on: bool) -> None:
        """Draw B's curves shifted onto A's dates (dashed), prices and relative lines
        rebased at B's start: this year's rally against last year's, curve on curve."""
        self.overlay_b = on
        for key, row in self.rows.items():
            row.set_overlay(on and key != "gap")
        self._redraw()

    def _shift_overlays(self, r: LiveResults) -> None:
        a, b = r.window_a, r.window_b
        if a is None or b is None:
            return
        dx = day_to_seconds(a.start) - day_to_seconds(b.start)
        scales = {"prices": r.price_scale_b, "relative": r.relative_scale_b}
        for key in self.visible_rows:
            if key != "gap":
                self.rows[key].set_overlay_shift(dx, scales.get(key, {}))

    # -- y-ranges while dragging (from the live service's extremes, no data scan) --------
    def _relative_y_range(self, row: ChartRow) -> tuple[float, float]:
        x0, x1 = row.visible_x()
        if self._relative_extremes is None or self._relative_extremes[0] != (x0, x1):
            extremes = {}
            for line in self.relative_lines:
                x = self._relative_x[line.cid]
                i, j = np.searchsorted(x, (x0, x1))
                extremes[line.cid] = (float(line.values[i:j].min()),
                                      float(line.values[i:j].max())) if j > i \
                    else (math.nan, math.nan)
            self._relative_extremes = ((x0, x1), extremes)
        return _scaled_range(row, self._relative_extremes[1])

    def _visible_y_range(self, row: ChartRow) -> tuple[float, float]:
        """Lowest and highest rebased value over the visible dates: each series' min/max
        over the visible span (the live service's, once per span) times its factor."""
        x0, x1 = row.visible_x()
        extremes = self.session.live.visible_extremes(
            tuple(row.curves), seconds_to_day(x0), seconds_to_day(x1))
        return _scaled_range(row, extremes)

    def _draw_gap(self, g) -> None:
        row = self.rows["gap"]
        if g.values is not self._gap_values:  # the whole series changes with the lookback only
            self._gap_values = g.values
            row.update_curve("gap", to_seconds(np.asarray(g.dates)),
                             np.asarray(g.values, dtype=np.float64))
        end = g.gap if g.gap is not None else math.nan
        row.set_marker(day_to_seconds(g.date) if g.date is not None else None, end)
        note = ""
        if np.isfinite(end):
            extra = ", a record" if g.is_record else (
                f", percentile {g.percentile:.0f}" if g.percentile is not None else "")
            note = f"{end:+.2f}\u03c3 on {g.date}{extra}"
        row.set_note(note)

    # -- crosshair ---------------------------------------------------------------------
    def _on_mouse(self, row: ChartRow, event) -> None:
        pos = event[0]
        vb = row.plot.getViewBox()
        if vb.sceneBoundingRect().contains(pos):
            self.show_crosshair(vb.mapSceneToView(pos).x())

    def show_crosshair(self, x: float) -> None:
        parts = [f"<b>{seconds_to_day(x)}</b>"]
        if self.overlay_b and self.visible_rows:
            shift = self.rows[self.visible_rows[0]].overlay_shift
            parts[0] += f" (B: <b>{seconds_to_day(x - shift)}</b>)"
        for key in self.visible_rows:
            row = self.rows[key]
            row.vline.setPos(x)
            row.vline.show()
            for label, colour, v in row.readout(x):
                parts.append(f"<span style='color:{colour}'>{label}</span> {format_value(v)}")
        self.readout.setText(" &nbsp; ".join(parts))


def _scaled_range(row: ChartRow, extremes: dict[str, tuple[float, float]]
                  ) -> tuple[float, float]:
    """Lowest and highest y on screen of a row's shown curves, from each curve's
    (min, max) over the visible dates times its scale."""
    lo, hi = math.inf, -math.inf
    for cid, curve in row.curves.items():
        mn, mx = extremes.get(cid, (math.nan, math.nan))
        k = curve.transform().m22()
        if curve.isVisible() and math.isfinite(mn) and math.isfinite(mx):
            lo, hi = min(lo, mn * k, mx * k), max(hi, mn * k, mx * k)
    return (lo, hi) if lo <= hi else (math.nan, math.nan)
