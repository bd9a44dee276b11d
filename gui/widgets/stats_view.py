"""The stats table's view: paints every visible cell in one Python call per repaint.

During a drag about a hundred cells change per step. Painting them through an item
delegate costs ~27 us a cell -- Qt builds a style option, wraps painter, option and index
for Python and calls the delegate once per cell -- of which drawing the text is only 5.
This view keeps QTableView for everything else (headers, scrolling, selection, keyboard,
sorting through the proxy) and replaces only the cell painting: one pass over the visible
rows and columns, a row's background in one fill, its font set once, the grid in one
``drawLines``. The look of each cell still comes from ``StatsTableModel.cell_look`` and
the colours, fonts and text fitting (``StatsDelegate.fitted``), so the delegate and this
view draw the same thing (the delegate still paints when Qt renders cells elsewhere,
e.g. a drag pixmap).
"""

from __future__ import annotations

from PySide6.QtCore import QLine, QRect
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

_PAD = 4


class StatsView(QTableView):
    """QTableView whose viewport paint draws the cells itself (see module docstring)."""

    delegate = None  # StatsDelegate, set by the panel after construction

    def grid_colour(self, palette: QPalette | None = None) -> QColor:
        """The colour QTableView draws its grid with (the style's hint, as Qt reads it),
        for ``palette`` when given (a theme change reaches the view's palette late)."""
        opt = QStyleOptionViewItem()
        opt.initFrom(self)
        if palette is not None:
            opt.palette = palette
        rgb = self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, opt, self)
        return QColor.fromRgba(rgb & 0xFFFFFFFF)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        d = self.delegate
        proxy = self.model()
        n_rows, n_cols = proxy.rowCount(), proxy.columnCount()
        if d is None or n_rows == 0 or n_cols == 0:
            super().paintEvent(event)
            return
        vh, hh = self.verticalHeader(), self.horizontalHeader()
        area = event.rect()
        top = vh.visualIndexAt(area.top())
        bottom = vh.visualIndexAt(area.bottom())
        if top < 0:
            return  # the dirty area lies below the last row: the base colour shows
        if bottom < 0:
            bottom = n_rows - 1
        left = hh.visualIndexAt(area.left())
        right = hh.visualIndexAt(area.right())
        if left < 0:
            return
        if right < 0:
            right = n_cols - 1
        grid = 1 if self.showGrid() else 0
        cols = []  # (logical column, x, width without the grid line)
        for visual in range(left, right + 1):
            col = hh.logicalIndex(visual)
            if hh.isSectionHidden(col):
                continue
            cols.append((col, hh.sectionViewportPosition(col), hh.sectionSize(col) - grid))
        if not cols:
            return
        x0 = cols[0][1]
        x1 = cols[-1][1] + cols[-1][2]
        selected = self._selected_cells(top, bottom)
        current = self.currentIndex()
        focus_cell = (current.row(), current.column()) \
            if self.hasFocus() and current.isValid() else None

        painter = QPainter(self.viewport())
        look_of = d.model.cell_look
        source_row = d._source_row
        fitted = d.fitted
        lines: list[QLine] = []
        for row in range(top, bottom + 1):
            y = vh.sectionViewportPosition(row)
            h = vh.sectionSize(row) - grid
            model_row = source_row(row)
            if row & 1:
                painter.fillRect(x0, y, x1 - x0, h, d._alt)
            italic = None
            for col, x, w in cols:
                text, align, is_italic, background = look_of(model_row, col)
                is_selected = selected is not None and (row, col) in selected
                if is_selected:
                    painter.fillRect(x, y, w, h, d._highlight)
                elif background is not None:
                    painter.fillRect(x, y, w, h, background)
                if is_italic is not italic:
                    italic = is_italic
                    painter.setFont(d._italic if italic else d._font)
                    painter.setPen(d._text)
                if is_selected:
                    painter.setPen(d._highlighted_text)
                painter.drawText(QRect(x + _PAD, y, w - 2 * _PAD, h), align,
                                 fitted(text, align, w - 2 * _PAD, italic))
                if is_selected:
                    painter.setPen(d._text)
                if focus_cell == (row, col):
                    painter.setPen(d._highlight.color())
                    painter.drawRect(x, y, w - 1, h - 1)
                    painter.setPen(d._text)
            if grid:
                lines.append(QLine(x0, y + h, x1, y + h))
        if grid:
            y_top = vh.sectionViewportPosition(top)
            y_end = vh.sectionViewportPosition(bottom) + vh.sectionSize(bottom) - 1
            lines.extend(QLine(x + w, y_top, x + w, y_end) for _, x, w in cols)
            painter.setPen(d._grid)
            painter.drawLines(lines)
        painter.end()

    def _selected_cells(self, top: int, bottom: int) -> set[tuple[int, int]] | None:
        """(proxy row, column) of the selected cells among rows top..bottom, or None."""
        model = self.selectionModel()
        if model is None or not model.hasSelection():
            return None
        cells: set[tuple[int, int]] = set()
        for rng in model.selection():
            for r in range(max(rng.top(), top), min(rng.bottom(), bottom) + 1):
                cells.update((r, c) for c in range(rng.left(), rng.right() + 1))
        return cells
