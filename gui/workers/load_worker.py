"""File loading off the GUI thread (QThreadPool + QRunnable).

One ``LoadJob`` loads a list of files in turn, reporting progress as (fraction, text)
and honouring cancel between and inside files (core.ingest checks ``cancel()``).
Results and errors come back as Qt signals, delivered on the GUI thread.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, Signal

from gui import core_api


class LoadSignals(QObject):
    progress = Signal(float, str)
    loaded = Signal(object)          # LoadResult, one per file
    failed = Signal(str, str)        # file, message
    finished = Signal(bool)          # cancelled?


class LoadJob(QRunnable):
    def __init__(self, paths: list[str], mappings: dict[str, object] | None = None,
                 *, use_cache: bool = True) -> None:
        super().__init__()
        self.paths = list(paths)
        self.mappings = dict(mappings or {})
        self.use_cache = use_cache
        self.signals = LoadSignals()
        self._cancel = threading.Event()
        # The pool deletes the runnable after run(); with auto-delete off, PySide's pool
        # kept every job and its signals alive (one leak per load, seen over 100 loads).
        self.setAutoDelete(True)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        cancelled_type = core_api.cancelled_type()
        n = len(self.paths)
        cancelled = False
        for i, path in enumerate(self.paths):
            if self._cancel.is_set():
                cancelled = True
                break

            def progress(fraction: float, text: str, i: int = i) -> None:
                self.signals.progress.emit((i + max(0.0, min(1.0, fraction))) / n, text)

            self.signals.progress.emit(i / n, f"Reading {path}")
            try:
                result = core_api.load_file(path, mapping=self.mappings.get(path),
                                            progress=progress, cancel=self.is_cancelled,
                                            use_cache=self.use_cache)
            except cancelled_type:
                cancelled = True
                break
            except Exception as exc:  # noqa: BLE001 - shown to the user as a dialog
                self.signals.failed.emit(path, f"{type(exc).__name__}: {exc}")
                continue
            self.signals.loaded.emit(result)
        self.signals.progress.emit(1.0, "Cancelled" if cancelled else "Loaded")
        self.signals.finished.emit(cancelled)
