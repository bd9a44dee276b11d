"""File loading off the GUI thread (QThreadPool + QRunnable).

One ``LoadJob`` loads a list of files in turn, reporting progress as (fraction, text)
and honouring cancel between and inside files (core.ingest checks ``cancel()``).
Results and errors come back as Qt signals, delivered on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gui import core_api
from gui.workers.pool_job import PoolJob


class LoadSignals(QObject):
    progress = Signal(float, str)
    loaded = Signal(object)          # LoadResult, one per file
    failed = Signal(str, str)        # file, message
    finished = Signal(bool)          # cancelled?


class LoadJob(PoolJob):
    """One load of several files; ``signals`` belongs to the caller (see PoolJob)."""

    def __init__(self, paths: list[str], mappings: dict[str, object] | None = None,
                 *, use_cache: bool = True, signals: LoadSignals | None = None) -> None:
        super().__init__()
        self.paths = list(paths)
        self.mappings = dict(mappings or {})
        self.use_cache = use_cache
        self.signals = signals if signals is not None else LoadSignals()

    def work(self) -> None:
        cancelled_type = core_api.cancelled_type()
        n = len(self.paths)
        cancelled = False
        for i, path in enumerate(self.paths):
            if self.is_cancelled():
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
            result.messages.extend(core_api.record_vintages(result))  # one transaction
            self.signals.loaded.emit(result)
        self.signals.progress.emit(1.0, "Cancelled" if cancelled else "Loaded")
        self.signals.finished.emit(cancelled)
