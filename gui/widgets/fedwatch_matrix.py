"""The FedWatch matrix as a table: a row per meeting, a column per 25 bp target range,
the probability of each range after each meeting as a heat map, today's range marked.

Shows a core ``FedWatchMatrix`` (window A's end) and optionally an earlier one (B's end)
in one of three modes: A alone, A with B in brackets, or A - B in percentage points
(diverging colours). Summary columns on the right: expected target and the cumulative
odds of a range below / above today's. Ctrl+C copies the selection (or everything) as
tab-separated numbers with a header row, which pastes into Excel as a table; with B
shown in brackets, A's table and then B's are copied, each as numbers.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.rates.fedwatch_matrix import FedWatchMatrix, compare_matrices

MODE_A, MODE_BOTH, MODE_DIFF = "A", "A (B)", "A - B"
MODES = ((MODE_A, "A's end"), (MODE_BOTH, "A's end (B's end)"), (MODE_DIFF, "A - B, pp"))
SUMMARY = ("Expected %", "P(below now) %", "P(above now) %")
HEAT = QColor(31, 119, 180)  # window A's blue: more probability, deeper colour
UP, DOWN = QColor(31, 119, 180), QColor(214, 39, 40)  # A - B: gained / lost probability
CURRENT = QColor(230, 126, 34)  # today's range header: marked apart from the heat colours
DIFF_FULL_SCALE = 0.5  # a 50 pp change gets the full colour


class FedWatchMatrixModel(QAbstractTableModel):
    """Rows: meetings; columns: ranges then the summary columns."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.a: FedWatchMatrix | None = None
        self.b: FedWatchMatrix | None = None  # on A's grid (compare_matrices)
        self.mode = MODE_A

    # -- data in -------------------------------------------------------------------
    def set_data(self, a: FedWatchMatrix | None, b: FedWatchMatrix | None = None) -> None:
        self.beginResetModel()
        if a is not None and b is not None:
            both = compare_matrices(a, b)
            self.a, self.b = both.a, both.b
        else:
            self.a, self.b = a, None
        if self.b is None and self.mode != MODE_A:
            self.mode = MODE_A
        self.endResetModel()

    def set_mode(self, mode: str) -> None:
        self.beginResetModel()
        self.mode = mode if self.b is not None else MODE_A
        self.endResetModel()

    # -- shape ---------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() or self.a is None else len(self.a.meetings)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() or self.a is None:
            return 0
        return len(self.a.lower_bounds) + len(SUMMARY)

    @property
    def ranges_shown(self) -> int:
        return 0 if self.a is None else len(self.a.lower_bounds)

    # -- values --------------------------------------------------------------------
    def value(self, which: str, row: int, col: int) -> float:
        """The number of one cell of matrix ``which`` ("A" or "B") in the column's unit:
        percent for probabilities and summary odds, percent for the expected target."""
        m = self.a if which == "A" else self.b
        if m is None:
            return float("nan")
        n = len(m.lower_bounds)
        if col < n:
            return 100.0 * float(m.probabilities[row, col])
        summary = (m.expected_rates, m.p_lower_than_now, m.p_higher_than_now)[col - n]
        value = float(summary[row]) if len(summary) else float("nan")
        return value if col == n else 100.0 * value

    def cell_number(self, row: int, col: int) -> float:
        """What the cell shows as one number: A, or A - B in the difference mode
        (percentage points; the expected target in bp)."""
        a = self.value("A", row, col)
        if self.mode != MODE_DIFF:
            return a
        diff = a - self.value("B", row, col)
        return 100.0 * diff if col == self.ranges_shown else diff

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.a is None:
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._colour(row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self._colour(row, col)
            if colour is not None:
                return QColor("#ffffff") if colour.lightnessF() < 0.5 else QColor("#111111")
            return None
        if role == Qt.ItemDataRole.FontRole and col == self.a.current_column:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if self.a is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(self.a.meetings[section])
            return None
        is_current = section == self.a.current_column
        if role == Qt.ItemDataRole.DisplayRole:
            if section >= self.ranges_shown:
                return self.column_title(section).replace(" ", "\n", 1)  # narrow too
            lo, hi = self.a.ranges[section]  # two lines: narrow columns fit a dock
            return f"{lo:.2f}-\n{hi:.2f}" + ("\nnow" if is_current else "")
        if role == Qt.ItemDataRole.FontRole and is_current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and is_current:
            return _tint(CURRENT, 0.35)
        if role == Qt.ItemDataRole.ToolTipRole:
            if is_current:
                return "Today's target range (at A's end)"
            if section < self.ranges_shown:
                return f"Target range {self.column_title(section)} %"
        return None

    def column_title(self, col: int) -> str:
        if col < self.ranges_shown:
            return self.a.range_labels[col]
        title = SUMMARY[col - self.ranges_shown]
        if self.mode == MODE_DIFF and col == self.ranges_shown:
            return "Expected, bp"
        return title

    def _text(self, row: int, col: int) -> str:
        a = self.value("A", row, col)
        if not np.isfinite(a):
            return ""
        is_range = col < self.ranges_shown
        if self.mode == MODE_A:
            return "" if is_range and a == 0 else _fmt(a, col, self.ranges_shown)
        b = self.value("B", row, col)
        if is_range and a == 0 and (b == 0 or not np.isfinite(b)):
            return ""  # nothing in this range at either date: keep the heat map readable
        if self.mode == MODE_BOTH:
            b_text = _fmt(b, col, self.ranges_shown) if np.isfinite(b) else "n/a"
            return f"{_fmt(a, col, self.ranges_shown)} ({b_text})"
        if not np.isfinite(b):
            return "n/a"
        d = self.cell_number(row, col)
        if col == self.ranges_shown:
            return f"{d:+.0f}"
        return "0.0" if abs(d) < 0.05 else f"{d:+.1f}"

    def _colour(self, row: int, col: int) -> QColor | None:
        if col >= self.ranges_shown:
            return None
        if self.mode == MODE_DIFF:
            d = self.cell_number(row, col) / 100.0
            if not np.isfinite(d) or abs(d) < 0.0005:
                return None
            return _tint(UP if d > 0 else DOWN, min(1.0, abs(d) / DIFF_FULL_SCALE))
        p = self.value("A", row, col) / 100.0
        return _tint(HEAT, p) if np.isfinite(p) and p > 0 else None

    def _tooltip(self, row: int, col: int) -> str:
        meeting = self.a.meetings[row]
        what = self.column_title(col)
        a = self.value("A", row, col)
        lines = [f"{meeting} meeting, {what}", f"A ({self.a.asof}): {a:.1f}"]
        if self.b is not None:
            b = self.value("B", row, col)
            lines.append(f"B ({self.b.asof}): " + (f"{b:.1f}" if np.isfinite(b) else "not priced"))
        return "\n".join(lines)

    # -- copy ----------------------------------------------------------------------
    def table_rows(self, rows: list[int] | None = None, cols: list[int] | None = None
                   ) -> list[list[str]]:
        """Header + body as plain numbers for a spreadsheet; A then B in the "A (B)" mode."""
        if self.a is None:
            return []
        rows = list(range(self.rowCount())) if rows is None else rows
        cols = list(range(self.columnCount())) if cols is None else cols
        if self.mode == MODE_BOTH:
            return [*self._block("A", rows, cols), [], *self._block("B", rows, cols)]
        return self._block("A - B" if self.mode == MODE_DIFF else "A", rows, cols)

    def _block(self, which: str, rows: list[int], cols: list[int]) -> list[list[str]]:
        m = self.b if which == "B" else self.a
        label = {"A": f"Meeting (A, {m.asof})", "B": f"Meeting (B, {m.asof})",
                 "A - B": f"Meeting (A {self.a.asof} - B {self.b.asof}, pp)"}[which]
        out = [[label, *(self.column_title(c) for c in cols)]]
        for r in rows:
            cells = []
            for c in cols:
                v = self.cell_number(r, c) if which == "A - B" else self.value(which, r, c)
                cells.append("" if not np.isfinite(v) else f"{v:.4f}".rstrip("0").rstrip("."))
            out.append([str(self.a.meetings[r]), *cells])
        return out


class FedWatchMatrixView(QWidget):
    """The mode picker, a caption and the table; ``set_data(a, b)`` with core matrices."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = FedWatchMatrixModel(self)
        self.caption = QLabel(self)
        # one line (the full text in its tooltip): at 1280x720 a wrapped caption took
        # the rows the matrix needs
        self.caption.setWordWrap(False)
        self.caption.setMinimumWidth(1)
        self.mode_combo = QComboBox(self)
        for key, label in MODES:
            self.mode_combo.addItem(label, key)
        self.mode_combo.setToolTip("A alone, A with B in brackets, or the change A - B")
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.table = _CopyingTable(self.copy, self)
        self.table.setModel(self.model)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setToolTip("Ctrl+C copies the selection (or all) as a table for Excel")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:", self))
        bar.addWidget(self.mode_combo, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.caption)
        lay.addWidget(self.table, 1)
        self.set_data(None)

    def set_data(self, a: FedWatchMatrix | None, b: FedWatchMatrix | None = None) -> None:
        """Show matrix ``a`` (A's end) and, when given, ``b`` (B's end or an earlier date)."""
        self.model.set_data(a if a is not None and len(a.meetings) else None, b)
        has_b = self.model.b is not None
        for i in (1, 2):
            self.mode_combo.model().item(i).setEnabled(has_b)
        if not has_b and self.mode_combo.currentIndex() != 0:
            self.mode_combo.setCurrentIndex(0)
        else:
            self.model.set_mode(self.mode_combo.currentData())
        self._caption()
        self.table.resizeColumnsToContents()
        self._show_current()

    def _show_current(self) -> None:
        """Scroll today's range into view: the odds of moving from it are the point."""
        col = self.model.a.current_column if self.model.a is not None else None
        if col is not None:
            self.table.scrollTo(self.model.index(0, col))

    def copy(self) -> str:
        """Copy the selection (all cells when none) as TSV + HTML; returns the TSV."""
        from gui.clipboard import rows_to_mime

        sel = self.table.selectionModel().selectedIndexes()
        rows = sorted({i.row() for i in sel}) if sel else None
        cols = sorted({i.column() for i in sel}) if sel else None
        table = self.model.table_rows(rows, cols)
        if not table:
            return ""
        mime = rows_to_mime(table)
        QApplication.clipboard().setMimeData(mime)
        return mime.text()

    def _mode_changed(self) -> None:
        self.model.set_mode(self.mode_combo.currentData())
        self._caption()
        self.table.resizeColumnsToContents()
        self._show_current()

    def _caption(self) -> None:
        a, b = self.model.a, self.model.b
        if a is None:
            self.caption.setText("No meeting priced at A's end: the target-range matrix needs "
                                 "fed funds futures that price the next meeting.")
            return
        now = (f"today's range {a.current_range[0]:.2f}-{a.current_range[1]:.2f}% (bold)"
               if a.current_range else "today's range unknown")
        text = (f"Probability of each target range after each meeting, %, at A's end "
                f"{a.asof}; {now}.")
        if b is not None and self.model.mode == MODE_BOTH:
            text += f" In brackets: at B's end {b.asof}."
        elif b is not None and self.model.mode == MODE_DIFF:
            text += f" Change since B's end {b.asof}, percentage points."
        self.caption.setText(text)
        self.caption.setToolTip(text)


class _CopyingTable(QTableView):
    """A table whose Ctrl+C (the platform's Copy key) copies through ``on_copy``: the
    model's numbers, not QTableView's default of one cell's text."""

    def __init__(self, on_copy, parent=None) -> None:
        super().__init__(parent)
        self._on_copy = on_copy

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Copy):
            self._on_copy()
            event.accept()
            return
        super().keyPressEvent(event)


def _fmt(value: float, col: int, ranges: int) -> str:
    if col == ranges:
        return f"{value:.2f}"  # expected target, percent
    if value == 0:
        return "0"
    return "<0.1" if value < 0.05 else f"{value:.1f}"


def _tint(colour: QColor, strength: float) -> QColor:
    """``colour`` over the table's base colour, ``strength`` 0..1 (light or dark theme)."""
    base = QApplication.palette().base().color()
    t = 0.08 + 0.85 * max(0.0, min(1.0, strength))
    return QColor(round(base.red() + (colour.red() - base.red()) * t),
                  round(base.green() + (colour.green() - base.green()) * t),
                  round(base.blue() + (colour.blue() - base.blue()) * t))
