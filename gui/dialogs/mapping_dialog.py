"""Fix a misread sheet: header row, date column, date order, skipped columns.

Returns a core.ingest SheetMapping; the main window saves it in the TemplateStore (so
the next export of the same template is read the same way) and reloads the file. The
top of the sheet is shown with Excel's row numbers and column letters: clicking a row
number sets the header row, a column letter the date column.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.messages import column_letter

ORDERS = (("Automatic", None), ("Month/Day/Year", "MDY"), ("Day/Month/Year", "DMY"),
          ("Year/Month/Day", "YMD"))
PREVIEW_ROWS = 14
PREVIEW_COLUMNS = 10
PREVIEW_CELL_CHARS = 24


def sheet_preview(file: str, sheet: str) -> np.ndarray | None:
    """The top-left corner of ``sheet`` as read by core.ingest, or None if unreadable."""
    from core.ingest.readers import ReadError, read_path_sheets

    try:
        sheets = read_path_sheets(Path(file))
    except (ReadError, OSError, ValueError):
        return None
    for name, raw in sheets:
        if name == sheet and not isinstance(raw, str):
            return raw.grid[:PREVIEW_ROWS, :PREVIEW_COLUMNS]
    return None


def cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[s]").item()
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= PREVIEW_CELL_CHARS else text[: PREVIEW_CELL_CHARS - 1] + "\u2026"


class MappingDialog(QDialog):
    def __init__(self, file: str, sheet: str, current=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Sheet mapping: {sheet}")
        self.file, self.sheet = file, sheet
        self.header_row = QSpinBox(self)
        self.header_row.setRange(0, 100000)
        self.header_row.setSpecialValueText("Automatic")
        self.header_row.setToolTip("Excel row number of the header (0 = detect automatically)")
        self.date_column = QLineEdit(self)
        self.date_column.setPlaceholderText("Automatic (e.g. A)")
        self.date_column.setToolTip("Column letter holding the dates")
        self.date_order = QComboBox(self)
        for label, value in ORDERS:
            self.date_order.addItem(label, value)
        self.date_order.setToolTip("How to read ambiguous dates such as 03/04/2025")
        self.skip = QLineEdit(self)
        self.skip.setPlaceholderText("e.g. C, F")
        self.skip.setToolTip("Column letters to ignore, separated by commas")
        self.skip_sheet = QCheckBox("Ignore this sheet", self)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b")
        if current is not None:
            self.header_row.setValue(current.header_row or 0)
            self.date_column.setText(current.date_column or "")
            self.date_order.setCurrentIndex(max(0, self.date_order.findData(current.date_order)))
            self.skip.setText(", ".join(current.skip_columns))
            self.skip_sheet.setChecked(bool(current.skip_sheet))
        self.preview = self._build_preview(sheet_preview(file, sheet))
        form = QFormLayout()
        form.addRow("Header row", self.header_row)
        form.addRow("Date column", self.date_column)
        form.addRow("Date order", self.date_order)
        form.addRow("Skip columns", self.skip)
        form.addRow("", self.skip_sheet)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel, parent=self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        title = QLabel(f"<b>{Path(file).name}</b> \u2014 sheet <b>{sheet}</b>", self)
        title.setToolTip(file)
        lay.addWidget(title)
        lay.addWidget(self.preview)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.result_mapping = None

    def _build_preview(self, grid: np.ndarray | None) -> QWidget:
        if grid is None or grid.size == 0:
            return QLabel("(the sheet cannot be previewed)", self)
        table = QTableWidget(grid.shape[0], grid.shape[1], self)
        table.setHorizontalHeaderLabels([column_letter(c) for c in range(grid.shape[1])])
        table.setVerticalHeaderLabels([str(r + 1) for r in range(grid.shape[0])])
        for r in range(grid.shape[0]):
            for c in range(grid.shape[1]):
                item = QTableWidgetItem(cell_text(grid[r, c]))
                item.setToolTip(str(grid[r, c]))
                table.setItem(r, c, item)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.resizeColumnsToContents()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().lineSpacing() + 6)
        table.setMinimumSize(520, 220)
        table.setToolTip("The top of the sheet: click a row number to make it the header "
                         "row, a column letter to make it the date column")
        table.verticalHeader().sectionClicked.connect(lambda r: self.header_row.setValue(r + 1))
        table.horizontalHeader().sectionClicked.connect(
            lambda c: self.date_column.setText(column_letter(c)))
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        return table

    def mapping(self):
        from core.ingest.mapping import SheetMapping

        skip = [c.strip() for c in self.skip.text().split(",") if c.strip()]
        return SheetMapping(header_row=self.header_row.value() or None,
                            date_column=self.date_column.text().strip() or None,
                            date_order=self.date_order.currentData(),
                            skip_columns=skip, skip_sheet=self.skip_sheet.isChecked())

    def _accept(self) -> None:
        try:
            self.result_mapping = self.mapping()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
