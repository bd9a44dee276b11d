"""Fix a misread sheet: header row, date column, date order, skipped columns.

Returns a core.ingest SheetMapping; the main window saves it in the TemplateStore (so
the next export of the same template is read the same way) and reloads the file.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

ORDERS = (("Automatic", None), ("Month/Day/Year", "MDY"), ("Day/Month/Year", "DMY"),
          ("Year/Month/Day", "YMD"))


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
        lay.addWidget(QLabel(f"<b>{file}</b><br>sheet <b>{sheet}</b>", self))
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.result_mapping = None

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
