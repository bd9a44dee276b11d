"""Rate-cut odds per upcoming FOMC meeting, as priced at A's end and at B's end
(core.rates.report_block), as side-by-side bars."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui import core_api
from gui.figure_format import format_date
from gui.session import Session
from gui.theme import COLOR_A, COLOR_B

METRICS = (
    ("p_lower_than_now", "P(target below today's) %", 100.0),
    ("p_cut", "P(cut at the meeting) %", 100.0),
    ("p_hike", "P(hike at the meeting) %", 100.0),
    ("expected_change_bp", "Expected change, bp", 1.0),
)
MAX_MEETINGS = 8
# a meeting's two bars and its date label need this much height: below it the date
# labels touch and the bars are slivers, so a short panel shows the next meetings that
# fit (and says how many of how many)
MIN_MEETING_PX = 20
REST_MS = 150  # a drag that pauses this long gets its bars


class RatesPanel(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self._dates: tuple = (None, None)
        self.blocks: dict[str, dict | None] = {"A": None, "B": None}
        self.metric_combo = QComboBox(self)
        for key, label, _ in METRICS:
            self.metric_combo.addItem(label, key)
        self.metric_combo.setToolTip("What the bars show for each meeting")
        self.metric_combo.currentIndexChanged.connect(self._draw)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setToolTip("Blue: priced at window A's end; orange: at window B's end")
        # horizontal bars: meeting dates read on the left axis without overlapping
        self.bars_a = pg.BarGraphItem(x0=[], y=[], width=[], height=0.38, brush=COLOR_A)
        self.bars_b = pg.BarGraphItem(x0=[], y=[], width=[], height=0.38, brush=COLOR_B)
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=0.2)
        self.plot.addItem(self.bars_b)
        self.plot.addItem(self.bars_a)
        self.shown_meetings = MAX_MEETINGS
        self.plot.getPlotItem().getViewBox().sigResized.connect(self._on_plot_resized)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:", self))
        bar.addWidget(self.metric_combo, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.info)
        lay.addWidget(self.plot, 1)
        # odds re-price the whole futures curve (~15-35 ms on the sample): during a drag
        # the bars follow when the mouse rests, and on release; otherwise at once
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REST_MS)
        self._timer.timeout.connect(self._compute)
        session.resultsReady.connect(self.refresh)
        session.catalogChanged.connect(self._invalidate)
        session.dragFinished.connect(self.flush)
        self.refresh()

    def meetings_that_fit(self) -> int:
        """How many meetings the plot's height shows readably (at least one)."""
        height = self.plot.getPlotItem().getViewBox().height()
        return max(1, min(MAX_MEETINGS, int(height // MIN_MEETING_PX)))

    def _on_plot_resized(self) -> None:
        fit = self.meetings_that_fit()
        if fit != self.shown_meetings:
            self.shown_meetings = fit
            self._draw()

    def _invalidate(self) -> None:
        self._dates = (None, None)

    def refresh(self) -> None:
        a, b = self.session.window_a, self.session.window_b
        dates = (core_api.bounds(a)[1] if a is not None else None,
                 core_api.bounds(b)[1] if b is not None else None)
        if dates == self._dates:
            return  # bars depend on the window ends only
        self._dates = dates
        if self.session.dragging:
            self._timer.start()  # (re)start: fires once the drag rests for REST_MS
        else:
            self._timer.stop()
            self._compute()

    def flush(self) -> None:
        """Compute now if a refresh is pending (screenshots, tests)."""
        if self._timer.isActive():
            self._timer.stop()
            self._compute()

    def _compute(self) -> None:
        if not self.session.catalog.series_of_file(core_api.DERIVED_RATES_FILE):
            # no odds were derived at load: no futures curve, nothing to price at any date
            self.blocks = {"A": None, "B": None}
            self._draw()
            return
        for which, d in zip(("A", "B"), self._dates, strict=True):
            self.blocks[which] = core_api.rates_block(self.session.catalog, d) \
                if d is not None else None
        self._draw()

    def _draw(self) -> None:
        key = self.metric_combo.currentData()
        scale = dict((k, s) for k, _, s in METRICS)[key]
        block_a, block_b = self.blocks["A"], self.blocks["B"]
        if not block_a or not block_a.get("meetings"):
            self.bars_a.setOpts(x0=[], y=[], width=[])
            self.bars_b.setOpts(x0=[], y=[], width=[])
            self.plot.getAxis("left").setTicks([[]])
            self.plot.hide()
            self.info.setText(self._why_no_odds())
            return
        self.plot.show()
        available = block_a["meetings"][:MAX_MEETINGS]
        meetings = available[:self.shown_meetings]
        names = [str(m["meeting"]) for m in meetings]
        y = np.arange(len(meetings), dtype=float)
        wa = np.nan_to_num(np.array([_num(m.get(key)) * scale for m in meetings]))
        wb = np.zeros_like(wa)
        if block_b and block_b.get("meetings"):
            by_meeting = {str(m["meeting"]): m for m in block_b["meetings"]}
            wb = np.nan_to_num(np.array([_num(by_meeting.get(n, {}).get(key)) * scale
                                         for n in names]))
        self.bars_a.setOpts(x0=np.zeros_like(wa), y=y - 0.2, width=wa)
        self.bars_b.setOpts(x0=np.zeros_like(wb), y=y + 0.2, width=wb)
        self.plot.getAxis("left").setTicks([[(i, n) for i, n in enumerate(names)]])
        self.plot.setYRange(-0.7, len(meetings) - 0.3, padding=0)
        lo, hi = min(0.0, float(np.min(np.r_[wa, wb]))), max(1.0, float(np.max(np.r_[wa, wb])))
        self.plot.setXRange(lo, hi * 1.05, padding=0)
        rng = block_a.get("current_range")
        asof_b = block_b.get("asof") if block_b else None
        shown = f"; next {len(meetings)} of {len(available)} meetings" \
            if len(meetings) < len(available) else ""
        self.info.setText(f"Target range {_range_text(rng)} at A's end ({block_a.get('asof')}). "
                          f"<span style='color:{COLOR_A.name()}'>\u25a0</span> priced at A's end, "
                          f"<span style='color:{COLOR_B.name()}'>\u25a0</span> at B's end "
                          f"({asof_b or 'n/a'}){shown}.")
        self.plot.setToolTip("Blue: priced at window A's end; orange: at window B's end"
                             + (f"\nA taller panel shows all {len(available)} meetings"
                                if shown else ""))


    def _why_no_odds(self) -> str:
        """Say which it is: no futures at all, or A ends outside the dates they price."""
        derived = [s for s in self.session.catalog.series_of_file(core_api.DERIVED_RATES_FILE)
                   if len(s)]
        if not derived:
            futures = {s.source.file for s in self.session.catalog if s.kind == "ff_future"}
            if futures:
                names = ", ".join(sorted(futures)[:3]) + (" \u2026" if len(futures) > 3 else "")
                return (f"No rate-cut odds: the fed funds futures loaded ({names}) price no "
                        "FOMC meeting. Each meeting needs its month's contract and the month "
                        "before or after it (FedWatch method); open those contracts too.")
            return ("No rate-cut odds: no fed funds futures loaded. Open a file of fed funds "
                    "futures prices (ZQ/FF, one column per contract month) to see them.")
        first = min(s.first_date for s in derived)
        last = max(s.last_date for s in derived)
        end = self._dates[0]
        where = f"window A ends {format_date(end)}, outside them" if end is not None \
            else "no window A yet"
        return (f"No rate-cut odds at A's end: the futures price {format_date(first)} to "
                f"{format_date(last)}; {where}. Move A into that span to see them.")


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def _range_text(rng) -> str:
    if isinstance(rng, (list, tuple)) and len(rng) == 2:
        return f"{float(rng[0]):.2f}\u2013{float(rng[1]):.2f}%"
    return str(rng) if rng is not None else "unknown"
