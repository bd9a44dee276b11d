"""The watched inbox in the GUI: a QTimer polls ``core.inbox.InboxWatcher`` on the GUI
thread (one directory listing per tick, no file is read here) and emits the exports that
became ready, for the loader to open like File > Open does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from core.inbox import InboxWatcher

POLL_MS = 2000  # a file is ready after two equal polls: ~2-4 s after the desk's save ends


class InboxPoller(QObject):
    arrived = Signal(list)   # list[str]: paths of exports ready to load
    problem = Signal(str)    # the folder cannot be read (shown once per change)

    def __init__(self, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._watcher: InboxWatcher | None = None
        self._last_problem: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def watch(self, folder: str | None) -> None:
        """Start watching ``folder`` (files already there are not loaded); None stops."""
        self._timer.stop()
        self._watcher = InboxWatcher(Path(folder)) if folder else None
        self._last_problem = None
        if self._watcher is not None:
            self._watcher.poll()  # takes the files already there as known
            self._timer.start()

    def poll(self) -> None:
        if self._watcher is None:
            return
        ready = self._watcher.poll()
        if self._watcher.problem != self._last_problem:
            self._last_problem = self._watcher.problem
            if self._last_problem:
                self.problem.emit(self._last_problem)
        if ready:
            self.arrived.emit([str(p) for p in ready])
