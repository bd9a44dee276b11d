"""Charts: stacked plots sharing one date axis, windows A and B shaded, crosshair readout.

Rows: prices rebased to 100 at A's start (base = the engine's start_value), relative
lines (engine.relative), positioning with the lookback band (lookback_mean/std figures),
short interest, the positioning gap (engine.gap) and rate-cut odds. Each row shows the
checked series of its kind; rows with nothing to show are left out.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from gui import core_api
from gui.dates import day_to_seconds, seconds_to_day, to_seconds
from gui.formatting import format_value
from gui.panels.chart_row import ChartRow
from gui.session import Session

ROWS = (
    ("prices", "Prices (100 = A's start)", "A start = 100"),
    ("relative", "Relative (100 = A's start)", "A start = 100"),
    ("positioning", "Positioning (band: lookback mean \u00b11\u03c3/\u00b12\u03c3)", ""),
    ("short_interest", "Short interest", ""),
    ("gap", "Positioning gap: z(tech) \u2212 z(small caps)", "\u03c3"),
    ("odds", "Rate-cut odds", "%"),
    ("other", "Other series", ""),
)
KIND_TO_ROW = {"price": "prices", "positioning": "positioning",
               "short_interest": "short_interest", "probability": "odds"}


def fig_value(table, sid: str, fig: str) -> float:
    if table is None:
        return math.nan
    try:
        v = table.value(sid, fig)
    except (KeyError, ValueError, IndexError):
        return math.nan
    return math.nan if v is None else float(v)


class ChartsPanel(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: dict[str, ChartRow] = {key: ChartRow(key, t, u) for key, t, u in ROWS}
        self.visible_rows: list[str] = []
        self.pairs: list[tuple[str, str]] = []
        self.gap_pair: tuple[str, str] | None = None
        self.band_sid: str | None = None
        self._gap_values = None

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
        top = QHBoxLayout()
        top.addWidget(self.readout, 1)
        top.addWidget(self.follow_box)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.splitter, 1)

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
        session.resultsReady.connect(self._on_results)
        session.dragFinished.connect(self._on_drag_finished)
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
                ok = ~np.isnan(ser.values)
                items.append((ser.id, ser.name, to_seconds(ser.dates[ok]), ser.values[ok]))
            self.rows[key].set_curves(items)
            if key not in ("prices",) and members:
                units = sorted({m.unit for m in members if m.unit})
                self.rows[key].plot.setLabel("left", ", ".join(units)[:24])
        self.pairs, self.gap_pair = [], None
        if s.engine is not None:
            try:
                self.pairs, _ = core_api.choose_pairs(groups["prices"])
                _, self.gap_pair = core_api.choose_pairs(list(s.catalog))
            except ImportError:
                pass
        names = {x.id: x.name for x in s.catalog}
        self.rows["relative"].set_curves([(f"{a}/{b}", f"{names.get(a, a)} / {names.get(b, b)}",
                                           np.empty(0), np.empty(0)) for a, b in self.pairs])
        self.rows["gap"].set_curves([("gap", "gap", np.empty(0), np.empty(0))]
                                    if self.gap_pair else [])
        self._gap_values = None
        self.band_sid = groups["positioning"][0].id if groups["positioning"] else None
        self._relayout()
        self._on_windows()
        self._on_results()

    def _relayout(self) -> None:
        visible = [k for k in self.rows if self.rows[k].curves]
        if visible == self.visible_rows:
            return
        sizes = []
        for key, row in self.rows.items():
            shown = key in visible
            row.widget.setVisible(shown)
            row.plot.showAxis("bottom", shown and key == visible[-1])
            # the prices row carries the most information: give it double height
            sizes.append((200 if key == "prices" else 100) if shown else 0)
        self.splitter.setSizes(sizes)
        self.visible_rows = visible

    # -- windows / results -------------------------------------------------------------
    def _on_windows(self) -> None:
        a, b = self.session.window_a, self.session.window_b
        if a is None:
            return
        ra = tuple(day_to_seconds(d) for d in core_api.bounds(a))
        rb = tuple(day_to_seconds(d) for d in core_api.bounds(b)) if b is not None else None
        for key in self.visible_rows:
            self.rows[key].set_windows(ra, rb)
        # re-ranging every chart per drag step repaints every axis: follow on release
        if self.follow_box.isChecked() and not self.session.dragging:
            self._follow()

    def _on_drag_finished(self) -> None:
        if self.follow_box.isChecked():
            self._follow()

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

    def _on_results(self) -> None:
        s = self.session
        comp = s.comparison
        if comp is None or s.engine is None:
            return
        table_a = comp.a
        prices = self.rows["prices"]
        for sid in prices.curves:
            base = fig_value(table_a, sid, "start_value")
            prices.set_scale(sid, 100.0 / base if base else math.nan)
        prices.refit()
        rel = self.rows["relative"]
        for a_id, b_id in self.pairs:
            r = s.engine.relative(a_id, b_id, s.window_a)
            rel.update_curve(f"{a_id}/{b_id}", to_seconds(np.asarray(r.dates)),
                             np.asarray(r.line, dtype=np.float64))
        if self.band_sid is not None:
            self.rows["positioning"].set_band(fig_value(table_a, self.band_sid, "lookback_mean"),
                                              fig_value(table_a, self.band_sid, "lookback_std"))
        if self.gap_pair is not None:
            self._update_gap()

    def _update_gap(self) -> None:
        s = self.session
        g = s.engine.gap(self.gap_pair[0], self.gap_pair[1], s.window_a)
        row = self.rows["gap"]
        if g.values is not self._gap_values:  # the whole series changes with the lookback only
            self._gap_values = g.values
            row.update_curve("gap", to_seconds(np.asarray(g.dates)),
                             np.asarray(g.values, dtype=np.float64))
        end = g.gap if g.gap is not None else math.nan
        row.set_marker(day_to_seconds(g.date) if g.date is not None else None, end)
        title = "Positioning gap z(tech) \u2212 z(small caps)"
        if np.isfinite(end):
            extra = ", a record" if g.is_record else (
                f", percentile {g.percentile:.0f}" if g.percentile is not None else "")
            title += f" = {end:+.2f}\u03c3 on {g.date}{extra}"
        if title != row.title:
            row.set_title(title)

    # -- crosshair ---------------------------------------------------------------------
    def _on_mouse(self, row: ChartRow, event) -> None:
        pos = event[0]
        vb = row.plot.getViewBox()
        if vb.sceneBoundingRect().contains(pos):
            self.show_crosshair(vb.mapSceneToView(pos).x())

    def show_crosshair(self, x: float) -> None:
        parts = [f"<b>{seconds_to_day(x)}</b>"]
        for key in self.visible_rows:
            row = self.rows[key]
            row.vline.setPos(x)
            row.vline.show()
            for label, colour, v in row.readout(x):
                parts.append(f"<span style='color:{colour}'>{label}</span> {format_value(v)}")
        self.readout.setText(" &nbsp; ".join(parts))
