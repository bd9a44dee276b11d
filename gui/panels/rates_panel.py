"""Rate-cut odds per upcoming FOMC meeting, as priced at A's end and at B's end, as
side-by-side bars. The blocks (core.rates report blocks) come from ``session.live``,
which prices them when a drag rests and on release; this panel only draws them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from core.rates.odds_over_time import P_CUT_BY, meetings_with_odds, odds_over_time
from gui.figure_format import format_date

from gui.live_results import RATES, LiveResults

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
from gui.session import Session
from gui.theme import COLOR_A, COLOR_B
from gui.widgets.fedwatch_matrix import FedWatchMatrixView
from gui.widgets.implied_path import ImpliedPathPlot

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
MATRIX_TAB, BARS_TAB, PATH_TAB = range(3)


class RatesPanel(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.reason = ""
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
        self.show_label = QLabel("Show:", self)
        bar.addWidget(self.show_label)
        bar.addWidget(self.metric_combo, 1)
        bars = QWidget(self)
        bars_lay = QVBoxLayout(bars)
        bars_lay.setContentsMargins(0, 0, 0, 0)
        bars_lay.addLayout(bar)
        bars_lay.addWidget(self.plot, 1)
        self.matrix_view = FedWatchMatrixView(self)
        self.path_plot = ImpliedPathPlot(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.matrix_view, "Matrix")
        self.tabs.addTab(bars, "By meeting")
        self.tabs.addTab(self.path_plot, "Path")
        self.tabs.setTabToolTip(0, "Probability of each target range after each meeting "
                                   "(CME FedWatch's table), at A's end")
        self.tabs.setTabToolTip(1, "One measure per meeting, at A's end and B's end")
        self.tabs.setTabToolTip(2, "Expected target rate after each meeting, A and B")
        self.meeting_combo = QComboBox(self)
        self.meeting_combo.setToolTip("Meetings whose cut odds the Rate-cut odds chart row "
                                      "shows across the whole history")
        self.meeting_combo.activated.connect(self._on_meeting_picked)
        over_time = QHBoxLayout()
        self.over_time_label = QLabel("Odds over time:", self)
        over_time.addWidget(self.over_time_label)
        over_time.addWidget(self.meeting_combo, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.info)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(over_time)
        session.live.updated.connect(self._on_live)
        session.catalogChanged.connect(self._fill_meetings)
        session.checkedChanged.connect(self._fill_meetings)
        self._fill_meetings()
        self._on_live(session.live.latest)

    # -- odds over time: which meetings the chart row shows ---------------------------
    def _fill_meetings(self) -> None:
        """"Next two meetings" and each meeting with odds; the current choice is what
        is checked among the cut-odds series."""
        meetings = meetings_with_odds(self.session.catalog)
        checked = [sid for sid in self.session.checked if sid.startswith(P_CUT_BY)]
        self.meeting_combo.blockSignals(True)
        self.meeting_combo.clear()
        self.meeting_combo.addItem("Next two meetings after the data", None)
        for m in meetings:
            self.meeting_combo.addItem(f"{format_date(m)} meeting", f"{P_CUT_BY}{m}")
        if len(checked) == 1:
            self.meeting_combo.setCurrentIndex(max(self.meeting_combo.findData(checked[0]), 0))
        self.meeting_combo.blockSignals(False)
        for w in (self.meeting_combo, self.over_time_label):
            w.setVisible(bool(meetings))

    def _on_meeting_picked(self, index: int) -> None:
        sid = self.meeting_combo.itemData(index)
        others = [s for s in self.session.checked if not s.startswith(P_CUT_BY)]
        if sid is None:
            span = self.session.data_span()
            rows, _ = odds_over_time(self.session.catalog, span[1] if span else "1970-01-01")
            picked = [r.p_cut_by for r in rows if r.p_cut_by]
        else:
            picked = [sid]
        self.session.set_checked(others + picked)

    def meetings_that_fit(self) -> int:
        """How many meetings the plot's height shows readably (at least one)."""
        height = self.plot.getPlotItem().getViewBox().height()
        return max(1, min(MAX_MEETINGS, int(height // MIN_MEETING_PX)))

    def _on_plot_resized(self) -> None:
        fit = self.meetings_that_fit()
        if fit != self.shown_meetings:
            self.shown_meetings = fit
            self._draw()

    def _on_live(self, r: LiveResults) -> None:
        if r.has(RATES):
            self.blocks = dict(r.rate_blocks)
            self.reason = r.rates_reason
            self.matrix_view.set_data(*r.rate_matrices)
            self.path_plot.set_data(*r.rate_matrices)
            self._draw()

    def flush(self) -> None:
        """Price now if the bars wait for a drag to rest (screenshots, tests)."""
        self.session.live.flush()

    def _draw(self) -> None:
        key = self.metric_combo.currentData()
        scale = dict((k, s) for k, _, s in METRICS)[key]
        block_a, block_b = self.blocks["A"], self.blocks["B"]
        if not block_a or not block_a.get("meetings"):
            self.bars_a.setOpts(x0=[], y=[], width=[])
            self.bars_b.setOpts(x0=[], y=[], width=[])
            self.plot.getAxis("left").setTicks([[]])
            self.plot.hide()
            self.info.setText(self.reason)
            self._compact(True)
            return
        self.plot.show()
        self._compact(False)
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
        # meetings the futures do not reach, or missing from the calendar, are named
        notes = [m.get("text", "") for m in block_a.get("messages") or []
                 if m.get("level") in ("info", "warning") and "meeting" in m.get("text", "")]
        self.info.setToolTip("\n".join(notes) if notes else "")
        if notes:  # one short mark: the panel's height goes to the matrix
            self.info.setText(self.info.text() + f" <small>({len(notes)} note"
                              f"{'s' if len(notes) > 1 else ''}: hover)</small>")

    def _compact(self, on: bool) -> None:
        """Without odds the panel is its message, a few lines high: the dock beside it
        (the desk note) gets the column, not a third of it spent on "no futures"."""
        self.tabs.setVisible(not on)
        self.compact = on
        self._fit_compact()

    def _fit_compact(self) -> None:
        """As high as the message wraps at the panel's width (it rewraps on resize)."""
        if not getattr(self, "compact", False):
            self.setMaximumHeight(QWIDGETSIZE_MAX)
            return
        width = max(self.width() - 8, 120)
        self.setMaximumHeight(self.info.heightForWidth(width) + 12)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if getattr(self, "compact", False) and event.size().width() != event.oldSize().width():
            self._fit_compact()


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def _range_text(rng) -> str:
    if isinstance(rng, (list, tuple)) and len(rng) == 2:
        return f"{float(rng[0]):.2f}\u2013{float(rng[1]):.2f}%"
    return str(rng) if rng is not None else "unknown"
