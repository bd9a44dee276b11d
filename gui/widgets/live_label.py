"""A one-line text that changes on every drag step without moving anything else.

A QLabel whose text changes asks its parent layout to recompute (the size hint may have
changed); in the status bar or a dock header that is a layout pass of the main window per
drag step. This widget's size hint depends on its font only, it elides what does not
fit (the full text is in the tooltip) and a new text only repaints it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


class LiveLabel(QWidget):
    def __init__(self, parent: QWidget | None = None, *, min_chars: int = 20) -> None:
        super().__init__(parent)
        self._text = ""
        self._shown: tuple = (None, "")
        self._min_chars = min_chars
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # opaque: a new text repaints this widget only, not the panel and dock beneath it
        self.setAutoFillBackground(True)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - the QLabel name, for drop-in use
        if text != self._text:
            self._text = text
            self.setToolTip(text)
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        fm = self.fontMetrics()
        return QSize(fm.averageCharWidth() * max(self._min_chars, 60), fm.height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        fm = self.fontMetrics()
        return QSize(fm.averageCharWidth() * self._min_chars, fm.height() + 4)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        rect = self.contentsRect().adjusted(2, 0, -2, 0)
        key = (self._text, rect.width())
        if self._shown[0] != key:
            self._shown = (key, self.fontMetrics().elidedText(
                self._text, Qt.TextElideMode.ElideRight, rect.width()))
        text = self._shown[1]
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         text)
        painter.end()
