"""Undoable window moves. Consecutive steps of one drag merge into one undo entry:
every command of a drag carries the same ``drag_serial``; releasing the mouse bumps it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from gui.session import Session

WINDOW_COMMAND_ID = 6001


class SetWindowsCommand(QUndoCommand):
    def __init__(self, session: Session, old: tuple, new: tuple, *, drag_serial: int | None,
                 text: str = "Move window") -> None:
        super().__init__(text)
        self._session = session
        self.old = old  # (window_a, window_b)
        self.new = new
        self.drag_serial = drag_serial

    def id(self) -> int:  # noqa: A003 (Qt's name)
        return WINDOW_COMMAND_ID if self.drag_serial is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetWindowsCommand):
            return False
        if self.drag_serial is None or other.drag_serial != self.drag_serial:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self._session._apply_windows(*self.new)

    def undo(self) -> None:
        self._session._apply_windows(*self.old)
