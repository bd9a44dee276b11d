"""Paints the stats table's cells in one short Python call each.

Qt's own delegate asks the model for about seven roles per cell per paint, each a trip
through the sort/filter proxy into Python (~10 ms for a 1600-px-wide table, more than
the figures cost). This delegate asks the source model once per cell for what it shows
(``StatsTableModel.cell_look``) and paints the text itself; the model keeps answering
every role for copy, tooltips and accessibility.

Per cell it touches as few wrapped Qt objects as it can (each costs microseconds from
Python): colours come from a cache refreshed when the palette changes, elided texts are
kept per (text, width), and flags are tested as plain ints.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from gui.models.stats_table_model import StatsTableModel

_PAD = 4
# every glyph a figure is written with (gui.figure_format): digits, signs, units, the dash
_WIDEST_CANDIDATES = "0123456789+-\u2212\u2013.,%\u03c3 dp"
_FIGURE = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_SELECTED = QStyle.StateFlag.State_Selected.value
_FOCUS = QStyle.StateFlag.State_HasFocus.value


class StatsDelegate(QStyledItemDelegate):
    def __init__(self, proxy: QSortFilterProxyModel, model: StatsTableModel,
                 view: QTableView) -> None:
        super().__init__(view)
        self.proxy = proxy
        self.model = model
        self.view = view
        self._elided: dict[tuple[str, int, bool], str] = {}
        self._source_rows: list[int] | None = None
        for signal in (proxy.layoutChanged, proxy.modelReset, proxy.rowsInserted,
                       proxy.rowsRemoved, proxy.rowsMoved):
            signal.connect(self._forget_rows)
        self.refresh_palette()

    def _forget_rows(self, *_args) -> None:
        self._source_rows = None

    def _source_row(self, row: int) -> int:
        """Proxy row -> model row, from a list rebuilt when the proxy re-sorts or filters
        (mapToSource per cell costs more than drawing the cell's text)."""
        rows = self._source_rows
        if rows is None or row >= len(rows):
            proxy = self.proxy
            rows = self._source_rows = [proxy.mapToSource(proxy.index(r, 0)).row()
                                        for r in range(proxy.rowCount())]
        return rows[row]

    def refresh_palette(self, palette: QPalette | None = None, font=None) -> None:
        """Take the colours and font (after a theme or font change; the panel passes its
        own, already updated, while the view's may still be the old ones)."""
        pal = palette if palette is not None else self.view.palette()
        self._base = QBrush(pal.color(QPalette.ColorRole.Base))
        self._alt = QBrush(pal.color(QPalette.ColorRole.AlternateBase))
        self._highlight = QBrush(pal.color(QPalette.ColorRole.Highlight))
        self._text = QColor(pal.color(QPalette.ColorRole.Text))
        self._highlighted_text = QColor(pal.color(QPalette.ColorRole.HighlightedText))
        grid_colour = getattr(self.view, "grid_colour", None)
        self._grid = (grid_colour(pal) if grid_colour is not None
                      else pal.color(QPalette.ColorRole.Mid))
        self._font = font if font is not None else self.view.font()
        self._italic = self.model.italic_font(self._font)
        self._metrics = QFontMetrics(self._font)
        self._italic_metrics = QFontMetrics(self._italic)
        self._elided.clear()
        # figures up to this many characters fit a cell of a given width without measuring
        # (the widest glyph they use, times their length, is below the width); italics
        # (A - B rows) are measured in their own font
        widest = max(max(self._metrics.horizontalAdvance(ch),
                         self._italic_metrics.horizontalAdvance(ch))
                     for ch in _WIDEST_CANDIDATES)
        self._numeric_fit = _FitTable(widest)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.row()
        text, align, italic, background = self.model.cell_look(self._source_row(row),
                                                               index.column())
        rect = option.rect
        state = option.state.value
        selected = state & _SELECTED
        if selected:
            painter.fillRect(rect, self._highlight)
        elif background is not None:
            painter.fillRect(rect, background)
        elif row & 1:
            painter.fillRect(rect, self._alt)
        painter.setPen(self._highlighted_text if selected else self._text)
        painter.setFont(self._italic if italic else self._font)
        inner = rect.adjusted(_PAD, 0, -_PAD, 0)
        painter.drawText(inner, align, self.fitted(text, align, inner.width(), italic))
        self._focus(painter, rect, state)

    def fitted(self, text: str, align: int, width: int, italic: bool) -> str:
        """``text`` as it fits ``width`` px: a figure short enough to fit unmeasured as
        it is, anything else measured once per (text, width, font) and elided."""
        if align == _FIGURE and len(text) <= self._numeric_fit[width]:
            return text
        key = (text, width, italic)
        shown = self._elided.get(key)
        if shown is None:
            metrics = self._italic_metrics if italic else self._metrics
            shown = text if metrics.horizontalAdvance(text) <= width else \
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            if len(self._elided) > 20000:  # texts change on every drag step: stay small
                self._elided.clear()
            self._elided[key] = shown
        return shown

    def _focus(self, painter: QPainter, rect, state: int) -> None:
        if state & _FOCUS:
            painter.setPen(self._highlight.color())
            painter.drawRect(rect.adjusted(0, 0, -1, -1))


class _FitTable(dict):
    """width -> how many characters of at most ``widest`` px fit in it."""

    def __init__(self, widest: int) -> None:
        super().__init__()
        self.widest = max(1, widest)

    def __missing__(self, width: int) -> int:
        self[width] = n = width // self.widest
        return n
