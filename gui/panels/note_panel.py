"""Desk note: the sentences of window A (``session.live``, at most 25 Hz during a drag),
with a copy button."""

from __future__ import annotations

import html

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
from gui.live_results import NOTE, RATES, LiveResults
from gui.session import Session
from gui.widgets.live_label import LiveLabel


FIRST_SENTENCES = 6  # shown before "More": the desk's story, most extreme first


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
        self.more = QToolButton(self)
        self.more.setCheckable(True)
        self.more.setToolTip("The note leads with the desk's story; the other sentences "
                             "are behind this button")
        self.more.toggled.connect(lambda _on: self._render())
        self.more.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.header, 1)
        bar.addWidget(self.more)
        bar.addWidget(copy)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.text, 1)
        session.live.updated.connect(self._on_live)
        self._on_live(session.live.latest)

    def _on_live(self, r: LiveResults) -> None:
        if r.window_a is None:
            self.header.setText("A: \u2013")
            self._show(None)
            return
        if r.has(NOTE) or not r.dragging:  # the header follows the note's own pace
            s, e = core_api.bounds(r.window_a)
            self.header.setText(f"A: {format_date(s)} \u2192 {format_date(e)}")
        if r.has(NOTE) or r.has(RATES):
            # the odds' timing sentence follows the figures' sentences (its own schedule)
            self._show(list(r.sentences))

    def refresh(self) -> None:
        """Write the note of the current windows now."""
        self.session.live.refresh({NOTE})

    def plain_text(self) -> str:
        return "\n".join(f"- {s}" for s in self.sentences)

    def copy(self) -> str:
        text = self.plain_text()
        QApplication.clipboard().setText(text)
        return text

    def _show(self, sentences: list[str] | None) -> None:
        """Rewrite the text only when it changes (during a drag it mostly does not);
        None: no window yet."""
        shown = None if sentences is None else tuple(sentences)
        if shown == self._shown:
            return
        self._shown = shown
        self.sentences = list(sentences or [])
        self._render()

    def _render(self) -> None:
        sentences = None if self._shown is None else self.sentences
        extra = max(len(self.sentences) - FIRST_SENTENCES, 0)
        self.more.setVisible(extra > 0)
        self.more.setText("Less" if self.more.isChecked() else f"More ({extra})")
        if extra and not self.more.isChecked():
            sentences = self.sentences[:FIRST_SENTENCES]
        if sentences is None:
            self.text.setHtml("<i>Open a desk export to see the note.</i>")
        elif not sentences:
            self.text.setHtml("<i>No sentence applies to this window: its series have no "
                              "data in it, or nothing notable happened.</i>")
        else:
            self.text.setHtml("<ul style='margin-left:-20px'>" +
                              "".join(f"<li>{html.escape(x)}</li>" for x in sentences) +
                              "</ul>")
