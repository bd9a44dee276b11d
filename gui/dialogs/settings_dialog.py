"""Edit > Settings…: the inbox folder the app watches and where its own data lives.

The dialog only edits a copy: ``inbox_folder()`` is what OK should apply (None: stop
watching). The caller applies it, so Cancel leaves the watch exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

NOT_WATCHING = "not watching"
INBOX_EXPLANATION = ("New exports saved in this folder are loaded and merged with the "
                     "earlier ones by themselves; files still being written are waited for. "
                     "Files already there when you choose the folder are not loaded.")


class SettingsDialog(QDialog):
    def __init__(self, inbox_folder: str | None, data_folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setModal(True)
        self.setMinimumWidth(640)  # a typical Downloads/... path fits whole
        self._inbox_folder = inbox_folder or None
        self._data_folder = data_folder

        self.inbox_edit = QLineEdit(self)
        self.inbox_edit.setReadOnly(True)
        self.inbox_edit.setPlaceholderText(NOT_WATCHING)
        self.choose_button = QPushButton("Choose\u2026", self)
        self.choose_button.setToolTip("Pick the folder your desk exports are saved into")
        self.choose_button.clicked.connect(self.choose_inbox)
        self.stop_button = QPushButton("Stop watching", self)
        self.stop_button.setToolTip("Load no more files from the folder (those open stay open)")
        self.stop_button.clicked.connect(self.stop_watching)
        explanation = QLabel(INBOX_EXPLANATION, self)
        explanation.setWordWrap(True)

        inbox_row = QHBoxLayout()
        inbox_row.addWidget(self.inbox_edit, 1)
        inbox_row.addWidget(self.choose_button)
        inbox_row.addWidget(self.stop_button)
        inbox_box = QGroupBox("Inbox", self)
        inbox_layout = QVBoxLayout(inbox_box)
        inbox_layout.addLayout(inbox_row)
        inbox_layout.addWidget(explanation)

        self.data_edit = QLineEdit(str(data_folder), self)
        self.data_edit.setReadOnly(True)
        self.data_edit.setToolTip("Where Gapwatch keeps its own data (stored public data, "
                                  "vintages)")
        self.data_edit.setCursorPosition(0)
        self.open_data_button = QPushButton("Open folder", self)
        self.open_data_button.setToolTip("Show the data folder in the file manager")
        self.open_data_button.clicked.connect(self.open_data_folder)
        data_box = QGroupBox("Data folder", self)
        data_row = QHBoxLayout(data_box)
        data_row.addWidget(self.data_edit, 1)
        data_row.addWidget(self.open_data_button)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(inbox_box)
        layout.addWidget(data_box)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self._show_inbox()

    def inbox_folder(self) -> str | None:
        """The folder OK applies; None stops watching."""
        return self._inbox_folder

    def choose_inbox(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Inbox folder", self._inbox_folder or "")
        if folder:  # an empty answer is the file dialog's Cancel: keep what was there
            self._inbox_folder = folder
            self._show_inbox()

    def stop_watching(self) -> None:
        self._inbox_folder = None
        self._show_inbox()

    def open_data_folder(self) -> None:
        self._data_folder.mkdir(parents=True, exist_ok=True)  # a first run has none yet
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_folder)))

    def _show_inbox(self) -> None:
        self.inbox_edit.setText(self._inbox_folder or "")
        self.inbox_edit.setToolTip(  # the whole path, when the field cuts it
            f"Watched for new desk exports: {self._inbox_folder}" if self._inbox_folder
            else "No folder is watched: choose one to load new exports as they arrive")
        self.inbox_edit.setCursorPosition(0)
        self.stop_button.setEnabled(self._inbox_folder is not None)
