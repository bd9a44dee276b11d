"""Desk note: the engine's sentences for window A, refreshed live, with a copy button."""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import core_api
from gui.figure_format import format_date
from gui.session import Session
from gui.widgets.live_label import LiveLabel

THROTTLE_MS = 40


class NotePanel(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.sentences: list[str] = []
        self._shown: tuple[str, ...] | None | bool = False  # what the text shows (False: nothing)
        self.header = LiveLabel(self)
        self.text = QTextBrowser(self)
        self.text.setToolTip("Sentences generated from window A's figures (never free text)")
        self.text.setOpenLinks(False)
        copy = QToolButton(self)
        copy.setText("Copy")
        copy.setToolTip("Copy the note as plain text")
        copy.clicked.connect(self.copy)
        bar = QHBoxLayout()
        bar.addWidget(self.header, 1)
        bar.addWidget(copy)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.text, 1)
        # sentences follow a drag at <= 25 Hz: writing them costs more than the figures
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(THROTTLE_MS)
        self._timer.timeout.connect(self.refresh)
        session.resultsReady.connect(self._schedule)
        session.checkedChanged.connect(self._schedule)  # checked series get level lines
        session.dragFinished.connect(self.flush)
        self.refresh()

    def _schedule(self) -> None:
        if not self.session.dragging:
            self.refresh()
        elif not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.refresh()

    def plain_text(self) -> str:
        return "\n".join(f"- {s}" for s in self.sentences)

    def copy(self) -> str:
        text = self.plain_text()
        QApplication.clipboard().setText(text)
        return text

    def refresh(self) -> None:
        a = self.session.window_a
        if a is None:
            self.header.setText("A: \u2013")
            self._show(None)
            return
        s, e = core_api.bounds(a)
        self.header.setText(f"A: {format_date(s)} \u2192 {format_date(e)}")
        try:
            sentences = core_api.desk_note(self.session)
        except ImportError:
            sentences = []
        self._show(sentences)

    def _show(self, sentences: list[str] | None) -> None:
        """Rewrite the text only when it changes (during a drag it mostly does not);
        None: no window yet."""
        shown = None if sentences is None else tuple(sentences)
        if shown == self._shown:
            return
        self._shown = shown
        self.sentences = list(sentences or [])
        if sentences is None:
            self.text.setHtml("<i>Open a desk export to see the note.</i>")
        elif not sentences:
            self.text.setHtml("<i>No sentence applies to this window: its series have no "
                              "data in it, or nothing notable happened.</i>")
        else:
            self.text.setHtml("<ul style='margin-left:-20px'>" +
                              "".join(f"<li>{html.escape(x)}</li>" for x in sentences) +
                              "</ul>")
