"""Table model over the engine's FigureTables: one row per (series, window) with window
in A, B, A − B; one column per figure. A drag replaces the numbers in place and emits one
``dataChanged`` over the figure block (no model reset, so selection and sort survive).

``cell_look`` gives a cell's text, alignment, italics and background in one call for
the table's delegate; texts are formatted when first painted and kept until the
figures change."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from gui.figure_format import format_figure

RAW_ROLE = Qt.ItemDataRole.UserRole + 1     # the float behind a cell (NaN = null)
WHICH_ROLE = Qt.ItemDataRole.UserRole + 2   # "A", "B" or "A-B"
SID_ROLE = Qt.ItemDataRole.UserRole + 3
WINDOWS = ("A", "B", "A-B")
WINDOW_LABELS = {"A": "A", "B": "B", "A-B": "A \u2212 B"}
FIXED_COLUMNS = ("Series", "Window")

_Index = QModelIndex | QPersistentModelIndex
_CHANGED_ROLES = [Qt.ItemDataRole.DisplayRole, RAW_ROLE]
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_R = Qt.ItemDataRole
# the view asks ~8 roles per visible cell per repaint: answer the rest without work
_HANDLED = frozenset({_R.DisplayRole, _R.ToolTipRole, _R.TextAlignmentRole, _R.FontRole,
                      _R.BackgroundRole, RAW_ROLE, WHICH_ROLE, SID_ROLE})


class StatsTableModel(QAbstractTableModel):
    def __init__(self, specs: list, parent=None) -> None:
        super().__init__(parent)
        self._specs = list(specs)
        self._spec_by_name = {s.name: s for s in self._specs}
        self._figures: list[str] = [s.name for s in self._specs]
        self._n_columns = len(FIXED_COLUMNS) + len(self._figures)
        self._series_ids: list[str] = []
        self._names: dict[str, str] = {}
        self._tables: dict[str, np.ndarray] = {}
        self._rows: list[tuple[int, str]] = []  # (series index, window)
        self._highlight: set[str] = set()
        self._highlight_brush = QBrush(QColor("#fff3b0"))
        self._italic = QFont()
        self._italic.setItalic(True)
        self._italic_of: tuple[QFont, QFont] | None = None
        # per window: (series index, column) -> look; a window whose figures did not
        # change (B while only A is dragged) keeps its formatted texts
        self._looks: dict[str, dict[tuple[int, int], tuple]] = {w: {} for w in WINDOWS}

    # -- feeding --------------------------------------------------------------------
    def set_comparison(self, comparison, names: dict[str, str],
                       rows: list[int] | None = None) -> None:
        """Adopt the engine's Comparison(.a, .b, .diff); reset only if the shape changed.

        Same shape: one ``dataChanged`` over the figure columns of every row, or, with
        ``rows`` (the rows on screen, during a drag), one per run of those rows whose
        window's figures changed: the view repaints only them. Rows left out are read
        fresh when painted; ``announce_all`` tells any other observer afterwards."""
        if comparison is None:
            self._forget_looks()
            self.beginResetModel()
            self._series_ids, self._tables, self._rows = [], {}, []
            self.endResetModel()
            return
        ids = list(comparison.a.series_ids)
        figs = [f for f in comparison.a.figure_names if f in self._spec_by_name] or \
            list(comparison.a.figure_names)
        col_of = {f: i for i, f in enumerate(comparison.a.figure_names)}
        take = np.array([col_of[f] for f in figs], dtype=np.intp)
        a_vals = np.asarray(comparison.a.values, dtype=np.float64)
        tables = {"A": a_vals[:, take], "B": _values(comparison.b, a_vals.shape)[:, take],
                  "A-B": _values(comparison.diff, a_vals.shape)[:, take]}
        if ids == self._series_ids and figs == self._figures and names == self._names:
            changed = set()
            for which, values in tables.items():
                old = self._tables.get(which)
                if old is None or not np.array_equal(old, values, equal_nan=True):
                    self._looks[which].clear()
                    changed.add(which)
            self._tables = tables
            if rows is None:
                self.announce_all()
            else:
                self._announce_rows([r for r in sorted(set(rows))
                                     if 0 <= r < len(self._rows) and self._rows[r][1] in changed])
            return
        self._forget_looks()
        self.beginResetModel()
        self._series_ids, self._figures, self._names = ids, figs, dict(names)
        self._n_columns = len(FIXED_COLUMNS) + len(figs)
        self._tables = tables
        self._rows = [(i, w) for i in range(len(ids)) for w in WINDOWS]
        self.endResetModel()

    def announce_all(self) -> None:
        """One ``dataChanged`` over the figure columns of every row."""
        if self._rows:
            self.dataChanged.emit(self.index(0, len(FIXED_COLUMNS)),
                                  self.index(len(self._rows) - 1, self.columnCount() - 1),
                                  _CHANGED_ROLES)

    def _announce_rows(self, rows: list[int]) -> None:
        last = self.columnCount() - 1
        start = prev = None
        for r in [*rows, None]:
            if r is not None and prev is not None and r == prev + 1:
                prev = r
                continue
            if start is not None:
                self.dataChanged.emit(self.index(start, len(FIXED_COLUMNS)),
                                      self.index(prev, last), _CHANGED_ROLES)
            start = prev = r

    def set_highlight(self, series_ids: set[str], color: str) -> None:
        self._highlight = set(series_ids)
        self._highlight_brush = QBrush(QColor(color))
        self._forget_looks()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole])

    # -- reading --------------------------------------------------------------------
    @property
    def figure_names(self) -> list[str]:
        return list(self._figures)

    def figure_column(self, name: str) -> int:
        return len(FIXED_COLUMNS) + self._figures.index(name)

    def row_of(self, sid: str, which: str) -> int:
        return self._series_ids.index(sid) * len(WINDOWS) + WINDOWS.index(which)

    def raw(self, row: int, col: int) -> float:
        si, which = self._rows[row]
        return float(self._tables[which][si, col - len(FIXED_COLUMNS)])

    def _forget_looks(self) -> None:
        for looks in self._looks.values():
            looks.clear()

    def cell_look(self, row: int, col: int) -> tuple[str, int, bool, QBrush | None]:
        """(text, alignment flags, italic, background or None) of one cell."""
        si, which = self._rows[row]
        looks = self._looks[which]
        look = looks.get((si, col))
        if look is None:
            sid = self._series_ids[si]
            if col < len(FIXED_COLUMNS):
                text = self._names.get(sid, sid) if col == 0 else WINDOW_LABELS[which]
                align = _LEFT
            else:
                spec = self._spec_by_name.get(self._figures[col - len(FIXED_COLUMNS)])
                text = format_figure(self.raw(row, col), spec.fmt if spec else "value",
                                     diff=which == "A-B")
                align = _RIGHT
            look = (text, align, which == "A-B",
                    self._highlight_brush if sid in self._highlight else None)
            looks[(si, col)] = look
        return look

    def italic_font(self, base: QFont) -> QFont:
        """``base`` in italics (the A − B rows), made once per base font."""
        if self._italic_of is None or self._italic_of[0] != base:
            font = QFont(base)
            font.setItalic(True)
            self._italic_of = (QFont(base), font)
        return self._italic_of[1]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._n_columns

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _HANDLED or not index.isValid():
            return None
        row, col = index.row(), index.column()
        si, which = self._rows[row]
        sid = self._series_ids[si]
        if role == WHICH_ROLE:
            return which
        if role == SID_ROLE:
            return sid
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._highlight_brush if sid in self._highlight else None
        if role == Qt.ItemDataRole.FontRole:
            return self._italic if which == "A-B" else None
        if col < len(FIXED_COLUMNS):
            text = self._names.get(sid, sid) if col == 0 else WINDOW_LABELS[which]
            if role in (Qt.ItemDataRole.DisplayRole, RAW_ROLE):
                return text
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{self._names.get(sid, sid)} ({sid})" if col == 0 else \
                    {"A": "Window A", "B": "Window B", "A-B": "Window A minus window B"}[which]
            return None
        fig = self._figures[col - len(FIXED_COLUMNS)]
        if role == RAW_ROLE:
            return self.raw(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            spec = self._spec_by_name.get(fig)
            return format_figure(self.raw(row, col), spec.fmt if spec else "value",
                                 diff=which == "A-B")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            spec = self._spec_by_name.get(fig)
            desc = spec.description if spec else fig
            return f"{self._names.get(sid, sid)}, {WINDOW_LABELS[which]}: {desc}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section < len(FIXED_COLUMNS):
            return FIXED_COLUMNS[section] if role == Qt.ItemDataRole.DisplayRole else None
        fig = self._figures[section - len(FIXED_COLUMNS)]
        spec = self._spec_by_name.get(fig)
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.label if spec else fig
        if role == Qt.ItemDataRole.ToolTipRole:
            return spec.description if spec else fig
        return None


def _values(table_or_array, shape: tuple[int, int]) -> np.ndarray:
    """Values of a FigureTable, a bare array (core may give A - B as an array) or None."""
    if table_or_array is None:
        return np.full(shape, np.nan)
    return np.asarray(getattr(table_or_array, "values", table_or_array), dtype=np.float64)
