"""Undoable window moves. Consecutive steps of one drag merge into one undo entry:
every command of a drag carries the same ``drag_serial``; releasing the mouse bumps it.

The command applies windows through the callable it is given (the session's public
``apply_windows``), so it needs no knowledge of the session's insides."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from core.analytics.window import Window

WINDOW_COMMAND_ID = 6001

WindowPair = tuple[Window | None, Window | None]
# (window_a, window_b, origin): origin is the view the change came from (None: undo/redo)
ApplyWindows = Callable[[Window | None, Window | None, object], None]


class SetWindowsCommand(QUndoCommand):
    def __init__(self, apply: ApplyWindows, old: WindowPair, new: WindowPair, *,
                 drag_serial: int | None, text: str = "Move window",
                 origin: object = None) -> None:
        super().__init__(text)
        self._apply = apply
        self.old = old
        self.new = new
        self.drag_serial = drag_serial
        self._origin = origin  # the first redo (the push) only: later redos come from undo

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
        origin, self._origin = self._origin, None
        self._apply(*self.new, origin)

    def undo(self) -> None:
        self._apply(*self.old, None)
